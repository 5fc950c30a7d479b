/**
 * The outcome external ID sign-in's callback leaves in the wallet URL's fragment
 * (src/identity/oidc/routes.ts, `landing`): read once, then cleared, so a reload or the
 * back button does not act on it twice. A fragment never reaches a server.
 */
import { ApiError } from '../api.js';
import type { FactorMethod } from './contract.js';

export type OidcReturn =
  | { kind: 'second_factor'; flowId: string; methods: FactorMethod[] }
  | { kind: 'linked'; provider: string }
  | { kind: 'error'; error: ApiError };

const METHODS: readonly FactorMethod[] = ['sms', 'totp', 'recovery_code', 'passkey'];

export function takeOidcReturn(): OidcReturn | undefined {
  const frag = new URLSearchParams(location.hash.slice(1));
  const kind = frag.get('oidc');
  if (!kind) return undefined;
  history.replaceState(null, '', location.pathname + location.search);
  if (kind === 'second_factor' && frag.get('flow')) {
    const methods = (frag.get('methods') ?? 'sms').split(',').filter((m): m is FactorMethod => METHODS.includes(m as FactorMethod));
    return { kind, flowId: frag.get('flow')!, methods: methods.length ? methods : ['sms'] };
  }
  if (kind === 'linked') return { kind, provider: frag.get('provider') ?? '' };
  const code = frag.get('code') ?? 'oidc_flow_invalid';
  // The same message a refusal from the API would get (problems.ts explains by code).
  return { kind: 'error', error: new ApiError({ type: `/problems/${code}`, title: code, status: 400, code, requestId: '' }) };
}
