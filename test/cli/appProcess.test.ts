// `npm start` as a user meets it: the built server in a process of its own, on embedded Postgres in DATA_DIR.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/embeddedPostgres';
import { startAppProcess } from '../support/appProcess';

const root = path.resolve(__dirname, '../..');
let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-app-'));
  fs.chmodSync(dataDir, 0o755);
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const startServer = (port: number) =>
  startAppProcess({ DATA_DIR: dataDir, SCHEDULER_ENABLED: 'false', LOG_LEVEL: 'info', DATABASE_URL: '' }, { port });

const json = async (port: number, p: string) => (await fetch(`http://127.0.0.1:${port}${p}`)).json();
const rowCounts = async (port: number) => {
  const counts: Record<string, number> = {};
  for (const i of (await json(port, '/api/instruments')).instruments) counts[i.symbol] = (await json(port, `/api/instruments/${encodeURIComponent(i.symbol)}/bars`)).bars.length;
  counts.events = (await json(port, '/api/events')).events.length;
  return counts;
};

describe('the server process', () => {
  it('comes up ready on a fresh data folder with the DeepSeek data, keeps it across restarts and survives SIGKILL', async () => {
    const port = await freePort();
    const first = await startServer(port);
    const bars = await json(port, '/api/instruments/NVDA/bars?from=2025-01-24&to=2025-01-27');
    expect(bars.bars.map((b: { close: number }) => b.close)).toEqual([142.62, 118.42]);
    const counts = await rowCounts(port);
    expect(counts.NVDA).toBe(124);
    expect(counts.events).toBe(6);

    // graceful stop: exits 0 and takes its Postgres with it
    const pid = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(await first.kill('SIGTERM')).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow();

    // start again: same rows, nothing duplicated or lost
    const second = await startServer(port);
    expect(await rowCounts(port)).toEqual(counts);

    // SIGKILL leaves an orphaned Postgres behind; the next start cleans it up and comes up
    await second.kill('SIGKILL');
    const third = await startServer(port);
    expect(await rowCounts(port)).toEqual(counts);
    expect(await third.kill('SIGINT')).toBe(0);
  });

  it('stops with one clear message naming a bad variable, and a non-zero exit code', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'dist/main.js')], { env: { ...process.env, PORT: 'eighty', DATA_DIR: dataDir }, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('PORT');
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
  });
});

describe('the CLI', () => {
  it('imports a folder idempotently into the same data the server uses', () => {
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
    const run = () => spawnSync(process.execPath, [path.join(root, 'bin/aftershock.js'), 'import', path.join(root, 'data/market')], { env, encoding: 'utf8', timeout: 60_000 });
    const r = run();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.bars).toMatchObject({ rowsNew: 0, rowsUpdated: 0, files: 9 });
    expect(summary.events).toBe(6);
  });

  it('rejects an unknown command with help and a non-zero exit code', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'bin/aftershock.js'), 'frobnicate'], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('unknown command');
  });
});
