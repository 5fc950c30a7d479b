/**
 * The signed-in terminal, for this tab only. Its secret is a money-moving credential, so
 * it is kept in sessionStorage (this tab, gone when the tab closes; a reload keeps the
 * till signed in) and never in localStorage, cookies or logs; signing out forgets it.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Terminal } from './contract.js';
import { Refusal, type Credentials, type Till } from './till.js';

const STORAGE_KEY = 'konpay.pos.terminal';

export function savedCredentials(): Credentials | undefined {
  try {
    const c = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Credentials> | null;
    return typeof c?.keyId === 'string' && typeof c.secret === 'string' ? { keyId: c.keyId, secret: c.secret } : undefined;
  } catch {
    return undefined;
  }
}

export function rememberCredentials(c: Credentials): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(c));
}

export function forgetCredentials(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/**
 * Refusals that mean these credentials will never work again (a wrong or rotated secret,
 * a revoked terminal): the till goes back to sign-in and says why. A suspension may be
 * lifted, so it is only explained.
 */
const CREDENTIALS_DEAD = new Set(['pos_key_unknown', 'pos_signature_invalid', 'pos_signature_malformed', 'pos_terminal_revoked']);
export const credentialsDead = (err: unknown) => err instanceof Refusal && CREDENTIALS_DEAD.has(err.code);

export interface Session {
  till: Till;
  terminal: Terminal;
  /** Forget the secret and go back to sign-in, with the refusal that caused it if any. */
  signOut(reason?: unknown): void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in till');
  return s;
}
