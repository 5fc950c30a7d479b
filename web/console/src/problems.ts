/**
 * Turns a refusal into a sentence an operator can act on: each problem `code` the console
 * meets has its message; any other is named for the platform team.
 */
import { ApiError, NetworkError } from './api.js';
import { InputError as SharedInputError } from '../../shared/problems.js';
import { en, type MessageKey } from './i18n/en.js';
import type { Translate } from './i18n/i18n.js';

/** A mistake caught before asking the API, with its message. */
export class InputError extends SharedInputError<MessageKey> {}

const has = (key: string): key is MessageKey => Object.hasOwn(en, key);

export function explain(err: unknown, t: Translate): string {
  if (err instanceof InputError) return t(err.key);
  if (err instanceof NetworkError) return t('error.network');
  if (!(err instanceof ApiError)) return t('error.unknown', { code: 'client' });
  const p = err.problem;
  const key = `error.${p.code}`;
  if (!has(key)) return t('error.unknown', { code: p.code });
  return t(key, {
    seconds: typeof p.retryAfterSeconds === 'number' ? p.retryAfterSeconds : '',
    detail: typeof p.detail === 'string' ? p.detail : '',
  });
}

/** The session is gone (idle, expired, signed out elsewhere): back to sign-in. */
export const sessionEnded = (err: unknown) => err instanceof ApiError && err.code === 'operator_unauthorized';
