/** The payout remitter settings (PAYOUT_*): dev defaults, validation, and all-or-nothing in production. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { newSecret } from '../secrets.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'konpay-payout-config-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const production = () => ({
  NODE_ENV: 'production', DATABASE_URL: 'postgres://k@db/k', PUBLIC_URL: 'https://pay.example.jp', KONPAY_DATA_DIR: dir,
  KONPAY_PASSWORD_PEPPER: newSecret(), KONPAY_SIGNING_KEY: newSecret(), KONPAY_ENCRYPTION_KEY: newSecret(),
});
const remitterEnv = {
  PAYOUT_REMITTER_CODE: '0123456789', PAYOUT_REMITTER_NAME: 'ｺﾝﾍﾟｲ(ｶ', PAYOUT_BANK_CODE: '0001', PAYOUT_BANK_NAME: 'ﾐｽﾞﾎ',
  PAYOUT_BRANCH_CODE: '100', PAYOUT_BRANCH_NAME: 'ﾄｳｷﾖｳ', PAYOUT_ACCOUNT_TYPE: '2', PAYOUT_ACCOUNT_NUMBER: '7654321',
};

describe('payout remitter configuration', () => {
  it('has a fictitious remitter outside production, each setting overridable', async () => {
    const c = await loadConfig({ KONPAY_DATA_DIR: dir, PAYOUT_BRANCH_NAME: 'ｼﾌﾞﾔ' });
    expect(c.payout.remitter).toEqual({
      code: '1234567890', name: 'ｺﾝﾍﾟｲ(ｶ', bankCode: '9999', bankName: 'ﾃｽﾄｷﾞﾝｺｳ', branchCode: '001', branchName: 'ｼﾌﾞﾔ', accountType: 1, accountNumber: '0000001',
    });
  });

  it('has none in production unless all are set, and refuses a partial set', async () => {
    expect((await loadConfig(production())).payout.remitter).toBeUndefined();
    expect((await loadConfig({ ...production(), ...remitterEnv })).payout.remitter).toMatchObject({ code: '0123456789', accountType: 2, bankName: 'ﾐｽﾞﾎ' });
    await expect(loadConfig({ ...production(), PAYOUT_REMITTER_CODE: '0123456789' })).rejects.toThrow(/missing: PAYOUT_REMITTER_NAME/);
  });

  it('refuses names a Zengin file cannot carry and malformed numbers', async () => {
    await expect(loadConfig({ KONPAY_DATA_DIR: dir, PAYOUT_REMITTER_NAME: 'コンペイ株式会社' })).rejects.toThrow(/PAYOUT_REMITTER_NAME: has characters/);
    await expect(loadConfig({ KONPAY_DATA_DIR: dir, PAYOUT_BANK_CODE: '12' })).rejects.toThrow(/PAYOUT_BANK_CODE: must be 4 digits/);
  });
});
