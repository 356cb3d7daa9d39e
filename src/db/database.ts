// One pg pool per process, on either DATABASE_URL or the embedded server: the one way into Postgres
// (transactions through ./transaction, queries in the store module of each capability).
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import { startEmbeddedPostgres, type RunningPostgres } from './embeddedPostgres';
import { EmbeddedSupervisor, type EmbeddedHealth } from './embeddedSupervisor';
import { applyMigrations } from './migrate';

// bigint (int8) columns hold volumes and share counts: all fit in a double's exact range (< 2^53)
pg.types.setTypeParser(20, (v) => Number(v));
// DATE columns are calendar dates: keep them as 'YYYY-MM-DD' strings, never shifted by a time zone
pg.types.setTypeParser(1082, (v) => v);

export interface Database {
  pool: pg.Pool;
  connectionString: string;
  /** the embedded server when we use one (after a restart, the new one) */
  readonly embedded: RunningPostgres | null;
  /** whether the embedded server is up or being started again; null on DATABASE_URL */
  embeddedHealth(): EmbeddedHealth | null;
  /** true while the embedded server is gone and being started again */
  embeddedDown(): boolean;
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
  let supervisor: EmbeddedSupervisor | null = null;
  let connectionString = config.DATABASE_URL;
  if (!connectionString) {
    const log = logger.child({ component: 'embedded-postgres' });
    const start = (port: number) =>
      startEmbeddedPostgres({ dataDir: path.join(config.DATA_DIR, 'pg'), port, fast: opts.fast, log: (level, msg) => log[level](msg) });
    const embedded = await start(config.EMBEDDED_PG_PORT);
    supervisor = new EmbeddedSupervisor(embedded, { start, log: (level, msg) => log[level](msg) });
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
    get embedded() {
      return supervisor?.current ?? null;
    },
    embeddedHealth: () => supervisor?.health() ?? null,
    embeddedDown: () => supervisor?.down ?? false,
    async close() {
      closing = true;
      await supervisor?.stop();
      await pool.end().catch(() => {});
      await supervisor?.current.stop();
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
