/**
 * Cases in tests: a customer with real ledger movements to dispute (a top-up in, payments
 * out, booked through the ledger as the payment path books them), and case look-ups.
 */
import { withTransaction } from '../../src/db/tx.js';
import { fromPublicId, newUuid, toPublicId } from '../../src/shared/ids.js';
import { ensureAccount, lockWallet, payableCode } from '../../src/wallet/ledger/accounts.js';
import { createTransfer } from '../../src/wallet/ledger/ledger.js';
import { signUp, type SignedUp } from './customer.js';
import type { TestKonpay } from './konpay.js';

export interface Spender extends SignedUp {
  uid: string;
  /** `txn_…` of each payment, in order. */
  payments: string[];
}

/** A signed-up customer whose wallet got `topup` yen from a card and paid each of `payments` at a store. */
export async function spender(t: TestKonpay, topup: number, payments: readonly number[]): Promise<Spender> {
  const who = await signUp(t);
  const uid = fromPublicId('usr', who.userId)!;
  const ids = await withTransaction(t.konpay.pool, async (q) => {
    const now = new Date();
    const wallet = await lockWallet(q, uid, now);
    const clearing = await ensureAccount(q, 'card_clearing', 'card_clearing', null, now);
    const store = await ensureAccount(q, payableCode('00000000-0000-7000-8000-00000000ca5e', 0), 'merchant_payable', null, now);
    await createTransfer(q, { phase: 'single', id: newUuid(), debitAccountId: clearing.id, creditAccountId: wallet.id, amount: topup, kind: 'topup_card', metadata: { description: 'Visa •••• 4242' } }, now);
    const out: string[] = [];
    for (const amount of payments) {
      const id = newUuid();
      const r = await createTransfer(q, { phase: 'single', id, debitAccountId: wallet.id, creditAccountId: store.id, amount, kind: 'payment', metadata: { description: 'FamilyMart Shibuya' } }, now);
      if (r.kind !== 'created') throw new Error(`payment: ${r.kind}`);
      out.push(toPublicId('txn', id));
    }
    return out;
  });
  return { ...who, uid, payments: ids };
}

export async function walletBalance(t: TestKonpay, uid: string): Promise<number> {
  const r = await t.konpay.pool.query<{ b: number }>(`SELECT credits_posted - debits_posted AS b FROM ledger_accounts WHERE code = $1`, [`wallet:${uid}`]);
  return r.rows[0]?.b ?? 0;
}

export function fileClaimRequest(t: TestKonpay, token: string, body: unknown) {
  return t.konpay.app.inject({ method: 'POST', url: '/v1/me/claims', headers: { authorization: `Bearer ${token}` }, payload: body as object });
}
