/**
 * Operator accounts, made and ended from the CLI (`npm run ops -- operators …`), never over
 * HTTP: whoever can reach the server's configuration is already trusted with it, and no
 * web request can mint a new operator.
 *
 * A new account gets a generated password (about 100 bits, never chosen by a person, so
 * never reused from elsewhere) and a fresh TOTP secret. Both are answered once, to be
 * printed once; Konpay keeps the password only as argon2id and the secret only sealed.
 */
import { randomInt } from 'node:crypto';
import { withTransaction } from '../db/tx.js';
import { normaliseEmail } from '../identity/contact.js';
import { newUuid, toPublicId } from '../shared/ids.js';
import type { OperatorAccountDeps } from './deps.js';
import { disableOperator, insertOperator, listOperators, type OperatorRole, type OperatorRow } from './repo.js';
import { newOperatorTotp } from './totp.js';

/** No 0/o, 1/l/i: read off a screen and typed once into a password manager. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Four groups of five from 31 symbols: 20 × log2(31) ≈ 99 bits. */
export function generateOperatorPassword(): string {
  const group = () => Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return [group(), group(), group(), group()].join('-');
}

export type CreateOperatorResult =
  | { kind: 'created'; id: string; email: string; password: string; totpUri: string }
  | { kind: 'invalid_email' }
  | { kind: 'exists' };

export async function createOperator(d: OperatorAccountDeps, o: { email: string; name: string; role: OperatorRole }): Promise<CreateOperatorResult> {
  const email = normaliseEmail(o.email);
  if (!email) return { kind: 'invalid_email' };
  const id = newUuid();
  const password = generateOperatorPassword();
  const totp = newOperatorTotp(d.encryptionKey, id, email);
  const inserted = await insertOperator(d.pool, {
    id, email, name: o.name.trim(), role: o.role, passwordHash: await d.hasher.hash(password), totpSecretSealed: totp.sealed, now: d.clock.now(),
  });
  if (!inserted) return { kind: 'exists' };
  return { kind: 'created', id: toPublicId('opr', id), email, password, totpUri: totp.uri };
}

export async function operatorList(d: Pick<OperatorAccountDeps, 'pool'>): Promise<OperatorRow[]> {
  return listOperators(d.pool);
}

/** Disabling is the end of an account: its sessions end at once, and it cannot sign in again. */
export async function disableOperatorAccount(d: Pick<OperatorAccountDeps, 'pool' | 'clock'>, email: string): Promise<'disabled' | 'not_found'> {
  const normalised = normaliseEmail(email);
  if (!normalised) return 'not_found';
  const now = d.clock.now();
  return (await withTransaction(d.pool, (q) => disableOperator(q, normalised, now))) ? 'disabled' : 'not_found';
}
