// A Postgres server of a test's own (not the shared test server, which every other test file uses), that the
// test stops and starts again on the same port, and the app's Database on it (migrated, empty).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../src/db/database';
import { freePort, startEmbeddedPostgres, type RunningPostgres } from '../../src/db/embeddedPostgres';
import type { Logger } from '../../src/logging/logger';

export interface RestartablePostgres {
  readonly db: Database;
  /** a fast shutdown: open transactions are aborted, connections cut, new ones refused */
  stop(): Promise<void>;
  /** up again on the same port */
  start(): Promise<void>;
  /** the database closed, the server stopped, its files removed */
  close(): Promise<void>;
}

export async function startRestartablePostgres(name: string, logger: Logger): Promise<RestartablePostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `aftershock-${name}-`));
  fs.chmodSync(dir, 0o755); // as root, the postgres user must be able to enter it
  const port = await freePort();
  const startServer = () => startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port, fast: true, database: 'aftershock' });
  let server: RunningPostgres | null = await startServer();
  const db = await openDatabase({ DATABASE_URL: server.connectionString, DATA_DIR: dir, EMBEDDED_PG_PORT: 0 }, logger);
  return {
    db,
    async stop() {
      await server?.stop();
      server = null;
    },
    async start() {
      server = await startServer();
    },
    async close() {
      await db.close();
      await server?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
