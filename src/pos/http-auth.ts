/**
 * Signed POS requests at the HTTP edge: the raw body kept for the signature, and the
 * hook that turns a verified signature into `req.terminal`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problem } from '../shared/errors.js';
import { posErrors } from './errors.js';
import { verifySignedRequest, type PosAuthDeps, type TerminalIdentity } from './verify.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireTerminal` on every POS route: the terminal that signed the request. */
    terminal?: TerminalIdentity;
  }
}

/** Raw bodies, keyed by request; a WeakMap so nothing else on the request changes shape. */
const rawBodies = new WeakMap<FastifyRequest, Buffer>();
const EMPTY = Buffer.alloc(0);

/**
 * Within the calling plugin only (Fastify encapsulation): JSON is read as bytes, kept for
 * the signature, then parsed by Fastify's own JSON parser, so bad JSON and
 * `__proto__` keys get the same 400 `malformed_json` as everywhere else. Other content
 * types are refused with 415.
 */
export function keepRawJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const raw = typeof body === 'string' ? Buffer.from(body) : body;
    rawBodies.set(req, raw);
    parseJson(req, raw.toString('utf8'), done);
  });
}

/**
 * A hook that refuses the request unless a live terminal signed it, and sets
 * `req.terminal`. Needs the body already read (preValidation or preHandler) within a
 * plugin that called `keepRawJsonBodies`.
 */
export function requireTerminal(deps: PosAuthDeps) {
  return async (req: FastifyRequest): Promise<void> => {
    const verdict = await verifySignedRequest(deps, {
      method: req.method, url: req.url, headers: req.headers, rawBody: rawBodies.get(req) ?? EMPTY,
    });
    if (verdict.kind === 'refused') throw problem(posErrors, verdict.code);
    req.terminal = verdict.terminal;
  };
}
