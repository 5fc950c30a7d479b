import { defineErrors } from '../shared/errors.js';

/** Every error the simulator's API answers with (besides the HTTP layer's own). */
export const cardnetErrors = defineErrors('cardnet', {
  invalid_card: { status: 400, title: 'The card details are not valid', hint: 'Check the number (Luhn), expiry, security code and phone.' },
  card_expired: { status: 400, title: 'The card has expired' },
  return_url_not_allowed: { status: 400, title: 'The return URL is not registered for this merchant' },
  token_not_found: { status: 404, title: 'No such card token' },
  authentication_not_found: { status: 404, title: 'No such authentication' },
  payment_not_found: { status: 404, title: 'No such payment' },
  authentication_required: { status: 402, title: 'A completed 3-D Secure authentication for this card and amount is required' },
  reference_reused: { status: 409, title: 'This reference was already used for another request', hint: 'Use a new reference for a new operation; retry with the same body to get the first result.' },
  invalid_state: { status: 409, title: 'The payment is not in a state that allows this operation' },
  amount_too_large: { status: 422, title: 'The amount exceeds what the payment allows', hint: 'Captures are at most the authorised amount; refunds at most what was captured and not yet refunded.' },
});
