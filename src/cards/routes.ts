/** Cards: add (with the issuer's challenge), finish verification, list, remove. */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendHtml } from '../http/html.js';
import { problemSchema } from '../http/problem.js';
import { clientOf, requireSession, type AuthDeps } from '../identity/http-auth.js';
import { problem } from '../shared/errors.js';
import { fromPublicId, toPublicId } from '../shared/ids.js';
import type { CardsDeps } from './deps.js';
import { cardErrors } from './errors.js';
import { identityErrors } from '../identity/errors.js';
import { cardsOf, removeCard } from './manage.js';
import { renderReturnPage, type ReturnPage } from './return-page.js';
import { riskErrors } from '../risk/errors.js';
import { addCard, completeCardSetup, type AddCardResult, type CompleteResult } from './setup.js';
import { cardFormAnswer, cardSchema, cardView, nextActionSchema } from './views.js';

const TAGS = ['cards'];
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const cardParams = z.object({ cardId: z.string().max(40).describe('`crd_…`') });

const addBody = z.object({
  token: z.string().min(1).max(100).regex(/^[A-Za-z0-9_]+$/).describe('The token the card network\'s form returned'),
}).meta({ examples: [{ token: 'tok_0196a0c4e6f37c3a9d2b5e8f1a2b3c4d' }] });

const addAnswer = z.object({ card: cardSchema, nextAction: nextActionSchema }).meta({
  examples: [{
    card: { id: 'crd_019ab5c4e2d07c3a9e51f0b2d4c6a8e5', brand: 'visa', last4: '2008', expMonth: 12, expYear: 2030, status: 'pending', failureCode: null, createdAt: '2026-11-25T09:00:00.000Z' },
    nextAction: { type: 'three_ds_challenge', url: 'http://localhost:3100/cardnet/acs/3ds_0196a0c4e6f37c3a9d2b5e8f1a2b3c4e' },
  }],
});
const listAnswer = z.object({ cards: z.array(cardSchema) }).meta({
  examples: [{ cards: [{ id: 'crd_019ab5c4e2d07c3a9e51f0b2d4c6a8e5', brand: 'visa', last4: '2008', expMonth: 12, expYear: 2030, status: 'active', failureCode: null, createdAt: '2026-11-25T09:00:00.000Z' }] }],
});

/** The hosted form, sending the browser back to the wallet's cards screen (the network only returns to Konpay's origin). */
const cardFormUrl = (deps: Pick<CardsDeps, 'cardFormBase' | 'publicUrl'>): string | null => {
  if (!deps.cardFormBase) return null;
  const url = new URL(`${deps.cardFormBase.replace(/\/$/, '')}/cardnet/card-form`);
  url.searchParams.set('returnUrl', `${deps.publicUrl}/app/cards`);
  return url.toString();
};

function refuseAdd(r: Exclude<AddCardResult, { kind: 'created' }>): never {
  switch (r.kind) {
    case 'token_invalid': throw problem(cardErrors, 'card_token_invalid');
    case 'frozen': throw problem(identityErrors, 'account_frozen');
    case 'limit_reached': throw problem(cardErrors, 'card_limit_reached', `At most ${r.max} cards per account.`, { max: r.max });
    case 'already_added': throw problem(cardErrors, 'card_already_added');
    case 'in_use_elsewhere': throw problem(cardErrors, 'card_in_use_elsewhere');
    case 'attempts_exceeded': throw problem(cardErrors, 'card_attempts_exceeded', undefined, { retryAfterSeconds: r.retryAfterSeconds });
    case 'network_unavailable': throw problem(cardErrors, 'card_network_unavailable');
    case 'step_up_required': throw problem(riskErrors, 'step_up_required');
    case 'risk_declined': throw problem(riskErrors, 'risk_declined');
  }
}

const cardIdOf = (raw: string) => {
  const id = fromPublicId('crd', raw);
  if (!id) throw problem(cardErrors, 'card_not_found');
  return id;
};

