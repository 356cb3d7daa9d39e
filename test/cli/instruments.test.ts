// The "done when", through the real binary: with YAHOO_BASE_URL pointing at a server that speaks Yahoo's
// wire format for a symbol the project has never seen, `instruments add` then `backfill` store exactly that
// server's bars; again changes nothing; and while the server answers 503 the app stays up and /api/status
// shows the error and the staleness.
import fs from 'node:fs';
import path from 'node:path';
import type { RunningApp } from '../../src/app/server';
import type { ServiceFactory } from '../../src/context/appContext';
import { createScheduler } from '../../src/scheduler/schedulerService';
import { FakeYahoo, type FakeBar } from '../support/fakeYahoo';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { captureLogger, eventually, FAKE_US_META, madeUpBars } from '../scheduler/helpers';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import { runCommand as run } from '../support/appProcess';

quietLibraryUrlLogging();

const root = path.resolve(__dirname, '../..');
let db: TestDatabase;
let fake: FakeYahoo;
// made-up bars for fake tickers the project has never seen
const ZZZZ = madeUpBars('ZZZZ', 'US', '2025-03-03', 60);
const ZZZY = madeUpBars('ZZZY', 'US', '2025-03-03', 60, 40);

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await FakeYahoo.start();
  fake.addSymbol('ZZZZ', ZZZZ, FAKE_US_META);
  fake.addSymbol('ZZZY', ZZZY, { ...FAKE_US_META, longName: 'Zeta Fake Two (test ticker)' });
  // the stored benchmark: adding an instrument fetches its missing 5-minute bars too (issue 22)
  fake.addBundled('^GSPC');
});
afterAll(async () => {
  await fake?.close();
  await db?.drop();
});

const cliEnv = () => ({ ...process.env, DATABASE_URL: db.url, YAHOO_BASE_URL: fake.baseUrl, LOG_LEVEL: 'warn', BACKFILL_FROM: '' });
const cli = (...args: string[]) => run(process.execPath, [path.join(root, 'bin/aftershock.js'), ...args], cliEnv());
const stored = async (symbol: string) =>
  (await db.pool.query('SELECT date, close FROM daily_bars WHERE symbol = $1 ORDER BY date', [symbol])).rows;
const served = (bars: FakeBar[], from = '0000', to = '9999') =>
  bars.filter((b) => b.date >= from && b.date <= to).map((b) => ({ date: b.date, close: b.close }));
const rowCount = async () => Number((await db.pool.query('SELECT count(*) AS n FROM daily_bars')).rows[0].n);

describe('aftershock instruments', () => {
  test('add: looks up a symbol never seen before, stores it with the US benchmark, and backfills its bars', async () => {
    const r = await cli('instruments', 'add', 'ZZZZ');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      created: true,
      sessions: 'US',
      benchmarkAdded: null, // ^GSPC is already tracked
      instrument: {
        symbol: 'ZZZZ',
        name: FAKE_US_META.longName,
        exchange: 'US',
        currency: 'USD',
        timeZone: 'America/New_York',
        kind: 'equity',
        benchmark: '^GSPC',
        sharesOutstanding: FAKE_US_META.sharesOutstanding,
        sharesSource: 'yahoo quote',
      },
      backfill: { status: 'ok', rowsNew: ZZZZ.length },
    });
    expect(await stored('ZZZZ')).toEqual(served(ZZZZ));
  });

  test('list: every instrument, one JSON line each when not on a terminal', async () => {
    const r = await cli('instruments', 'list');
    expect(r.status).toBe(0);
    const list = r.lines.map((l) => JSON.parse(l));
    expect(list.map((i) => i.symbol)).toEqual(expect.arrayContaining(['NVDA', '6857.T', '^GSPC', 'ZZZZ']));
    expect(list.find((i) => i.symbol === 'ZZZZ')).toMatchObject({
      bars: ZZZZ.length,
      lastBarDate: ZZZZ[ZZZZ.length - 1].date,
      benchmark: '^GSPC',
    });
  });

  test('add an unknown symbol: exit code 1 and a message naming it', async () => {
    const r = await cli('instruments', 'add', 'ZZNOPE');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Unknown symbol ZZNOPE/);
    expect(r.stdout).toBe('');
  });

  test('add with a malformed symbol: exit code 2', async () => {
    const r = await cli('instruments', 'add', 'NV DA');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/symbol/);
  });
});

