/**
 * fast-check arbitraries from the JSON Schemas of Konpay's OpenAPI document: values the
 * schema accepts, and malformed ones made from them (a required field dropped, a field
 * added, one field given a hostile value, the wrong type at the root).
 *
 * Only the subset the document uses is understood; any other keyword throws, so a schema
 * using something new fails the fuzz suite loudly instead of being fuzzed wrongly.
 */
import fc from 'fast-check';
import { HOSTILE_VALUES, RESERVED_KEYS } from './hostile.js';
import { RawJson } from './json-text.js';

export { RawJson, toJsonText } from './json-text.js';

export type JsonSchema = Record<string, unknown>;

export interface ArbContext {
  /** The schema a `$ref` points at. */
  resolve(ref: string): JsonSchema;
  /** Real values worth trying for a property or parameter of this name (ids that exist, live codes); each must be valid for its schema. */
  known?(name: string): readonly unknown[] | undefined;
}

const UNDERSTOOD = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems',
  'minLength', 'maxLength', 'pattern', 'format', 'enum', 'const', 'minimum', 'maximum',
  'exclusiveMinimum', 'exclusiveMaximum', 'anyOf', 'oneOf', 'nullable', 'default',
  'description', 'examples', 'example', 'title', '$ref', '$id', 'id', 'deprecated', 'readOnly', 'writeOnly',
]);

function check(schema: JsonSchema): void {
  for (const k of Object.keys(schema)) {
    if (!UNDERSTOOD.has(k)) throw new Error(`schema keyword "${k}" is not understood by the fuzzer's converter: ${JSON.stringify(schema).slice(0, 300)}`);
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** The schema behind a `$ref`, else the schema itself. */
export function deref(schema: JsonSchema, ctx: ArbContext): JsonSchema {
  let s = schema;
  for (let i = 0; typeof s.$ref === 'string'; i++) {
    if (i > 20) throw new Error(`$ref loop at ${s.$ref}`);
    s = ctx.resolve(s.$ref);
  }
  return s;
}

/** A value valid for `schema` (mixed, where `name` has some, with known real values). */
export function validArb(schema: JsonSchema, ctx: ArbContext, name?: string, depth = 0): fc.Arbitrary<unknown> {
  const base = baseArb(deref(schema, ctx), ctx, depth);
  const known = name === undefined ? undefined : ctx.known?.(name);
  return known?.length ? fc.oneof(fc.constantFrom(...known), base) : base;
}

function baseArb(schema: JsonSchema, ctx: ArbContext, depth: number): fc.Arbitrary<unknown> {
  check(schema);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (branches) return fc.oneof(...branches.map((b) => validArb(b, ctx, undefined, depth)));
  const nullable = schema.nullable === true;
  let types = schema.type === undefined ? (schema.properties ? ['object'] : ['any']) : Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  if (nullable && !types.includes('null')) types = [...types, 'null'];
  const arbs = types.map((type) => typeArb(type, schema, ctx, depth));
  return arbs.length === 1 ? arbs[0]! : fc.oneof(...arbs);
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function typeArb(type: string, s: JsonSchema, ctx: ArbContext, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'any':
      return fc.jsonValue({ maxDepth: 2 });
    case 'integer': {
      const exMin = num(s.exclusiveMinimum);
      const exMax = num(s.exclusiveMaximum);
      const lo = Math.max(-MAX_SAFE, num(s.minimum) ?? (exMin !== undefined ? Math.floor(exMin) + 1 : -MAX_SAFE));
      const hi = Math.min(MAX_SAFE, num(s.maximum) ?? (exMax !== undefined ? Math.ceil(exMax) - 1 : MAX_SAFE));
      const small = fc.integer({ min: Math.max(lo, -100_000), max: Math.min(hi, 100_000) });
      return fc.oneof(
        { arbitrary: fc.constantFrom(lo, hi), weight: 1 },
        { arbitrary: fc.bigInt({ min: BigInt(lo), max: BigInt(hi) }).map(Number), weight: 2 },
        ...(lo <= 100_000 && hi >= -100_000 ? [{ arbitrary: small, weight: 3 }] : []),
      );
    }
    case 'number': {
      const min = num(s.minimum) ?? num(s.exclusiveMinimum) ?? -1e15;
      const max = num(s.maximum) ?? num(s.exclusiveMaximum) ?? 1e15;
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true, minExcluded: s.exclusiveMinimum !== undefined, maxExcluded: s.exclusiveMaximum !== undefined });
    }
    case 'string':
      return stringArb(s);
    case 'array': {
      const items = (s.items as JsonSchema | undefined) ?? {};
      const minLength = num(s.minItems) ?? 0;
      return fc.array(validArb(items, ctx, undefined, depth + 1), { minLength, maxLength: Math.max(minLength, Math.min(num(s.maxItems) ?? 4, 4)) });
    }
    case 'object':
      return objectArb(s, ctx, depth);
    default:
      throw new Error(`schema type "${type}" is not understood by the fuzzer's converter`);
  }
}

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  const minLength = num(s.minLength) ?? 0;
  const maxLength = num(s.maxLength) ?? Infinity;
  const fits = (x: string) => x.length >= minLength && x.length <= maxLength;
  const pattern = typeof s.pattern === 'string' ? new RegExp(s.pattern) : undefined;
  const ok = (x: string) => fits(x) && (!pattern || pattern.test(x));
  if (s.format === 'date-time') {
    return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()).filter(ok);
  }
  if (s.format === 'uri') return fc.webUrl({ withQueryParameters: true }).filter(ok);
  if (s.format === 'email') return fc.emailAddress().filter(ok);
  if (s.format !== undefined && !['date', 'uuid'].includes(s.format as string)) throw new Error(`string format "${String(s.format)}" is not understood by the fuzzer's converter`);
  if (s.format === 'date') return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)).filter(ok);
  if (s.format === 'uuid') return fc.uuid().filter(ok);
  if (pattern) {
    // stringMatching ignores lengths; short matches are the common case, long ones are cut by the filter.
    return fc.stringMatching(pattern, { size: 'small' }).filter(ok);
  }
  const genMax = Math.max(minLength, Math.min(maxLength, 48));
  return fc.oneof(
    fc.string({ minLength, maxLength: genMax }),
    fc.string({ minLength, maxLength: genMax, unit: 'grapheme' }),
    fc.string({ minLength, maxLength: genMax, unit: 'binary' }),
  ).filter(fits);
}

