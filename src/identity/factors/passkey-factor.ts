/**
 * A passkey as the second factor of a password login or of recovery (ID-4, ID-7): the
 * account is already fixed by its password or e-mail code, so only its own passkeys are
 * offered or accepted. The challenge is made here but kept by the caller's flow.
 *
 * User verification is required, as for passkey sign-in: every passkey was registered
 * with it, so no customer is turned away, and a stolen security key or unlocked-looking
 * phone alone then cannot stand in for the factor; in recovery, where the password is
 * being replaced, the passkey and the mailbox are all that is proven.
 */
import { randomBytes } from 'node:crypto';
import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Queryable } from '../../db/pool.js';
import type { PasskeyAssertion } from '../deps.js';
import { acceptAssertion } from './assertion.js';
import { CHALLENGE_TTL_MS } from './challenges.js';
import type { FactorDeps } from './deps.js';
import { listPasskeys, lockPasskey } from './repo.js';

type Deps = Pick<FactorDeps, 'rp' | 'logger'>;

export async function passkeyFactorOptions(d: Deps, q: Queryable, userId: string): Promise<{ challenge: string; options: PublicKeyCredentialRequestOptionsJSON } | undefined> {
  const passkeys = await listPasskeys(q, userId);
  if (passkeys.length === 0) return undefined;
  const challenge = randomBytes(32).toString('base64url');
  const options = await generateAuthenticationOptions({
    rpID: d.rp.id, allowCredentials: passkeys.map((p) => ({ id: p.id, transports: p.transports })),
    userVerification: 'required', timeout: CHALLENGE_TTL_MS, challenge: new Uint8Array(Buffer.from(challenge, 'base64url')),
  });
  return { challenge, options };
}

export async function verifyPasskeyFactor(d: Deps, q: Queryable, userId: string, response: PasskeyAssertion, challenge: string, now: Date): Promise<'ok' | 'wrong' | 'cloned'> {
  const passkey = await lockPasskey(q, response.id);
  // Another account's passkey proves nothing about this one: just a wrong answer.
  if (!passkey || passkey.user_id !== userId) return 'wrong';
  const verdict = await acceptAssertion(d, q, passkey, response, challenge, now);
  return verdict === 'invalid' ? 'wrong' : verdict;
}
