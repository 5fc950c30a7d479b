import { defineErrors } from '../shared/errors.js';

/** Everything the identity endpoints can refuse with. */
export const identityErrors = defineErrors('identity', {
  invalid_email: { status: 400, title: 'That is not an e-mail address we can use' },
  invalid_phone: { status: 400, title: 'That is not a mobile number that can receive SMS', hint: 'Japanese numbers may be given as 090-1234-5678; others need their country code (+1…).' },
  weak_password: { status: 400, title: 'Choose another password', hint: 'At least 8 characters; common, breached or guessable passwords (your e-mail or phone in it) are refused. Long passphrases are welcome.' },
  invalid_credentials: { status: 401, title: 'The identifier or password is wrong' },
  unauthenticated: { status: 401, title: 'Sign in first', hint: 'Send `Authorization: Bearer <session token>` or the session cookie.' },
  session_expired: { status: 401, title: 'Your session has ended; sign in again' },
  csrf_failed: { status: 403, title: 'Missing or wrong CSRF token', hint: 'Cookie-authenticated writes need the `x-csrf-token` header with the value of the `konpay_csrf` cookie.' },
  flow_not_found: { status: 404, title: 'No such verification flow, or it has ended', hint: 'Start again: flows last 30 minutes and end after too many wrong codes.' },
  code_wrong: { status: 400, title: 'The code is not right', hint: '`remaining` says how many tries are left before the flow ends.' },
  code_expired: { status: 400, title: 'The code has expired; ask for a new one' },
  code_not_sent: { status: 409, title: 'No code has been sent for this step yet' },
  too_many_attempts: { status: 429, title: 'Too many wrong codes: this flow has ended', hint: 'Start again from the beginning.' },
  resend_too_soon: { status: 429, title: 'A code was sent moments ago', hint: 'Wait for the number of seconds in `Retry-After`.' },
  resend_limit: { status: 429, title: 'No more codes can be sent in this flow', hint: 'Start again from the beginning.' },
  factor_unavailable: { status: 400, title: 'That second factor is not set up on this account' },
  account_exists: { status: 409, title: 'This e-mail address or phone number already has an account', hint: 'Sign in, or recover the account.' },
  login_throttled: { status: 429, title: 'Too many failed sign-ins; wait a moment', hint: 'Wait for the number of seconds in `Retry-After`. Signing in from a device you used before is not slowed down.' },
  proof_of_work_required: { status: 428, title: 'Solve the challenge first', hint: 'Many sign-ins are failing right now. GET /v1/login/challenge, solve it, and send the solution as `proofOfWork`.' },
  account_frozen: { status: 423, title: 'This account is frozen', hint: 'Contact support: the account was frozen at the owner\'s request or by our risk team.' },
  reauthentication_required: { status: 403, title: 'Confirm it is you first', hint: 'Changing e-mail, phone, password or sign-in methods needs a sign-in within the last 5 minutes: POST /v1/me/reauthenticate.' },
  not_found_session: { status: 404, title: 'No such session on this account' },
  not_found_device: { status: 404, title: 'No such device on this account' },
});
