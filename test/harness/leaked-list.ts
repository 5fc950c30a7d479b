/**
 * Credential stuffing material (SPEC.md §1): real accounts, and a "leaked" list of
 * (identifier, password) pairs from another site in which a few pairs are right.
 */
import { newUuid } from '../../src/shared/ids.js';
import { insertUser } from '../../src/identity/repo/users.js';
import { signUp, type SignedUp } from './customer.js';
import type { TestKonpay } from './konpay.js';

export interface LeakedPair {
  identifier: string;
  password: string;
  /** Right for a real account: the pair the attacker hopes for. */
  valid: boolean;
}

export interface Victims {
  /** Signed up through the API: each holds a session and a remembered device. Their passwords leaked. */
  owners: SignedUp[];
  /** Inserted directly (fast): real accounts whose passwords did not leak. */
  others: { email: string; password: string }[];
}

let batch = 0;

/** `owners` signed up through the API, the rest of `total` inserted with the live hasher. */
export async function createVictims(t: TestKonpay, owners: number, total: number): Promise<Victims> {
  const v: Victims = { owners: [], others: [] };
  for (let i = 0; i < owners; i++) v.owners.push(await signUp(t));
  const { hasher, clock } = t.konpay.identity;
  const tag = `${process.pid}-${++batch}`;
  for (let i = 0; i < total - owners; i++) {
    const email = `leak-${tag}-${i}@example.net`;
    const password = `unleaked passphrase ${tag} ${i}`;
    // 080-7xxx-xxxx: mobile numbers no harness customer uses.
    const phone = `+81807${String(batch * 1000 + i).padStart(7, '0')}`;
    await insertUser(t.konpay.pool, { id: newUuid(), email, phone, passwordHash: await hasher.hash(password), locale: 'ja', now: clock.now() });
    v.others.push({ email, password });
  }
  return v;
}

/**
 * `size` pairs: each owner's real password once, `perAccount` wrong guesses for every
 * real account, and the rest identifiers with no Konpay account at all (as in any
 * real dump). Shuffled with a fixed seed, so a run is repeatable.
 */
export function leakedList(v: Victims, size: number, perAccount: number): LeakedPair[] {
  const pairs: LeakedPair[] = v.owners.map((o) => ({ identifier: o.email, password: o.password, valid: true }));
  const accounts = [...v.owners.map((o) => o.email), ...v.others.map((o) => o.email)];
  for (const [i, identifier] of accounts.entries()) {
    for (let k = 0; k < perAccount; k++) pairs.push({ identifier, password: `Summer2019!${i}-${k}`, valid: false });
  }
  for (let i = 0; pairs.length < size; i++) pairs.push({ identifier: `someone${i}@mail.example.com`, password: `hunter2-${i}`, valid: false });
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
  }
  return pairs.slice(0, size);
}
