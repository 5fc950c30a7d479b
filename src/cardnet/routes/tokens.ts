/** Tokenisation: the hosted card form (HTML) and the JSON API used by tests and servers. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendHtml } from '../../http/html.js';
import { problem } from '../../shared/errors.js';
import type { CardnetDeps } from '../deps.js';
import { cardnetErrors } from '../errors.js';
import { renderCardForm } from '../pages.js';
import { tokenAnswer, tokenRequest } from '../schemas.js';
import { isAllowedReturnUrl } from '../three-ds.js';
import { readToken, tokenise, type TokeniseResult } from '../tokenise.js';
import { acceptForms, field } from './form.js';

const TAGS = ['cardnet: tokens'];
const htmlAnswer = z.string().meta({ description: 'An HTML page' });

const FIELD_MESSAGES: Record<Extract<TokeniseResult, { kind: 'invalid' }>['field'], string> = {
  number: 'The card number is not valid.',
  expiry: 'The expiry date is not valid.',
  cvc: 'The security code must be 3 or 4 digits.',
  holderName: 'Enter the name on the card.',
  phone: 'Enter a valid mobile phone number.',
};

export function tokenRoutes(deps: CardnetDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    acceptForms(base);

    app.get('/cardnet/card-form', {
      schema: { summary: 'The hosted card form', tags: TAGS, querystring: z.object({ returnUrl: z.string() }), response: { 200: htmlAnswer } },
    }, async (req, reply) => {
      if (!isAllowedReturnUrl(deps, req.query.returnUrl)) throw problem(cardnetErrors, 'return_url_not_allowed');
      return sendHtml(reply, renderCardForm({ returnUrl: req.query.returnUrl }));
    });

    app.post('/cardnet/card-form', {
      schema: { summary: 'Submit the hosted card form; redirects (303) to the return URL with the token', tags: TAGS },
    }, async (req, reply) => {
      const returnUrl = field(req.body, 'returnUrl');
      if (!isAllowedReturnUrl(deps, returnUrl)) throw problem(cardnetErrors, 'return_url_not_allowed');
      const holderName = field(req.body, 'holderName');
      const phone = field(req.body, 'phone');
      const result = await tokenise(deps, {
        number: field(req.body, 'number'), expMonth: Number(field(req.body, 'expMonth')), expYear: Number(field(req.body, 'expYear')),
        cvc: field(req.body, 'cvc'), holderName, phone,
      });
      if (result.kind !== 'ok') {
        const error = result.kind === 'expired' ? 'The card has expired.' : FIELD_MESSAGES[result.field];
        reply.code(400);
        return sendHtml(reply, renderCardForm({ returnUrl, holderName, phone, error }));
      }
      const target = new URL(returnUrl);
      for (const [k, v] of Object.entries(result.card)) target.searchParams.set(k, String(v));
      return reply.code(303).header('location', target.toString()).send('');
    });

    app.post('/cardnet/v1/tokens', {
      schema: { summary: 'Tokenise a card (server-to-server and tests)', tags: TAGS, body: tokenRequest, response: { 201: tokenAnswer } },
    }, async (req, reply) => {
      const result = await tokenise(deps, req.body);
      if (result.kind === 'expired') throw problem(cardnetErrors, 'card_expired');
      if (result.kind === 'invalid') throw problem(cardnetErrors, 'invalid_card', FIELD_MESSAGES[result.field], { field: result.field });
      return reply.code(201).send(result.card);
    });

    app.get('/cardnet/v1/tokens/:token', {
      schema: {
        summary: 'Read a token: the merchant learns the fingerprint and last four digits from us, not from the browser',
        tags: TAGS, params: z.object({ token: z.string().min(1).max(100) }), response: { 200: tokenAnswer },
      },
    }, async (req) => {
      const card = await readToken(deps, req.params.token);
      if (!card) throw problem(cardnetErrors, 'token_not_found');
      return card;
    });
  };
}
