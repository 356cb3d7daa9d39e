// Once per `npm test`: build dist/ (the CLI tests run the real binary), start a throwaway embedded Postgres
// on a free port, and prepare a template database (migrated, bundled data imported) that each test file
// clones into a database of its own.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embeddedPostgres';
import { openDatabase } from '../../src/db/database';
import { importBundledData } from '../../src/bundled/bundledImport';
import { createLogger } from '../../src/logging/logger';
import { TEMPLATE_DB } from './constants';

export default async function globalSetup() {
  process.env.TZ = 'UTC';
  const root = path.resolve(__dirname, '..', '..');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'ignore' });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-test-'));
  fs.chmodSync(dir, 0o755); // as root, the postgres user must be able to enter it
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), fast: true, database: 'postgres' });
  const adminUrl = server.connectionString;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();

  const templateUrl = adminUrl.replace(/\/postgres$/, `/${TEMPLATE_DB}`);
  const db = await openDatabase({ DATABASE_URL: templateUrl, DATA_DIR: dir, EMBEDDED_PG_PORT: 0 }, createLogger('silent'));
  await importBundledData(db, path.join(root, 'data', 'market'));
  await db.close();

  process.env.AFTERSHOCK_TEST_PG_URL = adminUrl;
  process.env.AFTERSHOCK_TEST_PG_DIR = dir;
  (globalThis as Record<string, unknown>).__AFTERSHOCK_PG__ = server;
}
