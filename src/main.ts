/**
 * `npm start`: load configuration, start Konpay, stop gracefully on SIGTERM/SIGINT.
 */
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/open.js';
import { secretValues } from './secrets.js';
import { bufferedStdout, createLogger } from './shared/logger.js';

async function main(): Promise<void> {
  const config = await loadConfig(process.env);
  // Production logs in blocks; elsewhere a line at a time, so a developer sees each at once.
  const out = config.production ? bufferedStdout() : undefined;
  const logger = createLogger({ level: config.logLevel, knownSecrets: secretValues(config.secrets), destination: out?.destination });
  process.on('exit', () => out?.flush());
  // Start PostgreSQL while the rest of the code loads: on a fresh folder initdb is the slow part.
  const [{ startKonpay }, database] = await Promise.all([import('./server.js'), openDatabase(config, logger)]);
  const konpay = await startKonpay(config, { logger, database });
  const url = await konpay.listen();
  konpay.logger.info({ url, env: config.env, docs: `${url}/docs` }, 'Konpay is listening');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      konpay.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    konpay.logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      konpay.logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.http.shutdownGraceMs);
    timer.unref();
    konpay.close().then(
      () => {
        konpay.logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        konpay.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  // Configuration problems are the operator's to fix: say what, without a stack.
  if (err instanceof ConfigError) console.error(`konpay: ${err.message}`);
  else console.error('konpay: failed to start:', err);
  process.exit(1);
});