export function cardRoutes(deps: CardsDeps, auth: AuthDeps): FastifyPluginAsyncZod {
  return async (app) => {
    // The challenge page sends the browser back here; it carries no session of ours.
    app.get('/v1/cards/:cardId/3ds-return', {
      schema: {
        tags: TAGS, summary: 'Where the issuer\'s challenge page returns the browser after adding a card',
        description: 'Asks the card network how the challenge went (query parameters are ignored), finishes the verification and shows a short page.',
        params: cardParams, response: { 200: z.string().meta({ description: 'An HTML page', examples: ['<!doctype html><html lang="ja">…<h1>カードを登録しました</h1>…</html>'] }) },
      },
    }, async (req, reply) => {
      const cardId = cardIdOf(req.params.cardId);
      const r = await completeCardSetup(deps, cardId, undefined, { ...clientOf(req), deviceId: null, now: deps.clock.now() });
      reply.header('cache-control', 'no-store');
      return sendHtml(reply, renderReturnPage(cardReturnPage(r, cardId)));
    });

    app.register(async (plugin) => {
      const authed = plugin.withTypeProvider<ZodTypeProvider>();
      authed.addHook('preHandler', requireSession(auth));

      authed.post('/v1/cards', {
        schema: {
          tags: TAGS, summary: 'Add a card (then pass the issuer\'s 3-D Secure challenge)', security,
          description: 'Takes the token from the card network\'s form. At most 3 cards per account; a card active on another account is refused; repeated wrong security codes pause adding cards.',
          body: addBody, response: { 201: addAnswer, 400: problemSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema, 423: problemSchema, 429: problemSchema, 503: problemSchema },
        },
      }, async (req, reply) => {
        const r = await addCard(deps, req.auth!.user.id, req.body.token, {
          deviceId: req.auth!.session.device_id, ip: req.ip, secondFactorAt: req.auth!.session.second_factor_at,
        });
        if (r.kind !== 'created') refuseAdd(r);
        return reply.code(201).send({
          card: cardView(r.card),
          nextAction: r.challengeUrl ? { type: 'three_ds_challenge' as const, url: r.challengeUrl } : null,
        });
      });

      authed.get('/v1/cards/card-form', {
        schema: {
          tags: TAGS, summary: 'Where to enter a new card: the card network\'s hosted form', security,
          description: 'The card number is typed on the card network\'s page, never sent to Konpay. The form sends the browser back to the wallet app with a token for `POST /v1/cards`. `url` is null when no card network is configured.',
          response: { 200: cardFormAnswer, 401: problemSchema },
        },
      }, async () => ({ url: cardFormUrl(deps), maxCards: deps.rules.perAccount }));

      authed.post('/v1/cards/:cardId/verify', {
        schema: {
          tags: TAGS, summary: 'Finish adding a card after the challenge (the app\'s alternative to the return page)', security,
          params: cardParams, response: { 200: cardSchema, 401: problemSchema, 404: problemSchema, 503: problemSchema },
        },
      }, async (req) => {
        const r = await completeCardSetup(deps, cardIdOf(req.params.cardId), req.auth!.user.id, { ...clientOf(req), deviceId: req.auth!.session.device_id, now: deps.clock.now() });
        if (r.kind === 'not_found') throw problem(cardErrors, 'card_not_found');
        if (r.kind === 'network_unavailable') throw problem(cardErrors, 'card_network_unavailable');
        return cardView(r.card);
      });

      authed.get('/v1/cards', {
        schema: { tags: TAGS, summary: 'Your cards', security, response: { 200: listAnswer, 401: problemSchema } },
      }, async (req) => ({ cards: (await cardsOf(deps, req.auth!.user.id)).map(cardView) }));

      authed.delete('/v1/cards/:cardId', {
        schema: { tags: TAGS, summary: 'Remove a card', security, params: cardParams, response: { 204: z.null().describe('Removed'), 401: problemSchema, 404: problemSchema } },
      }, async (req, reply) => {
        const r = await removeCard(deps, req.auth!.user.id, cardIdOf(req.params.cardId));
        if (r.kind === 'not_found') throw problem(cardErrors, 'card_not_found');
        return reply.code(204).send(null);
      });
    });
  };
}

/**
 * The page after the challenge. Its link back names the card (one we found) so the
 * app can show the outcome even when the challenge was completed in another tab.
 */
function cardReturnPage(r: CompleteResult, cardId: string): ReturnPage {
  if (r.kind === 'not_found') return { ok: false, ja: 'カードが見つかりません', en: 'We could not find that card.', back: '/app/cards' };
  // `cardId` passed fromPublicId's strict hex check and names a card the database has.
  const back = `/app/cards?card=${toPublicId('crd', cardId)}`;
  if (r.kind === 'network_unavailable') return { ok: 'pending', ja: '確認中です', en: 'We are still checking with your card issuer. The app shows the result in a moment.', back };
  if (r.kind === 'challenge_pending') return { ok: 'pending', ja: '本人認証が完了していません', en: 'The card issuer\'s check is not finished yet.', back };
  if (r.card.status === 'active') return { ok: true, ja: 'カードを登録しました', en: `Card •••• ${r.card.last4} was added.`, back };
  return { ok: false, ja: 'カードを登録できませんでした', en: 'The card could not be added. The app shows why.', back };
}
