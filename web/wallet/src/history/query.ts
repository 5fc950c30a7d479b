/**
 * The history's filters as the API takes them (GET /v1/wallet/history and its .csv twin):
 * a kind group the customer recognises maps to the ledger's kinds, and dates are whole
 * days in Japan's time, the "to" day included.
 */
export type KindGroup = 'all' | 'payment' | 'topup' | 'refund';
export const KIND_GROUPS: readonly KindGroup[] = ['all', 'payment', 'topup', 'refund'];

const KINDS: Record<Exclude<KindGroup, 'all'>, string> = {
  payment: 'payment',
  topup: 'topup_card,topup_cash',
  refund: 'refund,payment_cancel,chargeback',
};

export interface Filter {
  kind: KindGroup;
  /** YYYY-MM-DD, as a date input gives it; empty for no bound. */
  from: string;
  to: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const jstMidnight = (day: string) => new Date(`${day}T00:00:00+09:00`);

export function filterParams(f: Filter): URLSearchParams {
  const p = new URLSearchParams();
  if (f.kind !== 'all') p.set('kind', KINDS[f.kind]);
  if (f.from) p.set('from', jstMidnight(f.from).toISOString());
  if (f.to) p.set('to', new Date(jstMidnight(f.to).getTime() + DAY_MS).toISOString());
  return p;
}
