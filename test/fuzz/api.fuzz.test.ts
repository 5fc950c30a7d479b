/**
 * Issue 7, "Hostile input": every operation of the OpenAPI document the server serves
 * (and every route it registers beside them) gets requests generated from its schemas with
 * fast-check (valid ones, and malformed ones made from them), then fixed hostile bodies,
 * content types, path segments and query strings; each is sent over HTTP to a real test
 * server on PostgreSQL, without authentication and with valid authentication of the
 * operation's kind (a customer session, a POS request signed over the exact bytes sent,
 * the operator token, the card network's webhook signature).
 *
 * Every answer: below 500, with `x-request-id`; every 4xx is the documented problem+json
 * (type, title, status, code, requestId; `code` one of GET /problems). Unauthenticated
 * requests to secured operations never succeed. The server answers GET /health after each
 * batch. Money: a batch of requests to an operation that moves no money leaves the ledger
 * (the sum of every account's posted and pending sides, and the number of transfers)
 * exactly as it was; for the operations that can move money it is read after every input,
 * and an input all of whose answers are 4xx must have changed nothing.
 *
 * Fixed seed. Per operation and auth mode, KONPAY_FUZZ_RUNS valid and as many malformed
 * inputs (default 10 + 10), then the fixed hostile lists (a core for every operation, the
 * extras spread over the operations). A longer run on demand, every extra to every
 * operation too:
 *
 *     KONPAY_FUZZ_RUNS=2000 npx vitest run test/fuzz
 *
 * KONPAY_FUZZ_SEED=<integer> explores other inputs (a failure message names the seed), and
 * KONPAY_FUZZ_PROFILE=1 prints the time each operation took.
 */
import fc from 'fast-check';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/cardnet/webhook-signature.js';
import { signRequest } from '../../src/pos/signing.js';
import { fromPublicId } from '../../src/shared/ids.js';
import { jstDate } from '../../src/shared/jst.js';
import { bearer, newCustomer, signUp, type SignedUp } from '../harness/customer.js';
import { startKonpay } from '../../src/server.js';
import { startTestKonpay, type TestKonpay } from '../harness/konpay.js';
import { codesFor, newOrder, pay, payerWith } from '../harness/payments.js';
import { newTerminal, type TestTerminal } from '../harness/pos.js';
import { emit, merchantWithEndpoint, opsRequest } from '../harness/webhooks.js';
import { CORE_PATH_SEGMENTS, EXTRA_PATH_SEGMENTS, HOSTILE_PATH_SEGMENTS, HOSTILE_QUERIES, HOSTILE_VALUES, hostileBodies, type RawBody } from './hostile.js';
import { operationsOf, routesOf, type OpenApiDocument, type Operation, type Parameter } from './operations.js';
import { deref, malformedArb, toJsonText, validArb, type ArbContext, type JsonSchema } from './schema-arbitrary.js';

const RUNS = Math.max(1, Number(process.env.KONPAY_FUZZ_RUNS ?? 10));
const SEED = Number(process.env.KONPAY_FUZZ_SEED ?? 20_260_707);
/** Test timeouts grow with the number of runs. */
const SCALE = Math.max(1, RUNS / 10);
/**
 * The fixed hostile lists have a core every operation gets and extras each spread over a
 * third of the operations (chosen by the operation's name), to keep a pass near 30 s; a
 * long run (KONPAY_FUZZ_RUNS over 10) sends every extra to every operation.
 */
const EXTRA_SHARE = RUNS > 10 ? 1 : 3;

const WEBHOOK_SECRET = 'fuzz-card-network-webhook-secret-0123456789';

/**
 * Routes the server registers that the OpenAPI document leaves out, and why. They have no
 * schema to generate from, so they get the fixed hostile query strings (and path segments
 * for a wildcard) only. A route missing from both the document and this list fails the
 * suite: document it, and it is fuzzed from its schemas.
 */
const UNDOCUMENTED: Record<string, string> = {
  'GET /openapi.json': 'the document itself (hidden from itself)',
  'GET /docs': 'Swagger UI (@fastify/swagger-ui): static page',
  'GET /docs/': 'Swagger UI: static page',
  'GET /docs/static/index.html': 'Swagger UI: static file',
  'GET /docs/static/swagger-initializer.js': 'Swagger UI: static file',
  'GET /docs/*': 'Swagger UI: static files by name (path traversal is tried)',
  'GET /docs/json': 'Swagger UI: the document again',
  'GET /docs/yaml': 'Swagger UI: the document as YAML',
  // The web apps (src/web/routes.ts): pages and build files, not API operations.
  'GET /': 'redirect to the wallet app',
  'GET /assets/': 'web apps: no listing of the build files',
  'GET /assets/*': 'web apps: hashed build files by name (path traversal is tried)',
  'GET /app': 'redirect to /app/',
  'GET /app/': 'wallet app: its page',
  'GET /app/*': 'wallet app: its build files by name, else its page (path traversal is tried)',
  'GET /pos': 'redirect to /pos/',
  'GET /pos/': 'POS page',
  'GET /pos/*': 'POS page: its build files by name, else the page (path traversal is tried)',
  'GET /console': 'redirect to /console/',
  'GET /console/': 'operations console: its page',
  'GET /console/*': 'operations console: its build files by name, else its page (path traversal is tried)',
};

