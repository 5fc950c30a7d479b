/**
 * The browser's side of passkeys (WebAuthn), through @simplewebauthn/browser: it turns the
 * server's JSON options into the browser's calls and the answers back into JSON. What the
 * browser refuses (the customer closed the prompt, this passkey is already registered, no
 * WebAuthn at all) becomes a sentence, like an API refusal.
 */
import {
  browserSupportsWebAuthn, startAuthentication, startRegistration, WebAuthnError,
  type AuthenticationResponseJSON, type PublicKeyCredentialCreationOptionsJSON, type PublicKeyCredentialRequestOptionsJSON, type RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { InputError } from '../problems.js';

export const passkeysSupported = (): boolean => browserSupportsWebAuthn();

function explained(err: unknown): InputError {
  if (err instanceof WebAuthnError && err.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return new InputError('error.passkey_exists');
  const name = err instanceof Error ? err.name : '';
  // NotAllowedError covers both "closed the prompt" and "timed out": the same way on is to try again.
  if (name === 'NotAllowedError' || name === 'AbortError' || (err instanceof WebAuthnError && err.code === 'ERROR_CEREMONY_ABORTED')) {
    return new InputError('error.passkey_cancelled');
  }
  return new InputError('error.passkey_failed');
}

/** The options' shapes are the server's (zod, loosely typed); the library takes them as they are. */
export async function createPasskey(options: object): Promise<RegistrationResponseJSON> {
  if (!passkeysSupported()) throw new InputError('error.passkey_unsupported');
  try {
    return await startRegistration({ optionsJSON: options as PublicKeyCredentialCreationOptionsJSON });
  } catch (err) {
    throw explained(err);
  }
}

export async function signWithPasskey(options: object): Promise<AuthenticationResponseJSON> {
  if (!passkeysSupported()) throw new InputError('error.passkey_unsupported');
  try {
    return await startAuthentication({ optionsJSON: options as PublicKeyCredentialRequestOptionsJSON });
  } catch (err) {
    throw explained(err);
  }
}
