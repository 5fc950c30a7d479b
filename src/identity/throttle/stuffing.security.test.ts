/**
 * Attack (SPEC.md §1, ID-4, ID-5): credential stuffing as at 7pay. A list of 1,000 leaked
 * (identifier, password) pairs, 10 of them right, is tried against 100 real accounts,
 * from one address and from 200. Time is a manual clock: the attacker "waits" by moving it.
 *
 * What must hold: no session without the second factor, ever; the throttle or the
 * proof-of-work breaker engages; the real owner on a known device still gets in during
 * the attack; and once the attacker stops, every block ends.
 */
import type { Challenge } from 'altcha-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { latestCode, type SignedUp } from '../../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { createVictims, leakedList, type LeakedPair, type Victims } from '../../../test/harness/leaked-list.js';
import { CHEAP_POW_ENV, solvePow } from '../../../test/harness/throttle.js';
import { ManualClock } from '../../shared/clock.js';

const CAP_MS = 900_000;
let t: TestKonpay | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function setUp(): Promise<{ t: TestKonpay; clock: ManualClock; victims: Victims; list: LeakedPair[] }> {
  const clock = new ManualClock();
  t = await startTestKonpay({ ...CHEAP_POW_ENV }, { worker: false, clock });
  const victims = await createVictims(t, 10, 100);
  return { t, clock, victims, list: leakedList(victims, 1000, 3) };
}

type Res = Awaited<ReturnType<TestKonpay['konpay']['app']['inject']>>;
function login(t: TestKonpay, ip: string, body: { identifier: string; password: string; proofOfWork?: string }, device?: string): Promise<Res> {
  const payload = { identifier: body.identifier, password: body.password, ...(body.proofOfWork ? { proofOfWork: body.proofOfWork } : {}) };
  return t.konpay.app.inject({ method: 'POST', url: '/v1/login', remoteAddress: ip, payload, headers: device ? { 'x-konpay-device': device } : {} });
}

