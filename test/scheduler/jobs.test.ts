// What the scheduled jobs store, against FakeYahoo with a clock set inside and after a session: intraday bars
// and a provisional daily bar during the session, the final bar after the close, the catch-up of missing days,
// shares outstanding and news.
import { saveInstrument } from '../../src/instruments/instrumentStore';
import { upsertDailyBars } from '../../src/bars/dailyBarStore';
import { jobWork, type JobDeps } from '../../src/scheduler/jobs';
import { FakeYahoo } from '../support/fakeYahoo';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import { FAKE_TOKYO_META, FAKE_US_META, madeUpBars, testIngest } from './helpers';
import { syntheticIntradayUniverse } from '../../src/bundled/syntheticIntraday';
import { localDate } from '../../src/markets';

quietLibraryUrlLogging();

let db: TestDatabase;
let fake: FakeYahoo;
let clock: Date;
beforeAll(async () => {
  db = await createTestDatabase();
  // only this file's fake tickers are tracked: the jobs must not wander into the bundled instruments
  await db.pool.query('UPDATE instruments SET tracked = false');
  fake = await FakeYahoo.start({ now: () => clock });
});
afterAll(async () => {
  await fake?.close();
  await db?.drop();
});

function deps(): JobDeps {
  // the provider's clock decides what is provisional; the fake's decides what the server shows
  const { deps: d } = testIngest(db.pool, fake, { now: () => clock });
  return { ...d, config: { BACKFILL_FROM: '2025-06-02', INTRADAY_INTERVAL_MINUTES: 5 } };
}
const dailyRow = async (symbol: string, date: string) =>
  (await db.pool.query('SELECT close, provisional FROM daily_bars WHERE symbol = $1 AND date = $2', [symbol, date])).rows[0];

describe('a New York session: intraday, then the final bar', () => {
  const symbol = 'ZZPV';
  const bars = madeUpBars(symbol, 'US', '2025-07-14', 3); // 14, 15, 16 July 2025 (made up)
  beforeAll(async () => {
    fake.addSymbol(symbol, bars, FAKE_US_META);
    await saveInstrument(db.pool, {
      symbol,
      name: 'provisional test (fake ticker)',
      exchange: 'US',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'equity',
      benchmarkSymbol: null,
    });
  });

  test("at 12:00 EDT: 5-minute bars since the open, and the day's bar stored as provisional", async () => {
    clock = new Date('2025-07-16T16:00:00Z');
    const outcome = await jobWork('intraday:US', deps(), clock);
    expect(outcome).toMatchObject({ symbols: 1, ok: 1, failed: [] });
    const { rows } = await db.pool.query(`SELECT ts FROM intraday_bars WHERE symbol = $1 AND interval = '5m' ORDER BY ts`, [symbol]);
    // 09:30 .. 11:55 EDT: every bar that has ended by 12:00
    expect(rows.map((r) => r.ts.toISOString())).toEqual(
      Array.from({ length: 30 }, (_, k) => new Date(Date.parse('2025-07-16T13:30:00Z') + k * 300_000).toISOString()),
    );
    expect(await dailyRow(symbol, '2025-07-16')).toEqual({ close: bars[2].close, provisional: true });
  });

  test('after the close the daily job replaces the provisional bar with the final one', async () => {
    const finalClose = Math.round((bars[2].close as number) * 1.031 * 100) / 100;
    fake.addSymbol(symbol, [...bars.slice(0, 2), { ...bars[2], close: finalClose, adjClose: finalClose }], FAKE_US_META);
    clock = new Date('2025-07-16T20:30:00Z'); // 16:30 EDT, when daily:US fires
    const outcome = await jobWork('daily:US', deps(), clock);
    expect(outcome).toMatchObject({ symbols: 1, ok: 1, rowsUpdated: 1 });
    expect(await dailyRow(symbol, '2025-07-16')).toEqual({ close: finalClose, provisional: false });
    const { rows } = await db.pool.query(
      `SELECT job, status, range_from, range_to, rows_updated FROM ingest_runs WHERE symbol = $1 ORDER BY id DESC LIMIT 1`,
      [symbol],
    );
    // from the last stored bar (the provisional one) through today in New York
    expect(rows[0]).toEqual({ job: 'daily', status: 'ok', range_from: '2025-07-16', range_to: '2025-07-16', rows_updated: 1 });
  });
});

