// POST /api/instruments over HTTP against the real app, with FakeYahoo behind the YAHOO_BASE_URL seam.
import type { RunningApp } from '../../src/app/server';
import { FakeYahoo } from '../support/fakeYahoo';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import { FAKE_LONDON_META, FAKE_TOKYO_META, FAKE_US_META, madeUpBars } from '../scheduler/helpers';
import type { FakeSymbolMeta } from '../support/fakeYahoo';

/** A made-up Tel Aviv listing: a market the registry does not know (quoted in agorot, ILA). */
const FAKE_TEL_AVIV_META: FakeSymbolMeta = {
  ...FAKE_LONDON_META,
  currency: 'ILA',
  exchangeName: 'TLV',
  fullExchangeName: 'Tel Aviv',
  exchangeTimezoneName: 'Asia/Jerusalem',
  timezoneShort: 'IST',
  sessionOpen: '09:59',
  sessionClose: '17:14',
  longName: 'Fake Tel Aviv Ltd (test ticker)',
  shortName: 'FAKE TLV',
  market: 'il_market',
};

quietLibraryUrlLogging();

const TOKEN = 'test-admin-token-0123456789';
let db: TestDatabase;
let fake: FakeYahoo;
let app: RunningApp;

async function post(body: unknown, token: string | null = TOKEN): Promise<{ status: number; body: any }> {
  const res = await fetch(`${app.url}/api/instruments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
const barsOf = async (symbol: string) =>
  (await db.pool.query('SELECT date, close FROM daily_bars WHERE symbol = $1 ORDER BY date', [symbol])).rows;

beforeAll(async () => {
  // an empty database: no bundled instruments, so benchmarks have to be added too
  db = await createTestDatabase({ empty: true });
  fake = await FakeYahoo.start();
  fake.addBundled('^N225');
  fake.addSymbol('ZZUS', madeUpBars('ZZUS', 'US', '2025-06-02', 30), FAKE_US_META);
  fake.addSymbol('ZZT1.T', madeUpBars('ZZT1.T', 'TSE', '2025-06-02', 30, 2500), FAKE_TOKYO_META);
  fake.addSymbol('ZZL.L', madeUpBars('ZZL.L', 'US', '2025-06-02', 10, 800), FAKE_LONDON_META);
  fake.addSymbol('ZZTA.TA', madeUpBars('ZZTA.TA', 'US', '2025-06-02', 10, 800), FAKE_TEL_AVIV_META);
  app = await startTestApp(db, { ADMIN_TOKEN: TOKEN, YAHOO_BASE_URL: fake.baseUrl, YAHOO_MAX_ATTEMPTS: '2', BACKFILL_FROM: '2024-10-01' });
});
afterAll(async () => {
  await app?.stop();
  await fake?.close();
  await db?.drop();
});

describe('POST /api/instruments', () => {
  test('needs the admin token', async () => {
    expect((await post({ symbol: 'ZZUS' }, null)).status).toBe(401);
    const wrong = await post({ symbol: 'ZZUS' }, 'not-the-token-at-all');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
    expect(fake.count()).toBe(0);
  });

  test('a Tokyo symbol: looked up, stored, given ^N225 as benchmark (which is added and backfilled first), backfilled', async () => {
    const r = await post({ symbol: 'zzt1.t' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      created: true,
      sessions: 'TSE',
      benchmarkAdded: '^N225',
      instrument: {
        symbol: 'ZZT1.T',
        name: FAKE_TOKYO_META.longName,
        exchange: 'TSE',
        currency: 'JPY',
        timeZone: 'Asia/Tokyo',
        kind: 'equity',
        benchmark: '^N225',
        sharesOutstanding: FAKE_TOKYO_META.sharesOutstanding,
        sharesSource: 'yahoo quote',
      },
      backfill: { status: 'ok', from: '2024-10-01', rowsNew: 30 },
    });
    expect(r.body.instrument.sharesAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await barsOf('ZZT1.T')).map((b) => b.close)).toEqual(madeUpBars('ZZT1.T', 'TSE', '2025-06-02', 30, 2500).map((b) => b.close));
    const n225 = (await app.ctx.db.pool.query(`SELECT kind, benchmark_symbol FROM instruments WHERE symbol = '^N225'`)).rows[0];
    expect(n225).toEqual({ kind: 'index', benchmark_symbol: null });
    expect((await barsOf('^N225')).length).toBeGreaterThan(100);
  });

  test('a US symbol whose benchmark ^GSPC the server does not know: 404 naming the benchmark, nothing stored', async () => {
    const r = await post({ symbol: 'ZZUS' });
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'unknown_symbol', details: { symbol: '^GSPC' } });
    expect(r.body.error.message).toContain('^GSPC');
    expect((await app.ctx.db.pool.query(`SELECT count(*)::int AS n FROM instruments WHERE symbol = 'ZZUS'`)).rows[0].n).toBe(0);
  });

  test('an explicit benchmark, and a second add refreshes (200) without duplicating bars', async () => {
    const first = await post({ symbol: 'ZZUS', benchmark: 'ZZT1.T', from: '2025-06-01' });
    expect(first.status).toBe(201);
    expect(first.body.instrument.benchmark).toBe('ZZT1.T');
    expect(first.body.benchmarkAdded).toBeNull();
    const again = await post({ symbol: 'ZZUS', from: '2025-06-01' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, instrument: { benchmark: 'ZZT1.T' } });
    expect((await barsOf('ZZUS')).length).toBe(30);
  });

  test('a London listing: market LSE, quoted in pence (GBp); its FX series GBPUSD=X, unknown to the server, is said', async () => {
    const r = await post({ symbol: 'ZZL.L', benchmark: null, backfill: false });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      sessions: 'LSE',
      sessionsNote: null,
      backfill: null,
      fxSeriesAdded: null,
      instrument: { exchange: 'LSE', benchmark: null, timeZone: 'Europe/London', currency: 'GBp' },
    });
    expect(r.body.fxSeriesNote).toMatch(/GBp FX series GBPUSD=X could not be added/);
  });

  test('a market whose sessions are unknown: its exchange name is kept, no default benchmark, and the reason said', async () => {
    const r = await post({ symbol: 'ZZTA.TA', backfill: false });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      sessions: null,
      backfill: null,
      instrument: { exchange: 'TLV', benchmark: null, timeZone: 'Asia/Jerusalem', currency: 'ILA' },
    });
    expect(r.body.sessionsNote).toMatch(/ZZTA\.TA trades on TLV \(Asia\/Jerusalem\), a market whose sessions Aftershock does not know/);
    expect(await barsOf('ZZTA.TA')).toEqual([]);
    const status = (await (await fetch(`${app.url}/api/status`)).json()) as any;
    expect(status.instruments.find((i: any) => i.symbol === 'ZZTA.TA')).toMatchObject({
      sessions: null,
      staleness: { sessionsMissed: null },
    });
  });

  test('an unknown symbol: 404 naming it', async () => {
    const r = await post({ symbol: 'ZZNOPE' });
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'unknown_symbol', details: { symbol: 'ZZNOPE' } });
    expect(r.body.error.message).toMatch(/Unknown symbol ZZNOPE/);
  });

  test('bad input: 400 naming the parameter', async () => {
    const bad = await post({ symbol: 'NV DA' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/symbol/);
    const badDate = await post({ symbol: 'ZZUS', from: '2025-02-30' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.message).toMatch(/from/);
    expect((await post('{not json')).status).toBe(400);
  });

  test('the provider unreachable: 503, the app keeps going', async () => {
    fake.fail('quote', 'ZZUS', { status: 503 }, { status: 503 });
    const r = await post({ symbol: 'ZZUS' });
    expect(r.status).toBe(503);
    expect(r.body.error).toMatchObject({ code: 'upstream_unavailable', details: { symbol: 'ZZUS' } });
    expect((await fetch(`${app.url}/api/instruments/ZZUS`)).status).toBe(200);
  });
});

test('without ADMIN_TOKEN the route says writes are disabled', async () => {
  const other = await startTestApp(db, { YAHOO_BASE_URL: fake.baseUrl });
  try {
    const res = await fetch(`${other.url}/api/instruments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ symbol: 'ZZUS' }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.message).toMatch(/ADMIN_TOKEN/);
  } finally {
    await other.stop();
  }
});
