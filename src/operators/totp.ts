/**
 * The operator's authenticator app: the same RFC 6238 parameters as customers' TOTP
 * (src/identity/factors/totp.ts: SHA-1, 6 digits, 30 s, one step of drift) and the same
 * protection at rest (AES-256-GCM under the encryption key, bound to the operator's id).
 * The last accepted step is kept, so a code works once even within its 30 seconds.
 */
import { generateSecret, generateURI, verify } from 'otplib';
import { seal, unseal } from '../shared/crypto.js';

const DIGITS = 6;
/** As customers' TOTP_PERIOD_S (src/identity/factors/totp.ts); not imported, so the CLI need not load that module's graph. */
const TOTP_PERIOD_S = 30;
export const OPERATOR_TOTP_ISSUER = 'Konpay Operations';

/** The additional data that binds a sealed secret to its operator row. */
const aadOf = (operatorId: string) => `operator:${operatorId}`;

export function newOperatorTotp(encryptionKey: Buffer, operatorId: string, email: string): { uri: string; sealed: string } {
  const secret = generateSecret({ length: 20 }); // 160 bits, RFC 4226's size for SHA-1
  const uri = generateURI({ issuer: OPERATOR_TOTP_ISSUER, label: email, secret, algorithm: 'sha1', digits: DIGITS, period: TOTP_PERIOD_S });
  return { uri, sealed: seal(encryptionKey, secret, aadOf(operatorId)) };
}

/** The time step `code` belongs to, within one step of now and after `lastStep`; else undefined. */
export async function operatorTotpStep(encryptionKey: Buffer, row: { id: string; totp_secret_sealed: string; totp_last_step: number }, code: string, now: Date): Promise<number | undefined> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const epoch = Math.floor(now.getTime() / 1000);
  const newestStep = Math.floor(epoch / TOTP_PERIOD_S) + 1;
  const r = await verify({
    secret: unseal(encryptionKey, row.totp_secret_sealed, aadOf(row.id)),
    token, epoch, algorithm: 'sha1', digits: DIGITS, period: TOTP_PERIOD_S, epochTolerance: TOTP_PERIOD_S,
    // otplib throws when this lies beyond its window; a step that far ahead refuses every code anyway.
    afterTimeStep: Math.min(row.totp_last_step, newestStep),
  });
  return r.valid && 'timeStep' in r && r.timeStep > row.totp_last_step ? r.timeStep : undefined;
}
