/**
 * The app PIN of a device: set from a privileged session, checked when the app unlocks.
 * Guesses are judged under the PIN row's lock, one after another, so five wrong tries
 * is exactly five, however many arrive at once; the fifth disables the PIN and tells
 * the customer, like any change to how their account can be used (ID-13).
 */
import type { Queryable } from '../db/pool.js';
import { withTransaction } from '../db/tx.js';
import type { Authenticated } from '../identity/sessions.js';
import type { UserRow } from '../identity/repo/users.js';
import type { CodesDeps } from './deps.js';
import { isWeakPin, PIN_MAX_FAILURES } from './pin-rules.js';
import { disablePin, lockLiveDevice, lockPin, recordPinFailure, recordUnlock, resetPinFailures, upsertPin } from './repo/unlock.js';
import { boundDevice, type Unlocked, type UnlockRefusal } from './unlock.js';

export type SetPinResult = { kind: 'set' } | { kind: 'weak' } | UnlockRefusal;

export async function setPin(d: CodesDeps, auth: Authenticated, pin: string, ip: string | null): Promise<SetPinResult> {
  const device = boundDevice(auth);
  if (device.kind !== 'device') return device;
  if (isWeakPin(pin)) return { kind: 'weak' };
  const pinHash = await d.hasher.hash(pin); // slow: outside the transaction
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<SetPinResult> => {
    const row = await lockLiveDevice(q, auth.user.id, device.deviceId);
    if (!row) return { kind: 'device_required' };
    await upsertPin(q, { deviceId: device.deviceId, userId: auth.user.id, pinHash, now });
    await notify(d, q, auth.user, 'factor_added', device.deviceId, ip, row.label, now);
    return { kind: 'set' };
  });
}

export type PinUnlockResult = Unlocked | { kind: 'wrong'; remaining: number } | { kind: 'locked' } | { kind: 'not_set' } | UnlockRefusal;

export async function unlockWithPin(d: CodesDeps, auth: Authenticated, pin: string, ip: string | null): Promise<PinUnlockResult> {
  const device = boundDevice(auth);
  if (device.kind !== 'device') return device;
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<PinUnlockResult> => {
    // Lock order as in setPin and code issuance: the device row, then its PIN.
    const live = await lockLiveDevice(q, auth.user.id, device.deviceId);
    if (!live) return { kind: 'device_required' };
    const row = await lockPin(q, device.deviceId);
    if (!row || row.user_id !== auth.user.id) return { kind: 'not_set' };
    if (row.disabled_at || !row.pin_hash) return { kind: 'locked' };
    // Verified under the row lock: a parallel guess waits and then sees this one counted.
    if (await d.hasher.verify(row.pin_hash, pin)) {
      await resetPinFailures(q, device.deviceId);
      await recordUnlock(q, { sessionId: auth.session.id, userId: auth.user.id, deviceId: device.deviceId, method: 'pin', now });
      return { kind: 'unlocked', unlockedAt: now, unlockedUntil: new Date(now.getTime() + d.policy.unlockWindowMs) };
    }
    const failures = await recordPinFailure(q, device.deviceId);
    if (failures < PIN_MAX_FAILURES) return { kind: 'wrong', remaining: PIN_MAX_FAILURES - failures };
    await disablePin(q, device.deviceId, now);
    await notify(d, q, auth.user, 'app_pin_locked', device.deviceId, ip, live.label, now);
    d.logger.warn({ userId: auth.user.id, deviceId: device.deviceId }, 'app PIN disabled after too many wrong tries');
    return { kind: 'locked' };
  });
}

async function notify(
  d: CodesDeps, q: Queryable, user: Pick<UserRow, 'id' | 'email' | 'locale'>, kind: 'factor_added' | 'app_pin_locked',
  deviceId: string, ip: string | null, label: string, now: Date,
): Promise<void> {
  const device = label;
  const detail = user.locale === 'ja'
    ? (kind === 'factor_added' ? `アプリのPIN / 端末: ${device}` : `PINが${PIN_MAX_FAILURES}回続けて間違えられました / 端末: ${device}`) + ` / IP: ${ip ?? '-'} / 日時: ${now.toISOString()}`
    : (kind === 'factor_added' ? `App PIN · Device: ${device}` : `${PIN_MAX_FAILURES} wrong PINs in a row · Device: ${device}`) + ` · IP: ${ip ?? '-'} · ${now.toISOString()}`;
  await d.events.record(q, user, kind, { ip, deviceId, now }, { detail, details: { method: 'app_pin', device } });
}
