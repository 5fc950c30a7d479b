import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { systemClock } from '../shared/clock.js';
import { newUuid } from '../shared/ids.js';
import { idempotencyKeyOf, sendIdempotent } from './http.js';
import { Idempotency, requestDigest } from './idempotency.js';

let t: TestKonpay;
let runs = 0;
beforeAll(async () => {
  t = await startTestKonpay({}, {
    routes: [async (app) => {
      // A money-moving endpoint in miniature: refuses amounts over 1000, as a limit would.
      app.post('/__test/move', async (req, reply) => {
        const key = idempotencyKeyOf(req);
        const body = req.body as { amount: number };
        const idem = new Idempotency(t.konpay.pool, systemClock);
        const r = await idem.execute('usr:test', key, requestDigest(req.method, '/__test/move', body), async () => {
          runs++;
          return body.amount > 1000
            ? { status: 422, body: { status: 422, code: 'limit_exceeded', title: 'Over the limit', requestId: req.id } }
            : { status: 201, body: { moved: body.amount, run: runs } };
        });
        return sendIdempotent(reply, r);
      });
    }],
  });
});
afterAll(() => t.stop());

const move = (amount: number, key?: string) => t.konpay.app.inject({
  method: 'POST', url: '/__test/move', payload: { amount }, headers: key === undefined ? {} : { 'idempotency-key': key },
});

describe('Idempotency-Key over HTTP', () => {
  it('requires a well-formed key', async () => {
    expect((await move(1)).json()).toMatchObject({ status: 400, code: 'idempotency_key_required' });
    for (const bad of ['', 'has space', 'x'.repeat(256), 'ünïcode']) {
      expect((await move(1, bad)).json()).toMatchObject({ status: 400, code: 'idempotency_key_invalid' });
    }
  });

  it('marks replays, and replays refusals as the same problem document', async () => {
    const key = newUuid();
    const first = await move(100, key);
    const second = await move(100, key);
    expect(first.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const refusedKey = newUuid();
    const refused = await move(5000, refusedKey);
    const refusedAgain = await move(5000, refusedKey);
    expect(refused.statusCode).toBe(422);
    expect(refusedAgain.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(refusedAgain.json()).toEqual(refused.json());

    expect((await move(200, key)).json()).toMatchObject({ status: 409, code: 'idempotency_key_reused' });
  });
});