/**
 * Operations that get no generated input at all, each with the reason. Empty: every
 * operation can be fuzzed. (HEAD routes are Fastify's twins of GET routes, same handler;
 * they get the fixed hostile query strings with the GET's authentication.)
 */
const NOT_FUZZED: Record<string, string> = {};

/**
 * Bodies the document does not describe because the route reads raw text (to check a
 * signature over the exact bytes): taken from src/topups/webhook-routes.ts.
 */
const UNDOCUMENTED_BODIES: Record<string, JsonSchema> = {
  'POST /v1/webhooks/card-network': {
    type: 'object', required: ['id', 'type', 'data'],
    properties: {
      id: { type: 'string', minLength: 1, maxLength: 100 },
      // The one event type the route acts on, and two it acknowledges and ignores.
      type: { enum: ['payment.charged_back', 'payment.captured', 'payment.refunded'] },
      data: {
        type: 'object', required: ['payment'],
        properties: {
          payment: { type: 'object', required: ['reference'], properties: { reference: { type: 'string', minLength: 1, maxLength: 100 } } },
          chargeback: { type: 'object', required: ['amount'], properties: { amount: { type: 'integer', exclusiveMinimum: 0, maximum: 10_000_000 } } },
        },
      },
    },
  },
};

/** Operations authenticated by something the document's `security` does not name. */
const EXTRA_AUTH: Record<string, Mode> = { 'POST /v1/webhooks/card-network': 'cardnet' };

/**
 * Operations that end the session they are called with, and why; the fuzzer signs its
 * customer in again after each. Any other operation that ends it fails the suite (its
 * requests after that would not have been authenticated).
 */
const SESSION_ENDING: Record<string, string> = {
  'POST /v1/logout': 'ends this session',
  'POST /v1/me/sessions/revoke-all': 'ends every session',
  'POST /v1/me/reauthenticate': 'too many wrong answers lock the session out; a success swaps the token',
  'POST /v1/me/password': 'too many wrong current passwords lock the session out',
};
const endsSession = (key: string) => key in SESSION_ENDING;

/**
 * Pages for a browser (links in e-mails, the card issuer's redirect back): they refuse with
 * an HTML page, by design, rather than problem+json.
 */
const HTML_PAGES = new Set(['GET /v1/freeze', 'GET /v1/cards/{cardId}/3ds-return', 'GET /v1/topups/{topupId}/3ds-return']);

/** Operations that may move money: the ledger is read after every input, not every batch. */
const MONEY_MOVING = [/^POST \/pos\/v1\//, /^POST \/v1\/topups/, /^(POST|DELETE) \/v1\/cards/, /^POST \/v1\/webhooks\//, /^POST \/ops\/v1\/settlements\//, /\/3ds-return$/];

type Mode = 'none' | 'customer' | 'pos' | 'operator' | 'cardnet';

// A console session (operatorSession) opens what the operator token opens; the token stands for both here.
const SCHEME_MODE: Record<string, Mode> = { bearer: 'customer', cookie: 'customer', posSignature: 'pos', operatorToken: 'operator', operatorSession: 'operator' };

interface Input {
  label: string;
  /** Path and query exactly as on the request line. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Absent with a body: no Content-Type header. */
  contentType?: string;
}

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; text: string }

interface Target {
  key: string;
  method: string;
  group: string;
  modes: Mode[];
  money: boolean;
  batches: () => { name: string; inputs: Input[] }[];
}

let t: TestKonpay;
let http: Pool;
let doc: OpenApiDocument;
let routeTable: string[];
let problemCodes: Map<string, number>;
let term: TestTerminal;
let fuzzCustomer: SignedUp;
let customerRefreshes = 0;
const known = new Map<string, unknown[]>();
/** 4xx answers written before Konpay's hooks ran (no x-request-id); checked by their own test. */
const frameworkRefusals: { key: string; status: number; code: string; body: string; contentType: string }[] = [];
const stats = { requests: 0, inputs: 0, byMode: {} as Record<string, number>, byStatus: {} as Record<string, number>, byModeStatus: {} as Record<string, number>, ledgerReads: 0 };

function hashSeed(s: string): number {
  let h = SEED | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The extras `key` gets: every `EXTRA_SHARE`-th, starting at a place its name picks. */
function share<T>(extras: readonly T[], key: string): T[] {
  const start = hashSeed(key) % EXTRA_SHARE;
  return extras.filter((_, i) => i % EXTRA_SHARE === start);
}

/** Percent-encodes any string, a lone surrogate as its (invalid) three UTF-8-style bytes. */
function pctEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    else out += encodeURIComponent(ch);
  }
  return out;
}

function arbContext(op: Operation): ArbContext {
  return {
    resolve: (ref) => {
      const name = ref.replace('#/components/schemas/', '');
      const s = doc.components?.schemas?.[name];
      if (!s) throw new Error(`unresolvable $ref ${ref}`);
      return s;
    },
    known: (name) => {
      const area = op.path.startsWith('/pos/') ? 'pos' : op.path.startsWith('/ops/') ? 'ops' : 'app';
      return known.get(`${area}:${name}`) ?? known.get(`*:${name}`);
    },
  };
}

const paramsIn = (op: Operation, where: Parameter['in']) => op.parameters.filter((p) => p.in === where);

/** A path template filled with already-encoded values. */
function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, n: string) => values[n] ?? '');
}

function queryString(pairs: [string, string][]): string {
  return pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${pctEncode(v)}`).join('&')}` : '';
}

