/**
 * Factor changes are security events (ID-13): recorded in the account's history and told
 * by e-mail and push in the same transaction as the change, so a thief who adds an
 * authenticator of their own cannot do it silently.
 */
import type { Queryable } from '../../db/pool.js';
import type { Actor, FactorDeps } from './deps.js';

export type FactorKind = 'totp' | 'recovery_code' | 'passkey';

const NAMES: Record<FactorKind, { ja: string; en: string }> = {
  totp: { ja: '認証アプリ (TOTP)', en: 'authenticator app (TOTP)' },
  recovery_code: { ja: 'リカバリーコード', en: 'recovery codes' },
  passkey: { ja: 'パスキー', en: 'passkey' },
};

export async function recordFactorChange(
  d: FactorDeps, q: Queryable, actor: Actor, kind: 'factor_added' | 'factor_removed', method: FactorKind, now: Date, label?: string,
): Promise<void> {
  const name = NAMES[method][actor.user.locale] + (label ? ` “${label}”` : '');
  const detail = actor.user.locale === 'ja'
    ? `方法: ${name} / IP: ${actor.ip ?? '-'} / 日時: ${now.toISOString()}`
    : `Method: ${name} · IP: ${actor.ip ?? '-'} · ${now.toISOString()}`;
  await d.events.record(q, actor.user, kind, { ip: actor.ip, deviceId: actor.deviceId, now }, {
    detail,
    details: { method, ...(label ? { label } : {}) },
  });
}
