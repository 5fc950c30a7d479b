/**
 * `npm run ops -- cases export`: the real CLI in a child process against a test server's
 * database (JSON), and the command itself for CSV and the filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../db/tx.js';
import { systemClock } from '../shared/clock.js';
import { fromPublicId, toPublicId } from '../shared/ids.js';
import { signUp } from '../../test/harness/customer.js';
import { startTestKonpay, type TestKonpay } from '../../test/harness/konpay.js';
import { caseCommands } from './commands.js';
import { decide } from './decide.js';
import { openCase } from './open.js';
import { cliTargetOf, runOps, type CliRun } from '../../test/harness/cli.js';

let t: TestKonpay;
let held: string;
let flagged: string;

beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
  const who = await signUp(t);
  const userId = fromPublicId('usr', who.userId)!;
  const open = (kind: 'risk_hold' | 'risk_flag', reasons: string[], evidence: Record<string, unknown>) =>
    withTransaction(t.konpay.pool, (q) => openCase(q, { kind, userId, subject: { type: 'payment', id: 'pay_1' }, reasons, evidence, now: new Date() }));
  held = (await open('risk_hold', ['high_risk_goods'], { score: 70, note: '=HYPERLINK("x")' })).caseId;
  flagged = (await open('risk_flag', ['store_distance'], { km: 412 })).caseId;
  await decide({ pool: t.konpay.pool, clock: systemClock, compensationApprovalYen: 10_000 }, { caseId: flagged, decision: 'closed', reason: 'Travelling, confirmed', by: 'operator-token' });
});
afterAll(() => t?.stop());

function ops(...args: string[]): Promise<CliRun> {
  return runOps(cliTargetOf(t), args);
}

async function run(options: Record<string, string | undefined>): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const cmd = caseCommands.find((c) => c.name === 'cases export')!;
  const status = await cmd.run({ config: t.config, pool: t.konpay.pool, clock: systemClock, out: (l) => (out += `${l}\n`), err: (l) => (err += `${l}\n`), progress: { write: () => true }, onInterrupt: () => () => {} }, { options, positionals: [] });
  return { status, out, err };
}

describe('npm run ops -- cases export', () => {
  it('prints the open cases as JSON to stdout', async () => {
    const r = await ops('cases', 'export', '--status', 'open', '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    const cases = JSON.parse(r.stdout) as { id: string; status: string; evidence: unknown }[];
    expect(cases.map((c) => c.id)).toEqual([toPublicId('cas', held)]);
    expect(cases[0]!.evidence).toEqual({ score: 70, note: '=HYPERLINK("x")' });
  });

  it('CSV with every case, the decision and formula-safe evidence; filters and bad options', async () => {
    const all = await run({ format: 'csv' });
    expect(all.status).toBe(0);
    const lines = all.out.trim().split('\r\n');
    expect(lines[0]).toBe('id,kind,status,customer_id,subject_type,subject_id,reasons,created_at,assigned_to,decided_at,decided_by,decision_reason,approval_id,evidence');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(`${toPublicId('cas', flagged)},risk_flag,closed,`);
    expect(lines[2]).toContain('operator-token,"Travelling, confirmed"');
    expect(lines[1]).toContain('HYPERLINK');
    expect((await run({ format: 'csv', status: 'closed' })).out.trim().split('\r\n')).toHaveLength(2);
    expect(JSON.parse((await run({ format: 'json', since: '2999-01-01' })).out)).toEqual([]);
    expect(JSON.parse((await run({ format: 'json', kind: 'risk_flag' })).out)).toHaveLength(1);
    expect((await run({ format: 'xml' })).status).toBe(2);
    expect((await run({ format: 'csv', status: 'pending' })).status).toBe(2);
    expect((await run({ format: 'csv', since: 'yesterday' })).status).toBe(2);
  });
});