const scalarText = (v: unknown) => (typeof v === 'string' ? v : toJsonText(v));

interface Parts { path: Record<string, string>; query: [string, string][]; headers: Record<string, string>; body: unknown; hasBody: boolean }

/** Valid path, query, header values and body for `op`. */
function validPartsArb(op: Operation, bodySchema: JsonSchema | undefined, ctx: ArbContext): fc.Arbitrary<Parts> {
  const path: Record<string, fc.Arbitrary<string>> = {};
  for (const p of paramsIn(op, 'path')) path[p.name] = validArb(p.schema, ctx, p.name).map((v) => pctEncode(scalarText(v)));
  const query = paramsIn(op, 'query').map((p) => {
    const a = validArb(p.schema, ctx, p.name).map((v) => [p.name, scalarText(v)] as [string, string]);
    return p.required ? a.map((x) => [x]) : fc.option(a, { freq: 3 }).map((x) => (x ? [x] : []));
  });
  const headers = paramsIn(op, 'header').map((p) => {
    // Printable ASCII only: anything else cannot be sent as a header at all.
    const a = validArb(p.schema, ctx, p.name).map((v) => [p.name, scalarText(v).replace(/[^\x21-\x7e]/g, 'x')] as [string, string]);
    return p.required ? a.map((x) => [x]) : fc.option(a, { freq: 6 }).map((x) => (x ? [x] : []));
  });
  return fc.record({
    path: fc.record(path),
    query: fc.tuple(...query).map((xs) => xs.flat()),
    headers: fc.tuple(...headers).map((xs) => Object.fromEntries(xs.flat())),
    body: bodySchema ? validArb(bodySchema, ctx) : fc.constant(undefined),
    hasBody: fc.constant(bodySchema !== undefined),
  }) as fc.Arbitrary<Parts>;
}

function toInput(op: Operation, p: Parts, label: string): Input {
  const input: Input = { label, path: `${fillPath(op.path, p.path)}${queryString(p.query)}`, headers: p.headers };
  if (p.hasBody) {
    input.body = toJsonText(p.body);
    input.contentType = 'application/json';
  }
  return input;
}

/** Everything sent to a documented operation, in batches. */
function documentedBatches(op: Operation): { name: string; inputs: Input[] }[] {
  const ctx = arbContext(op);
  const bodySchema = op.body ?? UNDOCUMENTED_BODIES[op.key];
  const sends = op.method !== 'GET' && op.method !== 'HEAD';
  const valid = validPartsArb(op, bodySchema, ctx);
  const sample = <T>(arb: fc.Arbitrary<T>, kind: string, numRuns = RUNS) => fc.sample(arb, { seed: hashSeed(`${op.key} ${kind}`), numRuns });

  const batches: { name: string; inputs: Input[] }[] = [];
  batches.push({ name: 'valid', inputs: sample(valid, 'valid').map((p, i) => toInput(op, p, `valid #${i}`)) });

  // Malformed: one part of a valid request made hostile.
  const pathParams = paramsIn(op, 'path');
  const queryParams = paramsIn(op, 'query');
  const headerParams = paramsIn(op, 'header');
  type Bad = { parts: Parts; what: string };
  const kinds: fc.Arbitrary<Bad>[] = [];
  if (bodySchema || sends) {
    kinds.push(fc.tuple(valid, malformedArb(bodySchema, ctx)).map(([parts, m]) => ({ parts: { ...parts, body: m.value, hasBody: true }, what: `body ${m.mutation}` })));
  }
  if (pathParams.length) {
    kinds.push(fc.tuple(valid, fc.constantFrom(...pathParams), fc.oneof(fc.constantFrom(...HOSTILE_PATH_SEGMENTS), fc.string({ unit: 'binary', maxLength: 60 }).map(pctEncode)))
      .map(([parts, p, seg]) => ({ parts: { ...parts, path: { ...parts.path, [p.name]: seg } }, what: `path ${p.name}=${seg.slice(0, 40)}` })));
  }
  if (queryParams.length) {
    kinds.push(fc.tuple(valid, fc.constantFrom(...queryParams), fc.constantFrom(...HOSTILE_VALUES), fc.boolean())
      .map(([parts, p, v, twice]) => {
        const pair: [string, string] = [p.name, scalarText(v)];
        const query = [...parts.query.filter(([k]) => k !== p.name), pair, ...(twice ? [pair] : [])];
        return { parts: { ...parts, query }, what: `query ${p.name}=${scalarText(v).slice(0, 40)}${twice ? ' (twice)' : ''}` };
      }));
  }
  if (headerParams.length) {
    kinds.push(fc.tuple(valid, fc.constantFrom(...headerParams), fc.constantFrom('', ' ', 'a'.repeat(256), 'a'.repeat(8000), '%00', '"quoted"', 'k,k', '../x', '9007199254740993'))
      .map(([parts, p, v]) => ({ parts: { ...parts, headers: { ...parts.headers, [p.name]: v } }, what: `header ${p.name}=${v.slice(0, 40)}` })));
  }
  if (!kinds.length) {
    kinds.push(fc.tuple(valid, fc.constantFrom(...HOSTILE_QUERIES)).map(([parts, q]) => ({ parts: { ...parts, query: [...parts.query, ...q.split('&').map((kv) => [kv.split('=')[0] ?? '', kv.split('=').slice(1).join('=')] as [string, string])] }, what: `query ${q.slice(0, 40)}` })));
  }
  batches.push({ name: 'malformed', inputs: sample(fc.oneof(...kinds), 'malformed').map((b, i) => toInput(op, b.parts, `malformed #${i}: ${b.what}`)) });

  const base = sample(valid, 'base', 1)[0]!;
  // Each fixed input carries every header parameter, with a value of its own (an
  // Idempotency-Key used once), so the idempotency layer does not refuse them all as reuses.
  let fresh = 0;
  const headers = () => Object.fromEntries(paramsIn(op, 'header').map((p) => [p.name, `fuzz-${hashSeed(op.key).toString(36)}-${++fresh}`]));
  const basePath = fillPath(op.path, base.path);
  const baseQuery = queryString(base.query);
  const validJson = bodySchema ? toJsonText(base.body) : undefined;

  if (sends) {
    batches.push({
      name: 'hostile bodies',
      inputs: hostileBodies(validJson, t.config.http.bodyLimit).filter((b, i, all) => b.core || share(all.filter((x) => !x.core), op.key).includes(b)).map((b: RawBody) => ({
        label: `body: ${b.name}`, path: `${basePath}${baseQuery}`, headers: headers(), body: b.body, ...(b.contentType === undefined ? {} : { contentType: b.contentType }),
      })),
    });
    batches.push({ name: 'no body', inputs: [{ label: 'no body at all', path: `${basePath}${baseQuery}`, headers: headers() }, { label: 'no body, JSON content type', path: `${basePath}${baseQuery}`, headers: headers(), contentType: 'application/json' }] });
  }
  const withBody = (label: string, path: string): Input => ({ label, path, headers: headers(), ...(validJson === undefined ? {} : { body: validJson, contentType: 'application/json' }) });
  for (const p of pathParams) {
    batches.push({
      name: `path ${p.name}`,
      inputs: [...CORE_PATH_SEGMENTS, ...share(EXTRA_PATH_SEGMENTS, `${op.key} ${p.name}`)].map((seg) => withBody(`path ${p.name}=${seg.slice(0, 40)}`, `${fillPath(op.path, { ...base.path, [p.name]: seg })}${baseQuery}`)),
    });
  }
  // Every hostile query for operations that read the query; a few for the rest.
  const queries = queryParams.length ? HOSTILE_QUERIES : share(HOSTILE_QUERIES.filter((_, i) => i % 3 === 0), op.key);
  batches.push({ name: 'query', inputs: queries.map((q) => withBody(`query ${q.slice(0, 40)}`, `${basePath}?${q}`)) });
  return batches;
}

