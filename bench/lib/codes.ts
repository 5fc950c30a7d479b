/**
 * One-time payment codes for a measured phase, made as the app's `POST /v1/payment-codes`
 * stores them (src/codes/issue.ts): a fresh random code from `newPaymentCode`, only its
 * HMAC under the signing key in `payment_codes`, bound to the customer's device and
 * session, valid for the configured TTL from now. The codes themselves go to the load
 * generator; every payment uses its own.
 *
 * Customers are taken in turn from the payers' range, so no wallet pays twice before
 * every other one has paid once. As issuing does, a new code supersedes the device's
 * codes still open from before (within one batch a wallet chosen twice keeps both).
 */
import type pg from 'pg';
import { newPaymentCode, paymentCodeDigest } from '../../src/codes/format.js';
import { newUuid } from '../../src/shared/ids.js';

const CHUNK = 10_000;

export class CodeMaker {
  #cursor = 0;
  made = 0;

  constructor(private readonly pool: pg.Pool, private readonly signingKey: Buffer, private readonly payers: { first: number; count: number }, private readonly ttlSeconds: number) {}

  async make(n: number): Promise<string[]> {
    const codes: string[] = [];
    const started = (await this.pool.query<{ now: Date }>('SELECT now()')).rows[0]!.now;
    for (let done = 0; done < n; done += CHUNK) {
      const size = Math.min(CHUNK, n - done);
      const ids: string[] = [];
      const digests: Buffer[] = [];
      const wallets: number[] = [];
      for (let k = 0; k < size; k++) {
        const code = newPaymentCode();
        codes.push(code);
        ids.push(newUuid());
        digests.push(paymentCodeDigest(this.signingKey, code));
        wallets.push(this.payers.first + (this.#cursor++ % this.payers.count));
      }
      // As issuing does: the device's codes still open (from an earlier phase) are superseded.
      await this.pool.query(
        `UPDATE payment_codes c SET superseded_at = now()
           FROM bench.wallets w
          WHERE w.i = ANY($1::int[]) AND c.device_id = w.device_id AND c.used_at IS NULL AND c.superseded_at IS NULL AND c.created_at < $2`,
        [wallets, started],
      );
      await this.pool.query(
        `INSERT INTO payment_codes (id, code_digest, user_id, device_id, session_id, created_at, expires_at)
         SELECT x.id, x.d, w.user_id, w.device_id, w.session_id, now(), now() + make_interval(secs => $4)
           FROM unnest($1::uuid[], $2::bytea[], $3::int[]) AS x(id, d, i) JOIN bench.wallets w ON w.i = x.i`,
        [ids, digests, wallets, this.ttlSeconds],
      );
    }
    this.made += n;
    return codes;
  }
}
