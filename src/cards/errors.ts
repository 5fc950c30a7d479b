import { defineErrors } from '../shared/errors.js';

/** What the card endpoints can refuse with (WAL-3). */
export const cardErrors = defineErrors('cards', {
  card_not_found: { status: 404, title: 'No such card on your account' },
  card_token_invalid: { status: 400, title: 'The card network does not know that card token', hint: 'Submit the card form again: its token is what this endpoint takes.' },
  card_limit_reached: { status: 409, title: 'Your account already holds the most cards it may', hint: 'Remove a card you no longer use, then add the new one.' },
  card_already_added: { status: 409, title: 'This card is already on your account' },
  card_in_use_elsewhere: { status: 409, title: 'This card is registered to another Konpay account', hint: 'A card can belong to one account at a time. If it is yours and you did not add it elsewhere, contact support.' },
  card_attempts_exceeded: { status: 429, title: 'Too many failed security-code checks', hint: 'Adding cards is paused for a while after repeated wrong security codes; the answer says when it resumes.' },
  card_not_pending: { status: 409, title: 'This card is not waiting for verification' },
  card_network_unavailable: { status: 503, title: 'The card network did not answer', hint: 'Nothing was charged. Try again in a moment.' },
});
