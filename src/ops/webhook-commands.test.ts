/**
 * `npm run ops -- webhooks add|replay` against a test server's database and secrets
 * (in-process, and the endpoint added through the real entry point in a child process);
 * the server's worker then delivers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/harness/webhook-receiver.js';
import { emit, opsRequest } from '../../test/harness/webhooks.js';
import { ManualClock } from '../shared/clock.js';
import { verifyKonpaySignature } from '../webhooks/signature.js';
import { cliTargetOf, runOpsInProcess, runOps, type CliRun } from '../../test/harness/cli.js';

// Ahead of real time: messages the CLI queues (by the system clock) are due at once.
const clock = new ManualClock('2030-01-07T00:00:00Z');
let t: TestKonpay;
let receiver: WebhookReceiver;

beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false, clock });
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.close();
  await t.stop();
});

function ops(...args: string[]): Promise<CliRun> {
  return runOpsInProcess(cliTargetOf(t), args);
}

describe('npm run ops -- webhooks', () => {
  it('adds an endpoint printing its secret once, and replays an event to it with a fresh signature', async () => {
    const merchantId = (await opsRequest<{ id: string }>(t, 'POST', '/ops/v1/merchants', { name: 'Konbini Mart' })).json.id;
    const added = await runOps(cliTargetOf(t), ['webhooks', 'add', '--merchant', merchantId, '--url', receiver.url]); // the real entry point
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/shown only this once/);
    const secret = /signing secret\s+(whsec_[A-Za-z0-9_-]{43})/.exec(added.stdout)![1]!;

    const { eventId } = await emit(t, merchantId);
    await t.konpay.worker.runOnce();
    const replayed = await ops('webhooks', 'replay', eventId);
    expect(replayed.status, replayed.stderr).toBe(0);
    expect(replayed.stdout).toContain(`event ${eventId} queued for 1 active endpoint of merchant ${merchantId}`);
    clock.advance(5_000); // the replay is signed when it is sent, not when it was first
    await t.konpay.worker.runOnce();

    expect(receiver.requests).toHaveLength(2);
    const [first, second] = receiver.requests as [typeof receiver.requests[0], typeof receiver.requests[0]];
    expect(second.body).toBe(first.body);
    expect(second.headers['konpay-signature']).not.toBe(first.headers['konpay-signature']);
    for (const r of receiver.requests) expect(verifyKonpaySignature(secret, r.headers['konpay-signature'] as string, r.body, clock.now()).kind).toBe('valid');
    expect(t.logs.text).not.toContain(secret.slice(6));
    expect(added.stderr + replayed.stderr).not.toContain(secret.slice(6));
  });

  it('refuses unknown ids and bad URLs (1), and bad usage (2), printing no secret', async () => {
    const unknown = await ops('webhooks', 'add', '--merchant', `mer_${'0'.repeat(32)}`, '--url', receiver.url);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/no merchant/);
    expect(unknown.stdout).toBe('');
    const merchantId = (await opsRequest<{ id: string }>(t, 'POST', '/ops/v1/merchants', { name: 'Konbini Mart' })).json.id;
    const badUrl = await ops('webhooks', 'add', '--merchant', merchantId, '--url', 'ftp://x.example/in');
    expect(badUrl.status).toBe(1);
    expect(badUrl.stdout).not.toMatch(/whsec_/);
    expect((await ops('webhooks', 'replay', `evt_${'0'.repeat(32)}`)).status).toBe(1);
    expect((await ops('webhooks', 'add', '--merchant', merchantId)).status).toBe(2);
  });

  it('rotates a secret with an overlap, printing the new one once', async () => {
    const merchantId = (await opsRequest<{ id: string }>(t, 'POST', '/ops/v1/merchants', { name: 'Konbini Mart' })).json.id;
    const added = await ops('webhooks', 'add', '--merchant', merchantId, '--url', receiver.url);
    const old = /signing secret\s+(whsec_\S+)/.exec(added.stdout)![1]!;
    const endpointId = /webhook endpoint (whe_\w+)/.exec(added.stdout)![1]!;
    expect((await ops('webhooks', 'rotate-secret', '--merchant', merchantId, '--endpoint', endpointId, '--overlap-hours', '169')).status).toBe(2);
    const rotated = await ops('webhooks', 'rotate-secret', '--merchant', merchantId, '--endpoint', endpointId, '--overlap-hours', '2');
    expect(rotated.status, rotated.stderr).toBe(0);
    const fresh = /signing secret\s+(whsec_\S+)/.exec(rotated.stdout)![1]!;
    expect(fresh).not.toBe(old);
    // The CLI keeps real time (this server's clock is set years ahead, so the overlap has
    // ended for it: rotation.test.ts shows both secrets signing during one).
    const until = Date.parse(/old secret signs too until (\S+)/.exec(rotated.stdout)![1]!);
    expect(Math.abs(until - (Date.now() + 2 * 3_600_000))).toBeLessThan(60_000);
    const before = receiver.requests.length;
    await emit(t, merchantId);
    await t.konpay.worker.runOnce();
    const got = receiver.requests[before]!;
    expect(verifyKonpaySignature(fresh, got.headers['konpay-signature'] as string, got.body, clock.now()).kind).toBe('valid');
    expect(verifyKonpaySignature(old, got.headers['konpay-signature'] as string, got.body, clock.now()).kind).toBe('invalid');
    expect(t.logs.text).not.toContain(fresh.slice(6));
  });
});
