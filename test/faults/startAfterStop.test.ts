// Issue 12, item 12: a start right after a stop. While the previous embedded server is still shutting down
// (its owner still closing it), a new app on the same data folder waits for it to finish and then starts its
// own, instead of exiting with "the database system is shutting down".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/db/embeddedPostgres';
import { startAppProcess, type AppProcess } from '../support/appProcess';

let dir: string;
let previous: RunningPostgres | null = null;
let app: AppProcess | null = null;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-restart-'));
  fs.chmodSync(dir, 0o755); // the postgres user must enter it
});
afterAll(async () => {
  await app?.kill();
  await previous?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('waits for a server that is shutting down, then starts its own', async () => {
  // the previous app's server, owned by this (live) process
  previous = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), fast: true });
  const session = new pg.Client({ connectionString: previous.connectionString });
  await session.connect();
  session.on('error', () => {});
  // a smart shutdown waits for open sessions: the server answers "shutting down" as long as this one is open
  const pid = Number(fs.readFileSync(path.join(previous.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(pid, 'SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  const probe = new pg.Client({ connectionString: previous.connectionString });
  await expect(probe.connect()).rejects.toThrow(/shutting down/);

  const starting = startAppProcess(
    {
      DATA_DIR: dir,
      DATABASE_URL: '',
      SCHEDULER_ENABLED: 'false',
      IMPORT_BUNDLED_DATA: 'false',
      LOG_LEVEL: 'info',
      YAHOO_BASE_URL: 'http://127.0.0.1:9',
    },
    { readyTimeoutMs: 60_000 },
  );
  // the previous server finishes its shutdown a little later: late enough that the new app (node start-up, the
  // bundle, the config) has met it shutting down even on a loaded machine; it waits up to 60 s
  setTimeout(() => void session.end().catch(() => {}), 10_000);
  app = await starting;
  expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  expect(app.output()).toMatch(/shutting down; waiting/);
}, 120_000);