describe('aftershock backfill', () => {
  const A = '2025-04-01';
  const B = '2025-04-30';

  test("stores exactly the server's bars from A to B (same dates, same closes), one JSON line per symbol and a summary", async () => {
    expect((await cli('instruments', 'add', 'ZZZY', '--no-backfill')).status).toBe(0);
    expect(await stored('ZZZY')).toEqual([]);
    const r = await cli('backfill', '--symbols', 'ZZZY', '--from', A, '--to', B);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.lines).toHaveLength(2);
    const [line, summary] = r.lines.map((l) => JSON.parse(l));
    const expected = served(ZZZY, A, B);
    expect(line).toMatchObject({
      symbol: 'ZZZY',
      status: 'ok',
      from: A,
      to: B,
      rowsNew: expected.length,
      rowsUpdated: 0,
      rowsUnchanged: 0,
    });
    expect(summary.summary).toMatchObject({ symbols: 1, ok: 1, failed: 0, rowsNew: expected.length });
    expect(await stored('ZZZY')).toEqual(expected);
  });

  test('running it again changes no row count (and asks the server for nothing)', async () => {
    const before = await rowCount();
    const requests = fake.count('chart', 'ZZZY');
    const r = await cli('backfill', '--symbols', 'ZZZY', '--from', A, '--to', B);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.lines[r.lines.length - 1]).summary).toMatchObject({ ok: 0, skipped: 1, rowsNew: 0, rowsUpdated: 0 });
    expect(await rowCount()).toBe(before);
    expect(fake.count('chart', 'ZZZY')).toBe(requests);
    // the same range re-fetched through a wider request changes nothing either
    const wider = await cli('backfill', '--symbols', 'ZZZY,ZZZZ', '--from', '2025-03-01', '--to', B);
    expect(wider.status).toBe(0);
    expect(JSON.parse(wider.lines[wider.lines.length - 1]).summary).toMatchObject({ failed: 0, rowsUpdated: 0 });
    expect(await stored('ZZZZ')).toEqual(served(ZZZZ));
  });

  test('a failing symbol is reported and the exit code is 1; the others are stored', async () => {
    const r = await cli('backfill', '--symbols', 'ZZZY,ZZNOPE', '--from', '2025-03-01', '--to', '2025-05-31');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/1 of 2 symbols failed: ZZNOPE/);
    const bySymbol = Object.fromEntries(
      r.lines
        .slice(0, -1)
        .map((l) => JSON.parse(l))
        .map((x) => [x.symbol, x]),
    );
    expect(bySymbol.ZZNOPE).toMatchObject({ status: 'error', error: expect.stringMatching(/not a tracked instrument/) });
    expect(bySymbol.ZZZY.status).toBe('ok');
    expect((await stored('ZZZY')).map((b) => b.date)).toEqual(served(ZZZY, '2025-03-01', '2025-05-31').map((b) => b.date));
  });

  test('bad options: exit code 2 naming the option', async () => {
    const r = await cli('backfill', '--symbols', 'ZZZY', '--interval', '2d');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/interval/);
    const inverted = await cli('backfill', '--symbols', 'ZZZY', '--from', '2025-05-01', '--to', '2025-04-01');
    expect(inverted.status).toBe(2);
    expect(inverted.stderr).toMatch(/from/);
  });

  const hasScript = fs.existsSync('/usr/bin/script');
  (hasScript ? test : test.skip)(
    'on a terminal: a progress bar and a readable summary (run under script(1) for a pseudo-terminal)',
    async () => {
      const cmd = `${process.execPath} ${path.join(root, 'bin/aftershock.js')} backfill --symbols ZZZZ --from 2025-03-01 --to 2025-06-30 --interval 1h`;
      const r = await run('/usr/bin/script', ['-qec', cmd, '/dev/null'], cliEnv());
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/backfill .*1\/1 symbols/);
      expect(r.stdout).toMatch(/1 symbols: 1 fetched, 0 already complete, 0 failed; rows new \d+/);
    },
  );
});

describe('while the server answers 503', () => {
  let app: RunningApp;
  afterAll(async () => app?.stop());

  test('the app stays up and /api/status shows the error and the staleness', async () => {
    fake.fail('chart', '*', ...Array.from({ length: 100 }, () => ({ status: 503 })));
    const scheduler: ServiceFactory = (ctx) => createScheduler(ctx, { jobs: [], catchUpOnStart: true });
    const log = captureLogger();
    // the provider as the app makes it from the config (YAHOO_BASE_URL, YAHOO_MAX_ATTEMPTS), logging to `log`
    app = await startTestApp(db, { SCHEDULER_ENABLED: 'true', YAHOO_BASE_URL: fake.baseUrl, YAHOO_MAX_ATTEMPTS: '2' }, [scheduler], {
      logger: log.logger,
    });
    const status = await eventually(
      async () => {
        const s = (await (await fetch(`${app.url}/api/status`)).json()) as any;
        return s.jobs.find((j: any) => j.job === 'catchup')?.lastRun?.status === 'error' ? s : undefined;
      },
      60_000,
      'the catch-up run to fail',
    );

    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const bars = (await (await fetch(`${app.url}/api/instruments/ZZZZ/bars`)).json()) as any;
    expect(bars.bars.map((b: any) => ({ date: b.date, close: b.close }))).toEqual(served(ZZZZ));

    const zzzz = status.instruments.find((i: any) => i.symbol === 'ZZZZ');
    expect(zzzz.lastError).toMatchObject({ current: true, error: expect.stringMatching(/HTTP 503/) });
    expect(zzzz.lastBarDate).toBe(ZZZZ[ZZZZ.length - 1].date);
    expect(zzzz.staleness.sessionsMissed).toBeGreaterThan(0);
    expect(zzzz.lastSuccessfulFetch).not.toBeNull(); // the CLI's backfill
    expect(zzzz.staleness.hoursSinceLastFetch).toBeGreaterThanOrEqual(0);
    // eleven instruments failed, twice each: one warning
    expect(log.warnings().map((w) => w.msg)).toEqual([expect.stringMatching(/^catchup: \d+ of \d+ symbols failed/)]);
  });
});
