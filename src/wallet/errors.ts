import { defineErrors } from '../shared/errors.js';

/** What the wallet endpoints can refuse with. */
export const walletErrors = defineErrors('wallet', {
  invalid_cursor: { status: 400, title: 'That cursor is not one we gave out', hint: 'Use `nextCursor` from the previous page as it is, or leave it out for the first page.' },
});
