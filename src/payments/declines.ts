/**
 * Why a payment is declined: a closed table, answered to the till as `reason` and
 * documented (docs/pos-api.md, OpenAPI). The till shows `message` to the cashier; none
 * of them reveals the customer's balance or anything about the account beyond the fact.
 */
export const DECLINE_REASONS = {
  code_unknown: 'No such payment code. Ask the customer to show the code again.',
  code_expired: 'The payment code has expired (codes last at most 5 minutes). Ask for a fresh code.',
  code_used: 'The payment code was already used. Ask for a fresh code.',
  code_superseded: 'The app has replaced this code with a newer one. Scan the code on screen now.',
  code_revoked: 'The device that showed this code was signed out. The customer must sign in again.',
  insufficient_balance: 'The wallet does not hold enough for this payment. The customer can top up first.',
  limit_exceeded: 'The payment is over the customer\'s limit (per payment or per 24 hours).',
  account_restricted: 'The account is in restricted mode after a recent security change: payments are capped for 24 hours.',
  account_frozen: 'The account is frozen. The customer should contact Konpay support.',
  risk_declined: 'Declined by Konpay\'s risk checks.',
  risk_review: 'Declined for a security check; the customer has been told what to do in the app. Ask for another means of payment for now.',
  store_suspended: 'This store is suspended and cannot take payments.',
  duplicate_order: 'This order number was already paid at this store. Look the payment up by order id instead of paying again.',
  terminal_throttled: 'This terminal sent too many unknown codes and is paused for a while; it has been reported.',
} as const;

export type DeclineReason = keyof typeof DECLINE_REASONS;
export const DECLINE_REASON_CODES = Object.keys(DECLINE_REASONS) as [DeclineReason, ...DeclineReason[]];
