/** What the operator-account use cases need; built once by the composition root (and by the CLI, without sessions). */
import type pg from 'pg';
import type { PasswordHasher } from '../identity/password.js';
import type { Clock } from '../shared/clock.js';
import type { OperatorSessions } from './sessions.js';
import type { OperatorSignInThrottle } from './throttle.js';

export interface OperatorAccountDeps {
  pool: pg.Pool;
  clock: Clock;
  /** argon2id with the server pepper: the customers' hasher (src/identity/password.ts). */
  hasher: PasswordHasher;
  /** Seals TOTP secrets, as customers' are sealed. */
  encryptionKey: Buffer;
}

export interface OperatorSignInDeps extends OperatorAccountDeps {
  /** A hash of nothing, verified for unknown addresses so they cost what known ones do. */
  dummyHash: string;
  sessions: OperatorSessions;
  throttle: OperatorSignInThrottle;
}
