/**
 * External ID sign-in endpoints (ID-12). Start and callback are browser navigations (the
 * wallet's cookie transport): they answer redirects, and the callback sends the browser
 * back to the wallet with the outcome in the URL fragment (never sent to a server, so the
 * flow id stays out of logs and Referer headers). Linking is a signed-in, re-authenticated
 * request that answers the provider URL to open.
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../http/problem.js';
import { problem, type ProblemError } from '../../shared/errors.js';
import { toPublicId } from '../../shared/ids.js';
import { clientOf, deviceCredentialOf, requirePrivileged, requireSession, setSessionCookies, type AuthDeps } from '../http-auth.js';
import { retryAfter } from '../problems.js';
import type { AddressLimit } from '../throttle/address-limit.js';
import { oidcCallback, type CallbackOutcome } from './callback.js';
import { oidcErrors } from './errors.js';
import { OIDC_FLOW_MS, startOidc, type OidcDeps, type Purpose } from './flows.js';
import { listLinks, unlink } from './links.js';
import { callbackQuery, externalIdentities, linkStarted, providerParam, providersList, redirectAnswer } from './schemas.js';

export const OIDC_COOKIE = 'konpay_oidc';
const COOKIE_PATH = '/v1/oidc/';
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

function known(d: OidcDeps, name: string): string {
  if (!d.oidc.provider(name)) throw problem(oidcErrors, 'oidc_provider_unknown');
  return name;
}

function bindBrowser(reply: FastifyReply, binding: string, secure: boolean): void {
  // Lax: sent on the provider's top-level redirect back to us, never on cross-site subrequests.
  reply.setCookie(OIDC_COOKIE, binding, { path: COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure, maxAge: OIDC_FLOW_MS / 1000 });
}

/** Where the callback sends the browser: the wallet screen that shows the outcome. */
export function landing(purpose: Purpose, provider: string, o: CallbackOutcome): string {
  const screen = purpose === 'link' ? '/app/security' : '/app/login';
  const frag = (p: Record<string, string>) => `${screen}#${new URLSearchParams(p).toString()}`;
  switch (o.kind) {
    case 'authenticated': return '/app/';
    case 'second_factor_required':
      return frag({ oidc: 'second_factor', flow: toPublicId('flw', o.flowId), methods: o.methods.join(','), expiresAt: o.expiresAt.toISOString() });
    case 'linked': return frag({ oidc: 'linked', provider });
    case 'not_linked': return frag({ oidc: 'error', code: 'oidc_not_linked', provider });
    case 'account_frozen': return frag({ oidc: 'error', code: 'account_frozen' });
    case 'risk_declined': return frag({ oidc: 'error', code: 'risk_declined' });
    case 'flow_invalid': return frag({ oidc: 'error', code: 'oidc_flow_invalid' });
    case 'provider_error': return frag({ oidc: 'error', code: 'oidc_provider_error' });
    case 'token_invalid': return frag({ oidc: 'error', code: 'oidc_token_invalid' });
    case 'unavailable': return frag({ oidc: 'error', code: 'oidc_unavailable' });
    case 'identity_taken': return frag({ oidc: 'error', code: 'external_identity_taken' });
    case 'provider_already_linked': return frag({ oidc: 'error', code: 'external_identity_exists' });
    case 'session_ended': return frag({ oidc: 'error', code: 'oidc_link_session_ended' });
  }
}

