/**
 * Where the database is: DATABASE_URL when configured, else the embedded server in the
 * data folder. Kept apart from the composition root so `main` can start PostgreSQL
 * while the rest of the code is still loading.
 */
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../shared/logger.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';

export interface DatabaseLocation {
  url: string;
  /** Present when this process runs (or borrowed) the embedded server. */
  embedded: EmbeddedPostgres | undefined;
}

export async function openDatabase(config: Config, logger: Logger): Promise<DatabaseLocation> {
  if (config.db.databaseUrl) return { url: config.db.databaseUrl, embedded: undefined };
  const embedded = await startEmbeddedPostgres({
    dir: join(config.dataDir, 'pg'),
    password: config.secrets.embeddedDbPassword!,
    database: 'konpay',
    logger,
  });
  logger.info({ dataDir: config.dataDir, owned: embedded.owned }, 'embedded PostgreSQL ready');
  return { url: embedded.url, embedded };
}
