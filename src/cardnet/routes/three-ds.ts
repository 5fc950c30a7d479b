/** 3-D Secure: the merchant's API and the issuer's challenge page. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendHtml } from '../../http/html.js';
import { problem } from '../../shared/errors.js';
import type { CardnetDeps } from '../deps.js';
import { cardnetErrors } from '../errors.js';
import { renderChallenge, renderChallengeClosed } from '../pages.js';
import { findToken } from '../repo/tokens.js';
import { authenticationAnswer, authenticationParams, authenticationRequest } from '../schemas.js';
import { getAuthentication, startAuthentication, submitChallengeCode, viewOf } from '../three-ds.js';
import { acceptForms, field } from './form.js';

const TAGS = ['cardnet: 3-D Secure'];
const htmlAnswer = z.string().meta({ description: 'An HTML page' });

export function threeDsRoutes(deps: CardnetDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    acceptForms(base);

    app.post('/cardnet/v1/authentications', {
      schema: { summary: 'Start a 3-D Secure authentication', tags: TAGS, body: authenticationRequest, response: { 201: authenticationAnswer } },
    }, async (req, reply) => {
      const r = await startAuthentication(deps, req.body);
      if (r.kind === 'token_not_found') throw problem(cardnetErrors, 'token_not_found');
      if (r.kind === 'return_url_not_allowed') throw problem(cardnetErrors, 'return_url_not_allowed');
      return reply.code(201).send(r.authentication);
    });

    app.get('/cardnet/v1/authentications/:id', {
      schema: { summary: 'Read an authentication’s status', tags: TAGS, params: authenticationParams, response: { 200: authenticationAnswer } },
    }, async (req) => {
      const a = await getAuthentication(deps, req.params.id);
      if (!a) throw problem(cardnetErrors, 'authentication_not_found');
      return viewOf(deps, a);
    });

    app.get('/cardnet/acs/:id', {
      schema: { summary: 'The issuer’s challenge page', tags: TAGS, params: authenticationParams, response: { 200: htmlAnswer } },
    }, async (req, reply) => {
      const a = await getAuthentication(deps, req.params.id);
      if (!a) throw problem(cardnetErrors, 'authentication_not_found');
      if (a.status !== 'challenge_required') return sendHtml(reply, renderChallengeClosed(a.status));
      const card = await findToken(deps.pool, a.tokenId);
      return sendHtml(reply, renderChallenge({ id: req.params.id, amount: a.amount, last4: card?.last4 ?? '----' }));
    });

    app.post('/cardnet/acs/:id', {
      schema: { summary: 'Submit the challenge code; redirects (303) to the merchant when the challenge ends', tags: TAGS, params: authenticationParams },
    }, async (req, reply) => {
      const r = await submitChallengeCode(deps, req.params.id, field(req.body, 'code').trim());
      if (r.kind === 'not_found') throw problem(cardnetErrors, 'authentication_not_found');
      if (r.kind === 'wrong_code') {
        const a = await getAuthentication(deps, req.params.id);
        const card = a && (await findToken(deps.pool, a.tokenId));
        reply.code(400);
        return sendHtml(reply, renderChallenge({ id: req.params.id, amount: a?.amount ?? 0, last4: card?.last4 ?? '----', error: 'That code is not right.', attemptsLeft: r.attemptsLeft }));
      }
      const target = new URL(r.returnUrl);
      target.searchParams.set('authentication', r.id);
      target.searchParams.set('status', r.kind);
      return reply.code(303).header('location', target.toString()).send('');
    });
  };
}
