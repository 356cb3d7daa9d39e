// The 5-minute history (issue 22): adding an instrument backfills the 5-minute bars of the last 60 days for it and
// its benchmark, and `aftershock backfill --interval 5m` fills the sessions with bars missing, through the test
// Yahoo server holding to Yahoo's limits (60 days of 5m; 1m: 30 days, 7 a request) and serving the synthetic
// universe's bars (New York, and Tokyo with its lunch break) in Yahoo's wire format.
import path from 'node:path';
import type { RunningApp } from '../../src/app/server';
import { type SyntheticUniverse, syntheticIntradayUniverse } from '../../src/bundled/syntheticIntraday';
import { addCalendarDays, localDate, tradingSessionOn } from '../../src/markets';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import { FAKE_TOKYO_META, FAKE_US_META } from '../scheduler/helpers';
import { runCommand as run } from '../support/appProcess';
import { FakeYahoo, type FakeSymbolMeta } from '../support/fakeYahoo';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

quietLibraryUrlLogging();

const root = path.resolve(__dirname, '../..');
const TOKEN = 'test-admin-token-0123456789';
const DAY = 86_400_000;
let db: TestDatabase;
let fake: FakeYahoo;
let app: RunningApp;
let universe: SyntheticUniverse;

/** A New York session about a week before now, 10:30 local: the synthetic event; 45 sessions before it reach past 60 days. */
function recentEventInstant(now: Date): Date {
  for (let d = addCalendarDays(now.toISOString().slice(0, 10), -8); ; d = addCalendarDays(d, -1)) {
    const s = tradingSessionOn('US', d);
    if (s) return new Date(s.open.getTime() + 3_600_000);
  }
}

const INDEX_META = { instrumentType: 'INDEX', sharesOutstanding: undefined } as const;
function serve(symbol: string, meta: FakeSymbolMeta) {
  const name = universe.instruments.find((i) => i.symbol === symbol)!.name;
  fake.addSymbol(symbol, universe.daily[symbol], { ...meta, longName: name, shortName: name });
  fake.addIntradayBars(symbol, '5m', universe.bars[symbol]);
}

beforeAll(async () => {
  // bars through the next days too: a session running now is served up to now, as Yahoo does
  universe = syntheticIntradayUniverse({ eventAt: recentEventInstant(new Date()), sessionsBefore: 45, sessionsAfter: 12 });
  db = await createTestDatabase({ empty: true });
  fake = await FakeYahoo.start({ yahooLimits: true });
  serve('SYN-US1', FAKE_US_META);
  serve('SYN-US2', FAKE_US_META);
  serve('^SYN-US', { ...FAKE_US_META, ...INDEX_META });
  serve('SYN-JP1', FAKE_TOKYO_META);
  serve('^SYN-JP', { ...FAKE_TOKYO_META, ...INDEX_META });
  app = await startTestApp(db, { ADMIN_TOKEN: TOKEN, YAHOO_BASE_URL: fake.baseUrl, YAHOO_MAX_ATTEMPTS: '1', BACKFILL_FROM: '2020-01-01' });
});
afterAll(async () => {
  await app?.stop();
  await fake?.close();
  await db?.drop();
});

