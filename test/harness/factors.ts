/** Driving the second-factor API as a customer would: TOTP codes, new-device logins, passkeys. */
import { generate } from 'otplib';
import { expect } from 'vitest';
import type { Clock } from '../../src/shared/clock.js';
import { bearer, type SignedUp } from './customer.js';
import type { TestKonpay } from './konpay.js';
import { SoftAuthenticator, type CreationOptionsLike, type RequestOptionsLike } from './webauthn.js';

type Method = 'GET' | 'POST' | 'DELETE';

export function api(t: TestKonpay) {
  return (method: Method, url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.konpay.app.inject({ method, url, ...(payload ? { payload } : {}), headers });
}

/** The code an authenticator app shows at `at`, `steps` periods later or earlier. */
export function totpCode(secret: string, at: Date, steps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) + steps * 30 });
}

/** Enrols and confirms TOTP for a (freshly signed-in, so privileged) customer; returns the secret. */
export async function enableTotp(t: TestKonpay, clock: Clock, who: SignedUp): Promise<string> {
  const call = api(t);
  const enrol = await call('POST', '/v1/me/factors/totp', undefined, bearer(who.token));
  expect(enrol.statusCode, enrol.body).toBe(201);
  const { secret } = enrol.json() as { secret: string };
  const confirm = await call('POST', '/v1/me/factors/totp/confirm', { code: await totpCode(secret, clock.now()) }, bearer(who.token));
  expect(confirm.statusCode, confirm.body).toBe(200);
  return secret;
}

export async function issueRecoveryCodes(t: TestKonpay, who: SignedUp): Promise<string[]> {
  const res = await api(t)('POST', '/v1/me/factors/recovery-codes', undefined, bearer(who.token));
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { codes: string[] }).codes;
}

/** A password login from a device the account has never seen: answers the second-factor flow. */
export async function startNewDeviceLogin(t: TestKonpay, who: SignedUp): Promise<{ flowId: string; methods: string[] }> {
  const res = await api(t)('POST', '/v1/login', { identifier: who.email, password: who.password });
  expect(res.statusCode, res.body).toBe(202);
  return res.json() as { flowId: string; methods: string[] };
}

/** Creates a software authenticator for the server's origin and registers it to the customer. */
export async function addPasskey(t: TestKonpay, who: SignedUp, label = 'Test passkey'): Promise<SoftAuthenticator> {
  const call = api(t);
  const authr = new SoftAuthenticator(t.config.http.publicUrl);
  const opts = await call('POST', '/v1/me/factors/passkeys/options', undefined, bearer(who.token));
  expect(opts.statusCode, opts.body).toBe(200);
  const { options } = opts.json() as { options: CreationOptionsLike };
  const res = await call('POST', '/v1/me/factors/passkeys', { response: authr.register(options), label }, bearer(who.token));
  expect(res.statusCode, res.body).toBe(201);
  return authr;
}

export async function passkeyLoginOptions(t: TestKonpay, identifier?: string): Promise<{ flowId: string; options: RequestOptionsLike & { allowCredentials?: { id: string }[]; userVerification?: string } }> {
  const res = await api(t)('POST', '/v1/login/passkey/options', identifier === undefined ? {} : { identifier });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { flowId: string; options: RequestOptionsLike };
}

export type FlowPasskeyOptions = RequestOptionsLike & { allowCredentials?: { id: string }[]; userVerification?: string };

/** Passkey options of a login flow (`/v1/login/{id}`) or recovery flow (`/v1/recovery/{id}`), answered 200. */
export async function flowPasskeyOptions(t: TestKonpay, flowPath: string): Promise<FlowPasskeyOptions> {
  const res = await api(t)('POST', `${flowPath}/passkey/options`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { options: FlowPasskeyOptions }).options;
}
