import { defineErrors } from '../shared/errors.js';

/**
 * What the risk engine's refusals look like to the customer (RISK-1). Plain words only:
 * the rules that fired stay in the decision log and the case, because naming them would
 * teach an attacker which signal to avoid.
 */
export const riskErrors = defineErrors('risk', {
  step_up_required: {
    status: 403, title: 'Please confirm it is you first',
    hint: 'Re-authenticate with a second factor — `POST /v1/me/reauthenticate` with an SMS code (`POST /v1/me/reauthenticate/sms` sends it), an authenticator code or a passkey; a password alone does not count — then send the same request again: nothing was kept, and the Idempotency-Key of a top-up was freed, so the same key works (the wallet retries with it).',
  },
  risk_declined: {
    status: 403, title: 'We cannot accept this request',
    hint: 'Our security checks refused it. If you think this is a mistake, contact Konpay support.',
  },
});