describe('a Tokyo session', () => {
  test('the lunch break is no reason to skip a fire that is due, and bars are dated in Tokyo', async () => {
    const symbol = 'ZZT9.T';
    fake.addSymbol(symbol, madeUpBars(symbol, 'TSE', '2025-07-15', 1, 3000), FAKE_TOKYO_META);
    await saveInstrument(db.pool, {
      symbol,
      name: 'Tokyo test (fake ticker)',
      exchange: 'TSE',
      currency: 'JPY',
      timeZone: 'Asia/Tokyo',
      kind: 'equity',
      benchmarkSymbol: null,
    });
    clock = new Date('2025-07-15T02:30:00Z'); // 11:30 JST, the start of the lunch break
    const outcome = await jobWork('intraday:TSE', deps(), clock);
    expect(outcome).toMatchObject({ ok: 1 });
    const { rows } = await db.pool.query(
      `SELECT min(ts) AS first, max(ts) AS last, count(*)::int AS n FROM intraday_bars WHERE symbol = $1`,
      [symbol],
    );
    // 09:00 (00:00 UTC) .. 11:25 JST
    expect(rows[0]).toEqual({ first: new Date('2025-07-15T00:00:00Z'), last: new Date('2025-07-15T02:25:00Z'), n: 30 });
    expect(await dailyRow(symbol, '2025-07-15')).toMatchObject({ provisional: true });
  });
});

describe('catch-up on start', () => {
  test('fetches every day since the last stored bar, through today in the exchange zone', async () => {
    const symbol = 'ZZCU';
    const all = madeUpBars(symbol, 'US', '2025-06-02', 24); // 2 Jun .. 7 Jul 2025 (made up; 19 Jun and 4 Jul are holidays)
    fake.addSymbol(symbol, all, FAKE_US_META);
    await saveInstrument(db.pool, {
      symbol,
      name: 'catch-up test (fake ticker)',
      exchange: 'US',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'equity',
      benchmarkSymbol: null,
    });
    const stored = all.slice(0, 10);
    await upsertDailyBars(
      db.pool,
      stored.map((b) => ({ ...b, close: b.close as number })),
      { source: 'test' },
    );
    await db.pool.query(`UPDATE instruments SET tracked = false WHERE symbol <> $1`, [symbol]);

    clock = new Date('2025-07-08T12:00:00Z');
    const outcome = await jobWork('catchup', deps(), clock);
    expect(outcome).toMatchObject({ symbols: 1, ok: 1, rowsNew: all.length - stored.length, rowsUnchanged: 1 });
    const { rows } = await db.pool.query('SELECT date, close FROM daily_bars WHERE symbol = $1 ORDER BY date', [symbol]);
    expect(rows).toEqual(all.map((b) => ({ date: b.date, close: b.close })));
    const run = (await db.pool.query('SELECT range_from, range_to FROM ingest_runs WHERE symbol = $1 ORDER BY id DESC LIMIT 1', [symbol]))
      .rows[0];
    expect(run).toEqual({ range_from: stored[stored.length - 1].date, range_to: '2025-07-08' });
  });

  test('an instrument without bars is fetched from BACKFILL_FROM', async () => {
    const symbol = 'ZZNB';
    const all = madeUpBars(symbol, 'US', '2025-05-01', 30);
    fake.addSymbol(symbol, all, FAKE_US_META);
    await saveInstrument(db.pool, {
      symbol,
      name: 'no bars yet (fake ticker)',
      exchange: 'US',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'equity',
      benchmarkSymbol: null,
    });
    await db.pool.query(`UPDATE instruments SET tracked = (symbol = $1)`, [symbol]);
    clock = new Date('2025-07-08T12:00:00Z');
    await jobWork('catchup', deps(), clock);
    const { rows } = await db.pool.query('SELECT min(date) AS first, count(*)::int AS n FROM daily_bars WHERE symbol = $1', [symbol]);
    expect(rows[0]).toEqual({ first: all.find((b) => b.date >= '2025-06-02')!.date, n: all.filter((b) => b.date >= '2025-06-02').length });
  });
});

