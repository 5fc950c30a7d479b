/**
 * Structured logging (pino). Every argument of every log call, on the root logger and
 * on its children (Fastify's request loggers included), passes through the scrubber
 * before it is serialised.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { makeScrubber } from './redact.js';

export type { Logger };

export interface LoggerOptions {
  level: string;
  knownSecrets: readonly string[];
  /** Where lines go; standard output when absent. Tests pass a capture stream. */
  destination?: DestinationStream | undefined;
}

export function createLogger(opts: LoggerOptions): Logger {
  const scrub = makeScrubber(opts.knownSecrets);
  const options = {
    level: opts.level,
    base: { service: 'konpay' },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => scrub(a)));
      },
    },
    serializers: {
      req: (req: { id?: string; method?: string; url?: string; ip?: string }) => ({
        id: req.id, method: req.method, url: req.url, ip: req.ip,
      }),
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
