/**
 * One operation at the till, however many times it is sent. The cashier's input (the
 * code and amount, say) names the operation: sent again unchanged after a lost answer it
 * is the same attempt, with the same Idempotency-Key (and order number), so the server
 * answers the first result instead of charging twice. Once an answer arrives, approved
 * or refused, the attempt is over: trying again (after a top-up, with a new code) is a
 * new operation with a new key, since the server replays refusals for a reused key.
 */
import { useRef } from 'preact/hooks';
import { NoAnswer, Refusal, newAttempt, type Attempt } from './till.js';

export function useAttempt<I, B>(make: (input: I) => B) {
  const current = useRef<{ input: string; attempt: Attempt<B> } | undefined>(undefined);
  return {
    /** The attempt for this input: the pending one if it is the same input, else a new one. */
    for(input: I): Attempt<B> {
      const key = JSON.stringify(input);
      if (current.current?.input !== key) current.current = { input: key, attempt: newAttempt(make(input)) };
      return current.current.attempt;
    },
    /** After an answer: only a lost one (or one still in progress) keeps the attempt open. */
    settle(err?: unknown): void {
      if (!outcomeUnknown(err)) current.current = undefined;
    },
  };
}

/** No answer yet for this attempt: it may have been carried out, so only the same key may be sent again. */
export function outcomeUnknown(err: unknown): boolean {
  return err instanceof NoAnswer || (err instanceof Refusal && err.code === 'idempotency_request_in_progress');
}
