/** OIDC_PROVIDERS parsing: a bad entry stops the server with the reason. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { parseOidcProviders } from './config.js';

const google = { name: 'google', label: 'Google', issuer: 'https://accounts.google.com', clientId: 'id', clientSecret: 'secret' };

describe('OIDC_PROVIDERS', () => {
  it('is off when unset, and reads a JSON array of providers', () => {
    expect(parseOidcProviders(undefined, true)).toEqual([]);
    expect(parseOidcProviders(JSON.stringify([google]), true)).toEqual([google]);
  });

  it('refuses what would be unsafe or ambiguous', () => {
    expect(() => parseOidcProviders('{', false)).toThrow(/not JSON/);
    expect(() => parseOidcProviders(JSON.stringify([google, google]), false)).toThrow(/twice/);
    expect(() => parseOidcProviders(JSON.stringify([{ ...google, name: 'Google!' }]), false)).toThrow(/name/);
    expect(() => parseOidcProviders(JSON.stringify([{ ...google, extra: 1 }]), false)).toThrow();
    expect(() => parseOidcProviders(JSON.stringify([{ ...google, clientSecret: '' }]), false)).toThrow(/clientSecret/);
    // Production trusts discovery and the token endpoint through TLS only.
    expect(() => parseOidcProviders(JSON.stringify([{ ...google, issuer: 'http://127.0.0.1:4000' }]), true)).toThrow(/https/);
    expect(parseOidcProviders(JSON.stringify([{ ...google, issuer: 'http://127.0.0.1:4000' }]), false)).toHaveLength(1);
  });

  it('stops the server at start with the reason', async () => {
    await expect(loadConfig({ NODE_ENV: 'test', KONPAY_DATA_DIR: '/tmp/konpay-oidc-config-test', OIDC_PROVIDERS: '[1]' })).rejects.toThrow(/OIDC_PROVIDERS/);
  });
});
