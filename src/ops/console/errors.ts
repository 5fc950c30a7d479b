import { defineErrors } from '../../shared/errors.js';

/** What the console's customer routes can answer besides the operator API's own codes. */
export const consoleErrors = defineErrors('console', {
  customer_not_found: { status: 404, title: 'No such customer' },
  customer_not_frozen: { status: 409, title: 'This account is not frozen', hint: 'Nothing to unfreeze; reload the customer.' },
  limits_none_named: { status: 400, title: 'Name at least one limit to change', hint: 'cardTopup24h, cardTopup30d, balanceMax or payment24h: yen, or null for the default.' },
});
