// Issue 12, item 11: losing the embedded Postgres is not permanent. The app (dist/main.js, as `npm start` runs
// it) notices that its server is gone and starts it again on the same port: after a kill -9 of the server it
// owns, and after the process that owned the server it joined stopped it. While it cannot (the port is held by
// someone else), /healthz answers 503 and says so, and the API answers 503 database_unavailable, not 500.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/db/embeddedPostgres';
import { startAppProcess, type AppProcess } from '../support/appProcess';
import { waitUntil } from '../alerts/alertTestSupport';

let dir: string;
let app: AppProcess | null = null;
let owner: RunningPostgres | null = null;
let squatter: net.Server | null = null;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-pglost-'));
  fs.chmodSync(dir, 0o755); // the postgres user must enter it
});
afterEach(async () => {
  squatter?.close();
  await app?.kill();
  await owner?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const env = () => ({
  DATA_DIR: dir,
  DATABASE_URL: '',
  SCHEDULER_ENABLED: 'false',
  IMPORT_BUNDLED_DATA: 'false',
  LOG_LEVEL: 'info',
  YAHOO_BASE_URL: 'http://127.0.0.1:9',
});
const postmaster = () => {
  const lines = fs.readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
};
const get = async (url: string) => {
  const res = await fetch(`${app!.url}${url}`);
  return { status: res.status, body: (await res.json()) as any };
};

/** Listen on `port` as soon as the dead server has let it go. */
async function holdPort(port: number): Promise<net.Server> {
  for (let i = 0; i < 200; i++) {
    const server = net.createServer();
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) return server;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`port ${port} never came free`);
}

it('kill -9 of its own server: 503s and a /healthz that says so while the port is taken, then back by itself', async () => {
  app = await startAppProcess(env(), { readyTimeoutMs: 60_000 });
  await waitUntil(async () => /Aftershock is up/.test(app!.output()), 'the app fully started');
  expect((await get('/healthz')).body.embeddedPostgres).toEqual({ state: 'running', downSince: null, restarts: 0, lastError: null });
  const before = postmaster();

  process.kill(before.pid, 'SIGKILL');
  squatter = await holdPort(before.port); // the restart cannot bind its port yet
  await waitUntil(async () => (await get('/healthz')).status === 503, '/healthz to report the loss');
  const health = (await get('/healthz')).body;
  expect(health).toMatchObject({ status: 'degraded', embeddedPostgres: { state: 'restarting', restarts: 0 } });
  expect(Date.parse(health.embeddedPostgres.downSince)).toBeGreaterThan(0);
  await waitUntil(async () => (await get('/healthz')).body.embeddedPostgres.lastError, 'a failed restart attempt');
  for (const url of ['/api/instruments', '/api/events']) {
    const res = await get(url);
    expect([url, res.status, res.body.error?.code]).toEqual([url, 503, 'database_unavailable']);
  }

  squatter.close();
  squatter = null;
  await waitUntil(async () => (await get('/healthz')).body.embeddedPostgres.restarts === 1, 'the server back', 30_000);
  expect((await get('/api/instruments')).status).toBe(200);
  expect((await get('/healthz')).body).toMatchObject({
    status: 'ok',
    embeddedPostgres: { state: 'running', downSince: null, restarts: 1, lastError: null },
  });
  expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  const after = postmaster();
  expect(after.port).toBe(before.port);
  expect(after.pid).not.toBe(before.pid);
  expect(app.output()).toMatch(/the embedded Postgres on port \d+ is gone; starting it again/);
  expect(app.output()).toMatch(/could not start the embedded Postgres again/);
  expect(app.output()).toMatch(/is back on port \d+ after \d+ ms \(started again by this process\)/);
  // and it stops the server it started, as it stops its first one
  await app.kill();
  app = null;
  const alive = () => {
    try {
      process.kill(after.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  await waitUntil(async () => !alive(), 'the restarted server to stop with the app');
}, 120_000);

it('the owner of the server it joined stops it: it starts its own and goes on', async () => {
  // the server of another process of ours (the CLI, or a first app), owned by this test process
  owner = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), fast: true });
  app = await startAppProcess(env(), { readyTimeoutMs: 60_000 });
  expect(app.output()).toMatch(/using the embedded Postgres already running/);
  expect((await get('/api/instruments')).status).toBe(200);
  // stopped at once: the background services may still be starting (they wait for the database, not exit)
  await owner.stop();
  owner = null;
  await waitUntil(async () => (await get('/healthz')).body.embeddedPostgres.restarts === 1, 'a server of its own', 30_000);
  expect((await get('/healthz')).body).toMatchObject({ status: 'ok', embeddedPostgres: { state: 'running', restarts: 1 } });
  expect((await get('/api/instruments')).status).toBe(200);
  expect(app.output()).toMatch(/is back on port \d+ after \d+ ms \(started again by this process\)/);
  await waitUntil(async () => /Aftershock is up/.test(app!.output()), 'the app fully started');
  expect(app.proc.exitCode).toBeNull();
}, 120_000);
