/**
 * The stored second factors, as the login and recovery flows see them (`SecondFactors`).
 * Passkeys are listed among the methods but not verified here: a passkey is a whole
 * authentication of its own (POST /v1/login/passkey/…), not a code typed into a flow.
 */
import type { SecondFactors } from '../deps.js';
import type { FactorKeys } from './deps.js';
import { useRecoveryCode } from './recovery-codes.js';
import { factorMethods } from './repo.js';
import { verifyTotp } from './totp.js';

export function storedSecondFactors(keys: FactorKeys): SecondFactors {
  return {
    methods: (q, userId) => factorMethods(q, userId),
    verify: (q, userId, method, code, now) =>
      method === 'totp' ? verifyTotp(q, keys, userId, code, now) : useRecoveryCode(q, keys, userId, code, now),
  };
}
