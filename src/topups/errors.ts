import { defineErrors } from '../shared/errors.js';

/** What the top-up endpoints can refuse with (WAL-3, WAL-5, ID-10). */
export const topupErrors = defineErrors('topups', {
  topup_not_found: { status: 404, title: 'No such top-up on your account' },
  topup_card_not_usable: { status: 409, title: 'That card cannot be used for top-ups', hint: 'Only cards that passed verification can be used; add the card again if it was removed.' },
  topup_limit_exceeded: { status: 422, title: 'This top-up would exceed a limit', hint: '`reason` says which limit, `limit` its size and `remaining` what is left of it now.' },
  topup_restricted_mode: { status: 403, title: 'Card top-ups are paused on your account for now', hint: 'After a recovery, a new device or a contact change, card top-ups are paused for 24 hours (`restrictedUntil`). Cash top-ups at the register still work.' },
  topup_not_cancelable: { status: 409, title: 'This top-up can no longer be canceled', hint: 'Only a top-up still waiting for the card issuer\'s challenge can be canceled.' },
  topup_network_unavailable: { status: 503, title: 'The card network did not answer', hint: 'Nothing was charged. Try again with the same Idempotency-Key.' },
  webhook_signature_invalid: { status: 401, title: 'The webhook signature is missing, wrong or too old' },
  webhook_malformed: { status: 400, title: 'The webhook body is not an event we understand' },
});