function objectArb(s: JsonSchema, ctx: ArbContext, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required ?? []) as string[]);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries(props)) model[k] = validArb(v, ctx, k, depth + 1);
  const record = fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
  const extra = s.additionalProperties;
  if (extra === false || depth > 2) return record as fc.Arbitrary<Record<string, unknown>>;
  // Extra keys are allowed: add some now and then.
  const valueArb = extra && typeof extra === 'object' ? validArb(extra as JsonSchema, ctx, undefined, depth + 1) : fc.jsonValue({ maxDepth: 1 });
  const extras = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(k in props) && !RESERVED_KEYS.includes(k)), valueArb, { maxKeys: 2 });
  return fc.tuple(record, fc.oneof(fc.constant({}), extras)).map(([r, e]) => ({ ...e, ...r }));
}

/** Every property path below `schema` (through nested objects, arrays' items and anyOf/oneOf branches), with whether it is required. */
export function propertyPaths(schema: JsonSchema, ctx: ArbContext, prefix: string[] = [], depth = 0): { path: string[]; required: boolean }[] {
  const s = deref(schema, ctx);
  if (depth > 4) return [];
  const out: { path: string[]; required: boolean }[] = [];
  for (const b of ((s.anyOf ?? s.oneOf ?? []) as JsonSchema[])) out.push(...propertyPaths(b, ctx, prefix, depth));
  const required = new Set((s.required ?? []) as string[]);
  for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)) {
    out.push({ path: [...prefix, k], required: required.has(k) });
    out.push(...propertyPaths(v, ctx, [...prefix, k], depth + 1));
  }
  return out;
}

