/**
 * A software passkey authenticator for tests: a real ES256 (P-256) key pair from
 * node:crypto, real CBOR attestation objects ('none' format) and real signatures over
 * authenticatorData || SHA-256(clientDataJSON), so the server's genuine
 * @simplewebauthn/server verification runs against it, unmocked.
 *
 * Overrides let a test play the attacker: a phishing origin, another RP ID, another
 * challenge, or a cloned key whose counter lags behind.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

export interface CreationOptionsLike { challenge: string; rp: { id?: string }; user: { id: string } }
export interface RequestOptionsLike { challenge: string; rpId?: string }

export interface Overrides {
  origin?: string;
  rpId?: string;
  challenge?: string;
  /** Leave the UV flag off: a tap without PIN or biometric. */
  unverified?: boolean;
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();
const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

export class SoftAuthenticator {
  readonly #key: KeyObject;
  readonly #publicKey: KeyObject;
  readonly credentialId: Buffer;
  /** The signature counter; each assertion increments it first, as authenticators do. */
  counter: number;
  /** The user handle remembered at registration (discoverable credential). */
  userHandle: string | undefined;

  constructor(readonly origin: string, readonly opts: { rpId?: string; synced?: boolean } = {}, from?: SoftAuthenticator) {
    if (from) {
      this.#key = from.#key;
      this.#publicKey = from.#publicKey;
      this.credentialId = from.credentialId;
      this.counter = from.counter;
      this.userHandle = from.userHandle;
    } else {
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      this.#key = pair.privateKey;
      this.#publicKey = pair.publicKey;
      this.credentialId = randomBytes(16);
      this.counter = 0;
    }
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** A copy of the key as it is now: it goes on with the counter where it was copied. */
  clone(): SoftAuthenticator {
    return new SoftAuthenticator(this.origin, this.opts, this);
  }

  /** The COSE_Key of the public key: kty EC2, alg ES256, crv P-256, x, y. */
  #coseKey(): Uint8Array {
    const jwk = this.#publicKey.export({ format: 'jwk' });
    return isoCBOR.encode(new Map<number, number | Uint8Array>([
      [1, 2], [3, -7], [-1, 1],
      [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
      [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
    ]));
  }

  #flags(o: Overrides, extra = 0): number {
    return UP | (o.unverified ? 0 : UV) | (this.opts.synced ? BE | BS : 0) | extra;
  }

  #clientData(type: string, challenge: string, o: Overrides): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge: o.challenge ?? challenge, origin: o.origin ?? this.origin, crossOrigin: false }));
  }

  /** What navigator.credentials.create() would answer for these options. */
  register(options: CreationOptionsLike, o: Overrides = {}): RegistrationResponseJSON {
    const rpId = o.rpId ?? options.rp.id ?? this.opts.rpId ?? new URL(this.origin).hostname;
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      sha256(rpId), Buffer.from([this.#flags(o, AT)]), u32(this.counter),
      Buffer.alloc(16), idLen, this.credentialId, this.#coseKey(),
    ]);
    const attestationObject = isoCBOR.encode(new Map<string, string | Uint8Array | Map<string, string>>([
      ['fmt', 'none'], ['attStmt', new Map<string, string>()], ['authData', new Uint8Array(authData)],
    ]));
    this.userHandle = options.user.id;
    return {
      id: this.id, rawId: this.id, type: 'public-key', authenticatorAttachment: 'platform', clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(this.#clientData('webauthn.create', options.challenge, o)),
        attestationObject: b64url(attestationObject),
        transports: ['internal', 'hybrid'],
      },
    };
  }

  /** What navigator.credentials.get() would answer for these options. */
  authenticate(options: RequestOptionsLike, o: Overrides = {}): AuthenticationResponseJSON {
    const rpId = o.rpId ?? options.rpId ?? this.opts.rpId ?? new URL(this.origin).hostname;
    this.counter += 1;
    const authData = Buffer.concat([sha256(rpId), Buffer.from([this.#flags(o)]), u32(this.counter)]);
    const clientDataJSON = this.#clientData('webauthn.get', options.challenge, o);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), { key: this.#key, dsaEncoding: 'der' });
    return {
      id: this.id, rawId: this.id, type: 'public-key', authenticatorAttachment: 'platform', clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
    };
  }
}
