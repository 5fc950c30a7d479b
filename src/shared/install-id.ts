/**
 * Install ids: a random, opaque id a client keeps across accounts and sign-outs (the web
 * wallet in an HttpOnly cookie, the app in the `Konpay-Install` header), so the risk engine
 * can count the accounts and sign-ups made from one browser or app install (RISK-1).
 *
 * It is a risk signal only, never authentication: any client can send any value, so it
 * opens no session, proves no device and reaches no account. Knowing someone's install id
 * lets a client at most make that install look shared. It is also a tracking identifier:
 * it is stored only as its SHA-256 (`installDigest`) and never logged.
 *
 * @example newInstallId() // 'kpi_' + 22 base64url characters (128 random bits)
 */
import { randomToken, sha256 } from './crypto.js';

const PREFIX = 'kpi';
/** 16 bytes of base64url: 22 characters. */
const FORMAT = /^kpi_[A-Za-z0-9_-]{22}$/;

export function newInstallId(): string {
  return randomToken(PREFIX, 16);
}

export function isInstallId(value: string): boolean {
  return FORMAT.test(value);
}

/** What the database keeps and the engine counts by: the id itself is never stored. */
export function installDigest(installId: string): Buffer {
  return sha256(installId);
}
