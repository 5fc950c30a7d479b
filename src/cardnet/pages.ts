/**
 * The simulator's two browser pages: the PSP's hosted card form and the issuer's
 * challenge. Every interpolated value is escaped; the card number is never echoed back.
 */
import { escapeHtml } from '../shared/html.js';

const STYLE = `body{font:16px/1.4 system-ui,sans-serif;max-width:26rem;margin:2rem auto;padding:0 1rem}
label{display:block;margin:.6rem 0 .2rem}input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{margin-top:1rem;padding:.6rem 1.2rem;font:inherit}.err{color:#b00020}.note{color:#555;font-size:.9em}`;

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;

export interface CardFormValues {
  returnUrl: string;
  holderName?: string;
  phone?: string;
  error?: string;
}

export function renderCardForm(v: CardFormValues): string {
  return page('Card details — Cardnet', `<h1>Add a card</h1>
<p class="note">Your card number goes to the card network only; the shop never sees it.</p>
${v.error ? `<p class="err" role="alert">${escapeHtml(v.error)}</p>` : ''}
<form method="post" action="/cardnet/card-form" autocomplete="on">
<input type="hidden" name="returnUrl" value="${escapeHtml(v.returnUrl)}">
<label for="number">Card number</label><input id="number" name="number" inputmode="numeric" autocomplete="cc-number" required>
<label for="expMonth">Expiry month</label><input id="expMonth" name="expMonth" inputmode="numeric" autocomplete="cc-exp-month" required>
<label for="expYear">Expiry year</label><input id="expYear" name="expYear" inputmode="numeric" autocomplete="cc-exp-year" required>
<label for="cvc">Security code</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" required>
<label for="holderName">Name on card</label><input id="holderName" name="holderName" autocomplete="cc-name" value="${escapeHtml(v.holderName ?? '')}" required>
<label for="phone">Mobile phone registered with your card issuer</label><input id="phone" name="phone" type="tel" autocomplete="tel" value="${escapeHtml(v.phone ?? '')}" required>
<button type="submit">Save card</button></form>`);
}

export function renderChallenge(v: { id: string; amount: number; last4: string; attemptsLeft?: number; error?: string }): string {
  return page('Verify your payment — Card issuer', `<h1>Verify it is you</h1>
<p>We sent a 6-digit code by SMS to the phone registered for card ending <b>${escapeHtml(v.last4)}</b>,
for a payment of <b>¥${escapeHtml(v.amount.toLocaleString('en-US'))}</b>.</p>
${v.error ? `<p class="err" role="alert">${escapeHtml(v.error)}${v.attemptsLeft !== undefined ? ` ${v.attemptsLeft} attempt(s) left.` : ''}</p>` : ''}
<form method="post" action="/cardnet/acs/${escapeHtml(v.id)}">
<label for="code">Code</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required>
<button type="submit">Verify</button></form>`);
}

export function renderChallengeClosed(status: string): string {
  return page('Card issuer', `<h1>This verification is ${escapeHtml(status.replace('_', ' '))}</h1><p>Return to the shop to continue.</p>`);
}
