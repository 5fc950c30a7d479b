/**
 * Which ways of confirming it is you the panel offers, in the order tried first. A risk
 * step-up (RISK-1) takes only a second factor: the password is what a thief of the
 * account most likely has, and the API answers `step_up_required` again after one. A
 * privileged change (ID-8) takes the password too, and keeps it first as before.
 */
import type { Factors } from './contract.js';

export type ReauthReason = 'privileged' | 'step_up';
export type Way = 'password' | 'passkey' | 'totp' | 'sms' | 'recovery_code';

/** `passkeys`: this browser can use one (an account's passkey elsewhere does not help here). */
export function waysFor(reason: ReauthReason, factors: Factors | undefined, passkeys: boolean): Way[] {
  const ways: Way[] = reason === 'privileged' ? ['password'] : [];
  // A passkey cannot be phished and an app code needs no network: offered before the SMS.
  if (passkeys && factors && factors.passkeys.length > 0) ways.push('passkey');
  if (factors?.totp.status === 'enabled') ways.push('totp');
  ways.push('sms'); // the verified phone: every account has it
  if (factors && factors.recoveryCodes.remaining > 0) ways.push('recovery_code');
  return ways;
}
