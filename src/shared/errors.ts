/**
 * Closed error-code tables. Each module declares the codes it can answer with, their
 * HTTP status and a fixed title; a route can only raise a code from a table, so the set
 * of errors a client may see is known, documented (`/problems/{code}`) and tested.
 */

export interface ErrorSpec {
  readonly status: number;
  readonly title: string;
  /** What the client should do about it; shown on the problem's documentation page. */
  readonly hint?: string;
}

export type ErrorTable = Readonly<Record<string, ErrorSpec>>;

export interface ErrorModule<T extends ErrorTable = ErrorTable> {
  readonly module: string;
  readonly codes: T;
}

export function defineErrors<const T extends ErrorTable>(module: string, codes: T): ErrorModule<T> {
  for (const [code, spec] of Object.entries(codes)) {
    if (!/^[a-z][a-z0-9_]*$/.test(code)) throw new Error(`error code ${code} must be snake_case`);
    if (spec.status < 400 || spec.status > 599) throw new Error(`error code ${code} needs a 4xx/5xx status`);
  }
  return Object.freeze({ module, codes: Object.freeze(codes) });
}

/**
 * An error answered as RFC 9457 problem+json. Thrown by routes (never by services,
 * which return expected outcomes as values) and rendered by the HTTP error handler.
 */
export class ProblemError extends Error {
  override name = 'ProblemError';
  constructor(
    readonly code: string,
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    /** Extra members for the problem body, e.g. `{ retryAfterSeconds }` or field errors. */
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail ?? title);
  }
}

/** Makes a ProblemError from a module's table; the code is checked by the compiler. */
export function problem<T extends ErrorTable>(
  table: ErrorModule<T>,
  code: keyof T & string,
  detail?: string,
  extensions?: Record<string, unknown>,
): ProblemError {
  const spec = table.codes[code]!;
  return new ProblemError(code, spec.status, spec.title, detail, extensions);
}

/** All codes across modules; a code must mean one thing everywhere. */
export function errorCatalogue(modules: readonly ErrorModule[]): ReadonlyMap<string, ErrorSpec & { module: string }> {
  const all = new Map<string, ErrorSpec & { module: string }>();
  for (const m of modules) {
    for (const [code, spec] of Object.entries(m.codes)) {
      const prior = all.get(code);
      if (prior) throw new Error(`error code ${code} is declared by both ${prior.module} and ${m.module}`);
      all.set(code, { ...spec, module: m.module });
    }
  }
  return all;
}

/**
 * A service Konpay depends on did not answer (the throttle's Redis, say). Thrown, not
 * returned: no flow can do anything useful without it, and none may carry on unchecked.
 * The HTTP layer answers `503 service_unavailable` with `Retry-After` and logs the cause
 * as an error, so an operator sees the outage while the client is told to come back.
 */
export class DependencyUnavailable extends Error {
  override name = 'DependencyUnavailable';
  constructor(readonly dependency: string, readonly retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(`${dependency} is unavailable`, options);
  }
}