/** Routes without a schema: the fixed query strings (and path segments where the route ends in a wildcard). */
function fixedBatches(routeKey: string, path: string, few: boolean): { name: string; inputs: Input[] }[] {
  const concrete = path.replace(/\*$/, 'static/index.html').replace(/\{[^}]+\}/g, 'x');
  const queries = few ? share(HOSTILE_QUERIES.filter((_, i) => i % 3 === 0), routeKey) : HOSTILE_QUERIES;
  const batches = [{ name: 'query', inputs: queries.map((q) => ({ label: `query ${q.slice(0, 40)}`, path: `${concrete}?${q}`, headers: {} })) }];
  if (path.endsWith('*')) {
    const prefix = path.slice(0, -1);
    const traversal = ['..%2f..%2f..%2fpackage.json', '%2e%2e/%2e%2e/%2e%2e/package.json', '../../../../etc/passwd', '..%5c..%5cpackage.json', '.env', '%00index.html', 'index.html%00.js'];
    batches.push({ name: 'path', inputs: [...traversal, ...CORE_PATH_SEGMENTS, ...EXTRA_PATH_SEGMENTS].map((seg) => ({ label: `${routeKey} path ${seg.slice(0, 40)}`, path: `${prefix}${seg}`, headers: {} })) });
  }
  return batches;
}

function modesOf(op: Operation): Mode[] {
  const modes = new Set<Mode>(['none']);
  for (const s of op.security) {
    const m = SCHEME_MODE[s];
    if (!m) throw new Error(`${op.key}: security scheme "${s}" is unknown to the fuzzer`);
    modes.add(m);
  }
  const extra = EXTRA_AUTH[op.key];
  if (extra) modes.add(extra);
  return [...modes];
}

function groupOf(modes: Mode[]): string {
  if (modes.includes('customer')) return 'customer session';
  if (modes.includes('pos')) return 'store terminal';
  if (modes.includes('operator')) return 'operator';
  if (modes.includes('cardnet')) return 'card network';
  return 'public';
}

function targets(): Target[] {
  const ops = operationsOf(doc);
  const byKey = new Map(ops.map((o) => [o.key, o]));
  const out: Target[] = [];
  for (const op of ops) {
    if (op.key in NOT_FUZZED) continue;
    const modes = modesOf(op);
    out.push({ key: op.key, method: op.method, group: groupOf(modes), modes, money: MONEY_MOVING.some((r) => r.test(op.key)), batches: () => documentedBatches(op) });
  }
  for (const r of routeTable) {
    if (byKey.has(r) || r in NOT_FUZZED) continue;
    const [method, path] = r.split(' ') as [string, string];
    const twin = method === 'HEAD' ? byKey.get(`GET ${path}`) : undefined;
    if (twin) {
      out.push({ key: r, method, group: 'HEAD and undocumented', modes: modesOf(twin), money: false, batches: () => fixedBatches(r, path, true) });
    } else if (r in UNDOCUMENTED || (method === 'HEAD' && `GET ${path}` in UNDOCUMENTED)) {
      out.push({ key: r, method, group: 'HEAD and undocumented', modes: ['none'], money: false, batches: () => fixedBatches(r, path, method === 'HEAD' || !path.endsWith('*')) });
    }
  }
  return out;
}

