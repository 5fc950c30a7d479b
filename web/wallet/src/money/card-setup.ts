/**
 * Adding a card, the app's side. The card form (on the card network's origin) sends the
 * browser back to /app/cards with a token; the app hands it to Konpay and sends the
 * browser on to the issuer's 3-D Secure challenge. The challenge returns to Konpay's
 * return page, which links back here; the app then asks Konpay how it ended.
 */
import type { Card, CardAdded } from '../../../shared/contract.js';
import { api, ApiError } from '../api.js';
import { pendingCard } from './pending.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the set-up; `leave` is called with the issuer's page when there is a challenge. */
export async function submitToken(token: string, leave: (url: string) => void): Promise<Card | undefined> {
  const { card, nextAction } = await api<CardAdded>('POST', '/v1/cards', { token });
  if (!nextAction) return finishSetup(card.id);
  // Remembered for the way back: the return page's link names it too, but a customer
  // may come back to the app by other ways (the back button, the home screen icon).
  pendingCard.set(card.id);
  leave(nextAction.url);
  return undefined;
}

/**
 * How the set-up ended, as Konpay reads it from the network (the browser's word is never
 * taken). A lost answer from the network is asked again a few times before giving up.
 */
export async function finishSetup(id: string): Promise<Card> {
  for (let attempt = 0; ; attempt++) {
    try {
      const card = await api<Card>('POST', `/v1/cards/${id}/verify`);
      pendingCard.set(undefined);
      return card;
    } catch (err) {
      const retry = err instanceof ApiError && err.code === 'card_network_unavailable' && attempt < 4;
      if (!retry) {
        if (err instanceof ApiError) pendingCard.set(undefined);
        throw err;
      }
      await sleep(1000 * (attempt + 1));
    }
  }
}
