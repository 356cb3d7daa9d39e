// Issue 14's done-when: a Paris, Seoul, Taipei, Hong Kong and Shanghai listing added through the test Yahoo server
// (POST /api/instruments) get their market, currency, benchmark and FX series; the impact API then places each
// one's day 0 on its own exchange for an event after New York's close on 27 Jan 2025, and gives its move, a market
// model against its benchmark and a USD market value where shares are known.
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import { FakeYahoo } from '../support/fakeYahoo';
import { addGlobal, globalBars, KOSPI_INDEX_META } from '../support/fakeYahooWorld';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { quietLibraryUrlLogging } from '../marketdata/helpers';

quietLibraryUrlLogging();

const TOKEN = 'test-admin-token-0123456789';
let db: TestDatabase;
let fake: FakeYahoo;
let app: RunningApp;
const auth = { authorization: `Bearer ${TOKEN}` };

// Share counts the fake quote reports for three of the five: test inputs only (the bundled data has none)
const SHARES: Record<string, number> = { 'SU.PA': 570_000_000, '000660.KS': 728_000_000, '0700.HK': 9_200_000_000 };

/**
 * No ^KS11 series was found for the bundle, so the fake serves a made-up KOSPI on SK hynix's own dates (a
 * deterministic walk: test data, not market data), enough for the market model to be fitted.
 */
function madeUpKospi() {
  let close = 2500;
  return globalBars('000660.KS').map((b, k) => {
    const open = close;
    close = Math.round(close * (1 + 0.011 * Math.sin(k * 1.3)) * 100) / 100;
    return {
      symbol: '^KS11',
      date: b.date,
      open,
      high: Math.max(open, close),
      low: Math.min(open, close),
      close,
      adjClose: close,
      volume: 400_000,
    };
  });
}

beforeAll(async () => {
  db = await createTestDatabase({ empty: true });
  fake = await FakeYahoo.start();
  for (const s of ['SU.PA', '000660.KS', '2330.TW', '0700.HK', '600519.SS'])
    addGlobal(fake, s, SHARES[s] ? { sharesOutstanding: SHARES[s] } : {});
  for (const s of ['^FCHI', '^TWII', '^HSI', '000001.SS', 'EURUSD=X', 'KRW=X', 'HKD=X', 'CNY=X']) addGlobal(fake, s);
  fake.addSymbol('^KS11', madeUpKospi(), KOSPI_INDEX_META);
  // TWD=X is not served: no series was found for the bundle either
  app = await startTestApp(db, { ADMIN_TOKEN: TOKEN, YAHOO_BASE_URL: fake.baseUrl, YAHOO_MAX_ATTEMPTS: '1', BACKFILL_FROM: '2024-10-01' });
});
afterAll(async () => {
  await app?.stop();
  await fake?.close();
  await db?.drop();
});

const LISTINGS = [
  { symbol: 'SU.PA', exchange: 'PAR', currency: 'EUR', timeZone: 'Europe/Paris', benchmark: '^FCHI', fx: 'EURUSD=X', day0: '2025-01-28' },
  { symbol: '000660.KS', exchange: 'KOSPI', currency: 'KRW', timeZone: 'Asia/Seoul', benchmark: '^KS11', fx: 'KRW=X', day0: '2025-01-31' },
  { symbol: '2330.TW', exchange: 'TWSE', currency: 'TWD', timeZone: 'Asia/Taipei', benchmark: '^TWII', fx: null, day0: '2025-02-03' },
  { symbol: '0700.HK', exchange: 'HKEX', currency: 'HKD', timeZone: 'Asia/Hong_Kong', benchmark: '^HSI', fx: 'HKD=X', day0: '2025-01-28' },
  {
    symbol: '600519.SS',
    exchange: 'SSE',
    currency: 'CNY',
    timeZone: 'Asia/Shanghai',
    benchmark: '000001.SS',
    fx: 'CNY=X',
    day0: '2025-02-05',
  },
] as const;

