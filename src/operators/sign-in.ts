/**
 * Operator sign-in: e-mail, password and the authenticator app's code, every time. The
 * second factor is not remembered per device as customers' is: an operator reaches every
 * customer's data, and a stolen laptop with a remembered browser must not be enough.
 *
 * Every failure is one outcome (`failed`): an unknown address costs the same argon2
 * verification (against a dummy hash) as a known one, and the answer never says which of
 * the three was wrong.
 *
 * A sign-in is an operator action (OPS-2): its audit row is appended in the transaction
 * that issues the session, so there is no session the chain does not show. Failures are
 * not appended: anyone can cause them without an account, and every append waits on the
 * chain's head lock, so a spray of wrong passwords would queue every operator's actions
 * (a kill switch among them) behind the attacker's and bury them in noise. They are in the
 * log (`operator sign-in refused`) and slowed down by the throttle instead.
 */
import { withTransaction } from '../db/tx.js';
import { normaliseEmail } from '../identity/contact.js';
import { appendAudit } from '../ops/audit/log.js';
import { toPublicId } from '../shared/ids.js';
import type { OperatorSignInDeps } from './deps.js';
import { acceptOperatorTotpStep, findOperator, findOperatorByEmail, type OperatorPrincipal } from './repo.js';
import type { IssuedOperatorSession } from './sessions.js';
import { operatorTotpStep } from './totp.js';

export interface SignInInput {
  email: string;
  password: string;
  code: string;
}

export type SignInResult =
  | { kind: 'signed_in'; session: IssuedOperatorSession; operator: OperatorPrincipal }
  | { kind: 'failed' }
  | { kind: 'throttled'; retryAfterMs: number };

export async function signInOperator(d: OperatorSignInDeps, input: SignInInput, client: { ip: string; userAgent: string | null }): Promise<SignInResult> {
  const now = d.clock.now();
  // An address that is not one still gets a counter (its typed form), so junk cannot dodge the throttle.
  const email = normaliseEmail(input.email) ?? input.email.trim().toLowerCase().slice(0, 254);
  const gate = await d.throttle.attempt(email, client.ip, now);
  if (gate.kind === 'wait') return { kind: 'throttled', retryAfterMs: gate.retryAfterMs };

  const result = await withTransaction(d.pool, async (q): Promise<SignInResult> => {
    const found = await findOperatorByEmail(q, email);
    const passwordOk = await d.hasher.verify(found?.password_hash ?? d.dummyHash, input.password);
    if (!found || !passwordOk || found.disabled_at) return { kind: 'failed' };
    // Checked and burnt under the row's lock: two sign-ins racing on one code get one session.
    const locked = await findOperator(q, found.id, { lock: true });
    const step = locked && (await operatorTotpStep(d.encryptionKey, locked, input.code, now));
    if (!locked || step === undefined || !(await acceptOperatorTotpStep(q, locked.id, step))) return { kind: 'failed' };
    const session = await d.sessions.issue(q, locked.id, { ip: client.ip, userAgent: client.userAgent }, now);
    // Last in the transaction: the head's lock is held until commit.
    const operatorId = toPublicId('opr', locked.id);
    await appendAudit(q, { who: operatorId, action: 'operator.sign_in', ids: { operatorId }, outcome: 'signed_in' }, now);
    const { id, name, role, disabled_at } = locked;
    return { kind: 'signed_in', session, operator: { id, email: locked.email, name, role, disabled_at } };
  });
  if (result.kind === 'signed_in') await d.throttle.succeeded(email, client.ip);
  else await d.throttle.failed(email, client.ip, now);
  return result;
}
