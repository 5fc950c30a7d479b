/**
 * The HTTP edge: one Fastify instance, zod schemas for validation, serialisation and
 * OpenAPI, problem+json for every error, a request id on every response.
 * Routes live in their modules and are passed in as plugins; this file wires nothing
 * but HTTP concerns.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Logger } from '../shared/logger.js';
import { newPublicId } from '../shared/ids.js';
import { problem } from '../shared/errors.js';
import { httpErrors } from './errors.js';
import { PROBLEM_CONTENT_TYPE, problemBody, sendProblem, toProblem } from './problem.js';

export type App = FastifyInstance;

export interface AppOptions {
  logger: Logger;
  publicUrl: string;
  bodyLimit: number;
  version: string;
  /** Route plugins from the modules, registered in order. */
  routes: readonly FastifyPluginAsync[];
  /**
   * Proxies (IPs or CIDRs) whose X-Forwarded-For is believed. None by default: any client
   * can send that header, and believing it would let one address pose as thousands to
   * the per-IP throttles.
   */
  trustedProxies?: readonly string[];
}

type Transform = typeof jsonSchemaTransform;

/** Copies a zod schema's root `examples` and `description` onto its JSON Schema. */
function copyRootMeta(source: unknown, target: unknown): void {
  if (!(source instanceof z.ZodType) || !target || typeof target !== 'object' || '$ref' in target) return;
  const meta = z.globalRegistry.get(source);
  const t = target as Record<string, unknown>;
  if (meta?.examples && t.examples === undefined) t.examples = meta.examples;
  if (meta?.description && t.description === undefined) t.description = meta.description;
}

/**
 * The provider's transform converts each schema through a temporary registry entry,
 * which drops the root's own metadata; examples on whole bodies and answers would be
 * lost from the document without this.
 */
const transformWithExamples: Transform = (input) => {
  const out = jsonSchemaTransform(input);
  const src = input.schema as { body?: unknown; response?: Record<string, unknown> };
  const dst = out.schema as { body?: unknown; response?: Record<string, unknown> };
  copyRootMeta(src.body, dst.body);
  for (const status of Object.keys(src.response ?? {})) copyRootMeta(src.response![status], dst.response?.[status]);
  return out;
};

export async function buildApp(opts: AppOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    bodyLimit: opts.bodyLimit,
    // Our own ids only: a client-chosen id could be used to forge or confuse log trails.
    genReqId: () => newPublicId('req'),
    requestIdHeader: false,
    // One line per request, written by our onResponse hook with the fields we choose.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    // Refusals made before routing (a path that does not decode, an over-long parameter)
    // answer in the same problem format, with a request id, as every other refusal.
    frameworkErrors: (err, req, reply) => {
      reply.header('x-request-id', req.id);
      const code = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'uri_too_long' : 'bad_request';
      return sendProblem(req, reply, problem(httpErrors, code, code === 'bad_request' ? 'The path is not valid URL encoding.' : undefined), opts.publicUrl);
    },
    // Node refuses a request line or headers too large before any request exists: the
    // answer is written to the socket by hand, still as a problem document.
    clientErrorHandler: (err, socket) => {
      if ((err as { code?: string }).code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
      const requestId = newPublicId('req');
      const code = (err as { code?: string }).code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : 'bad_request';
      const body = JSON.stringify(problemBody(problem(httpErrors, code), requestId, opts.publicUrl));
      const status = code === 'headers_too_large' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nx-request-id: ${requestId}\r\nConnection: close\r\n\r\n${body}`);
    },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // While shutting down, new requests get 503 and in-flight ones finish.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // req.ip is the nearest address not in this list, read right to left from X-Forwarded-For.
    trustProxy: opts.trustedProxies?.length ? [...opts.trustedProxies] : false,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: a text/plain body is refused with 415 rather than parsed as a string.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // Draining: responses to requests that were in flight when shutdown began close their
  // connection, so keep-alive sockets do not hold the process open after the last answer.
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', async (_req, reply) => {
    if (draining) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info({ method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.setErrorHandler((err, req, reply) => {
    const { problem: p, internal } = toProblem(err);
    if (internal) req.log.error({ err }, 'request failed');
    else req.log.info({ code: p.code, status: p.status }, 'request refused');
    return sendProblem(req, reply, p, opts.publicUrl);
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(req, reply, problem(httpErrors, 'not_found', `${req.method} ${req.url.split('?')[0]} is not a Konpay endpoint.`), opts.publicUrl),
  );

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Konpay API',
        version: opts.version,
        description:
          'Konpay: a prepaid yen wallet paid at the till with a one-time barcode. Every error is ' +
          'RFC 9457 problem+json with a stable `code`; every response carries `x-request-id`.',
      },
      servers: [{ url: opts.publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Session token (`kps_…`) from login, for the app' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'konpay_session', description: 'Session cookie for the web apps; writes also need `x-csrf-token`' },
          operatorToken: { type: 'http', scheme: 'bearer', description: 'Operator API token (`OPERATOR_API_TOKEN`), for machines' },
          operatorSession: { type: 'apiKey', in: 'cookie', name: 'konpay_ops', description: 'Console session from `POST /ops/v1/session` (password and TOTP); writes also need `x-csrf-token`' },
          posSignature: { type: 'apiKey', in: 'header', name: 'Konpay-Signature', description: 'Store terminals sign every request (HMAC-SHA256 with Konpay-Key-Id, Konpay-Timestamp, Konpay-Nonce); see docs/pos-api.md' },
        },
      },
    },
    transform: transformWithExamples,
    // Schemas given an `id` (Problem, SessionIssued, …) become components and are $ref'd.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const routes of opts.routes) await app.register(routes);
  return app as unknown as App;
}