async function post(body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${app.url}/api/instruments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
const stored5m = async (symbol: string) =>
  (await db.pool.query(`SELECT ts, close FROM intraday_bars WHERE symbol = $1 AND interval = '5m' ORDER BY ts`, [symbol])).rows.map(
    (r) => ({ ts: r.ts.toISOString() as string, close: Number(r.close) }),
  );
/** the universe's bars of `symbol` that start in [from, to) */
const servedBetween = (symbol: string, from: number, to: number) =>
  universe.bars[symbol]
    .filter((b) => b.ts.getTime() >= from && b.ts.getTime() < to)
    .map((b) => ({ ts: b.ts.toISOString(), close: b.close }));
/** the open of the latest session of `market` that has opened by now (it may still be running) */
function latestOpen(market: 'US' | 'TSE'): number {
  for (let d = addCalendarDays(new Date().toISOString().slice(0, 10), 1); ; d = addCalendarDays(d, -1)) {
    const s = tradingSessionOn(market, d);
    if (s && s.open.getTime() <= Date.now()) return s.open.getTime();
  }
}
/** 5m requests for `symbol` that start before the latest session (a running session may have a new bar done) */
const olderAsked = (symbol: string, market: 'US' | 'TSE') =>
  fake.requests({ route: 'chart', symbol }).filter((q) => q.query.interval === '5m' && Number(q.query.period1) * 1000 < latestOpen(market));
const refusals = () => fake.requests({ route: 'chart' }).filter((r) => r.status === 422);

describe("adding an instrument backfills its 5-minute bars of the last 60 days, and its benchmark's", () => {
  it.each([
    ['New York', 'SYN-US1', '^SYN-US'],
    ['Tokyo (lunch break)', 'SYN-JP1', '^SYN-JP'],
  ])('%s', async (_market, symbol, benchmark) => {
    // the universe reaches further back than Yahoo serves: the backfill must not ask for what is older
    expect(universe.bars[symbol][0].ts.getTime()).toBeLessThan(Date.now() - 61 * DAY);
    const before = Date.now();
    const r = await post({ symbol, benchmark });
    const after = Date.now();
    expect(r.status).toBe(201);
    expect(r.body.intradayBackfill).toMatchObject({ symbol, status: 'ok' });
    expect(refusals()).toEqual([]);
    for (const s of [symbol, benchmark]) {
      const bars = await stored5m(s);
      const first = new Date(bars[0].ts).getTime();
      const last = new Date(bars[bars.length - 1].ts).getTime();
      // nothing older than 60 days, nothing unfinished, and every bar served in between, as served
      expect(first).toBeGreaterThanOrEqual(before - 60 * DAY);
      expect(last + 5 * 60_000).toBeLessThanOrEqual(after);
      expect(bars).toEqual(servedBetween(s, first, last + 1));
      // the bars surely within the limit and done before the add started are all there
      const sure = servedBetween(s, after - 60 * DAY + 10 * 60_000, before - 5 * 60_000);
      expect(sure.every((b) => b.ts >= bars[0].ts && b.ts <= bars[bars.length - 1].ts)).toBe(true);
      expect(sure.length).toBeGreaterThan(38 * 60);
    }
    // the event bar, with its planted shock, is stored as served
    expect((await stored5m(symbol)).map((b) => b.ts)).toContain(universe.eventBars[symbol]);
  });

  it('adding it again fetches no 5-minute bars: its sessions are complete', async () => {
    fake.resetStats();
    const r = await post({ symbol: 'SYN-US1', benchmark: '^SYN-US' });
    expect(r.status).toBe(200);
    // a session running now may have finished a bar since: only that session may be asked again
    expect(olderAsked('SYN-US1', 'US')).toEqual([]);
    expect(olderAsked('^SYN-US', 'US')).toEqual([]);
    const asked5m = fake.requests({ route: 'chart', symbol: 'SYN-US1' }).filter((q) => q.query.interval === '5m');
    if (asked5m.length === 0)
      expect(r.body.intradayBackfill).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^already complete/) });
  });

  it('a benchmark stored before gets the sessions it misses when an instrument following it is added', async () => {
    const full = await stored5m('^SYN-US');
    const day = localDate(new Date(full[full.length - 200].ts), 'America/New_York');
    await db.pool.query(`DELETE FROM intraday_bars WHERE symbol = '^SYN-US' AND (ts AT TIME ZONE 'America/New_York')::date = $1`, [day]);
    const r = await post({ symbol: 'SYN-US2', benchmark: '^SYN-US' });
    expect(r.status).toBe(201);
    expect(r.body.benchmarkAdded).toBeNull();
    expect(r.body.benchmarkIntradayBackfill).toMatchObject({ symbol: '^SYN-US', status: 'ok', from: day });
    expect(r.body.benchmarkIntradayBackfill.rowsNew).toBeGreaterThanOrEqual(78);
    expect((await stored5m('^SYN-US')).slice(0, full.length)).toEqual(full);
    expect(r.body.intradayBackfill).toMatchObject({ symbol: 'SYN-US2', status: 'ok' });
  });
});

