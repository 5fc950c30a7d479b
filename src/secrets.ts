/**
 * Server-side secrets: the password pepper, the signing key (device credentials,
 * webhooks) and the encryption key (terminal secrets at rest).
 *
 * In production they come from the environment only. Elsewhere a missing secret is
 * generated once into `<dataDir>/secrets.json` (mode 0600) so a zero-configuration
 * start keeps working across restarts without anyone inventing keys by hand.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Secrets {
  /** base64url, ≥ 32 bytes each. */
  readonly passwordPepper: string;
  readonly signingKey: string;
  readonly encryptionKey: string;
  /** Password of the embedded PostgreSQL superuser; absent when DATABASE_URL is used in production. */
  readonly embeddedDbPassword: string | undefined;
  /**
   * Bearer token of the operator API (`/ops/v1`, src/ops/http/) for machines, ≥ 32
   * characters; people sign in to the console with their own accounts. Absent in
   * production unless OPERATOR_API_TOKEN is set: then no bearer token is accepted.
   */
  readonly operatorApiToken: string | undefined;
}

type SecretName = 'passwordPepper' | 'signingKey' | 'encryptionKey' | 'embeddedDbPassword' | 'operatorApiToken';
const NAMES: readonly SecretName[] = ['passwordPepper', 'signingKey', 'encryptionKey', 'embeddedDbPassword', 'operatorApiToken'];
/** The operator API token is compared as text, not decoded: its floor is in characters. */
export const OPERATOR_TOKEN_MIN_CHARS = 32;
const MIN_BYTES = 32;

/** Validates a secret given as base64 or base64url; the message names the variable, never the value. */
export function parseSecret(name: string, value: string | undefined): string {
  if (!value) throw new Error(`${name} is required`);
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length < MIN_BYTES) throw new Error(`${name} must encode at least ${MIN_BYTES} random bytes (base64)`);
  return value;
}

/** The values a log line must never contain. */
export function secretValues(s: Secrets): string[] {
  return [s.passwordPepper, s.signingKey, s.encryptionKey, ...(s.embeddedDbPassword ? [s.embeddedDbPassword] : []), ...(s.operatorApiToken ? [s.operatorApiToken] : [])];
}

export function secretBytes(secret: string): Buffer {
  return Buffer.from(secret, 'base64url');
}

export function newSecret(): string {
  return randomBytes(MIN_BYTES).toString('base64url');
}

export async function loadOrCreateSecrets(
  dataDir: string,
  fromEnv: { passwordPepper?: string | undefined; signingKey?: string | undefined; encryptionKey?: string | undefined; operatorApiToken?: string | undefined },
): Promise<Secrets> {
  const file = join(dataDir, 'secrets.json');
  const stored = await readSecretsFile(file);
  const merged: Partial<Record<SecretName, string>> = { ...stored };
  let changed = false;
  for (const name of NAMES) {
    if (!merged[name]) {
      merged[name] = newSecret();
      changed = true;
    }
  }
  if (changed) {
    // 0755: the embedded PostgreSQL (another system user when we are root) must reach <dataDir>/pg.
    await mkdir(dataDir, { recursive: true, mode: 0o755 });
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, JSON.stringify(merged, null, 2) + '\n', { mode: 0o600 });
    if (Object.keys(stored).length === 0) {
      // First start: create the file exclusively, so two servers starting together on a
      // fresh data folder cannot end up holding different peppers.
      const created = await link(tmp, file).then(() => true, (err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') return false;
        throw err;
      });
      await unlink(tmp);
      if (!created) return loadOrCreateSecrets(dataDir, fromEnv);
    } else {
      await rename(tmp, file);
    }
  }
  return {
    passwordPepper: parseSecret('KONPAY_PASSWORD_PEPPER', fromEnv.passwordPepper ?? merged.passwordPepper),
    signingKey: parseSecret('KONPAY_SIGNING_KEY', fromEnv.signingKey ?? merged.signingKey),
    encryptionKey: parseSecret('KONPAY_ENCRYPTION_KEY', fromEnv.encryptionKey ?? merged.encryptionKey),
    embeddedDbPassword: merged.embeddedDbPassword,
    operatorApiToken: fromEnv.operatorApiToken ?? operatorTokenFromFile(merged.operatorApiToken),
  };
}

/** A hand-edited file must not weaken the token below what the environment variable may be. */
function operatorTokenFromFile(value: string | undefined): string | undefined {
  if (value !== undefined && value.length < OPERATOR_TOKEN_MIN_CHARS) throw new Error(`operatorApiToken in secrets.json must be at least ${OPERATOR_TOKEN_MIN_CHARS} characters`);
  return value;
}

async function readSecretsFile(file: string): Promise<Partial<Record<SecretName, string>>> {
  try {
    const json: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (!json || typeof json !== 'object') throw new Error('not an object');
    const out: Partial<Record<SecretName, string>> = {};
    for (const name of NAMES) {
      const v = (json as Record<string, unknown>)[name];
      if (typeof v === 'string') out[name] = v;
    }
    return out;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
}
