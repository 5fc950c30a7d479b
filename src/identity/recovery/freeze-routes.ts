/**
 * "This wasn't me": GET shows a confirmation page (and never freezes: link scanners
 * fetch links), POST freezes. The page's form posts `application/x-www-form-urlencoded`,
 * which only this plugin parses; the app posts JSON.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendHtml } from '../../http/html.js';
import { problemSchema } from '../../http/problem.js';
import { problem } from '../../shared/errors.js';
import { identityErrors } from '../errors.js';
import { clientOf } from '../http-auth.js';
import { FREEZE_PAGE } from '../messages.js';
import type { AccountDeps } from './deps.js';
import { freezeAccount, previewFreeze } from './freeze.js';
import { renderFreezePage, type FreezePageState } from './freeze-page.js';
import { freezeBody, freezeQuery, frozenAnswer } from './schemas.js';

const FORM = 'application/x-www-form-urlencoded';

/** No caching (the page holds a token), no referrer (the URL holds it), no framing. */
function html(reply: FastifyReply, status: number, state: FreezePageState): FastifyReply {
  reply.code(status).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').header('x-frame-options', 'DENY');
  return sendHtml(reply, renderFreezePage(state));
}

function wantsHtml(req: FastifyRequest): boolean {
  return (req.headers['content-type'] ?? '').startsWith(FORM) || (req.headers.accept ?? '').includes('text/html');
}

export function freezeRoutes(d: AccountDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    app.get('/v1/freeze', {
      schema: {
        tags: ['identity'], summary: '"This wasn\'t me": the confirmation page of a freeze link',
        description: 'A small HTML page with one button; viewing it changes nothing. Invalid, expired and used links get a page saying so.',
        querystring: freezeQuery,
      },
    }, async (req, reply) => {
      const p = await previewFreeze(d, req.query.token);
      return p.kind === 'invalid' ? html(reply, 400, p) : html(reply, 200, { ...p, kind: 'confirm', token: req.query.token });
    });

    app.post('/v1/freeze', {
      schema: {
        tags: ['identity'], summary: '"This wasn\'t me": freeze the account',
        description: 'Spends the link, freezes the account, signs it out everywhere and forgets every device. Send JSON `{token}`, or the page\'s form.',
        body: freezeBody, response: { 200: frozenAnswer, 400: problemSchema },
      },
    }, async (req, reply) => {
      const r = await freezeAccount(d, req.body.token, clientOf(req));
      if (wantsHtml(req)) return r.kind === 'frozen' ? html(reply, 200, { kind: 'done', locale: r.locale }) : html(reply, 400, r);
      if (r.kind === 'invalid') throw problem(identityErrors, 'freeze_link_invalid');
      return { status: 'frozen' as const, help: FREEZE_PAGE[r.locale].help };
    });
  };
}