describe('shares outstanding and news', () => {
  beforeAll(async () => {
    await db.pool.query(`UPDATE instruments SET tracked = (symbol IN ('ZZPV', 'ZZT9.T'))`);
  });

  test('shares outstanding from the quote, as of today in the exchange zone, source "yahoo quote"', async () => {
    clock = new Date('2025-07-17T07:00:00Z');
    const outcome = await jobWork('quotes', deps(), clock);
    expect(outcome).toMatchObject({ symbols: 2, ok: 2 });
    const { rows } = await db.pool.query(
      `SELECT symbol, shares_outstanding, shares_as_of, shares_source FROM instruments WHERE symbol IN ('ZZPV', 'ZZT9.T') ORDER BY symbol`,
    );
    expect(rows).toEqual([
      { symbol: 'ZZPV', shares_outstanding: FAKE_US_META.sharesOutstanding, shares_as_of: '2025-07-17', shares_source: 'yahoo quote' },
      { symbol: 'ZZT9.T', shares_outstanding: FAKE_TOKYO_META.sharesOutstanding, shares_as_of: '2025-07-17', shares_source: 'yahoo quote' },
    ]);
  });

  test('news is stored once per URL with every symbol it was found for', async () => {
    // made-up headlines for the fake tickers
    const shared = {
      title: 'Test story naming both fake tickers',
      link: 'https://news.example.test/both',
      publisher: 'Example Wire',
      publishedAt: new Date('2025-07-16T12:00:00Z'),
    };
    fake.setNews('ZZPV', [
      shared,
      {
        title: 'Test story on ZZPV',
        link: 'https://news.example.test/zzpv',
        publisher: 'Example Wire',
        publishedAt: new Date('2025-07-16T13:00:00Z'),
      },
    ]);
    fake.setNews('ZZT9.T', [shared]);
    clock = new Date('2025-07-17T00:20:00Z');
    expect(await jobWork('news', deps(), clock)).toMatchObject({ ok: 2, failed: [] });
    expect(await jobWork('news', deps(), clock)).toMatchObject({ ok: 2, rowsNew: 0, rowsUpdated: 0 });
    const { rows } = await db.pool.query(`SELECT url, symbols, source FROM news_items WHERE source = 'yahoo' ORDER BY url`);
    expect(rows).toEqual([
      { url: 'https://news.example.test/both', symbols: ['ZZPV', 'ZZT9.T'], source: 'yahoo' },
      { url: 'https://news.example.test/zzpv', symbols: ['ZZPV'], source: 'yahoo' },
    ]);
  });
});

// Issue 22: Yahoo serves 5-minute bars for 60 days only, so a later session's fetch must add to what is stored,
// never replace or delete it. The synthetic universe's Tokyo bars (lunch break skipped), served as they are.
describe('the intraday job keeps every session', () => {
  const universe = syntheticIntradayUniverse({ sessionsBefore: 3, sessionsAfter: 2 });
  const symbol = 'SYN-JP1';
  beforeAll(async () => {
    fake.addSymbol(symbol, universe.daily[symbol], FAKE_TOKYO_META);
    fake.addIntradayBars(symbol, '5m', universe.bars[symbol]);
    await saveInstrument(db.pool, universe.instruments.find((i) => i.symbol === symbol)!);
  });
  const stored = async () =>
    (await db.pool.query(`SELECT ts FROM intraday_bars WHERE symbol = $1 AND interval = '5m' ORDER BY ts`, [symbol])).rows.map((r) =>
      r.ts.toISOString(),
    );
  /** the universe's bars of a Tokyo session date that have ended by `at` */
  const servedBy = (date: string, at: Date) =>
    universe.bars[symbol]
      .filter((b) => localDate(b.ts, 'Asia/Tokyo') === date && b.ts.getTime() + 300_000 <= at.getTime())
      .map((b) => b.ts.toISOString());

  test("a later session's run adds its bars and keeps the earlier session's", async () => {
    const [first, second] = universe.daily[symbol].slice(-2).map((d) => d.date);
    clock = new Date(`${first}T06:35:00Z`); // 15:35 JST: the whole first session has ended
    expect((await jobWork('intraday:TSE', deps(), new Date(`${first}T06:30:00Z`))).failed).toEqual([]);
    const firstBars = servedBy(first, clock);
    expect(firstBars).toHaveLength(66);
    expect(await stored()).toEqual(firstBars);

    clock = new Date(`${second}T05:00:00Z`); // 14:00 JST, after the lunch break
    expect((await jobWork('intraday:TSE', deps(), clock)).failed).toEqual([]);
    const secondBars = servedBy(second, clock);
    expect(secondBars).toHaveLength(30 + 18); // 09:00-11:25 and 12:30-13:55: nothing in the lunch break
    expect(await stored()).toEqual([...firstBars, ...secondBars]);
  });
});
