// The database restarted in the middle of a backfill. A real embedded Postgres of its own (not the shared test
// server, which every other test file uses), a backfill of many symbols from FakeYahoo slow enough that the
// restart lands mid-way, Postgres stopped and started again on the same port while upserts are in flight. The
// backfill must finish on its own, with every bar the server has and none twice.
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import type { Database } from '../../src/db/database';
import { isTransientDatabaseError, withDatabaseRetry } from '../../src/db/retry';
import { backfillSymbols, type SymbolBackfillResult } from '../../src/ingest/backfill';
import { saveInstrument } from '../../src/instruments/instrumentStore';
import { FakeYahoo, type FakeBar } from '../support/fakeYahoo';
import { startTestApp } from '../support/testApp';
import { startRestartablePostgres, type RestartablePostgres } from '../support/restartablePostgres';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import { captureLogger, FAKE_US_META, madeUpBars, testIngest } from '../scheduler/helpers';

quietLibraryUrlLogging();

const SYMBOLS = Array.from(
  { length: 30 },
  (_, i) => `ZR${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`,
);
const BARS = new Map<string, FakeBar[]>(SYMBOLS.map((s, i) => [s, madeUpBars(s, 'US', '2024-04-01', 250, 20 + i)]));
const FROM = '2024-04-01';
const TO = BARS.get(SYMBOLS[0])!.at(-1)!.date;

let server: RestartablePostgres;
let db: Database;
let fake: FakeYahoo;
let app: RunningApp | undefined;
let restart: Promise<void> | null = null;

beforeAll(async () => {
  server = await startRestartablePostgres('dbrestart', captureLogger('silent').logger);
  db = server.db;
  // slow enough that the backfill takes a few seconds: the restart lands while symbols are still in flight
  fake = await FakeYahoo.start({ latencyMs: 120 });
  for (const s of SYMBOLS) {
    fake.addSymbol(s, BARS.get(s)!, { ...FAKE_US_META, longName: `${s} (test ticker)` });
    await saveInstrument(db.pool, {
      symbol: s,
      name: `${s} (test ticker)`,
      exchange: 'US',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'equity',
      benchmarkSymbol: null,
    });
  }
});
afterAll(async () => {
  await restart?.catch(() => {});
  await app?.stop();
  await server?.close();
  await fake?.close();
});

test('Postgres stopped and started again mid-backfill: the backfill finishes with every bar, none twice', async () => {
  const log = captureLogger('info');
  const { deps } = testIngest(db.pool, fake, {}, log.logger);
  const done: SymbolBackfillResult[] = [];
  let doneWhenStopped = -1;
  let doneWhenBack = -1;
  const onSymbol = (r: SymbolBackfillResult) => {
    done.push(r);
    if (done.length === 8 && !restart) {
      restart = (async () => {
        doneWhenStopped = done.length;
        await server.stop(); // a fast shutdown: open transactions are aborted, connections cut
        await new Promise((r) => setTimeout(r, 1000)); // down for a while: new connections are refused
        await server.start();
        doneWhenBack = done.length;
      })();
    }
  };

  const summary = await backfillSymbols(deps, { symbols: SYMBOLS, from: FROM, to: TO, interval: '1d', concurrency: 4, onSymbol });
  await restart;

  // the restart happened while the backfill was running, and the database errors it caused were retried
  expect(doneWhenStopped).toBe(8);
  expect(doneWhenBack).toBeLessThan(SYMBOLS.length);
  expect(log.warnings().filter((l) => /database.*retry/i.test(l.msg)).length).toBeGreaterThan(0);

  const expectedRows = SYMBOLS.reduce((n, s) => n + BARS.get(s)!.length, 0);
  expect(summary).toMatchObject({ symbols: SYMBOLS.length, ok: SYMBOLS.length, failed: 0, skipped: 0 });
  // new + unchanged: an upsert whose COMMIT went through just before the connection was cut is counted unchanged on its retry
  expect(summary.rowsNew + summary.rowsUnchanged).toBe(expectedRows);
  expect(summary.rowsUpdated).toBe(0);

  // every bar of the server, bar for bar, none twice
  const { rows: total } = await db.pool.query(`SELECT count(*)::int AS n, count(DISTINCT (symbol, date))::int AS distinct FROM daily_bars`);
  expect(total[0]).toEqual({ n: expectedRows, distinct: expectedRows });
  for (const s of SYMBOLS) {
    const { rows } = await db.pool.query(
      `SELECT date, open, high, low, close, adj_close AS "adjClose", volume, provisional FROM daily_bars WHERE symbol = $1 ORDER BY date`,
      [s],
    );
    expect(rows).toEqual(BARS.get(s)!.map(({ symbol: _s, ...b }) => ({ ...b, provisional: false })));
  }
  // one chart request per symbol: a failed write is retried with the bars already fetched, not fetched again
  for (const s of SYMBOLS) expect(fake.count('chart', s)).toBe(1);

  // each symbol's fetch is one finished run, none left running or recorded as failed
  const { rows: runs } = await db.pool.query(
    `SELECT symbol, status, rows_new + rows_unchanged AS stored FROM ingest_runs WHERE job = 'backfill' ORDER BY symbol`,
  );
  expect(runs).toEqual(
    SYMBOLS.map((s) => ({ symbol: s, status: 'ok', stored: BARS.get(s)!.length })).sort((a, b) => (a.symbol < b.symbol ? -1 : 1)),
  );

  // and the app on that database is healthy
  app = await startTestApp({ ...db, url: db.connectionString, name: 'aftershock', drop: async () => {} });
  expect((await request(app.url).get('/readyz')).status).toBe(200);
  const inst = await request(app.url).get(`/api/instruments/${SYMBOLS[29]}/bars`);
  expect(inst.body.bars).toHaveLength(BARS.get(SYMBOLS[29])!.length);
});

test('transient database errors are retried a bounded number of times; other errors at once', async () => {
  const attemptsUntilThrown = async (err: Error & { code?: string }) => {
    let calls = 0;
    const thrown = await withDatabaseRetry(
      async () => {
        calls++;
        throw err;
      },
      { attempts: 3, baseMs: 1, capMs: 2 },
    ).catch((e: unknown) => e);
    expect(thrown).toBe(err);
    return calls;
  };
  const withCode = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});
  expect(await attemptsUntilThrown(withCode('terminating connection due to administrator command', '57P01'))).toBe(3);
  expect(await attemptsUntilThrown(withCode('the database system is starting up', '57P03'))).toBe(3);
  expect(await attemptsUntilThrown(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(3);
  expect(await attemptsUntilThrown(withCode('Connection terminated unexpectedly'))).toBe(3);
  expect(await attemptsUntilThrown(withCode('relation "daily_barz" does not exist', '42P01'))).toBe(1);
  expect(await attemptsUntilThrown(withCode('duplicate key value violates unique constraint', '23505'))).toBe(1);
  expect(await attemptsUntilThrown(withCode('something else'))).toBe(1);
  expect(isTransientDatabaseError('ECONNRESET')).toBe(false); // not an error object
});
