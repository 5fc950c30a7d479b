/** Named attacks on adding cards (WAL-3). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../test/harness/customer.js';
import type { TestKonpay } from '../../test/harness/konpay.js';
import { addCard, CARDS, customer, passChallenge, requestCard, startWalletKonpay, tokenise, uniqueCard } from '../../test/harness/wallet.js';
import { ManualClock } from '../shared/clock.js';

let t: TestKonpay;
const clock = new ManualClock('2026-11-25T01:00:00Z');
beforeAll(async () => { t = await startWalletKonpay({}, { clock }); });
afterAll(() => t?.stop());

const authentications = async () => (await t.konpay.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM cardnet_authentications`)).rows[0]!.n;

describe('attack: one card fingerprint on two accounts', () => {
  it('the second account is refused while the card is active on the first', async () => {
    const owner = await customer(t);
    const thief = await customer(t);
    const number = uniqueCard();
    expect((await addCard(t, owner, number)).status).toBe('active');
    const { token } = await tokenise(t, number, thief);
    const res = await requestCard(t, thief, token);
    expect([res.statusCode, res.json().code]).toEqual([409, 'card_in_use_elsewhere']);
  });

  it('two accounts finishing the same card at once: exactly one gets it', async () => {
    const a = await customer(t);
    const b = await customer(t);
    const number = uniqueCard();
    const starts = await Promise.all([a, b].map(async (c) => {
      const { token } = await tokenise(t, number, c);
      const res = await requestCard(t, c, token);
      expect(res.statusCode).toBe(201);
      return { c, ...(res.json() as { card: { id: string }; nextAction: { url: string } }) };
    }));
    for (const s of starts) await passChallenge(t, s.nextAction.url, s.c);
    const finals = await Promise.all(starts.map((s) =>
      t.konpay.app.inject({ method: 'POST', url: `/v1/cards/${s.card.id}/verify`, headers: bearer(s.c.token) }).then((r) => r.json() as { status: string; failureCode: string | null })));
    expect(finals.map((f) => f.status).sort()).toEqual(['active', 'failed']);
    expect(finals.find((f) => f.status === 'failed')!.failureCode).toBe('card_in_use_elsewhere');
  });
});

describe('attack: security-code brute force', () => {
  it('three wrong codes on one card pause it on every account, without asking the network again', async () => {
    const tries = [await customer(t), await customer(t)];
    for (let i = 0; i < 3; i++) {
      const card = await addCard(t, tries[i % 2]!, CARDS.incorrectCvc, `${100 + i}`);
      expect(card).toMatchObject({ status: 'failed', failureCode: 'incorrect_cvc' });
    }
    const before = await authentications();
    const { token } = await tokenise(t, CARDS.incorrectCvc, tries[1]!, '999');
    const res = await requestCard(t, tries[1]!, token);
    expect([res.statusCode, res.json().code]).toEqual([429, 'card_attempts_exceeded']);
    expect(res.json().retryAfterSeconds).toBeGreaterThan(23 * 3600);
    expect(await authentications()).toBe(before);
    // The pause ends with the window.
    clock.advance(24 * 3_600_000 + 1000);
    expect((await requestCard(t, tries[1]!, token)).statusCode).toBe(201);
  });

  it('five wrong codes on one account pause adding any card there', async () => {
    const c = await customer(t);
    // Five different card numbers, each with a wrong security code.
    for (let i = 0; i < 5; i++) {
      const card = await addCard(t, c, uniqueCard(), '000');
      expect(card).toMatchObject({ status: 'failed', failureCode: 'incorrect_cvc' });
    }
    const { token } = await tokenise(t, uniqueCard(), c);
    const res = await requestCard(t, c, token);
    expect([res.statusCode, res.json().code]).toEqual([429, 'card_attempts_exceeded']);
  });
});

describe('the card number never reaches Konpay', () => {
  it('is in no Konpay table, answer or log line', async () => {
    const c = await customer(t);
    const number = uniqueCard();
    const card = await addCard(t, c, number);
    const tables = await t.konpay.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'cardnet\\_%'`);
    for (const { table_name } of tables.rows) {
      const dump = await t.konpay.pool.query<{ j: string }>(`SELECT coalesce(json_agg(x)::text, '') AS j FROM "${table_name}" x`);
      expect(dump.rows[0]!.j, table_name).not.toContain(number);
    }
    expect(JSON.stringify(card)).not.toContain(number.slice(0, 12));
    expect(t.logs.text).not.toContain(number);
  });
});