describe('aftershock backfill --interval 5m', () => {
  const cliEnv = () => ({ ...process.env, DATABASE_URL: db.url, YAHOO_BASE_URL: fake.baseUrl, LOG_LEVEL: 'warn', BACKFILL_FROM: '' });
  const cli = (...args: string[]) => run(process.execPath, [path.join(root, 'bin/aftershock.js'), ...args], cliEnv());

  it('fills the sessions with bars missing, and only those', async () => {
    const full = await stored5m('SYN-JP1');
    // two gaps: a whole session, and the afternoon of another
    const sessions = [...new Set(full.map((b) => localDate(new Date(b.ts), 'Asia/Tokyo')))].slice(-12);
    await db.pool.query(
      `DELETE FROM intraday_bars WHERE symbol = 'SYN-JP1' AND ((ts AT TIME ZONE 'Asia/Tokyo')::date = $1 OR ((ts AT TIME ZONE 'Asia/Tokyo')::date = $2 AND ts >= $3))`,
      [sessions[2], sessions[6], `${sessions[6]}T04:00:00Z`],
    );
    expect((await stored5m('SYN-JP1')).length).toBe(full.length - 66 - 30);
    fake.resetStats();
    const r = await cli('backfill', '--interval', '5m', '--symbol', 'SYN-JP1');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ symbol: 'SYN-JP1', status: 'ok', from: sessions[2] });
    expect(lines[0].rowsNew).toBeGreaterThanOrEqual(66 + 30);
    const now = await stored5m('SYN-JP1');
    expect(now.slice(0, full.length)).toEqual(full);
    // one request, from the first gap's open
    const asked = fake.requests({ route: 'chart', symbol: 'SYN-JP1' });
    expect(asked).toHaveLength(1);
    expect(Number(asked[0].query.period1) * 1000).toBe(tradingSessionOn('TSE', sessions[2])!.open.getTime());
    expect(Number(asked[0].query.period2) * 1000).toBeGreaterThanOrEqual(tradingSessionOn('TSE', sessions[6])!.close.getTime());
    // nothing missing now: nothing asked but (maybe) the session running now
    fake.resetStats();
    const again = await cli('backfill', '--interval', '5m', '--symbol', 'SYN-JP1');
    expect(again.status).toBe(0);
    expect(olderAsked('SYN-JP1', 'TSE')).toEqual([]);
  });

  it('says the 60-day limit when asked for older bars: a range wholly older is refused, one reaching older starts at the limit', async () => {
    const old = await cli('backfill', '--interval', '5m', '--symbol', 'SYN-US1', '--from', '2024-01-02', '--to', '2024-03-01');
    expect(old.status).toBe(2);
    expect(old.stderr).toMatch(
      /--to 2024-03-01 is too old: Yahoo serves 5m bars for the last 60 days only .*aftershock import DIR.*intraday\/SYMBOL_5m\.csv/,
    );
    fake.resetStats();
    const partly = await cli('backfill', '--interval', '5m', '--symbol', 'SYN-US1', '--from', '2024-01-02');
    expect(partly.status).toBe(0);
    expect(partly.stderr).toMatch(/note: --from 2024-01-02 is older than Yahoo keeps: Yahoo serves 5m bars for the last 60 days only/);
    expect(refusals()).toEqual([]);
  });

  it('1m: asks 7 days a request, 30 days back at most', async () => {
    fake.addIntradayBars('SYN-US1', '1m', []);
    fake.resetStats();
    const r = await cli('backfill', '--interval', '1m', '--symbol', 'SYN-US1');
    expect(r.status).toBe(0);
    const asked = fake.requests({ route: 'chart', symbol: 'SYN-US1' }).filter((q) => q.query.interval === '1m');
    expect(refusals()).toEqual([]);
    expect(asked.length).toBeGreaterThanOrEqual(4);
    for (const q of asked) expect(Number(q.query.period2) - Number(q.query.period1)).toBeLessThanOrEqual(7 * 86_400);
    expect(Math.min(...asked.map((q) => Number(q.query.period1) * 1000))).toBeGreaterThanOrEqual(Date.now() - 30 * DAY - 60_000);
  });
});
