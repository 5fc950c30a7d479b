import { defineErrors } from '../shared/errors.js';

/**
 * What operator sign-in and the console's own checks can answer. A failed sign-in says
 * one thing whatever was wrong (unknown address, wrong password, wrong or replayed
 * code, disabled account), so the answer never tells a guesser which part was right.
 */
export const operatorAccountErrors = defineErrors('operators', {
  operator_sign_in_failed: { status: 401, title: 'The e-mail address, password or authenticator code is not right', hint: 'Check all three; the code changes every 30 seconds and works once.' },
  operator_sign_in_throttled: { status: 429, title: 'Too many failed sign-ins: wait before trying again', hint: 'Wait `retryAfterSeconds` seconds; every wait ends.' },
  operator_forbidden: { status: 403, title: 'Your operator role may not do this', hint: 'Ask an operator with the risk or admin role.' },
  operator_csrf_failed: { status: 403, title: 'This console request is missing its CSRF token', hint: 'Send `x-csrf-token` with the value the sign-in answered.' },
});

export type OperatorAccountErrorCode = keyof typeof operatorAccountErrors.codes;