async function send(method: string, input: Input, mode: Mode): Promise<Answer> {
  const headers: Record<string, string> = { ...input.headers };
  if (input.contentType !== undefined) headers['content-type'] = input.contentType;
  const raw = input.body;
  switch (mode) {
    case 'customer':
      Object.assign(headers, bearer(fuzzCustomer.token));
      break;
    case 'operator':
      headers.authorization = `Bearer ${t.config.secrets.operatorApiToken!}`;
      break;
    case 'pos': {
      // Signed over the exact bytes and request line sent: the request reaches the handler.
      const signed = await signRequest({ keyId: term.keyId, secret: term.secret, method, path: input.path, ...(raw === undefined ? {} : { body: typeof raw === 'string' ? raw : new Uint8Array(raw) }) });
      Object.assign(headers, signed.headers);
      break;
    }
    case 'cardnet':
      headers['cardnet-signature'] = signWebhook(WEBHOOK_SECRET, raw === undefined ? '' : typeof raw === 'string' ? raw : raw.toString('utf8'), new Date());
      break;
    case 'none':
      break;
  }
  const res = await http.request({ path: input.path, method: method as 'GET', headers, ...(raw === undefined ? {} : { body: raw }) });
  const text = await res.body.text();
  stats.requests++;
  stats.byMode[mode] = (stats.byMode[mode] ?? 0) + 1;
  stats.byStatus[String(res.statusCode)] = (stats.byStatus[String(res.statusCode)] ?? 0) + 1;
  stats.byModeStatus[`${mode} ${res.statusCode}`] = (stats.byModeStatus[`${mode} ${res.statusCode}`] ?? 0) + 1;
  return { status: res.statusCode, headers: res.headers as Answer['headers'], text };
}

const cut = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

function describeInput(method: string, input: Input): string {
  const body = input.body === undefined ? '' : ` body ${input.contentType ?? '(no content type)'} ${cut(typeof input.body === 'string' ? JSON.stringify(input.body) : `<${input.body.length} bytes ${input.body.subarray(0, 40).toString('hex')}>`)}`;
  return `${method} ${cut(input.path, 200)}${Object.keys(input.headers).length ? ` headers ${cut(JSON.stringify(input.headers), 100)}` : ''}${body}`;
}

interface Failure { kind: string; message: string }

/**
 * What is wrong with an answer, if anything; `kind` groups alike failures in the report.
 * A 4xx without `x-request-id` was written by Fastify or Node before any hook ran (a URL
 * that does not decode, a parameter over the router's limit, a request line over 16 KiB):
 * such answers are only checked to be below 500 here and are collected for their own test.
 */
function judge(target: Target, mode: Mode, a: Answer): Failure | undefined {
  if (a.status >= 500) return { kind: `answered ${a.status}`, message: `answered ${a.status}` };
  const leaked = leaks().find((x) => a.text.includes(x.text));
  if (leaked) return { kind: `leaked ${leaked.what}`, message: `the answer contains ${leaked.what}` };
  const requestId = a.headers['x-request-id'];
  if (typeof requestId !== 'string' || !requestId) {
    if (a.status >= 400) {
      frameworkRefusals.push({ key: target.key, status: a.status, code: frameworkCode(a), body: cut(a.text, 200), contentType: String(a.headers['content-type'] ?? '') });
      return undefined;
    }
    return { kind: `no x-request-id on a ${a.status}`, message: `no x-request-id (status ${a.status})` };
  }
  if (target.modes.length > 1 && mode === 'none' && a.status < 400) return { kind: 'unauthenticated success', message: `unauthenticated request answered ${a.status}` };
  if (a.status < 400 || target.method === 'HEAD') return undefined;
  const ct = String(a.headers['content-type'] ?? '');
  if (HTML_PAGES.has(target.key) && ct.startsWith('text/html')) return undefined;
  if (!ct.startsWith('application/problem+json')) return { kind: `${a.status} not problem+json`, message: `${a.status} with content type ${JSON.stringify(ct)}, not application/problem+json` };
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(a.text) as Record<string, unknown>;
  } catch {
    return { kind: 'problem body not JSON', message: `${a.status} problem body is not JSON` };
  }
  const issues: string[] = [];
  if (typeof p.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(p.code)) issues.push('code');
  else {
    if (!problemCodes.has(p.code)) issues.push(`code ${p.code} not in GET /problems`);
    else if (problemCodes.get(p.code) !== a.status) issues.push(`status ${a.status} but /problems says ${problemCodes.get(p.code)} for ${p.code}`);
    if (typeof p.type !== 'string' || !p.type.endsWith(`/problems/${p.code}`)) issues.push('type');
  }
  if (typeof p.title !== 'string' || !p.title) issues.push('title');
  if (p.status !== a.status) issues.push(`status field ${String(p.status)}`);
  // An idempotent replay repeats the first answer, its requestId included (and says so).
  if (p.requestId !== requestId && !(a.headers['idempotent-replayed'] === 'true' && typeof p.requestId === 'string')) issues.push('requestId differs from x-request-id');
  if (p.detail !== undefined && typeof p.detail !== 'string') issues.push('detail');
  if (p.errors !== undefined && !(Array.isArray(p.errors) && p.errors.every((e: { path?: unknown; message?: unknown }) => typeof e?.path === 'string' && typeof e?.message === 'string'))) issues.push('errors');
  if (/\n\s+at .+:\d+:\d+|node_modules\//.test(a.text)) issues.push('stack trace in the body');
  return issues.length ? { kind: `problem body wrong (${issues.join(', ')})`, message: `${a.status} problem body wrong (${issues.join(', ')})` } : undefined;
}

