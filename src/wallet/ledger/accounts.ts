/**
 * The chart of accounts. Customer wallets are credit-normal and can never be overdrawn;
 * the others are the service's own books:
 *
 * | code                  | what it holds                                                  |
 * | wallet:<user>         | a customer's prepaid balance (a liability of Konpay to them)  |
 * | card_clearing         | money the card network owes us for captured top-ups            |
 * | store_cash:<store>    | cash a store took at the register for top-ups                  |
 * | merchant_payable:<m>  | what we owe a merchant for payments, until the payout         |
 * | fee_revenue           | our fees                                                       |
 * | compensation          | refunds of unauthorised use (OPS-3), paid from our funds      |
 * | chargeback_loss       | top-ups the card network took back after they were spent      |
 */
import type { Queryable } from '../../db/pool.js';
import { newUuid } from '../../shared/ids.js';
import { findAccountByCode, insertAccountIfAbsent, lockAccount, type AccountKind, type AccountRow } from './repo.js';

export const SYSTEM_ACCOUNTS = ['card_clearing', 'fee_revenue', 'compensation', 'chargeback_loss'] as const;

/** The account with this code, created on first use (concurrent first uses are safe). */
export async function ensureAccount(q: Queryable, code: string, kind: AccountKind, userId: string | null, now: Date): Promise<AccountRow> {
  const found = await findAccountByCode(q, code);
  if (found) return found;
  await insertAccountIfAbsent(q, { id: newUuid(), code, kind, userId, noOverdraft: kind === 'wallet', now });
  return (await findAccountByCode(q, code))!;
}

export function walletCode(userId: string): string {
  return `wallet:${userId}`;
}

/**
 * One shard of a merchant's payable account: every payment of a chain credits it, so it
 * is split and a payment picks a shard (the merchant's balance is their sum).
 */
export function payableCode(merchantId: string, shard: number): string {
  return `merchant_payable:${merchantId}:${shard}`;
}

export function ensureWallet(q: Queryable, userId: string, now: Date): Promise<AccountRow> {
  return ensureAccount(q, walletCode(userId), 'wallet', userId, now);
}

/**
 * The customer's wallet, created if need be and locked for the caller's transaction:
 * limits are read and the movement posted under this lock, so concurrent requests
 * cannot together pass a limit each would pass alone (WAL-5).
 */
export async function lockWallet(q: Queryable, userId: string, now: Date): Promise<AccountRow> {
  const w = await ensureWallet(q, userId, now);
  return (await lockAccount(q, w.id))!;
}

/**
 * Account ids by code, remembered once seen: accounts are never deleted and their ids
 * never change, so a busy path (a merchant's payable shards on every payment) asks the
 * database once per account, not once per payment. Only an account found already there
 * is remembered: one created by the caller's transaction might still roll back. Runs on
 * the caller's connection (taking another from the pool inside a transaction can starve
 * the pool). One cache per server and database.
 */
export class AccountIds {
  readonly #ids = new Map<string, string>();

  async ensure(q: Queryable, code: string, kind: AccountKind, now: Date): Promise<string> {
    const known = this.#ids.get(code);
    if (known) return known;
    const found = await findAccountByCode(q, code);
    if (found) {
      this.#ids.set(code, found.id);
      return found.id;
    }
    return (await ensureAccount(q, code, kind, null, now)).id;
  }
}

/** Balance as the customer sees it: posted credits minus posted debits. */
export function balanceOf(a: AccountRow): number {
  return a.credits_posted - a.debits_posted;
}

/** What can be spent now: the balance less what pending spends have reserved. */
export function availableOf(a: AccountRow): number {
  return a.credits_posted - a.debits_posted - a.debits_pending;
}
