import { defineErrors } from '../shared/errors.js';

/** What the POS payment endpoints answer besides an approval (PAY-2, WAL-7). */
export const paymentErrors = defineErrors('payments', {
  payment_declined: { status: 402, title: 'The payment was declined', hint: '`reason` is one of a closed list (see docs/pos-api.md); `message` is for the cashier.' },
  payment_not_found: { status: 404, title: 'No such payment at this store' },
  payment_not_cancelable: { status: 409, title: 'This payment can no longer be canceled', hint: '`why`: `not_same_day` (cancel only on the JST business day of the payment; refund instead), `already_canceled`, or `refunded` (part was refunded; refund the rest instead).' },
  payment_refund_refused: { status: 409, title: 'This refund cannot be made', hint: '`why`: `exceeds_remaining` (refunds never add up to more than was paid; `remaining` says what is left) or `payment_canceled`.' },
});
