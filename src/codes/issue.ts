/**
 * Making a payment code (PAY-1). Only a device-bound session unlocked within the window
 * may make one, and never for a frozen account. The code is random (`format.ts`) and
 * only its keyed digest is stored, with the device and session that made it. A new code
 * supersedes every open code of the same device: the app asks for one every 60 s, so an
 * old screenshot dies within a minute, and a code lives at most 5 minutes in any case.
 */
import { withTransaction } from '../db/tx.js';
import { findUser } from '../identity/repo/users.js';
import type { Authenticated } from '../identity/sessions.js';
import { newUuid } from '../shared/ids.js';
import type { CodesDeps } from './deps.js';
import { newPaymentCode, paymentCodeDigest } from './format.js';
import { code128Svg, qrSvg } from './render.js';
import { insertCode, supersedeOpenCodes } from './repo/codes.js';
import { findUnlock, lockLiveDevice } from './repo/unlock.js';
import { boundDevice, type UnlockRefusal } from './unlock.js';

export interface IssuedCode {
  kind: 'issued';
  code: string;
  expiresAt: Date;
  refreshAt: Date;
  barcodeSvg: string;
  qrSvg: string;
}

export type IssueResult = IssuedCode | { kind: 'unlock_required'; windowMs: number } | UnlockRefusal;

/** Draws again on a digest already stored (1 in 10^18 per code): a bounded loop, never a silent repeat. */
const MAX_DRAWS = 3;

export async function issuePaymentCode(d: CodesDeps, auth: Authenticated): Promise<IssueResult> {
  const device = boundDevice(auth);
  if (device.kind !== 'device') return device;
  const now = d.clock.now();
  const made = await withTransaction(d.pool, async (q) => {
    // The device row first: codes of one device are made one at a time (see lockLiveDevice).
    if (!(await lockLiveDevice(q, auth.user.id, device.deviceId))) return { kind: 'device_required' as const };
    // Read again inside the transaction: a freeze since the session was resolved counts.
    if ((await findUser(q, auth.user.id))?.frozen_at) return { kind: 'account_frozen' as const };
    const unlock = await findUnlock(q, auth.session.id);
    const age = unlock ? now.getTime() - unlock.unlocked_at.getTime() : Infinity;
    if (!(age >= 0 && age <= d.policy.unlockWindowMs)) return { kind: 'unlock_required' as const, windowMs: d.policy.unlockWindowMs };
    await supersedeOpenCodes(q, device.deviceId, now);
    const expiresAt = new Date(now.getTime() + d.policy.ttlMs);
    for (let i = 0; i < MAX_DRAWS; i++) {
      const code = newPaymentCode();
      const stored = await insertCode(q, {
        id: newUuid(), digest: paymentCodeDigest(d.signingKey, code), userId: auth.user.id, deviceId: device.deviceId, sessionId: auth.session.id, now, expiresAt,
      });
      if (stored) return { kind: 'made' as const, code, expiresAt };
    }
    throw new Error('could not draw an unused payment code');
  });
  if (made.kind !== 'made') return made;
  return {
    kind: 'issued', code: made.code, expiresAt: made.expiresAt, refreshAt: new Date(now.getTime() + d.policy.refreshMs),
    barcodeSvg: code128Svg(made.code), qrSvg: await qrSvg(made.code),
  };
}
