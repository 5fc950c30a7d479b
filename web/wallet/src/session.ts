/** Refusals that mean the session is over (idle timeout, signed out elsewhere, too many wrong passwords): back to signing in. */
import { ApiError } from './api.js';

const ENDED = ['unauthenticated', 'session_expired', 'reauthentication_locked'];

export function sessionEnded(err: unknown): boolean {
  return err instanceof ApiError && ENDED.includes(err.code);
}
