/**
 * The operations to fuzz: every (method, path) of the OpenAPI document the server serves,
 * and every route the server actually registered (from Fastify's route tree), so a route
 * hidden from the document is noticed too.
 */
import type { JsonSchema } from './schema-arbitrary.js';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}

export interface Operation {
  /** `POST /v1/cards/{cardId}/verify` */
  key: string;
  method: string;
  /** The document's path template, `{name}` for parameters. */
  path: string;
  security: string[];
  parameters: Parameter[];
  /** The JSON request body's schema, if the document gives one. */
  body?: JsonSchema;
  bodyRequired: boolean;
  /** Content types of the request body other than JSON (the freeze form). */
  otherContentTypes: string[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, {
    security?: Record<string, unknown>[];
    parameters?: Parameter[];
    requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(item)) {
      if (!METHODS.has(m)) throw new Error(`${path}: path-item field "${m}" is not understood by the fuzzer`);
      const content = op.requestBody?.content ?? {};
      out.push({
        key: `${m.toUpperCase()} ${path}`,
        method: m.toUpperCase(),
        path,
        security: (op.security ?? []).flatMap((s) => Object.keys(s)),
        parameters: op.parameters ?? [],
        body: content['application/json']?.schema,
        bodyRequired: op.requestBody?.required === true,
        otherContentTypes: Object.keys(content).filter((c) => c !== 'application/json'),
      });
    }
  }
  return out;
}

/**
 * `METHOD /path/{param}` for every route in Fastify's `printRoutes({ commonPrefix: false })`
 * tree: each line is a node, four characters of indent per level, its path the parent's
 * plus its own segment, its methods in parentheses.
 */
export function routesOf(tree: string): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) {
      if (line.trim()) throw new Error(`route tree line not understood: ${JSON.stringify(line)}`);
      continue;
    }
    const depth = m[1]!.length / 4;
    if (!Number.isInteger(depth)) throw new Error(`route tree indent not understood: ${JSON.stringify(line)}`);
    stack.length = depth;
    const full = `${stack.join('')}${m[2]!}`;
    stack.push(m[2]!);
    for (const method of (m[3] ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
      out.push(`${method} ${full.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    }
  }
  return out;
}
