/** SQL for payments (authorisations) and their operations. */
import type { Queryable } from '../../db/pool.js';

export type PaymentStatus = 'authorized' | 'declined' | 'captured' | 'voided' | 'charged_back';
export type OperationKind = 'capture' | 'void' | 'refund' | 'chargeback';

export interface PaymentRow {
  id: string;
  reference: string;
  requestDigest: Buffer;
  tokenId: string;
  authenticationId: string;
  amount: number;
  captured: number;
  refunded: number;
  status: PaymentStatus;
  declineCode: string | null;
  chargebackDueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, reference, request_digest AS "requestDigest", token_id AS "tokenId",
  authentication_id AS "authenticationId", amount, captured, refunded, status, decline_code AS "declineCode",
  chargeback_due_at AS "chargebackDueAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Inserts unless the reference exists; returns false on a duplicate reference (a retry or a race). */
export async function insertPayment(q: Queryable, p: PaymentRow): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO cardnet_payments (id, reference, request_digest, token_id, authentication_id, amount, captured, refunded,
       status, decline_code, chargeback_due_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (reference) DO NOTHING`,
    [p.id, p.reference, p.requestDigest, p.tokenId, p.authenticationId, p.amount, p.captured, p.refunded,
      p.status, p.declineCode, p.chargebackDueAt, p.createdAt, p.updatedAt],
  );
  return res.rowCount === 1;
}

export async function findPaymentByReference(q: Queryable, reference: string, lock = false): Promise<PaymentRow | undefined> {
  const res = await q.query<PaymentRow>(`SELECT ${COLUMNS} FROM cardnet_payments WHERE reference = $1${lock ? ' FOR UPDATE' : ''}`, [reference]);
  return res.rows[0];
}

export async function findPayment(q: Queryable, id: string, lock = false): Promise<PaymentRow | undefined> {
  const res = await q.query<PaymentRow>(`SELECT ${COLUMNS} FROM cardnet_payments WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return res.rows[0];
}

export async function isAuthenticationUsed(q: Queryable, authenticationId: string): Promise<boolean> {
  const res = await q.query('SELECT 1 FROM cardnet_payments WHERE authentication_id = $1', [authenticationId]);
  return (res.rowCount ?? 0) > 0;
}

export async function updatePayment(
  q: Queryable, id: string, p: { status: PaymentStatus; captured: number; refunded: number; chargebackDueAt: Date | null; at: Date },
): Promise<void> {
  await q.query(
    `UPDATE cardnet_payments SET status = $2, captured = $3, refunded = $4, chargeback_due_at = $5, updated_at = $6 WHERE id = $1`,
    [id, p.status, p.captured, p.refunded, p.chargebackDueAt, p.at],
  );
}

/** Payments whose announced chargeback is due, locked and skipped by concurrent runs. */
export async function dueChargebacks(q: Queryable, now: Date, limit: number): Promise<PaymentRow[]> {
  const res = await q.query<PaymentRow>(
    `SELECT ${COLUMNS} FROM cardnet_payments WHERE chargeback_due_at <= $1 ORDER BY chargeback_due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, limit],
  );
  return res.rows;
}

export interface OperationRow {
  reference: string;
  requestDigest: Buffer;
  paymentId: string;
  kind: OperationKind;
  amount: number;
  createdAt: Date;
}

export async function findOperation(q: Queryable, reference: string): Promise<OperationRow | undefined> {
  const res = await q.query<OperationRow>(
    `SELECT reference, request_digest AS "requestDigest", payment_id AS "paymentId", kind, amount, created_at AS "createdAt"
       FROM cardnet_operations WHERE reference = $1`,
    [reference],
  );
  return res.rows[0];
}

export async function insertOperation(q: Queryable, o: OperationRow): Promise<void> {
  await q.query(
    `INSERT INTO cardnet_operations (reference, request_digest, payment_id, kind, amount, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [o.reference, o.requestDigest, o.paymentId, o.kind, o.amount, o.createdAt],
  );
}

export interface SettlementLine {
  createdAt: Date;
  kind: OperationKind;
  reference: string;
  paymentReference: string;
  amount: number;
}

/** Operations in [from, to), oldest first: the lines of one day's settlement file. */
export async function operationsBetween(q: Queryable, from: Date, to: Date): Promise<SettlementLine[]> {
  const res = await q.query<SettlementLine>(
    `SELECT o.created_at AS "createdAt", o.kind, o.reference, p.reference AS "paymentReference", o.amount
       FROM cardnet_operations o JOIN cardnet_payments p ON p.id = o.payment_id
      WHERE o.created_at >= $1 AND o.created_at < $2 AND o.kind <> 'void'
      ORDER BY o.created_at, o.reference`,
    [from, to],
  );
  return res.rows;
}
