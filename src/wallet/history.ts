/**
 * History (WAL-6): a wallet's movements newest first, filterable by kind and date, in
 * pages addressed by an opaque cursor, and as CSV for the customer's own records.
 */
import type { Queryable } from '../db/pool.js';
import { toPublicId } from '../shared/ids.js';
import { walletCode } from './ledger/accounts.js';
import { findAccountByCode } from './ledger/repo.js';
import { listMovements, type MovementRow } from './history-repo.js';

export interface Movement {
  id: string;
  kind: string;
  direction: 'in' | 'out';
  /** Signed yen as the wallet saw it: positive in, negative out. */
  amount: number;
  status: 'posted' | 'pending' | 'canceled';
  description: string | null;
  createdAt: string;
}

export interface HistoryFilter {
  kinds?: readonly string[] | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** The cursor names the last movement shown; opaque to clients, checked on the way back. */
export function encodeCursor(row: { created_at: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.created_at.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } | undefined {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}

function toMovement(r: MovementRow): Movement {
  const description = typeof r.metadata.description === 'string' ? r.metadata.description : null;
  return {
    id: toPublicId('txn', r.id), kind: r.kind, direction: r.direction,
    amount: r.direction === 'in' ? r.amount : -r.amount, status: r.status, description, createdAt: r.created_at.toISOString(),
  };
}

export async function historyPage(q: Queryable, userId: string, f: HistoryFilter, after: { createdAt: Date; id: string } | undefined, limit: number) {
  const wallet = await findAccountByCode(q, walletCode(userId));
  if (!wallet) return { movements: [] as Movement[], nextCursor: null };
  const rows = await listMovements(q, { walletId: wallet.id, kinds: f.kinds, from: f.from, to: f.to, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { movements: page.map(toMovement), nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!) : null };
}

/** RFC 4180 quoting, and a leading quote on text that a spreadsheet would run as a formula. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const CSV_HEADER = ['id', 'created_at', 'kind', 'direction', 'amount_jpy', 'status', 'description'];

export function csvLine(m: Movement): string {
  return [m.id, m.createdAt, m.kind, m.direction, m.amount, m.status, m.description].map(csvField).join(',');
}
