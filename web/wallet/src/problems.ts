/**
 * Turns an API refusal into a sentence a customer can act on: each problem `code` the
 * wallet's screens can meet has its own message (with the problem's numbers: tries left,
 * seconds to wait); any other code says so and names it, for support.
 */
import { ApiError, NetworkError } from './api.js';
import type { MessageKey } from './i18n/en.js';
import type { Translate } from './i18n/i18n.js';

/** Codes with a message of their own; the type refuses one without its `error.…` message. */
type CodeOf<K> = K extends `error.${infer C}` ? C : never;
type Explained = CodeOf<MessageKey>;
const KNOWN: readonly Explained[] = [
  'invalid_email', 'invalid_phone', 'code_wrong', 'code_expired', 'code_not_sent', 'flow_not_found', 'too_many_attempts',
  'resend_too_soon', 'resend_limit', 'code_send_limit', 'account_exists', 'invalid_credentials', 'login_throttled',
  'proof_of_work_required', 'account_frozen', 'unauthenticated', 'session_expired', 'csrf_failed', 'validation_failed',
  'factor_unavailable', 'pin_wrong', 'pin_locked', 'pin_weak', 'unlock_required', 'device_required', 'reauthentication_required',
  'password_wrong', 'reauthentication_locked', 'invalid_cursor',
];
const isExplained = (code: string): code is Explained => (KNOWN as readonly string[]).includes(code);
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
