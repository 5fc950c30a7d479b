/**
 * The hash-chained audit log (OPS-2) under attack: someone with write access to the
 * database edits, deletes, forges or truncates rows. Each attack must be detected by
 * the verifier and pinpointed to the first wrong row; concurrent appends must keep one
 * unbroken chain. Each attack is undone afterwards, so the tests share one chain.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKonpay, type TestKonpay } from '../../../test/harness/konpay.js';
import { withTransaction } from '../../db/tx.js';
import { canonicalEncoding, GENESIS_HASH, hashRecord, type AuditRecord } from './chain.js';
import { appendAudit, appendAuditAlone } from './log.js';
import { recordsAfter } from './repo.js';
import { verifyChain } from './verify.js';
import { cliTargetOf, runOpsInProcess, runOps, type CliRun } from '../../../test/harness/cli.js';

let t: TestKonpay;
const at = (i: number) => new Date(Date.UTC(2026, 0, 5, 0, 0, i));

beforeAll(async () => {
  t = await startTestKonpay({}, { worker: false });
  for (let i = 1; i <= 12; i++) {
    await appendAuditAlone(t.konpay.pool, { who: i % 2 ? 'opr_019ab5c4e2d07c3a9e51f0b2d4c6a8e7' : 'cli:ana', action: 'customer.view', ids: { customerId: `usr_${String(i).padStart(32, '0')}` }, outcome: 'found' }, at(i));
  }
});
afterAll(() => t?.stop());

const sql = (text: string, values: unknown[] = []) => t.konpay.pool.query(text, values);
const all = () => recordsAfter(t.konpay.pool, 0, 10_000);

/** Runs the attack, answers what the verifier says, then puts the chain back as it was. */
async function attack(fn: () => Promise<unknown>) {
  const rows = (await sql('SELECT * FROM audit_log ORDER BY seq')).rows;
  const head = (await sql('SELECT * FROM audit_head')).rows[0];
  try {
    await fn();
    return await verifyChain(t.konpay.pool, { batch: 5 }); // small batches: breaks across batch edges are found too
  } finally {
    await withTransaction(t.konpay.pool, async (q) => {
      await q.query('DELETE FROM audit_log');
      for (const r of rows) {
        await q.query('INSERT INTO audit_log (seq, at, who, action, ids, outcome, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)', [r.seq, r.at, r.who, r.action, JSON.stringify(r.ids), r.outcome, r.prev_hash, r.hash]);
      }
      await q.query('UPDATE audit_head SET seq = $1, hash = $2', [head.seq, head.hash]);
    });
    expect((await verifyChain(t.konpay.pool)).kind).toBe('intact');
  }
}

describe('the chain', () => {
  it('links every row to the one before by SHA-256 over the documented canonical JSON', async () => {
    const rows = await all();
    expect(rows.length).toBeGreaterThanOrEqual(12);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    rows.forEach((r, i) => {
      if (i > 0) expect(r.prevHash).toBe(rows[i - 1]!.hash);
      // Recomputed as the chain.ts comment tells an outsider to: sorted keys, no spaces, sha256 hex.
      const text = `{"action":${JSON.stringify(r.action)},"at":"${r.at.toISOString()}","ids":${JSON.stringify(Object.fromEntries(Object.entries(r.ids).sort()))},"outcome":${JSON.stringify(r.outcome)},"prev_hash":"${r.prevHash}","seq":${r.seq},"who":${JSON.stringify(r.who)}}`;
      expect(canonicalEncoding(r)).toBe(text);
      expect(createHash('sha256').update(text).digest('hex')).toBe(r.hash);
    });
    const v = await verifyChain(t.konpay.pool, { batch: 5 });
    expect(v).toEqual({ kind: 'intact', count: rows.length, head: { seq: rows.at(-1)!.seq, hash: rows.at(-1)!.hash } });
  });
});

