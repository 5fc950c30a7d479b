import { defineErrors } from '../shared/errors.js';

/** What the app-unlock and payment-code endpoints, and the tills that scan codes, can refuse with. */
export const codesErrors = defineErrors('codes', {
  device_required: { status: 403, title: 'This session is not on a remembered device', hint: 'Payment codes are made only by the app on a device that passed a second factor: sign in there.' },
  unlock_required: { status: 403, title: 'Unlock the app first', hint: 'POST /v1/unlock with the app PIN or a passkey; a payment code can be made for `windowSeconds` after that.' },
  pin_weak: { status: 400, title: 'Choose a PIN that is harder to guess', hint: 'Not one digit repeated (0000) and not a straight run (1234, 987654).' },
  pin_not_set: { status: 409, title: 'No app PIN is set on this device', hint: 'Unlock with a passkey, or set a PIN: PUT /v1/devices/current/pin from a privileged session.' },
  pin_wrong: { status: 400, title: 'The PIN is not right', hint: '`remaining` says how many tries are left before the PIN is disabled on this device.' },
  pin_locked: { status: 423, title: 'The app PIN is disabled after too many wrong tries', hint: 'Unlock with a passkey, or re-authenticate (POST /v1/me/reauthenticate) and set a new PIN.' },
  unlock_challenge_not_found: { status: 404, title: 'No such unlock challenge, or it was used or has expired', hint: 'Ask for new options: POST /v1/unlock/passkey/options. Each challenge answers one attempt within 5 minutes.' },
  no_passkeys: { status: 409, title: 'This account has no passkey', hint: 'Unlock with the app PIN, or add a passkey first.' },
  // What a till is told when a scanned code cannot be used (PAY-5); every till route shares these.
  payment_code_unknown: { status: 422, title: 'This is not a valid Konpay code', hint: 'Scan again, or ask the customer to show a fresh code; typed by hand it is 20 digits starting 99.' },
  payment_code_expired: { status: 422, title: 'This code has expired', hint: 'A code is valid for 5 minutes: ask the customer to show a fresh one.' },
  payment_code_used: { status: 422, title: 'This code was already used', hint: 'Each code works once. To retry your own request, repeat it with the same Idempotency-Key: it answers the first result.' },
  payment_code_superseded: { status: 422, title: 'The app has shown a newer code since', hint: 'Scan the code the customer\'s screen shows now.' },
  payment_code_revoked: { status: 422, title: 'The phone that made this code was signed out', hint: 'The customer signs in to the app again and shows a new code.' },
});
