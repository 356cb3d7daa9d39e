// A large export streams end to end: the server's memory stays flat, a reader that stops reading holds the
// query on the server (backpressure all the way to Postgres), and a reader that disconnects stops it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Writable } from 'node:stream';
import { buffer as streamBytes } from 'node:stream/consumers';
import { finished } from 'node:stream/promises';
import pino from 'pino';
import { loadConfig } from '../../src/config/config';
import { startApp, type RunningApp } from '../../src/app/server';
import { freePort } from '../../src/db/embeddedPostgres';
import { openCopyCsv } from '../../src/export/csvExports';
import { upsertDailyBars } from '../../src/bars/dailyBarStore';
import { saveInstrument } from '../../src/instruments/instrumentStore';
import type { DailyBarInput } from '../../src/marketdata/types';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

const root = path.resolve(__dirname, '../..');
const SYMBOLS = 80;
const DAYS = 5_000;
const ROWS = SYMBOLS * DAYS;
const symbolOf = (s: number) => `SYN${String(s).padStart(3, '0')}`;
const BIG_EXPORT = `/api/export/bars.csv?symbols=${Array.from({ length: SYMBOLS }, (_, s) => symbolOf(s)).join(',')}`;

let db: TestDatabase;
let app: RunningApp;
const logLines: { msg: string; [k: string]: unknown }[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    IMPORT_BUNDLED_DATA: 'false',
    SCHEDULER_ENABLED: 'false',
    LOG_LEVEL: 'info',
  });
  // the app's own log, kept to see how each export ended
  const logSink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  app = await startApp({ config, db, logger: pino({ level: 'info' }, logSink) });

  // synthetic bars, inserted through the one write path
  const start = Date.UTC(2000, 0, 3);
  for (let s = 0; s < SYMBOLS; s++) {
    await saveInstrument(db.pool, {
      symbol: symbolOf(s),
      name: `synthetic ${s}`,
      exchange: 'US',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'equity',
      benchmarkSymbol: null,
    });
  }
  let batch: DailyBarInput[] = [];
  for (let s = 0; s < SYMBOLS; s++) {
    for (let d = 0; d < DAYS; d++) {
      const close = Math.round((50 + s + 10 * Math.sin(s * 31 + d / 7)) * 10_000) / 10_000;
      batch.push({
        symbol: symbolOf(s),
        date: new Date(start + d * 86_400_000).toISOString().slice(0, 10),
        open: close,
        high: close * 1.01,
        low: close * 0.99,
        close,
        adjClose: close,
        volume: 1_000_000 + d,
      });
      if (batch.length === 50_000) {
        await upsertDailyBars(db.pool, batch, { source: 'test' });
        batch = [];
      }
    }
  }
  if (batch.length) await upsertDailyBars(db.pool, batch, { source: 'test' });
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

/** Backends of this database (other than ours) whose current or last statement is an export's COPY. */
async function exportBackends(): Promise<{ pid: number; state: string; wait_event: string | null }[]> {
  const { rows } = await db.pool.query(
    `SELECT pid, state, wait_event FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'COPY (SELECT b.symbol%'`,
  );
  return rows;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | false>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function get(url: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => http.get(url.startsWith('http') ? url : app.url + url, resolve).on('error', reject));
}

