import { defineErrors } from '../shared/errors.js';

/**
 * What a signed POS request can be refused with (PAY-2). 401: the request does not prove
 * it comes from a terminal's secret, now; 403: it does, but the terminal may not act.
 * Each refusal names only its own reason, never what the server expected.
 */
export const posErrors = defineErrors('pos', {
  pos_signature_missing: { status: 401, title: 'This request must be signed by a store terminal', hint: 'Send Konpay-Key-Id, Konpay-Timestamp, Konpay-Nonce and Konpay-Signature (docs/pos-api.md).' },
  pos_signature_malformed: { status: 401, title: 'A signing header is not in the expected form', hint: 'Timestamp: unix seconds; nonce: 16–64 characters of A–Z a–z 0–9 _ -; signature: `v1=` and 64 lowercase hex digits.' },
  pos_timestamp_out_of_range: { status: 401, title: 'The request timestamp is too far from the server clock', hint: 'Keep the terminal clock in sync (NTP); at most 5 minutes either way is accepted. Sign each attempt afresh.' },
  pos_key_unknown: { status: 401, title: 'No terminal has this key id', hint: 'Check Konpay-Key-Id against the value shown when the terminal was created.' },
  pos_signature_invalid: { status: 401, title: 'The request signature does not match', hint: 'Sign the method, the path with query as sent, the timestamp, the nonce and the SHA-256 of the exact body bytes with the current terminal secret.' },
  pos_nonce_reused: { status: 401, title: 'This nonce was already used by this terminal', hint: 'Every request, retries included, needs a fresh random nonce and a new signature; use Idempotency-Key to make a retry safe.' },
  pos_terminal_suspended: { status: 403, title: 'This terminal is suspended', hint: 'Ask the merchant\'s administrator or Konpay support to resume it.' },
  pos_terminal_revoked: { status: 403, title: 'This terminal\'s credentials were revoked', hint: 'Revocation is final: register a new terminal.' },
  pos_store_suspended: { status: 403, title: 'This store is suspended' },
  pos_merchant_suspended: { status: 403, title: 'This merchant is suspended' },
});

export type PosErrorCode = keyof typeof posErrors.codes;
