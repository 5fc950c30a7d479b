/** The signed-in operator, for every screen: who they are (their role decides what is offered) and how to leave. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Operator } from './contract.js';

export interface Session {
  operator: Operator;
  /** Back to sign-in, saying why when a refusal caused it. */
  signOut(reason?: unknown): void;
  /** Risk and admin may unfreeze and flip kill switches (src/ops/http/roles.ts). */
  canChangeSwitches: boolean;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in console');
  return s;
}