let leakList: { what: string; text: string }[] | undefined;
/** What no answer may contain: the server's secrets, and files a path traversal could reach. */
function leaks(): { what: string; text: string }[] {
  const secrets = t.config.secrets as unknown as Record<string, unknown>;
  leakList ??= [
    ...Object.entries(secrets).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length >= 16).map(([k, v]) => ({ what: `the ${k} secret`, text: v })),
    { what: 'the webhook secret', text: WEBHOOK_SECRET },
    { what: '/etc/passwd', text: 'root:x:0:0' },
    { what: 'package.json', text: '"allowScripts"' },
  ];
  return leakList;
}

function frameworkCode(a: Answer): string {
  try {
    return String((JSON.parse(a.text) as { code?: unknown }).code ?? a.status);
  } catch {
    return String(a.status);
  }
}

interface LedgerTotals { transfers: string; cp: string; dp: string; cpe: string; dpe: string }

async function ledger(): Promise<LedgerTotals> {
  stats.ledgerReads++;
  const r = await t.konpay.pool.query<LedgerTotals>(
    `SELECT (SELECT count(*) FROM ledger_transfers)::text AS transfers,
            coalesce(sum(credits_posted), 0)::text AS cp, coalesce(sum(debits_posted), 0)::text AS dp,
            coalesce(sum(credits_pending), 0)::text AS cpe, coalesce(sum(debits_pending), 0)::text AS dpe
       FROM ledger_accounts`,
  );
  return r.rows[0]!;
}
const sameLedger = (a: LedgerTotals, b: LedgerTotals) => JSON.stringify(a) === JSON.stringify(b);
const balanced = (l: LedgerTotals) => l.cp === l.dp && l.cpe === l.dpe;

async function customerAlive(): Promise<boolean> {
  return (await t.konpay.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(fuzzCustomer.token) })).statusCode === 200;
}

/**
 * A new session for the fuzz customer on its signed-up device, as a login would make
 * (straight through the session service: the login API would spend a password hash and
 * throttle budget on each of the hundred-odd renewals); a new customer if that is refused.
 */
async function renewCustomer(): Promise<void> {
  customerRefreshes++;
  const uid = fromPublicId('usr', fuzzCustomer.userId)!;
  const row = await t.konpay.pool.query<{ device_id: string | null }>(`SELECT device_id FROM sessions WHERE user_id = $1 ORDER BY created_at LIMIT 1`, [uid]);
  const issued = await t.konpay.identity.sessions.issue(t.konpay.pool, uid, row.rows[0]?.device_id ?? null, 'bearer', { ip: '127.0.0.1', userAgent: 'konpay-fuzz' }, t.konpay.identity.clock.now());
  fuzzCustomer = { ...fuzzCustomer, token: issued.token };
  if (!(await customerAlive())) fuzzCustomer = await signUp(t, newCustomer('fuzz'));
}

