// Issue 12, item 11 (in part): while the database cannot be reached, the API answers 503 database_unavailable
// (with Retry-After), not 500; once it is back, the same requests answer 200 again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import { openDatabase, type Database } from '../../src/db/database';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/db/embeddedPostgres';
import { createLogger } from '../../src/logging/logger';
import { startTestApp } from '../support/testApp';
import type { TestDatabase } from '../support/testDb';

let dir: string;
let pgServer: RunningPostgres;
let db: Database;
let app: RunningApp;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-unavailable-'));
  fs.chmodSync(dir, 0o755);
  pgServer = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), fast: true });
  db = await openDatabase({ DATABASE_URL: pgServer.connectionString, DATA_DIR: dir, EMBEDDED_PG_PORT: 0 }, createLogger('silent'));
  app = await startTestApp({ ...db, url: pgServer.connectionString, name: 'aftershock', drop: async () => {} } as TestDatabase, {
    DATABASE_URL: pgServer.connectionString,
  });
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await db?.close();
  await pgServer?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('answers 503 database_unavailable while Postgres is down', async () => {
  expect((await request(app.url).get('/api/instruments')).status).toBe(200);
  await pgServer.stop();
  for (const url of ['/api/instruments', '/api/events', '/api/moves']) {
    const res = await request(app.url).get(url);
    expect([url, res.status, res.body.error?.code]).toEqual([url, 503, 'database_unavailable']);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  }
}, 60_000);