type Mutation =
  | { kind: 'root'; value: unknown }
  | { kind: 'drop'; pick: number }
  | { kind: 'extra'; key: string; value: unknown }
  | { kind: 'replace'; pick: number; value: unknown }
  | { kind: 'nest'; pick: number; levels: number };

const hostileValue = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_VALUES), weight: 4 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('root' as const), value: hostileValue }),
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('extra' as const), key: fc.oneof(fc.constantFrom(...RESERVED_KEYS), fc.string({ minLength: 1, maxLength: 16 })), value: hostileValue }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant('nest' as const), pick: fc.nat(), levels: fc.integer({ min: 2, max: 200 }) }),
);

function clone(v: unknown): unknown {
  if (v instanceof RawJson || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(clone);
  const out: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(v)) out[k] = clone((v as Record<string, unknown>)[k]);
  return out;
}

/** Sets `path` in `root`, making objects along the way (a null-prototype object, so `__proto__` is just a key). */
function setIn(root: Record<string, unknown>, path: string[], value: unknown): void {
  let o = root;
  for (const k of path.slice(0, -1)) {
    const next = o[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next) || next instanceof RawJson) o[k] = Object.create(null);
    o = o[k] as Record<string, unknown>;
  }
  o[path[path.length - 1]!] = value;
}

function deleteIn(root: Record<string, unknown>, path: string[]): void {
  let o: unknown = root;
  for (const k of path.slice(0, -1)) {
    o = (o as Record<string, unknown> | undefined)?.[k];
    if (o === null || typeof o !== 'object') return;
  }
  delete (o as Record<string, unknown>)[path[path.length - 1]!];
}

function getIn(root: unknown, path: string[]): unknown {
  let o = root;
  for (const k of path) o = o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;
  return o;
}

/** A value `schema` (very probably) refuses: a valid one with one mutation. `valid` is for the schema's own value generation. */
export function malformedArb(schema: JsonSchema | undefined, ctx: ArbContext): fc.Arbitrary<{ value: unknown; mutation: string }> {
  if (!schema) return hostileValue.map((value) => ({ value, mutation: 'no body expected' }));
  const paths = propertyPaths(schema, ctx);
  const requiredPaths = paths.filter((p) => p.required);
  return fc.tuple(validArb(schema, ctx), mutationArb).map(([valid, m]) => {
    const v = clone(valid);
    const isObject = v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RawJson);
    if (m.kind === 'root' || !isObject || paths.length === 0) {
      return { value: m.kind === 'root' ? m.value : [v], mutation: m.kind === 'root' ? 'hostile root' : 'wrapped in an array' };
    }
    const root = v as Record<string, unknown>;
    switch (m.kind) {
      case 'drop': {
        const list = requiredPaths.length ? requiredPaths : paths;
        const p = list[m.pick % list.length]!.path;
        deleteIn(root, p);
        return { value: root, mutation: `dropped ${p.join('.')}` };
      }
      case 'extra': {
        // An extra key on the root or inside a nested object property.
        const objects = [[], ...paths.map((p) => p.path).filter((p) => { const x = getIn(root, p); return x !== null && typeof x === 'object' && !Array.isArray(x); })];
        const at = objects[m.key.length % objects.length]!;
        setIn(root, [...at, m.key], m.value);
        return { value: root, mutation: `extra key ${JSON.stringify([...at, m.key].join('.'))}` };
      }
      case 'replace': {
        const p = paths[m.pick % paths.length]!.path;
        setIn(root, p, m.value);
        return { value: root, mutation: `replaced ${p.join('.')}` };
      }
      case 'nest': {
        const p = paths[m.pick % paths.length]!.path;
        let x: unknown = getIn(root, p) ?? 1;
        for (let i = 0; i < m.levels; i++) x = i % 2 ? [x] : { a: x };
        setIn(root, p, x);
        return { value: root, mutation: `nested ${p.join('.')} ${m.levels} levels` };
      }
    }
  });
}