/** `opts.starts`: each start writes a flow row, before anything is proven: a budget per client address. */
export function oidcRoutes(d: OidcDeps, opts: { secureCookies: boolean; publicUrl: string; starts: AddressLimit }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/oidc/providers', {
      schema: { tags: ['identity'], summary: 'The external IDs you can sign in with (OpenID Connect)', response: { 200: providersList } },
    }, async () => ({ providers: d.oidc.providers.map((p) => ({ name: p.name, label: p.label, startUrl: `/v1/oidc/${p.name}/start` })) }));

    app.get('/v1/oidc/:provider/start', {
      schema: {
        tags: ['identity'], summary: 'Sign in with an external ID: redirects to the provider',
        description: 'Authorization code flow with PKCE (S256), state and nonce, kept server-side for 10 minutes and bound to this browser by an HttpOnly cookie. Only an identity linked to an account signs in, and on a device not seen before it still needs a second factor. 429 `oidc_start_limit` (with `Retry-After`) past OIDC_STARTS_PER_IP_PER_HOUR from one address. A browser (`Accept: text/html`) is redirected to `/app/login#oidc=error&code=…` instead of any refusal.',
        params: providerParam, response: { 302: redirectAnswer, 404: problemSchema, 429: problemSchema, 503: problemSchema },
      },
    }, async (req, reply) => {
      // A browser that followed the wallet's button is sent back to the wallet, which
      // explains the refusal in its language; other clients get the problem as JSON.
      const refuse = (err: ProblemError) => {
        if (!(req.headers.accept ?? '').includes('text/html')) throw err;
        return reply.header('cache-control', 'no-store').redirect(`/app/login#${new URLSearchParams({ oidc: 'error', code: err.code })}`, 302);
      };
      if (!d.oidc.provider(req.params.provider)) return refuse(problem(oidcErrors, 'oidc_provider_unknown'));
      const limited = await opts.starts.take(clientOf(req).ip, d.clock.now());
      if (limited.kind === 'wait') return refuse(problem(oidcErrors, 'oidc_start_limit', undefined, retryAfter(limited.retryAfterMs)));
      const r = await startOidc(d, req.params.provider, 'login', null);
      if (r.kind === 'unavailable') return refuse(problem(oidcErrors, 'oidc_unavailable'));
      bindBrowser(reply, r.binding, opts.secureCookies);
      reply.header('cache-control', 'no-store');
      return reply.redirect(r.url.href, 302);
    });

    app.get('/v1/oidc/:provider/callback', {
      schema: {
        tags: ['identity'], summary: 'Where the provider sends the browser back; redirects to the wallet',
        description: 'Accepted once, from the browser that started, within 10 minutes. The ID token\'s signature (provider JWKS), issuer, audience, azp, expiry and nonce are verified. Redirects to `/app/` (signed in, known device), or to `/app/login#oidc=second_factor&flow=…&methods=…` (new device: finish with POST /v1/login/{flowId}/verify), or to the wallet with `#oidc=error&code=…` (a code of /problems).',
        params: providerParam, querystring: callbackQuery, response: { 303: redirectAnswer, 404: problemSchema },
      },
    }, async (req, reply) => {
      const provider = known(d, req.params.provider);
      const { purpose, outcome } = await oidcCallback(d, {
        provider, binding: req.cookies[OIDC_COOKIE], url: new URL(req.url, opts.publicUrl), deviceCredential: deviceCredentialOf(req),
      }, clientOf(req));
      reply.clearCookie(OIDC_COOKIE, { path: COOKIE_PATH });
      if (outcome.kind === 'authenticated') setSessionCookies(reply, outcome.session, undefined, opts.secureCookies);
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      return reply.redirect(landing(purpose, provider, outcome), 303);
    });
  };
}

export function externalIdentityRoutes(d: OidcDeps, auth: AuthDeps & { privilegedWindowMs: number }): FastifyPluginAsyncZod {
  const errors = { 401: problemSchema, 403: problemSchema, 404: problemSchema };
  return async (app) => {
    app.addHook('preHandler', requireSession(auth));
    const privileged = requirePrivileged(auth);

    app.get('/v1/me/external-identities', {
      schema: { tags: ['account'], summary: 'External IDs you can sign in with, and which are linked', security, response: { 200: externalIdentities, ...errors } },
    }, async (req) => ({
      providers: (await listLinks(d, req.auth!.user.id)).map((p) => ({
        ...p, linked: p.linked && { email: p.linked.email, linkedAt: p.linked.linkedAt.toISOString(), lastUsedAt: p.linked.lastUsedAt?.toISOString() ?? null },
      })),
    }));

    app.post('/v1/me/external-identities/:provider', {
      preHandler: privileged,
      schema: {
        tags: ['account'], summary: 'Link an external ID: answers the provider URL to open',
        description: 'Needs a re-authentication within the last 5 minutes. Open `authorizationUrl` in this browser; the provider sends it back to the callback, which links the identity it verified to this account (if this session is still signed in and the identity is nobody else\'s) and tells you by e-mail and push. Never linked by e-mail address.',
        security, params: providerParam, response: { 200: linkStarted, ...errors, 503: problemSchema },
      },
    }, async (req, reply) => {
      const provider = known(d, req.params.provider);
      const { user, session } = req.auth!;
      const r = await startOidc(d, provider, 'link', { userId: user.id, sessionId: session.id });
      if (r.kind === 'unavailable') throw problem(oidcErrors, 'oidc_unavailable');
      bindBrowser(reply, r.binding, auth.secureCookies);
      reply.header('cache-control', 'no-store');
      return { authorizationUrl: r.url.href, expiresAt: r.expiresAt.toISOString() };
    });

    app.delete('/v1/me/external-identities/:provider', {
      preHandler: privileged,
      schema: {
        tags: ['account'], summary: 'Unlink an external ID', description: 'Needs a re-authentication within the last 5 minutes; you are told by e-mail and push.',
        security, params: providerParam, response: { 204: z.null(), ...errors },
      },
    }, async (req, reply) => {
      const r = await unlink(d, req.auth!, req.params.provider, clientOf(req));
      if (r === 'not_found') throw problem(oidcErrors, 'external_identity_not_found');
      return reply.code(204).send(null);
    });
  };
}
