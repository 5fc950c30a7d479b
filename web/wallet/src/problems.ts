/**
 * Turns an API refusal into a sentence a customer can act on: each problem `code` the
 * wallet's screens can meet has its own message (with the problem's numbers: tries left,
 * seconds to wait); any other code says so and names it, for support.
 */
import { ApiError, NetworkError } from './api.js';
import { en, type MessageKey } from './i18n/en.js';
import type { Translate } from './i18n/i18n.js';

/** Codes with a message of their own; the type refuses one without its `error.…` message. */
type CodeOf<K> = K extends `error.${infer C}` ? C : never;
type Explained = CodeOf<MessageKey>;
/** Every `error.<code>` message, in whichever area's message file it lives, explains its code. */
const isExplained = (code: string): code is Explained => `error.${code}` in en;
const WEAK_REASONS = ['too_short', 'too_long', 'breached', 'contains_identifier'] as const;

/** A mistake caught before asking the API (an empty field, a too-short password). */
export class InputError extends Error {
  constructor(readonly key: MessageKey) {
    super(key);
  }
}

export function explain(err: unknown, t: Translate): string {
  if (err instanceof InputError) return t(err.key);
  if (err instanceof NetworkError) return t('error.network');
  if (!(err instanceof ApiError)) return t('error.unknown', { code: 'client' });
  const p = err.problem as Record<string, unknown> & { code: string };
  if (p.code === 'weak_password') {
    const reason = WEAK_REASONS.find((r) => r === p.reason);
    return reason ? t(`error.weak_password.${reason}`) : t('error.unknown', { code: p.code });
  }
  if (!isExplained(p.code)) return t('error.unknown', { code: p.code });
  const seconds = typeof p.retryAfterSeconds === 'number' ? p.retryAfterSeconds : 60;
  return t(`error.${p.code}`, {
    remaining: typeof p.remaining === 'number' ? p.remaining : 0,
    seconds,
    minutes: Math.max(1, Math.ceil(seconds / 60)),
  });
}