describe('attacks on the stored log', () => {
  it('a changed row (UPDATE of its outcome) is found at that row', async () => {
    const v = await attack(() => sql(`UPDATE audit_log SET outcome = 'not_found' WHERE seq = 7`));
    expect(v).toMatchObject({ kind: 'broken', seq: 7, problem: 'changed', checked: 6 });
  });

  it('a changed row whose own hash was recomputed breaks the link of the next row', async () => {
    const v = await attack(async () => {
      const r = (await all()).find((x) => x.seq === 4)!;
      const forged = { ...r, who: 'cli:mallory' };
      await sql('UPDATE audit_log SET who = $2, hash = $3 WHERE seq = $1', [4, forged.who, hashRecord(forged)]);
    });
    expect(v).toMatchObject({ kind: 'broken', seq: 5, problem: 'link' });
  });

  it('a deleted row shows as a gap at the row after it', async () => {
    const v = await attack(() => sql('DELETE FROM audit_log WHERE seq = 5'));
    expect(v).toMatchObject({ kind: 'broken', seq: 6, problem: 'gap', checked: 4 });
    expect(v.kind === 'broken' && v.detail).toContain('expected seq 5');
  });

  it('an inserted forged row with a recomputed hash but a link to nothing is found at that row', async () => {
    const v = await attack(async () => {
      // Make room at seq 9 by moving the tail up one (what inserting "between" rows takes), then forge row 9.
      await sql('UPDATE audit_log SET seq = seq + 1000000 WHERE seq >= 9');
      await sql('UPDATE audit_log SET seq = seq - 1000000 + 1 WHERE seq > 1000000');
      const forged: Omit<AuditRecord, 'hash'> = { seq: 9, at: at(8), who: 'opr_019ab5c4e2d07c3a9e51f0b2d4c6a8e7', action: 'customer.unfreeze', ids: { customerId: `usr_${'9'.repeat(32)}` }, outcome: 'unfrozen', prevHash: 'f'.repeat(64) };
      await sql('INSERT INTO audit_log (seq, at, who, action, ids, outcome, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)', [forged.seq, forged.at, forged.who, forged.action, JSON.stringify(forged.ids), forged.outcome, forged.prevHash, hashRecord(forged)]);
    });
    expect(v).toMatchObject({ kind: 'broken', seq: 9, problem: 'link', checked: 8 });
  });

  it('a forged row linked correctly to its predecessor is found at the honest row after it', async () => {
    const v = await attack(async () => {
      const prev = (await all()).find((x) => x.seq === 2)!;
      await sql('DELETE FROM audit_log WHERE seq = 3');
      const forged: Omit<AuditRecord, 'hash'> = { seq: 3, at: at(3), who: 'cli:mallory', action: 'switch.on', ids: { feature: 'payments' }, outcome: 'changed', prevHash: prev.hash };
      await sql('INSERT INTO audit_log (seq, at, who, action, ids, outcome, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)', [3, forged.at, forged.who, forged.action, JSON.stringify(forged.ids), forged.outcome, forged.prevHash, hashRecord(forged)]);
    });
    expect(v).toMatchObject({ kind: 'broken', seq: 4, problem: 'link' });
  });

  it('two rows swapped (reordered) are found at the first of them', async () => {
    const v = await attack(async () => {
      await sql('UPDATE audit_log SET seq = seq + 1000000 WHERE seq IN (10, 11)');
      await sql('UPDATE audit_log SET seq = CASE seq WHEN 1000010 THEN 11 ELSE 10 END WHERE seq > 1000000');
    });
    expect(v).toMatchObject({ kind: 'broken', seq: 10, problem: 'changed' });
  });

  it('a truncated tail (rows deleted from the end, beyond what the head names) is found', async () => {
    const last = (await all()).at(-1)!.seq;
    const v = await attack(() => sql('DELETE FROM audit_log WHERE seq > $1', [last - 3]));
    expect(v).toMatchObject({ kind: 'broken', seq: last - 2, problem: 'truncated' });
    expect(v.kind === 'broken' && v.detail).toContain(`rows ${last - 2}–${last} deleted`);
  });

  it('a row appended beyond the head without moving it is found', async () => {
    const v = await attack(async () => {
      const last = (await all()).at(-1)!;
      const forged: Omit<AuditRecord, 'hash'> = { seq: last.seq + 1, at: at(99), who: 'cli:mallory', action: 'x', ids: {}, outcome: 'y', prevHash: last.hash };
      await sql('INSERT INTO audit_log (seq, at, who, action, ids, outcome, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)', [forged.seq, forged.at, forged.who, forged.action, '{}', forged.outcome, forged.prevHash, hashRecord(forged)]);
    });
    expect(v).toMatchObject({ kind: 'broken', problem: 'beyond_head' });
  });
});

describe('concurrency', () => {
  it('50 appends in parallel, alone and inside other transactions, keep one unbroken chain', async () => {
    const before = (await all()).length;
    await Promise.all(Array.from({ length: 50 }, (_, i) => i % 2
      ? appendAuditAlone(t.konpay.pool, { who: `opr_${String(i).padStart(32, '0')}`, action: 'race', ids: { n: String(i) }, outcome: 'ok' }, new Date())
      : withTransaction(t.konpay.pool, (q) => appendAudit(q, { who: 'cli:race', action: 'race', ids: { n: String(i) }, outcome: 'ok' }, new Date()))));
    const rows = await all();
    expect(rows.length).toBe(before + 50);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(rows.filter((r) => r.action === 'race').map((r) => r.ids['n'])).size).toBe(50);
    expect(await verifyChain(t.konpay.pool)).toMatchObject({ kind: 'intact', count: before + 50 });
  });
});

describe('npm run ops -- audit verify', () => {
  function ops(...args: string[]): Promise<CliRun> {
    return runOpsInProcess(cliTargetOf(t), args);
  }

  it('exits 0 with the count when intact, and 1 naming the first wrong row when not', async () => {
    const n = (await all()).length;
    const ok = await ops('audit', 'verify');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`audit log intact: ${n} rows`);
    await sql(`UPDATE audit_log SET ids = '{"customerId":"usr_x"}' WHERE seq = 3`);
    try {
      const bad = await runOps(cliTargetOf(t), ['audit', 'verify']); // the real entry point's exit status
      expect(bad.status).toBe(1);
      expect(bad.stdout).toContain('BROKEN at row 3 (changed)');
      const shown = await ops('audit', 'show', '--who', 'cli:ana', '--limit', '2');
      expect(shown.status, shown.stderr).toBe(0);
      expect(shown.stdout.trim().split('\n')).toHaveLength(2);
    } finally {
      await sql(`UPDATE audit_log SET ids = $1 WHERE seq = 3`, [JSON.stringify({ customerId: `usr_${'3'.padStart(32, '0')}` })]);
    }
  }, 120_000);
});
