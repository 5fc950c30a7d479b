/**
 * What the money screens must remember across the trip to the card network and back: the
 * card or top-up waiting for its 3-D Secure challenge, and the Idempotency-Key of a
 * top-up whose answer was lost. Session storage: this tab only, gone when it closes, and
 * never anything secret (ids and a random key; the card number never reaches this app).
 */
const CARD = 'konpay.money.card';
const TOPUP = 'konpay.money.topup';
const ATTEMPT = 'konpay.money.attempt';

const CARD_ID = /^crd_[0-9a-f]{32}$/;
const TOPUP_ID = /^top_[0-9a-f]{32}$/;

/** An id from the address bar or storage, only if it has the API's shape. */
export const cardIdOr = (v: string | null | undefined) => (v && CARD_ID.test(v) ? v : undefined);
export const topupIdOr = (v: string | null | undefined) => (v && TOPUP_ID.test(v) ? v : undefined);

const get = (k: string) => sessionStorage.getItem(k);
const set = (k: string, v: string | undefined) => (v === undefined ? sessionStorage.removeItem(k) : sessionStorage.setItem(k, v));

export const pendingCard = {
  get: () => cardIdOr(get(CARD)),
  set: (id: string | undefined) => set(CARD, id),
};

export const pendingTopup = {
  get: () => topupIdOr(get(TOPUP)),
  set: (id: string | undefined) => set(TOPUP, id),
};

interface Attempt { key: string; cardId: string; amount: number }

/**
 * The key for this top-up: the same one while an attempt (card and amount) has had no
 * definite answer, so a retry after a lost answer cannot top up twice; a fresh one as
 * soon as anything about it changes or it was answered.
 */
export function attemptKey(cardId: string, amount: number): string {
  try {
    const a = JSON.parse(get(ATTEMPT) ?? 'null') as Attempt | null;
    if (a && a.cardId === cardId && a.amount === amount && typeof a.key === 'string') return a.key;
  } catch { /* a damaged entry is replaced below */ }
  const key = crypto.randomUUID();
  set(ATTEMPT, JSON.stringify({ key, cardId, amount } satisfies Attempt));
  return key;
}

/** The attempt got a definite answer (created or refused): the next one is a new top-up. */
export const attemptAnswered = () => set(ATTEMPT, undefined);

/**
 * Takes a parameter off the address (a token from the card form, an id from a return
 * page): read once, then gone from the history, so a reload or the back button does not
 * act on it again and it is not left for anyone to copy.
 */
export function takeParams(...names: string[]): Record<string, string | undefined> {
  const url = new URL(location.href);
  const out: Record<string, string | undefined> = {};
  for (const n of names) out[n] = url.searchParams.get(n) ?? undefined;
  if (url.search) history.replaceState(null, '', url.pathname);
  return out;
}
