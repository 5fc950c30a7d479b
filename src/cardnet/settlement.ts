/**
 * The daily settlement file: every capture, refund and chargeback of one UTC day as CSV,
 * amounts signed from the merchant's side (money in positive, money out negative).
 */
import type { CardnetDeps } from './deps.js';
import { operationsBetween, type OperationKind } from './repo/payments.js';

const SIGN: Record<OperationKind, number> = { capture: 1, refund: -1, chargeback: -1, void: 0 };

export async function settlementCsv(deps: CardnetDeps, date: string): Promise<string> {
  const from = new Date(`${date}T00:00:00Z`);
  const to = new Date(from.getTime() + 86_400_000);
  const lines = await operationsBetween(deps.pool, from, to);
  const rows = lines.map((l) => [l.createdAt.toISOString(), l.kind, l.reference, l.paymentReference, String(SIGN[l.kind] * l.amount)]);
  const net = lines.reduce((sum, l) => sum + SIGN[l.kind] * l.amount, 0);
  // References are restricted to [A-Za-z0-9_.:-] by the API, so no field needs quoting.
  return ['at,kind,reference,payment_reference,amount_jpy', ...rows.map((r) => r.join(',')), `${date},net,,,${net}`].join('\r\n') + '\r\n';
}
