/** What the second-factor use cases need beyond the identity module's own collaborators. */
import type { IdentityDeps } from '../deps.js';
import type { UserRow } from '../repo/users.js';

/** The WebAuthn relying party: Konpay as the browser sees it. */
export interface RelyingParty {
  /** The registrable domain passkeys are scoped to (`konpay.jp`); a phishing site cannot ask for them. */
  readonly id: string;
  readonly name: string;
  /** The exact origin (`https://konpay.jp`) the browser must report in clientDataJSON. */
  readonly origin: string;
}

/** Keys for secrets of the factors at rest. */
export interface FactorKeys {
  /** Seals TOTP secrets (AES-256-GCM, bound to the user id): a database dump alone cannot mint codes. */
  readonly encryptionKey: Buffer;
  /** Keys the hashes of recovery codes: a database dump alone cannot test guesses offline. */
  readonly signingKey: Buffer;
}

export interface FactorDeps extends IdentityDeps {
  keys: FactorKeys;
  rp: RelyingParty;
}

/** The relying party of a public URL: its hostname is the RP ID, its origin the expected origin. */
export function relyingPartyOf(publicUrl: string, name = 'Konpay'): RelyingParty {
  const u = new URL(publicUrl);
  return { id: u.hostname, name, origin: u.origin };
}

/** Who is changing their factors, from where: for the change itself and its security notice. */
export interface Actor {
  user: Pick<UserRow, 'id' | 'email' | 'locale'>;
  deviceId: string | null;
  ip: string | null;
}