/** Tallies answers, and fails the test at once on any session handed to the attacker. */
class Tally {
  readonly byStatus = new Map<number, number>();
  readonly valid: number[] = [];
  add(pair: LeakedPair, res: Res): void {
    this.byStatus.set(res.statusCode, (this.byStatus.get(res.statusCode) ?? 0) + 1);
    if (pair.valid) this.valid.push(res.statusCode);
    // 202 second factor, 401 wrong, 428 proof of work, 429 wait: never 200, never anything else.
    expect([202, 401, 428, 429], res.body).toContain(res.statusCode);
    expect(res.body).not.toMatch(/kps_/);
    expect(res.cookies.some((c) => c.name === 'konpay_session')).toBe(false);
    if (res.statusCode === 429) {
      expect(res.json()).toMatchObject({ code: 'login_throttled' });
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    if (res.statusCode === 428) expect(res.json()).toMatchObject({ code: 'proof_of_work_required' });
  }
  count(status: number): number {
    return this.byStatus.get(status) ?? 0;
  }
}

async function ownerGetsIn(t: TestKonpay, owner: SignedUp, ip: string): Promise<void> {
  const res = await login(t, ip, { identifier: owner.email, password: owner.password }, owner.deviceCredential);
  expect(res.statusCode, res.body).toBe(200);
}

/** Each victim's own sessions: the one from sign-up plus those it opened itself, nothing else. */
async function expectOnlyOwnSessions(t: TestKonpay, owners: SignedUp[], own: Map<string, number>): Promise<void> {
  for (const o of owners) {
    const res = await t.konpay.app.inject({ method: 'GET', url: '/v1/me/sessions', headers: { authorization: `Bearer ${o.token}` } });
    expect((res.json() as { sessions: unknown[] }).sessions).toHaveLength(1 + (own.get(o.email) ?? 0));
  }
}

describe('credential stuffing (7pay, July 2019)', () => {
  for (const [name, ipOf] of [
    ['one IPv4 address', () => '203.0.113.66'],
    ['one IPv6 /64, a fresh address per try', (i: number) => `2001:db8:66:1:${(i % 65535).toString(16)}:${(i >> 16).toString(16)}:0:1`],
  ] as const) {
    it(`from ${name}: throttled, no session, the owner still gets in`, async () => {
      const { t, victims, list } = await setUp();
      const tally = new Tally();
      const own = new Map<string, number>();
      for (const [i, pair] of list.entries()) {
        tally.add(pair, await login(t, ipOf(i), pair));
        if (i === 500) {
          // Mid-attack: the owner's phone, even behind the attacker's very address (carrier NAT).
          await ownerGetsIn(t, victims.owners[0]!, ipOf(i));
          await ownerGetsIn(t, victims.owners[1]!, '192.0.2.200');
          for (const o of victims.owners.slice(0, 2)) own.set(o.email, 1);
        }
      }
      // 30 free failures for the address, then every try waits: most of the list never reached a password check.
      expect(tally.count(429)).toBeGreaterThan(900);
      expect(tally.valid.every((s) => s === 202 || s === 429)).toBe(true);
      await expectOnlyOwnSessions(t, victims.owners, own);
    }, 120_000);
  }

  it('from 200 addresses (IPv4 and IPv6): the breaker demands proof of work; solving it still yields no session', async () => {
    const { t, victims, list } = await setUp();
    const ips = Array.from({ length: 200 }, (_, i) => (i % 2 ? `198.51.100.${i >> 1}` : `2001:db8:${(i >> 1).toString(16)}:7::1`));
    const tally = new Tally();
    for (const [i, pair] of list.entries()) tally.add(pair, await login(t, ips[i % 200]!, pair));
    // 5 tries per address and 3 per account stay under those counters; the failure rate does not.
    expect(tally.count(428)).toBeGreaterThan(500);
    expect(tally.count(429)).toBe(0);
    await ownerGetsIn(t, victims.owners[0]!, ips[0]!);

    // An attacker who pays for each try: proof of work lets it reach the password check, and no further.
    const proofTally = new Tally();
    const replay: string[] = [];
    for (const [i, pair] of list.filter((p) => p.valid).concat(list.slice(0, 40)).entries()) {
      const challenge = (await t.konpay.app.inject({ method: 'GET', url: '/v1/login/challenge' })).json() as Challenge;
      const proofOfWork = await solvePow(challenge);
      replay.push(proofOfWork);
      proofTally.add(pair, await login(t, ips[(i * 7) % 200]!, { ...pair, proofOfWork }));
    }
    // The right passwords, every one stopped at the second factor.
    expect(proofTally.valid.length).toBeGreaterThanOrEqual(10);
    expect(proofTally.valid.every((s) => s === 202)).toBe(true);
    const again = await login(t, ips[3]!, { ...list[0]!, proofOfWork: replay[0]! });
    expect(again.json()).toMatchObject({ code: 'proof_of_work_required' }); // each solution works once
    await expectOnlyOwnSessions(t, victims.owners, new Map([[victims.owners[0]!.email, 1]]));
  }, 120_000);

  it('a patient attacker who obeys Retry-After from one address pays 15 minutes a guess: the list would take days', async () => {
    const { t, clock, list } = await setUp();
    const start = clock.now().getTime();
    const tally = new Tally();
    let tried = 0;
    for (const pair of list.slice(0, 150)) {
      for (;;) {
        const res = await login(t, '203.0.113.77', pair);
        tally.add(pair, res);
        if (res.statusCode !== 429) break;
        clock.advance(Number(res.headers['retry-after']) * 1000);
      }
      tried++;
    }
    expect(tried).toBe(150);
    // After the free 30 and a short doubling, each further failure costs the full 15 minutes.
    expect(clock.now().getTime() - start).toBeGreaterThanOrEqual(100 * CAP_MS);
  }, 120_000);

  it('never locks the owner out for good: an account hammered shut opens again once the attacker stops', async () => {
    const { t, clock, victims } = await setUp();
    const owner = victims.owners[3]!;
    let blocked: Res | undefined;
    let tries = 0;
    for (; tries < 60 && !blocked; tries++) {
      // Named by e-mail and by phone in turn: still one account, one counter.
      const identifier = tries % 2 ? owner.email : owner.phone;
      const res = await login(t, `2001:db8:bad:${tries.toString(16)}::1`, { identifier, password: `guess ${tries}` });
      if (res.statusCode === 429) blocked = res;
    }
    // 10 free failures, the 11th blocks the account: the 12th try, from a 12th address, waits.
    expect(tries).toBe(12);
    await ownerGetsIn(t, owner, '192.0.2.1'); // the owner's phone is not slowed
    const newPhone = await login(t, '192.0.2.2', { identifier: owner.email, password: owner.password });
    expect(newPhone.statusCode).toBe(429);
    expect(Number(newPhone.headers['retry-after']) * 1000).toBeLessThanOrEqual(CAP_MS);

    clock.advance(CAP_MS);
    const later = await login(t, '192.0.2.2', { identifier: owner.email, password: owner.password });
    expect(later.statusCode, later.body).toBe(202);
    const { flowId } = later.json() as { flowId: string };
    expect((await t.konpay.app.inject({ method: 'POST', url: `/v1/login/${flowId}/sms`, remoteAddress: '192.0.2.2' })).statusCode).toBe(202);
    const code = await latestCode(t, owner.phoneE164, 'sms');
    const done = await t.konpay.app.inject({ method: 'POST', url: `/v1/login/${flowId}/verify`, remoteAddress: '192.0.2.2', payload: { method: 'sms', code, deviceLabel: 'New phone' } });
    expect(done.statusCode, done.body).toBe(200);
  }, 60_000);
});
