/**
 * Recovery, first steps (ID-7). The request names only the account (e-mail or phone);
 * the code goes only to the verified e-mail address on file. Once that code is proven,
 * an SMS code can be sent to the verified phone on file: never before, so a stranger who
 * knows an address cannot make the owner's phone ring.
 *
 * No enumeration (ID-6): an identifier without an account gets a flow too, with the same
 * rows and a code that is made but sent to nobody. Its answers (wrong-code counts
 * included) match a real flow's, and it can never complete.
 */
import { withTransaction } from '../../db/tx.js';
import { newUuid } from '../../shared/ids.js';
import { normaliseIdentifier } from '../contact.js';
import type { IdentityDeps, SecondFactorMethod } from '../deps.js';
import { codeEmail, codeSms } from '../messages.js';
import type { SendGate, SendLimited } from '../otp.js';
import { failFlow, insertFlow, isLive, lockFlow, updateFlowData } from '../repo/flows.js';
import { findUser, findUserByEmail, findUserByPhone } from '../repo/users.js';
import type { ClientInfo } from '../sessions.js';

export const RECOVERY_FLOW_MS = 30 * 60_000;

export async function startRecovery(d: IdentityDeps, identifier: string, client: ClientInfo): Promise<{ kind: 'started'; flowId: string; expiresInMs: number }> {
  const now = d.clock.now();
  const gate: SendGate = (to) => d.sends.take(to, client.ip, now);
  const id = normaliseIdentifier(identifier);
  const flowId = newUuid();
  await withTransaction(d.pool, async (q) => {
    const user = id ? (id.kind === 'email' ? await findUserByEmail(q, id.value) : await findUserByPhone(q, id.value)) : undefined;
    await insertFlow(q, { id: flowId, kind: 'recovery', userId: user?.id ?? null, data: { failures: 0 }, now, expiresAt: new Date(now.getTime() + RECOVERY_FLOW_MS) });
    // Unknown: the typed identifier stands in as destination, so the send budgets count alike.
    await d.codes.create(q, { flowId, purpose: 'email', channel: 'email', destination: user?.email ?? id?.value ?? '', now });
    await d.codes.create(q, { flowId, purpose: 'sms', channel: 'sms', destination: user?.phone ?? '', now });
    // Over the hourly send budgets (mail bombing) nothing is mailed, yet the answer stays
    // the same: a 429 here would tell which identifiers have an account. A code is still
    // made, for nobody, so even the wrong-code answers stay those of any other flow.
    const sent = await d.codes.send(q, flowId, 'email', now, gate);
    if (sent.kind === 'limited') await d.codes.send(q, flowId, 'email', now);
    // The address on file, never one from the request (7pay sent its link to whatever was typed).
    if (sent.kind === 'sent' && user) {
      const m = codeEmail(user.locale, sent.code, 'recovery');
      await d.notifier.notify(q, { channel: 'email', to: user.email, subject: m.subject, text: m.text });
    }
  });
  return { kind: 'started', flowId, expiresInMs: RECOVERY_FLOW_MS };
}


export type VerifyRecoveryEmailResult =
  | { kind: 'email_verified'; methods: SecondFactorMethod[] }
  | { kind: 'wrong'; remaining: number }
  | { kind: 'expired' }
  | { kind: 'code_not_sent' }
  | { kind: 'too_many_attempts' }
  | { kind: 'flow_not_found' };

export async function verifyRecoveryEmail(d: IdentityDeps, flowId: string, code: string): Promise<VerifyRecoveryEmailResult> {
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<VerifyRecoveryEmailResult> => {
    const flow = await lockFlow(q, flowId, 'recovery');
    if (!isLive(flow, now)) return { kind: 'flow_not_found' };
    if (!flow.data.emailVerified) {
      const r = await d.codes.verify(q, flowId, 'email', code, now);
      if (r.kind === 'not_sent') return { kind: 'code_not_sent' };
      // A lucky guess on a flow without an account ends it like running out of tries.
      if (r.kind === 'locked' || (r.kind === 'verified' && !flow.user_id)) {
        await failFlow(q, flowId, now);
        return { kind: 'too_many_attempts' };
      }
      if (r.kind !== 'verified') return r;
      await updateFlowData(q, flowId, { ...flow.data, emailVerified: true });
    }
    const others = (await d.factors.methods(q, flow.user_id!)).filter((m) => m !== 'sms');
    return { kind: 'email_verified', methods: ['sms', ...others] };
  });
}

export type SendRecoverySmsResult =
  | { kind: 'sent' }
  | { kind: 'email_not_verified' }
  | { kind: 'flow_not_found' }
  | { kind: 'too_soon'; retryAfterMs: number }
  | { kind: 'too_many_sends' }
  | { kind: 'locked' }
  | SendLimited;

/** The SMS factor: a code to the verified phone on file, once the e-mail code is proven. */
export async function sendRecoverySms(d: IdentityDeps, flowId: string, client: ClientInfo): Promise<SendRecoverySmsResult> {
  const now = d.clock.now();
  const gate: SendGate = (to) => d.sends.take(to, client.ip, now);
  return withTransaction(d.pool, async (q): Promise<SendRecoverySmsResult> => {
    const flow = await lockFlow(q, flowId, 'recovery');
    if (!isLive(flow, now)) return { kind: 'flow_not_found' };
    if (!flow.data.emailVerified || !flow.user_id) return { kind: 'email_not_verified' };
    const user = (await findUser(q, flow.user_id))!;
    const sent = await d.codes.send(q, flowId, 'sms', now, gate);
    if (sent.kind !== 'sent') return sent;
    await d.notifier.notify(q, { channel: 'sms', to: user.phone, text: codeSms(user.locale, sent.code) });
    return { kind: 'sent' };
  });
}
