/** What the browser sees after a top-up's 3-D Secure challenge (the page itself: src/cards/return-page.ts). */
import type { ReturnPage } from '../cards/return-page.js';
import { toPublicId } from '../shared/ids.js';
import type { TopupRow } from './repo.js';

/** Yen as written in each language: "￥3,000" on a Japanese receipt, "¥3,000" in English. */
const yenJa = (n: number) => `￥${n.toLocaleString('ja-JP')}`;
const yenEn = (n: number) => `¥${n.toLocaleString('en-US')}`;

/**
 * The outcome as the server now knows it, and a link back to the top-up screen naming
 * this top-up (from our own row), where the app follows it to the end.
 */
export function topupReturnPage(t: Pick<TopupRow, 'id' | 'amount' | 'status'>): ReturnPage {
  const back = `/app/topup?topup=${toPublicId('top', t.id)}`;
  switch (t.status) {
    case 'succeeded': return { ok: true, ja: `${yenJa(t.amount)}をチャージしました`, en: `${yenEn(t.amount)} was added to your wallet.`, back };
    case 'processing':
    case 'requires_action': return { ok: 'pending', ja: '処理中です', en: 'Your top-up is being processed. The app shows the result.', back };
    default: return { ok: false, ja: 'チャージできませんでした', en: 'The top-up did not go through; nothing was charged. The app shows why.', back };
  }
}
