/**
 * Payees' bank accounts: a merchant's, and optionally a store's own (a franchisee paid
 * apart from the chain). Checked here against what a Zengin file can carry, so a bad
 * name is refused when it is entered, not on payout day.
 */
import type { Queryable } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { fromPublicId, newUuid } from '../shared/ids.js';
import { refuse, type Refusal } from './errors.js';
import { checkKana } from './kana.js';
import { upsertBankAccount, type BankAccountInput } from './repo.js';

export interface BankAccountDetails {
  bankCode: string;
  bankName: string;
  branchCode: string;
  branchName: string;
  accountType: string | number;
  accountNumber: string;
  holder: string;
}

/** The details as stored, or why they cannot go into a transfer file (every problem at once). */
export function validateBankAccount(d: BankAccountDetails): { kind: 'valid'; account: BankAccountInput } | Refusal {
  const problems: string[] = [];
  const digits = (name: string, v: string, n: number) => {
    if (!new RegExp(`^\\d{${n}}$`).test(v)) problems.push(`${name} must be ${n} digits`);
  };
  const kana = (name: string, v: string, max: number) => {
    const c = checkKana(v, max);
    if (!c.ok) problems.push(`${name} ${c.reason}`);
  };
  digits('bank code', d.bankCode, 4);
  kana('bank name', d.bankName, 15);
  digits('branch code', d.branchCode, 3);
  kana('branch name', d.branchName, 15);
  const type = Number(d.accountType);
  if (type !== 1 && type !== 2) problems.push('account type must be 1 (普通, ordinary) or 2 (当座, current)');
  digits('account number', d.accountNumber, 7);
  kana('holder name', d.holder, 30);
  if (problems.length) return refuse('settlement_invalid_bank_details', problems.join('; '));
  return {
    kind: 'valid',
    account: {
      bank_code: d.bankCode, bank_name_kana: d.bankName, branch_code: d.branchCode, branch_name_kana: d.branchName,
      account_type: type as 1 | 2, account_number: d.accountNumber, holder_kana: d.holder,
    },
  };
}

/** Sets (or replaces) the account of `mer_…` or `sto_…`. */
export async function setBankAccount(
  deps: { pool: Queryable; clock: Clock }, owner: { merchantId: string } | { storeId: string }, details: BankAccountDetails,
): Promise<{ kind: 'set' } | Refusal> {
  const id = 'merchantId' in owner ? fromPublicId('mer', owner.merchantId) : fromPublicId('sto', owner.storeId);
  const name = 'merchantId' in owner ? owner.merchantId : owner.storeId;
  if (!id) return refuse('settlement_not_found', `no ${'merchantId' in owner ? 'merchant' : 'store'} ${name}`);
  const v = validateBankAccount(details);
  if (v.kind !== 'valid') return v;
  const found = await upsertBankAccount(deps.pool, 'merchantId' in owner ? { merchantId: id } : { storeId: id }, v.account, newUuid(), deps.clock.now());
  return found ? { kind: 'set' } : refuse('settlement_not_found', `no ${'merchantId' in owner ? 'merchant' : 'store'} ${name}`);
}