/** Runs `fn` over `items`, `width` at a time, in order of start. */
async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Sends every batch of `target` in each of its modes; answers what went wrong. */
async function fuzz(target: Target): Promise<Failure[]> {
  const failures: Failure[] = [];
  const fail = (kind: string, message: string) => failures.push({ kind: `${target.key}: ${kind}`, message: `${target.key} ${message}` });
  const logStart = t.logs.lines.length;
  // Money-moving operations go one input at a time (the ledger is read after each), and so do
  // session-ending ones (the customer signs in again after each); the rest a few at a time.
  const sequential = target.money || endsSession(target.key);
  const accepted = new Set<Mode>();
  let before = await ledger();
  for (const batch of target.batches()) {
    const batchStatuses = new Set<number>();
    await inParallel(batch.inputs, sequential ? 1 : 6, async (input) => {
      stats.inputs++;
      const statuses: number[] = [];
      const one = async (mode: Mode) => {
        let a: Answer;
        try {
          a = await send(target.method, input, mode);
        } catch (err) {
          fail('request failed', `[${mode}] ${input.label}: the request failed (${(err as Error).message}) — ${describeInput(target.method, input)}`);
          return;
        }
        statuses.push(a.status);
        batchStatuses.add(a.status);
        if (a.status !== 401) accepted.add(mode);
        const wrong = judge(target, mode, a);
        if (wrong) fail(wrong.kind, `[${mode}] ${input.label}: ${wrong.message} — ${describeInput(target.method, input)} — answer ${cut(a.text, 300)}`);
        if (mode === 'customer' && endsSession(target.key) && !(await customerAlive())) await renewCustomer();
      };
      if (endsSession(target.key)) for (const mode of target.modes) await one(mode);
      else await Promise.all(target.modes.map(one));
      if (target.money) {
        const after = await ledger();
        if (statuses.every((x) => x >= 400) && !sameLedger(before, after)) {
          fail('ledger moved on a refusal', `${input.label}: refused (${statuses.join(', ')}) but the ledger moved: ${JSON.stringify(before)} → ${JSON.stringify(after)} — ${describeInput(target.method, input)}`);
        }
        if (!balanced(after)) fail('ledger out of balance', `${input.label}: ledger out of balance ${JSON.stringify(after)}`);
        before = after;
      }
    });
    if (!target.money) {
      const after = await ledger();
      if (!sameLedger(before, after)) fail('ledger moved', `batch ${batch.name}: an operation that moves no money moved the ledger (answers ${[...batchStatuses].join(', ')}): ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      before = after;
    }
    const health = await http.request({ path: '/health', method: 'GET' });
    await health.body.text();
    if (health.statusCode !== 200) fail('unhealthy', `batch ${batch.name}: GET /health answered ${health.statusCode} afterwards`);
  }
  // The authentication sent was valid: at least one answer in each authenticated mode got past it.
  for (const mode of target.modes) if (mode !== 'none' && !accepted.has(mode)) fail('authentication never accepted', `[${mode}]: every answer was 401`);
  if (target.modes.includes('customer') && !endsSession(target.key) && !(await customerAlive())) {
    fail('ended the session', 'ended the fuzz customer\'s session: add it to SESSION_ENDING if that is what it is for');
    await renewCustomer();
  }
  const internal = t.logs.lines.slice(logStart).filter((l) => /"level":(50|60)/.test(l));
  for (const l of internal.slice(0, 3)) fail('error logged', `error logged: ${cut(l, 400)}`);
  return failures;
}

/** Failures grouped by kind: a count and a few examples of each. */
function report(failures: Failure[]): string {
  if (!failures.length) return '';
  const byKind = new Map<string, string[]>();
  for (const f of failures) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f.message]);
  const lines = [...byKind].map(([kind, messages]) => `• ${kind} (${messages.length}×), e.g.\n${messages.slice(0, 3).map((m) => `    ${m}`).join('\n')}`);
  return `${failures.length} problem(s) of ${byKind.size} kind(s), seed ${SEED}, KONPAY_FUZZ_RUNS=${RUNS}:\n${lines.join('\n')}`;
}

beforeAll(async () => {
  const first = await startTestKonpay({
    CARDNET_WEBHOOK_SECRET: WEBHOOK_SECRET,
    // Let unknown payment codes reach the payment path instead of throttling the terminal.
    POS_UNKNOWN_CODES_PER_WINDOW: '10000',
    LEDGER_SWEEP_MS: '0',
  }, { worker: false });
  // Thousands of small commits: this throw-away database need not wait for the disk on each
  // (the embedded server of the third CI pass runs with fsync off anyway). The setting
  // applies to new connections, so the server starts again on the same database and data.
  await first.konpay.close();
  await first.db.pool.query(`ALTER DATABASE ${first.db.name} SET synchronous_commit = off`);
  const konpay = await startKonpay(first.config, { worker: false, logDestination: first.logs });
  t = { ...first, konpay, stop: async () => { await konpay.close(); await first.stop(); } };
  await t.konpay.listen();
  http = new Pool(t.konpay.url, { connections: 12, pipelining: 1, keepAliveTimeout: 30_000 });

  const openapi = await http.request({ path: '/openapi.json', method: 'GET' });
  expect(openapi.statusCode).toBe(200);
  doc = (await openapi.body.json()) as OpenApiDocument;
  routeTable = routesOf(t.konpay.app.printRoutes({ commonPrefix: false }));
  const problems = (await t.konpay.app.inject({ method: 'GET', url: '/problems' })).json() as { problems: { code: string; status: number }[] };
  problemCodes = new Map(problems.problems.map((p) => [p.code, p.status]));

  // A till with a customer who has money, live codes of theirs, and a payment to refund.
  term = await newTerminal(t);
  const payer = await payerWith(t, term, 30_000);
  const codes = await codesFor(t, payer, 41);
  const orderId = newOrder();
  const paid = await pay(term, codes.pop()!, 1_200, { orderId });
  expect(paid.status, JSON.stringify(paid.json)).toBe(201);
  known.set('pos:code', codes);
  known.set('pos:paymentId', [(paid.json as { id: string }).id]);
  known.set('pos:orderId', [orderId]);

  // The customer whose session the fuzzer uses (not the payer: it may set a PIN, change a password…).
  fuzzCustomer = await signUp(t, newCustomer('fuzz'));
  const someone = newCustomer('flow');
  const flow = await t.konpay.app.inject({ method: 'POST', url: '/v1/signup', payload: { email: someone.email, phone: someone.phone, password: someone.password, locale: 'en' } });
  expect(flow.statusCode, flow.body).toBe(202);
  known.set('*:flowId', [(flow.json() as { flowId: string }).flowId]);

  // Operator targets of their own, so suspending or rotating them leaves the till working.
  const m = await merchantWithEndpoint(t, 'https://hooks.example.jp/konpay', 'Fuzz Mart');
  const store = await opsRequest<{ id: string }>(t, 'POST', `/ops/v1/merchants/${m.merchantId}/stores`, { name: 'Fuzz store' });
  expect(store.status).toBe(201);
  const terminal = await opsRequest<{ terminalId?: string; id?: string }>(t, 'POST', `/ops/v1/stores/${store.json.id}/terminals`);
  expect(terminal.status).toBe(201);
  const event = await emit(t, m.merchantId);
  known.set('ops:merchantId', [m.merchantId]);
  known.set('ops:endpointId', [m.endpointId]);
  known.set('ops:storeId', [store.json.id]);
  known.set('ops:store', [store.json.id]);
  known.set('ops:terminalId', [terminal.json.terminalId ?? terminal.json.id]);
  known.set('ops:eventId', [event.eventId]);
  const now = new Date();
  known.set('ops:date', [jstDate(now), jstDate(new Date(now.getTime() - 86_400_000)), jstDate(new Date(now.getTime() - 40 * 86_400_000))]);
}, 120_000);

afterAll(async () => {
  await http?.close();
  await t?.stop();
});

describe('hostile input (issue 7)', () => {
  it('covers every operation in the OpenAPI document and every route the server registers', () => {
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(50);
    const covered = new Set(targets().map((x) => x.key));
    const documented = new Set(ops.map((o) => o.key));
    // Every route is fuzzed or listed with a reason; nothing else is left over.
    const uncovered = routeTable.filter((r) => !covered.has(r) && !(r in NOT_FUZZED));
    expect(uncovered, 'routes neither in the OpenAPI document nor in UNDOCUMENTED (document them, or list them with the reason)').toEqual([]);
    expect(ops.filter((o) => !covered.has(o.key) && !(o.key in NOT_FUZZED)).map((o) => o.key)).toEqual([]);
    // The document describes routes that exist.
    expect([...documented].filter((k) => !routeTable.includes(k))).toEqual([]);
    // No stale entries in the lists of exceptions.
    expect(Object.keys({ ...UNDOCUMENTED, ...NOT_FUZZED }).filter((k) => !routeTable.includes(k))).toEqual([]);
    expect(Object.keys(UNDOCUMENTED).filter((k) => documented.has(k))).toEqual([]);
    expect(Object.keys({ ...UNDOCUMENTED_BODIES, ...EXTRA_AUTH }).filter((k) => !documented.has(k) || ops.find((o) => o.key === k)!.body)).toEqual([]);
    expect(Object.keys(SESSION_ENDING).filter((k) => !documented.has(k))).toEqual([]);
    expect([...HTML_PAGES].filter((k) => !documented.has(k))).toEqual([]);
    expect(MONEY_MOVING.filter((r) => !ops.some((o) => r.test(o.key))).map(String)).toEqual([]);
    // Every schema converts (an unknown keyword throws here rather than being fuzzed wrongly).
    for (const op of ops) {
      const ctx = arbContext(op);
      for (const p of op.parameters) fc.sample(validArb(p.schema, ctx, p.name), { seed: SEED, numRuns: 1 });
      if (op.body) fc.sample(validArb(deref(op.body, ctx), ctx), { seed: SEED, numRuns: 1 });
    }
  });

  const groups = ['public', 'customer session', 'store terminal', 'operator', 'card network', 'HEAD and undocumented'];
  it.each(groups)('%s operations: no 5xx, problem+json refusals, the ledger untouched by refusals', async (group) => {
    const mine = targets().filter((x) => x.group === group);
    expect(mine.length).toBeGreaterThan(0);
    const failures: Failure[] = [];
    for (const target of mine) {
      const started = performance.now();
      failures.push(...(await fuzz(target)));
      if (process.env.KONPAY_FUZZ_PROFILE) console.log(`${Math.round(performance.now() - started)}ms ${target.key}`);
    }
    expect(failures.map((f) => f.kind), report(failures)).toEqual([]);
  }, 240_000 * SCALE);

  it('refusals made before routing (a URL that does not decode, an over-long parameter or request line) are problem+json with x-request-id', () => {
    expect(stats.requests, 'runs after the fuzzing above').toBeGreaterThan(1000);
    // Filled by the tests above: every 4xx they got without x-request-id.
    const kinds = new Map<string, { n: number; example: string }>();
    for (const r of frameworkRefusals) {
      const k = `${r.status} ${r.code} (${r.contentType || 'no content type'})`;
      kinds.set(k, { n: (kinds.get(k)?.n ?? 0) + 1, example: kinds.get(k)?.example ?? `${r.key}: ${r.body}` });
    }
    const summary = [...kinds].map(([k, v]) => `${k}: ${v.n}×, e.g. ${v.example}`).join('\n');
    expect([...kinds.keys()], `answers without x-request-id and not problem+json:\n${summary}`).toEqual([]);
  });

  it('leaves the server healthy and the ledger balanced', async () => {
    const health = await http.request({ path: '/health', method: 'GET' });
    expect(health.statusCode).toBe(200);
    await health.body.text();
    expect(balanced(await ledger())).toBe(true);
    // Every group sent something in every mode.
    for (const mode of ['none', 'customer', 'pos', 'operator', 'cardnet']) expect(stats.byMode[mode] ?? 0, mode).toBeGreaterThan(0);
    console.log(`fuzz: ${stats.requests} requests for ${stats.inputs} inputs, by mode ${JSON.stringify(stats.byMode)}, by status ${JSON.stringify(stats.byStatus)}, by mode and status ${JSON.stringify(stats.byModeStatus)}, ${stats.ledgerReads} ledger reads, ${customerRefreshes} customer sign-ins again (seed ${SEED}, runs ${RUNS})`);
  });
});
