// A database of its own for each test file, cloned from the migrated template that holds the bundled data.
import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database';
import { createLogger } from '../../src/logging/logger';
import { TEMPLATE_DB } from './constants';

export function adminUrl(): string {
  const url = process.env.AFTERSHOCK_TEST_PG_URL;
  if (!url) throw new Error('the jest global setup did not start Postgres');
  return url;
}

export interface TestDatabase extends Database {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** `empty: true` gives a migrated database without the bundled data. */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `t_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(opts.empty ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  await admin.end();
  const url = adminUrl().replace(/\/postgres$/, `/${name}`);
  const db = await openDatabase({ DATABASE_URL: url, DATA_DIR: '/nonexistent', EMBEDDED_PG_PORT: 0 }, createLogger('silent'));
  return {
    ...db,
    url,
    name,
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: adminUrl() });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
