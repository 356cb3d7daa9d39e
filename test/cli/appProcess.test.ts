// `npm start` as a user meets it: the built server in a process of its own, on embedded Postgres in DATA_DIR.
import { spawn, spawnSync } from 'node:child_process';
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
  for (const i of (await json(port, '/api/instruments')).instruments)
    counts[i.symbol] = (await json(port, `/api/instruments/${encodeURIComponent(i.symbol)}/bars`)).bars.length;
  const events: { slug: string }[] = (await json(port, '/api/events')).events;
  counts.events = events.length;
  counts.syntheticEvents = events.filter((e) => e.slug.startsWith('synthetic-')).length;
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
    // the six dated news events of the bundled data, and the synthetic intraday universe's one (labelled synthetic)
    expect(counts.events).toBe(7);
    expect(counts.syntheticEvents).toBe(1);

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
    const r = spawnSync(process.execPath, [path.join(root, 'dist/main.js')], {
      env: { ...process.env, PORT: 'eighty', DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('PORT');
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
  });
});

describe('stopping during start-up', () => {
  const postgresGone = (dir: string) => {
    const pidFile = path.join(dir, 'pg', 'postmaster.pid');
    if (!fs.existsSync(pidFile)) return true;
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };

  it('a SIGTERM while the first start is still importing stops the embedded Postgres too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-early-'));
    fs.chmodSync(dir, 0o755);
    try {
      const proc = spawn(process.execPath, [path.join(root, 'dist/main.js')], {
        env: {
          ...process.env,
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          DATA_DIR: dir,
          DATABASE_URL: '',
          SCHEDULER_ENABLED: 'false',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
      // the signal lands once the database is up and before the server listens (migrations come first)
      await new Promise<void>((resolve) =>
        proc.stdout!.on('data', (d) => {
          out += d;
          if (out.includes('database migrations applied')) resolve();
        }),
      );
      proc.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toContain('stopping as soon as start-up has finished');
      expect(postgresGone(dir)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a busy HTTP port ends the start with exit 1 and takes the embedded Postgres down', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-busy-'));
    fs.chmodSync(dir, 0o755);
    const blocker = (await import('node:net')).createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const r = spawnSync(process.execPath, [path.join(root, 'dist/main.js')], {
        env: {
          ...process.env,
          PORT: String((blocker.address() as { port: number }).port),
          HOST: '127.0.0.1',
          DATA_DIR: dir,
          DATABASE_URL: '',
          SCHEDULER_ENABLED: 'false',
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).toBe(1);
      expect(r.stdout + r.stderr).toContain('EADDRINUSE');
      expect(postgresGone(dir)).toBe(true);
    } finally {
      blocker.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the CLI', () => {
  it('imports a folder idempotently into the same data the server uses', () => {
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
    const run = () =>
      spawnSync(process.execPath, [path.join(root, 'bin/aftershock.js'), 'import', path.join(root, 'data/market')], {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
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
