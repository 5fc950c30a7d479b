/** Helpers for throttle tests: settings to start from, and solving proof-of-work challenges as a client would. */
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { ThrottleSettings } from '../../src/identity/throttle/policy.js';

/** The production defaults, with a proof of work cheap enough to solve in a test. */
export function testThrottleSettings(login: Partial<ThrottleSettings['login']> = {}): ThrottleSettings {
  return {
    login: {
      freeFailuresPerAccount: 10, freeFailuresPerAccountIp: 5, freeFailuresPerIp: 30,
      firstDelayMs: 1000, maxDelayMs: 900_000, maxConsecutiveFailures: 100,
      forgetAccountAfterMs: 30 * 24 * 3_600_000, forgetIpAfterMs: 24 * 3_600_000, breakerFailuresPerMinute: 300,
      ...login,
    },
    pow: { cost: 1, maxNumber: 20, ttlMs: 300_000 },
    sends: { perDestinationPerHour: 5, perIpPerHour: 30, smsPerHour: 50_000 },
    addresses: { oidcStarts: { limit: 60, windowMs: 3_600_000 }, challenges: { limit: 30, windowMs: 60_000 } },
  };
}

/** Environment for startTestKonpay with the same cheap proof of work. */
export const CHEAP_POW_ENV = { LOGIN_POW_COST: '1', LOGIN_POW_MAX_NUMBER: '20' } as const;

/** Solves a challenge and encodes the answer as the ALTCHA widget does: base64 of `{challenge, solution}`. */
export async function solvePow(challenge: Challenge): Promise<string> {
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 20_000 });
  if (!solution) throw new Error('challenge not solved');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}
