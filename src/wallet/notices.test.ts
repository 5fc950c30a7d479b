/** Movement notices (WAL-6): one row with the movement, composed into e-mail and push later, exactly once. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messagesTo, signUp } from '../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { withTransaction } from '../db/tx.js';
import { fromPublicId } from '../shared/ids.js';
import { formatYen, MOVEMENT_TOPIC, notifyMovement } from './notices.js';

let t: TestKonpay;
beforeAll(async () => { t = await startTestKonpay({}, { worker: false }); });
afterAll(() => t?.stop());

it('records one row with the movement; its handler queues the e-mail once, however often it runs', async () => {
  const who = await signUp(t);
  const uid = fromPublicId('usr', who.userId)!;
  await withTransaction(t.konpay.pool, (q) => notifyMovement(q, { notifier: t.konpay.notifier }, { id: uid }, {
    kind: 'payment', amount: -1280, balance: 3720, description: 'Shibuya 1', at: new Date('2026-11-25T09:12:00Z'),
  }));
  const row = (await t.konpay.pool.query<{ id: string; payload: unknown }>(`SELECT id, payload FROM outbox WHERE topic = $1`, [MOVEMENT_TOPIC])).rows;
  expect(row).toHaveLength(1);
  const handler = t.konpay.outbox.handler(MOVEMENT_TOPIC)!;
  // A worker that died after composing runs it again: nothing is queued twice.
  await handler.deliver(row[0]!.payload, { id: row[0]!.id, attempt: 1 });
  await handler.deliver(row[0]!.payload, { id: row[0]!.id, attempt: 2 });
  const emails = await t.konpay.pool.query(`SELECT 1 FROM outbox WHERE topic = 'notify.email' AND payload->>'to' = $1 AND payload->>'subject' = 'Konpay: Payment'`, [who.email]);
  expect(emails.rowCount).toBe(1);
  const mail = (await messagesTo(t, who.email)).filter((m) => m.subject === 'Konpay: Payment');
  expect(mail).toHaveLength(1);
  expect(mail[0]!.body).toContain('-¥1,280');
  expect(mail[0]!.body).toContain('Balance: ¥3,720');
  expect(mail[0]!.body).toMatch(/\/v1\/freeze\?token=kpf_/);
});

it('composes a round of movements together: each its own e-mail and freeze link, once however often it runs', async () => {
  const a = await signUp(t);
  const b = await signUp(t);
  const moves = [[a, -100, 900], [b, -200, 800], [a, -300, 600]] as const;
  await withTransaction(t.konpay.pool, async (q) => {
    for (const [who, amount, balance] of moves) {
      await notifyMovement(q, { notifier: t.konpay.notifier }, { id: fromPublicId('usr', who.userId)! }, { kind: 'payment', amount, balance, description: 'Ebisu', at: new Date('2026-11-25T10:00:00Z') });
    }
  });
  const rows = (await t.konpay.pool.query<{ id: string; payload: unknown }>(
    `SELECT id, payload FROM outbox WHERE topic = $1 AND payload->>'description' = 'Ebisu' ORDER BY payload->>'amount' DESC`, [MOVEMENT_TOPIC])).rows;
  expect(rows).toHaveLength(3);
  const handler = t.konpay.outbox.handler(MOVEMENT_TOPIC)!;
  const items = rows.map((r, i) => ({ payload: r.payload, ctx: { id: r.id, attempt: 1 + i } }));
  await handler.deliverMany!(items);
  await handler.deliverMany!(items); // a worker that died after composing: nothing queued twice
  const bodies = async (email: string) => (await messagesTo(t, email)).filter((m) => m.body.includes('Ebisu')).map((m) => m.body);
  const forA = await bodies(a.email);
  const forB = await bodies(b.email);
  expect(forA).toHaveLength(2);
  expect(forB).toHaveLength(1);
  expect(forA.some((x) => x.includes('-¥100') && x.includes('Balance: ¥900'))).toBe(true);
  expect(forA.some((x) => x.includes('-¥300') && x.includes('Balance: ¥600'))).toBe(true);
  expect(forB[0]).toContain('Balance: ¥800');
  const links = [...forA, ...forB].map((x) => /kpf_[\w.-]+/.exec(x)?.[0]);
  expect(new Set(links).size).toBe(3);
});

it('writes yen the way each language reads it', () => {
  expect([formatYen(12_800, 'en'), formatYen(12_800, 'ja'), formatYen(-500, 'en'), formatYen(-500, 'ja')]).toEqual(['¥12,800', '12,800円', '-¥500', '-500円']);
});
