/**
 * The stored second factors, as the login and recovery flows see them (`SecondFactors`).
 * A passkey also signs in on its own (POST /v1/login/passkey/…); here it is the second
 * step of a flow whose account is already known.
 */
import type { SecondFactors } from '../deps.js';
import type { FactorDeps, FactorKeys } from './deps.js';
import { passkeyFactorOptions, verifyPasskeyFactor } from './passkey-factor.js';
import { useRecoveryCode } from './recovery-codes.js';
import { factorMethods } from './repo.js';
import { verifyTotp } from './totp.js';

export function storedSecondFactors(keys: FactorKeys, passkeys: Pick<FactorDeps, 'rp' | 'logger'>): SecondFactors {
  return {
    methods: (q, userId) => factorMethods(q, userId),
    verify: (q, userId, method, code, now) =>
      method === 'totp' ? verifyTotp(q, keys, userId, code, now) : useRecoveryCode(q, keys, userId, code, now),
    passkeyOptions: (q, userId) => passkeyFactorOptions(passkeys, q, userId),
    verifyPasskey: (q, userId, response, challenge, now) => verifyPasskeyFactor(passkeys, q, userId, response, challenge, now),
  };
}
