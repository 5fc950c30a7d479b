/**
 * The load generator: a Node process of its own, apart from Konpay and from the bench's
 * orchestrator, taking one job at a time over IPC. It also runs the SMS gateway sink
 * (BENCH_SMS_PORT, BENCH_SMS_TOKEN) so the card scenario reads the issuer's codes here.
 */
import { runCardSetup, runCardTopups, runHistory, runLogin } from './app.js';
import { closePools } from './http.js';
import { runPayments } from './pos.js';
import type { Job, Reply, Request } from './protocol.js';
import { SmsSink } from './sms-sink.js';

if (!process.send) throw new Error('bench/load/main.ts runs as a child of bench/main.ts');

const sms = new SmsSink(process.env.BENCH_SMS_TOKEN ?? '');
await sms.listen(Number(process.env.BENCH_SMS_PORT));

async function run(job: Job) {
  switch (job.kind) {
    case 'payments': return runPayments(job);
    case 'login': return runLogin(job);
    case 'history': return runHistory(job);
    case 'card_setup': return runCardSetup(job, sms);
    case 'card_topups': {
      const before = sms.received;
      const r = await runCardTopups(job, sms);
      return { ...r, extra: { ...r.extra, sms_received: sms.received - before } };
    }
  }
}

process.on('message', (msg: Request) => {
  run(msg.job).then(
    (result) => process.send!({ id: msg.id, ok: true, result } satisfies Reply),
    (err: unknown) => process.send!({ id: msg.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies Reply),
  );
});

const stop = () => {
  void Promise.all([closePools(), sms.close()]).finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
process.send({ ready: true });
