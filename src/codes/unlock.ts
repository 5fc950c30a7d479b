/**
 * Unlocking the app (PAY-1: a payment code "can only be made after the app was unlocked
 * recently"). A stolen session token alone must not be able to pay, so:
 *
 * - Only a session bound to a remembered device (one that passed a second factor and
 *   holds a signed device credential) can be unlocked or make codes.
 * - Unlocking proves the person holding the phone: a passkey assertion with user
 *   verification (PIN or biometric on the authenticator; checked by the same code as
 *   passkey sign-in, `identity/factors/assertion.ts`), or the app PIN of this device.
 * - The app PIN (4–6 digits, no 1234 or 0000) is set from a privileged session, stored as
 *   argon2id with the server pepper, and disabled after 5 wrong tries in a row; the
 *   customer is told. Then only a passkey, or a new PIN after re-authentication, unlocks.
 * - A success records `unlocked_at` for the session; codes can be made for a few minutes
 *   after it (UNLOCK_WINDOW_SECONDS).
 */
import type { Authenticated } from '../identity/sessions.js';

export type UnlockRefusal = { kind: 'device_required' } | { kind: 'account_frozen' };

/** The device a session is bound to, or why the session may not unlock or pay. */
export function boundDevice(auth: Authenticated): { kind: 'device'; deviceId: string } | UnlockRefusal {
  if (auth.user.frozen_at) return { kind: 'account_frozen' };
  if (!auth.session.device_id) return { kind: 'device_required' };
  return { kind: 'device', deviceId: auth.session.device_id };
}

export type Unlocked = { kind: 'unlocked'; unlockedAt: Date; unlockedUntil: Date };
