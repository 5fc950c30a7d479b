import { defineErrors } from '../shared/errors.js';

/** What the app-unlock and payment-code endpoints can refuse with. */
export const codesErrors = defineErrors('codes', {
  device_required: { status: 403, title: 'This session is not on a remembered device', hint: 'Payment codes are made only by the app on a device that passed a second factor: sign in there.' },
  unlock_required: { status: 403, title: 'Unlock the app first', hint: 'POST /v1/unlock with the app PIN or a passkey; a payment code can be made for `windowSeconds` after that.' },
  pin_weak: { status: 400, title: 'Choose a PIN that is harder to guess', hint: 'Not one digit repeated (0000) and not a straight run (1234, 987654).' },
  pin_not_set: { status: 409, title: 'No app PIN is set on this device', hint: 'Unlock with a passkey, or set a PIN: PUT /v1/devices/current/pin from a privileged session.' },
  pin_wrong: { status: 400, title: 'The PIN is not right', hint: '`remaining` says how many tries are left before the PIN is disabled on this device.' },
  pin_locked: { status: 423, title: 'The app PIN is disabled after too many wrong tries', hint: 'Unlock with a passkey, or re-authenticate (POST /v1/me/reauthenticate) and set a new PIN.' },
  unlock_challenge_not_found: { status: 404, title: 'No such unlock challenge, or it was used or has expired', hint: 'Ask for new options: POST /v1/unlock/passkey/options. Each challenge answers one attempt within 5 minutes.' },
  no_passkeys: { status: 409, title: 'This account has no passkey', hint: 'Unlock with the app PIN, or add a passkey first.' },
});
