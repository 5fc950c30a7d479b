/**
 * The load generator: a Node process of its own, apart from Konpay and from the bench's
 * orchestrator, taking one job at a time over IPC. It also runs the SMS gateway sink
 * (BENCH_SMS_PORT, BENCH_SMS_TOKEN) so the card scenario reads the issuer's codes here.
 */
import { runCardSetup, runCardTopups, runHistory, runLogin } from './app.js';
import { closePools } from './http.js';
import { runPayments } from './pos.js';
import type { IntervalStats, Job, Reply, Request } from './protocol.js';
import { SmsSink } from './sms-sink.js';

if (!process.send) throw new Error('bench/load/main.ts runs as a child of bench/main.ts');

const sms = new SmsSink(process.env.BENCH_SMS_TOKEN ?? '');
await sms.listen(Number(process.env.BENCH_SMS_PORT));

async function run(job: Job, report: (s: IntervalStats) => void) {
  switch (job.kind) {
    case 'payments': return runPayments(job, report);
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

/** The codes of each payments job running, by request id: `MoreCodes` adds to them. */
const codesOf = new Map<number, string[]>();

process.on('message', (msg: Request) => {
  if ('moreCodes' in msg) {
    const codes = codesOf.get(msg.id);
    if (codes) for (const code of msg.moreCodes) codes.push(code);
    return;
  }
  const { id, job } = msg;
  if (job.kind === 'payments') codesOf.set(id, job.codes);
  run(job, (interval) => process.send!({ id, interval } satisfies Reply)).then(
    (result) => process.send!({ id, ok: true, result } satisfies Reply),
    (err: unknown) => process.send!({ id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies Reply),
  ).finally(() => codesOf.delete(id));
});

const stop = () => {
  void Promise.all([closePools(), sms.close()]).finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
process.send({ ready: true });
