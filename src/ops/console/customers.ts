/**
 * The console's customer use cases: find a customer by an exact identifier, read what
 * support needs (profile, wallet, devices, sessions, security events, movements), and
 * freeze or unfreeze. Reads go through the identity and wallet repos the customer's own
 * app uses, so the console sees exactly what the customer sees.
 *
 * Search is exact (e-mail, phone or `usr_…`), never a prefix or a pattern: an operator
 * looks up the customer on the phone, and cannot browse the customer base.
 */
import type pg from 'pg';
import type { Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { appendAudit } from '../audit/log.js';
import { normaliseEmail, normaliseMobile } from '../../identity/contact.js';
import type { SecurityEvents } from '../../identity/events.js';
import { listSecurityEvents, type SecurityEventRow } from '../../identity/repo/events.js';
import { listDevices, listSessions, revokeAllDevices, revokeAllSessions, type DeviceRow, type SessionRow } from '../../identity/repo/sessions.js';
import { findUser, findUserByEmail, findUserByPhone, freezeUser, unfreezeUser, type UserRow } from '../../identity/repo/users.js';
import type { Clock } from '../../shared/clock.js';
import { fromPublicId } from '../../shared/ids.js';
import { historyPage, type Movement } from '../../wallet/history.js';
import type { Limits } from '../../wallet/limits.js';
import { walletView, type WalletView } from '../../wallet/service.js';
import type { LimitOverride } from '../../wallet/overrides.js';
import { findOverride } from '../../wallet/overrides-repo.js';
import type { LimitsApprovalPolicy } from './limits.js';

/** Appends the action to the audit chain in the caller's transaction (src/ops/http/audit.ts). */
export type AuditIn = (q: Queryable, outcome: string) => Promise<void>;

export interface ConsoleDeps {
  pool: pg.Pool;
  clock: Clock;
  limits: Limits;
  events: SecurityEvents;
  /** When an unfreeze needs a second operator (OPS-2, ./unfreeze.ts); unset: always, for a day. */
  unfreezeApproval?: UnfreezeApprovalPolicy;
  /** When a limit raise needs a second operator (OPS-2, ./limits.ts); unset: every raise above the default, for a day. */
  limitsApproval?: LimitsApprovalPolicy;
}

export interface UnfreezeApprovalPolicy {
  /** Wallets holding at least this many yen need a second operator to unfreeze; 0 means every unfreeze does. */
  minBalanceYen: number;
  /** How long a request waits for its second operator. */
  ttlMs: number;
}

const MOVEMENTS_SHOWN = 50;
const EVENTS_SHOWN = 50;

/** The one customer an exact identifier names, if any. */
export async function findCustomer(q: Queryable, query: string): Promise<UserRow | undefined> {
  const text = query.trim();
  if (text.startsWith('usr_')) {
    const id = fromPublicId('usr', text);
    return id ? findUser(q, id) : undefined;
  }
  if (text.includes('@')) {
    const email = normaliseEmail(text);
    return email ? findUserByEmail(q, email) : undefined;
  }
  const phone = normaliseMobile(text);
  return phone ? findUserByPhone(q, phone) : undefined;
}

export interface CustomerDetail {
  user: UserRow;
  wallet: WalletView;
  restricted: boolean;
  devices: DeviceRow[];
  sessions: SessionRow[];
  events: SecurityEventRow[];
  movements: Movement[];
  /** The customer's own limits, if an operator set any (./limits.ts). */
  limitOverride: LimitOverride;
}

export async function customerDetail(d: ConsoleDeps, customerId: string): Promise<{ kind: 'found'; detail: CustomerDetail } | { kind: 'not_found' }> {
  const id = fromPublicId('usr', customerId);
  const user = id && (await findUser(d.pool, id));
  if (!user) return { kind: 'not_found' };
  const now = d.clock.now();
  const restricted = !!user.restricted_until && user.restricted_until > now;
  const [wallet, devices, sessions, events, history, limitOverride] = await Promise.all([
    walletView(d.pool, user.id, d.limits, restricted, now),
    listDevices(d.pool, user.id),
    listSessions(d.pool, user.id, now),
    listSecurityEvents(d.pool, user.id, EVENTS_SHOWN),
    historyPage(d.pool, user.id, {}, undefined, MOVEMENTS_SHOWN),
    findOverride(d.pool, user.id),
  ]);
  return { kind: 'found', detail: { user, wallet, restricted, devices, sessions, events, movements: history.movements, limitOverride } };
}

export type FreezeOutcome = { kind: 'frozen'; sessionsRevoked: number } | { kind: 'not_found' };

/**
 * The same freeze as the customer's "this wasn't me" (src/identity/recovery/freeze.ts):
 * nothing moves, every session ends, every device is forgotten, `account_frozen` is
 * recorded and told. The operator's reason is kept on the account for the console and
 * in the action log; the customer's notice says only that support froze it.
 */
export async function freezeCustomer(d: ConsoleDeps, customerId: string, o: { reason: string; operatorId: string; record?: AuditIn }): Promise<FreezeOutcome> {
  const id = fromPublicId('usr', customerId);
  if (!id) return { kind: 'not_found' };
  const now = d.clock.now();
  return withTransaction(d.pool, async (q): Promise<FreezeOutcome> => {
    const user = await findUser(q, id, { lock: true });
    if (!user) return { kind: 'not_found' };
    // Freezing a frozen account keeps its first reason but still ends whatever signed in since.
    await freezeUser(q, user.id, `operator ${o.operatorId}: ${o.reason}`, now);
    const sessionsRevoked = await revokeAllSessions(q, user.id, now);
    await revokeAllDevices(q, user.id, now);
    await d.events.record(q, user, 'account_frozen', { ip: null, deviceId: null, now }, { details: { via: 'operator', sessionsRevoked } });
    // The audit row commits with the freeze or not at all; last, since it holds the chain's
    // head lock until commit. Without `record` (the CLI) it is appended as the operator id given.
    if (o.record) await o.record(q, 'frozen');
    else await appendAudit(q, { who: o.operatorId, action: 'customer.freeze', ids: { customerId, reason: o.reason }, outcome: 'frozen' }, now);
    return { kind: 'frozen', sessionsRevoked };
  });
}

/**
 * Lifts a freeze: money can move again. The customer is told on every channel, with a
 * "this wasn't me" link, because an unfreeze the owner did not ask for is exactly what a
 * social engineer talking to support would want. Devices stay forgotten: the next sign-in
 * needs a second factor again. Runs in the caller's transaction with the user row locked:
 * directly for a wallet under the approval threshold, or as the approved action
 * (./unfreeze.ts). False when the account was not frozen.
 */
export async function liftFreeze(q: Queryable, events: SecurityEvents, user: UserRow, now: Date, details: Record<string, string>): Promise<boolean> {
  if (!(await unfreezeUser(q, user.id))) return false;
  await events.record(q, user, 'account_unfrozen', { ip: null, deviceId: null, now }, { details: { via: 'operator', frozenSince: user.frozen_at?.toISOString() ?? null, ...details } });
  return true;
}
