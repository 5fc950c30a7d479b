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

/**
 * Standard output written in blocks of 4 KiB at most every half second, not a write per
 * line: under load a system call per log line costs more than the line's request (the
 * bench found a tenth of the server's time in log writes). A process killed outright
 * loses at most the last half second of lines; `flush` writes them on a clean exit.
 */
export function bufferedStdout(): { destination: DestinationStream; flush(): void } {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const flush = () => {
    try {
      destination.flushSync();
    } catch {
      // Not open yet, or standard output is gone: nothing more can be done.
    }
  };
  setInterval(flush, 500).unref();
  return { destination, flush };
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