describe('world listings through instruments add and the impact API', () => {
  test.each(LISTINGS)('add $symbol: market $exchange, $currency, benchmark $benchmark, its FX series', async (l) => {
    const res = await request(app.url).post('/api/instruments').set(auth).send({ symbol: l.symbol });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      created: true,
      sessions: l.exchange,
      sessionsNote: null,
      benchmarkAdded: l.benchmark,
      fxSeriesAdded: l.fx,
      instrument: {
        symbol: l.symbol,
        exchange: l.exchange,
        currency: l.currency,
        timeZone: l.timeZone,
        benchmark: l.benchmark,
        kind: 'equity',
      },
      backfill: { status: 'ok', rowsNew: globalBars(l.symbol).length },
    });
    if (l.fx === null) expect(res.body.fxSeriesNote).toMatch(/TWD FX series TWD=X could not be added.*Unknown symbol TWD=X/);
    else expect(res.body.fxSeriesNote).toBeNull();
    const stored = (await db.pool.query('SELECT exchange, kind FROM instruments WHERE symbol = $1', [l.benchmark])).rows[0];
    expect(stored).toEqual({ exchange: l.exchange, kind: 'index' });
  });

  test('the impact API: day 0 on each exchange, the move, an ok market model, USD market value where shares are known', async () => {
    const created = await request(app.url)
      .post('/api/events')
      .set(auth)
      .send({ slug: 'after-ny-close', title: 'After the New York close', occurredAt: '2025-01-27T16:30:00-05:00' });
    expect(created.status).toBe(201);
    const res = await request(app.url).get(`/api/events/after-ny-close/impact?symbols=${LISTINGS.map((l) => l.symbol).join(',')}`);
    expect(res.status).toBe(200);
    const fxOn = (symbol: string, date: string) =>
      globalBars(symbol)
        .filter((b) => b.date <= date)
        .at(-1)!.close;
    for (const l of LISTINGS) {
      const r = res.body.results.find((x: { symbol: string }) => x.symbol === l.symbol);
      expect(r).toMatchObject({
        day0: l.day0,
        status: 'ok',
        benchmark: l.benchmark,
        currency: l.currency,
        marketValueCurrency: l.currency,
      });
      expect(r.model.n).toBeGreaterThanOrEqual(30);
      const bars = globalBars(l.symbol);
      const i = bars.findIndex((b) => b.date === l.day0);
      const d0 = r.days.find((d: { offset: number }) => d.offset === 0);
      expect(d0.date).toBe(l.day0);
      expect(d0.move).toBeCloseTo(bars[i].close / bars[i - 1].close - 1, 12);
      const shares = SHARES[l.symbol];
      if (!shares) {
        expect(d0.marketValueChange).toBeNull();
        expect(r.marketValueNote).toMatch(/shares outstanding of .* are unknown/);
        continue;
      }
      const local = (bars[i].close - bars[i - 1].close) * shares;
      expect(d0.marketValueChange).toBeCloseTo(local, 0);
      // EURUSD=X is dollars per euro (multiply); KRW=X and HKD=X are units per dollar (divide)
      const usd = l.fx === 'EURUSD=X' ? local * fxOn('EURUSD=X', l.day0) : local / fxOn(l.fx!, l.day0);
      expect(d0.marketValueChangeUsd).toBeCloseTo(usd, 0);
      expect(r.marketValueNote).toBeNull();
    }
    // the published moves (SOURCES.md): Schneider -7.47% on 28 Jan, SK hynix -9.86% on 31 Jan, TSMC -5.73% on 3 Feb
    const moveOf = (s: string) =>
      res.body.results.find((x: { symbol: string }) => x.symbol === s).days.find((d: { offset: number }) => d.offset === 0).move;
    expect(moveOf('SU.PA')).toBeCloseTo(-0.0747, 4);
    expect(moveOf('000660.KS')).toBeCloseTo(-0.0986, 4);
    expect(moveOf('2330.TW')).toBeCloseTo(-0.0573, 4);
    // who moved first: the day-0 sessions in the order they closed (Hong Kong's half day of 28 Jan ends at 12:00 HKT)
    expect(
      res.body.sessions.map((x: { market: string; day0: string; close: string; closedFrom: string | null }) => [
        x.market,
        x.day0,
        x.close,
        x.closedFrom,
      ]),
    ).toEqual([
      ['HKEX', '2025-01-28', '2025-01-28T04:00:00.000Z', null],
      ['PAR', '2025-01-28', '2025-01-28T16:30:00.000Z', null],
      ['KOSPI', '2025-01-31', '2025-01-31T06:30:00.000Z', '2025-01-28'],
      ['TWSE', '2025-02-03', '2025-02-03T05:30:00.000Z', '2025-01-28'],
      ['SSE', '2025-02-05', '2025-02-05T07:00:00.000Z', '2025-01-28'],
    ]);
    // the basket is in USD and says who it could not count and why
    const day0 = res.body.basket.find((b: { offset: number }) => b.offset === 0);
    expect(day0).toMatchObject({ contributors: 3, instruments: 5, missing: ['2330.TW', '600519.SS'] });
    expect(day0.missingReasons.map((m: { reason: string }) => m.reason)).toEqual([
      'shares outstanding of 2330.TW are unknown, so market value changes are not given',
      'shares outstanding of 600519.SS are unknown, so market value changes are not given',
    ]);
  });

  test('TSMC with shares but no TWD=X series: amounts in TWD, the USD ones null, and the note says why', async () => {
    await db.pool.query(
      `INSERT INTO shares_outstanding_history (symbol, as_of, shares, source) VALUES ('2330.TW', '2025-01-01', 25900000000, 'test input')`,
    );
    const res = await request(app.url).get('/api/events/after-ny-close/impact?symbols=2330.TW,SU.PA');
    const tsmc = res.body.results.find((x: { symbol: string }) => x.symbol === '2330.TW');
    const d0 = tsmc.days.find((d: { offset: number }) => d.offset === 0);
    expect(d0.marketValueChange).toBeLessThan(0);
    expect(d0.marketValueChangeUsd).toBeNull();
    expect(tsmc.marketValueNote).toBe('no TWD=X closes are stored (the TWD FX series), so market value changes are in TWD only');
    const basket0 = res.body.basket.find((b: { offset: number }) => b.offset === 0);
    expect(basket0.missingReasons).toEqual([{ symbol: '2330.TW', reason: tsmc.marketValueNote }]);
  });
});
