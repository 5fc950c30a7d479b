/**
 * The security endpoints' contract types, inferred from the server's zod schemas (type-only
 * imports: nothing of the server is bundled), so a changed shape fails the type-check here.
 */
import type { z } from 'zod';
import type {
  factorsView, passkeyLoginOptions, passkeyRegistrationOptions, passkeyView, recoveryCodesIssued, totpEnrolled,
} from '../../../../src/identity/factors/schemas.js';
import type { passkeyFactorOptions } from '../../../../src/identity/factors/webauthn-schemas.js';
import type { recoveryCompleteBody, recoveryEmailVerified, recoveryStarted } from '../../../../src/identity/recovery/schemas.js';
import type { passwordChanged, reauthBody, reauthenticated } from '../../../../src/identity/changes/schemas.js';
import type { unlockOptions } from '../../../../src/codes/schemas.js';
import type { externalIdentities, linkStarted, providersList } from '../../../../src/identity/oidc/schemas.js';

export type Factors = z.infer<typeof factorsView>;
export type Passkey = z.infer<typeof passkeyView>;
export type PasskeyCreation = z.infer<typeof passkeyRegistrationOptions>;
export type PasskeyLoginOptions = z.infer<typeof passkeyLoginOptions>;
export type PasskeyFactorOptions = z.infer<typeof passkeyFactorOptions>;
export type UnlockOptions = z.infer<typeof unlockOptions>;
export type TotpEnrolled = z.infer<typeof totpEnrolled>;
export type RecoveryCodes = z.infer<typeof recoveryCodesIssued>;
export type RecoveryStarted = z.infer<typeof recoveryStarted>;
export type RecoveryEmailVerified = z.infer<typeof recoveryEmailVerified>;
export type RecoveryCompleteBody = z.input<typeof recoveryCompleteBody>;
export type Reauthenticated = z.infer<typeof reauthenticated>;
export type ReauthBody = z.input<typeof reauthBody>;
export type PasswordChanged = z.infer<typeof passwordChanged>;
/** External ID sign-in (src/identity/oidc/). */
export type OidcProviders = z.infer<typeof providersList>;
export type ExternalIdentities = z.infer<typeof externalIdentities>;
export type LinkStarted = z.infer<typeof linkStarted>;
/** A second factor as the login and recovery flows name it. */
export type FactorMethod = RecoveryEmailVerified['methods'][number];

/** GET /v1/me/sessions, /devices and /security-events (src/identity/routes/me.ts). */
export interface SessionView { id: string; current: boolean; transport: 'cookie' | 'bearer'; deviceId: string | null; createdAt: string; lastSeenAt: string; expiresAt: string; ip: string | null; userAgent: string | null }
export interface DeviceView { id: string; label: string; current: boolean; createdAt: string; lastSeenAt: string }
export interface SecurityEvent { id: string; kind: string; ip: string | null; createdAt: string; details: Record<string, unknown> }