describe('a large export', () => {
  it(`streams ${ROWS.toLocaleString('en-US')} bars while the server's memory stays flat`, async () => {
    // the server in a process of its own (as \`npm start\` runs it): its RSS is the export's alone, not
    // this test process's, whose allocator still holds what inserting the bars used
    const port = await freePort();
    const server = spawn(process.execPath, [path.join(root, 'dist/main.js')], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        IMPORT_BUNDLED_DATA: 'false',
        SCHEDULER_ENABLED: 'false',
        JOB_ALERTS_ENABLED: 'false',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    const base = `http://127.0.0.1:${port}`;
    const rssOfServer = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) * 1024;
    try {
      await waitFor('the server to be ready', () =>
        fetch(`${base}/readyz`).then(
          (r) => r.ok,
          () => false,
        ),
      );
      // warm up the export's code paths, then take the baseline
      const warm = await get(`${base}${BIG_EXPORT}&to=2000-03-01`);
      for await (const _ of warm);
      const baseline = rssOfServer();
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, rssOfServer())), 5);
      let bytes = 0;
      let records = 0;
      try {
        const res = await get(`${base}${BIG_EXPORT}`);
        expect(res.statusCode).toBe(200);
        for await (const chunk of res as AsyncIterable<Buffer>) {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) records++;
        }
      } finally {
        clearInterval(sampler);
      }
      expect(records).toBe(ROWS + 1); // and the header
      // holding the body (or its rows as objects) would grow the server by more than the body's size
      const bodyMb = bytes / 2 ** 20;
      expect(bodyMb).toBeGreaterThan(30);
      expect((peak - baseline) / 2 ** 20).toBeLessThan(bodyMb / 2);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
  });

  it('holds the query on the server while the reader is slow, and stops it when the reader disconnects', async () => {
    const res = await get(BIG_EXPORT);
    expect(res.statusCode).toBe(200);
    let received = 0;
    await new Promise<void>((resolve) =>
      res.once('data', (chunk: Buffer) => {
        received += chunk.length;
        res.pause();
        resolve();
      }),
    );
    // the reader pauses: the server stops reading from Postgres, and Postgres waits to write to us
    const [blocked] = await waitFor('the COPY to wait on its client', async () => {
      const backends = await exportBackends();
      return backends.length === 1 && backends[0].state === 'active' && backends[0].wait_event === 'ClientWrite' && backends;
    });
    expect(blocked.pid).toBeGreaterThan(0);

    res.destroy(); // the reader goes away
    await waitFor('the export query to be gone', async () => (await exportBackends()).length === 0);
    const ended = await waitFor(
      'the export to log how it ended',
      async () => logLines.find((l) => l.msg.includes('query cancelled')) ?? null,
    );
    expect(ended).toMatchObject({ export: 'bars' });
    expect(ended.rowsSent as number).toBeLessThan(ROWS / 2);
    expect(received).toBeGreaterThan(0);

    // its connection went back to the pool in working order
    const after = await fetch(`${app.url}/api/export/bars.csv?symbols=SYN001&from=2000-01-03&to=2000-01-07`);
    expect((await after.text()).split('\r\n').filter(Boolean)).toHaveLength(6);
    expect(app.ctx.db.pool.totalCount).toBeLessThanOrEqual(10);
  });

  it('cuts the response off (no clean end) when its query dies mid-way, so nobody takes it for a whole file', async () => {
    const res = await get(BIG_EXPORT);
    expect(res.statusCode).toBe(200);
    await new Promise<void>((resolve) =>
      res.once('data', () => {
        res.pause();
        resolve();
      }),
    );
    const [backend] = await waitFor('the COPY to wait on its client', async () => {
      const backends = await exportBackends();
      return backends.length === 1 && backends[0].wait_event === 'ClientWrite' && backends;
    });
    await db.pool.query('SELECT pg_terminate_backend($1)', [backend.pid]);
    let received = 0;
    const complete = await new Promise<boolean>((resolve) => {
      res.on('data', (chunk: Buffer) => (received += chunk.length));
      res.on('error', () => {}); // "aborted": expected here, and reported through res.complete
      res.on('close', () => resolve(res.complete));
      res.resume();
    });
    expect(complete).toBe(false);
    expect(received).toBeGreaterThan(0);
    // the app and its pool carry on
    const after = await fetch(`${app.url}/api/export/bars.csv?symbols=SYN002&from=2000-01-03&to=2000-01-07`);
    expect(after.status).toBe(200);
    expect((await after.text()).split('\r\n').filter(Boolean)).toHaveLength(6);
  });
});

describe('a query that fails', () => {
  const deps = () => ({ db, logger: pino({ level: 'silent' }) });
  const columns = [{ name: 'n', kind: 'number' as const }];

  it('before its first row rejects the start, so the request can still answer with a JSON error', async () => {
    await expect(openCopyCsv(deps(), 'test', { columns, select: 'SELECT 1 / (random() * 0)::int', params: {} }, false)).rejects.toThrow(
      'division by zero',
    );
    // and the connection went back to the pool: a working export follows
    const csv = await openCopyCsv(deps(), 'test', { columns, select: 'SELECT g FROM generate_series(1, 3) g', params: {} }, false);
    expect((await streamBytes(csv)).toString()).toBe('n\r\n1\r\n2\r\n3\r\n');
  });

  it('mid-way destroys the stream with its error instead of ending it', async () => {
    const select = 'SELECT CASE WHEN g < 200000 THEN g ELSE g / (g - g) END FROM generate_series(1, 300000) g';
    const csv = await openCopyCsv(deps(), 'test', { columns, select, params: {} }, false);
    let bytes = 0;
    csv.on('data', (chunk: Buffer) => (bytes += chunk.length));
    await expect(finished(csv)).rejects.toThrow('division by zero');
    expect(bytes).toBeGreaterThan(0);
  });
});
