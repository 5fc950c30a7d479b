/**
 * The card-network simulator for a test: started in-process over a test Konpay's
 * database and notifier (so challenge SMS land in its dev outbox), on a free port.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { ManualClock } from '../../src/shared/clock.js';
import { startCardnet, type Cardnet } from '../../src/cardnet/start.js';
import { latestCode, newCustomer } from './customer.js';
import { startTestKonpay, type TestKonpay } from './konpay.js';

export const RETURN_URL = 'http://konpay.test/cards/return';
export const WEBHOOK_SECRET = 'whsec_test_cardnet';

export interface ReceivedWebhook { headers: Record<string, string | string[] | undefined>; body: string }

export interface TestCardnet {
  t: TestKonpay;
  cardnet: Cardnet;
  clock: ManualClock;
  webhooks: ReceivedWebhook[];
  stop(): Promise<void>;
}

export async function startTestCardnet(opts: { timeoutDelayMs?: number } = {}): Promise<TestCardnet> {
  const clock = new ManualClock('2026-03-02T03:00:00Z');
  const t = await startTestKonpay({}, { worker: false, clock });
  const webhooks: ReceivedWebhook[] = [];
  const receiver: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      webhooks.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const addr = receiver.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const cardnet = await startCardnet({
    pool: t.konpay.pool, clock, logger: t.konpay.logger, notifier: t.konpay.notifier,
    keys: { fingerprint: randomBytes(32) }, host: '127.0.0.1', port: 0,
    allowedReturnOrigins: [new URL(RETURN_URL).origin],
    webhook: { url: `http://127.0.0.1:${port}/webhooks/cardnet`, secret: WEBHOOK_SECRET },
    timeoutDelayMs: opts.timeoutDelayMs ?? 800,
  });
  return {
    t, cardnet, clock, webhooks,
    async stop() {
      await cardnet.close();
      await new Promise<void>((r) => receiver.close(() => r()));
      await t.stop();
    },
  };
}

export interface Holder { phone: string; phoneE164: string }
export const newHolder = (): Holder => {
  const c = newCustomer('card');
  return { phone: c.phone, phoneE164: c.phoneE164 };
};

export async function tokenFor(c: TestCardnet, number: string, holder = newHolder()) {
  const res = await c.cardnet.app.inject({
    method: 'POST', url: '/cardnet/v1/tokens',
    payload: { number, expMonth: 12, expYear: 2030, cvc: '123', holderName: 'HANAKO YAMADA', phone: holder.phone },
  });
  if (res.statusCode !== 201) throw new Error(`tokenisation failed: ${res.body}`);
  return { ...(res.json() as { token: string; fingerprint: string; last4: string; brand: string }), holder };
}

export async function startAuth(c: TestCardnet, token: string, amount: number, challenge: 'mandate' | 'no_preference' = 'mandate') {
  const res = await c.cardnet.app.inject({ method: 'POST', url: '/cardnet/v1/authentications', payload: { token, amount, returnUrl: RETURN_URL, challenge } });
  if (res.statusCode !== 201) throw new Error(`authentication failed: ${res.body}`);
  return res.json() as { id: string; status: string; challengeUrl: string | null };
}

/** Posts the challenge form as a browser would. */
export function postCode(c: TestCardnet, authId: string, code: string) {
  return c.cardnet.app.inject({
    method: 'POST', url: `/cardnet/acs/${authId}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ code }).toString(),
  });
}

/** Tokenises, authenticates through the challenge page with the SMS code, and returns the ids. */
export async function authenticated(c: TestCardnet, number: string, amount: number) {
  const card = await tokenFor(c, number);
  const auth = await startAuth(c, card.token, amount);
  if (auth.status === 'challenge_required') {
    const res = await postCode(c, auth.id, await latestCode(c.t, card.holder.phoneE164, 'sms'));
    if (res.statusCode !== 303) throw new Error(`challenge failed: ${res.statusCode}`);
  }
  return { card, auth };
}

export function authorise(c: TestCardnet, body: { reference: string; token: string; authenticationId: string; amount: number }) {
  return c.cardnet.app.inject({ method: 'POST', url: '/cardnet/v1/payments', payload: body });
}
