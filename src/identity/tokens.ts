/**
 * Session tokens and device credentials.
 *
 * A session token is 256 random bits, shown to the client once and stored only as its
 * SHA-256 (ID-9): a database leak yields no usable sessions.
 *
 * A device credential is a JWT (HS256 under the server signing key) naming a device row
 * and its account. The signature stops forgery; the row makes it revocable (ID-4).
 */
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { randomToken, sha256 } from '../shared/crypto.js';

export const SESSION_PREFIX = 'kps';

export function newSessionToken(): { token: string; hash: Buffer } {
  const token = randomToken(SESSION_PREFIX, 32);
  return { token, hash: sha256(token) };
}

export function hashSessionToken(token: string): Buffer {
  return sha256(token);
}

const DEVICE_AUDIENCE = 'konpay:device';
const ISSUER = 'konpay';

export interface DeviceClaims {
  userId: string;
  deviceId: string;
}

export class DeviceCredentials {
  readonly #key: Uint8Array;
  constructor(signingKey: Buffer) {
    this.#key = new Uint8Array(signingKey);
  }

  async issue(claims: DeviceClaims, now: Date, lifetimeDays = 400): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ dev: claims.deviceId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(DEVICE_AUDIENCE)
      .setSubject(claims.userId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetimeDays * 86_400)
      .sign(this.#key);
  }

  /** The claims of a valid credential, or undefined for anything else (never throws). */
  async verify(credential: string | undefined, now: Date): Promise<DeviceClaims | undefined> {
    if (!credential || credential.length > 2048) return undefined;
    try {
      const { payload } = await jwtVerify(credential, this.#key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: DEVICE_AUDIENCE,
        currentDate: now,
      });
      if (typeof payload.sub !== 'string' || typeof payload.dev !== 'string') return undefined;
      return { userId: payload.sub, deviceId: payload.dev };
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) return undefined;
      throw err;
    }
  }
}
