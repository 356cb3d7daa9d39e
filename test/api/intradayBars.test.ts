// GET /api/instruments/:symbol/bars?interval=5m: the 5-minute bars the scheduler's intraday job stores (fetched
// from FakeYahoo through yahoo-finance2's chart(), as the job does), picked by the exchange-local trading date.
import request from 'supertest';
import { ingestIntradayBars } from '../../src/ingest/fetchAndStore';
import { intradayBarsResponse } from '../../src/instruments/instrumentContract';
import { FakeYahoo } from '../support/fakeYahoo';
import { useTestApp } from '../support/testApp';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import { testIngest } from '../scheduler/helpers';

quietLibraryUrlLogging();

const t = useTestApp();
let fake: FakeYahoo;
const clock = new Date('2025-01-29T12:00:00Z'); // after both sessions below
beforeAll(async () => {
  fake = (await FakeYahoo.start({ now: () => clock })).addBundled('NVDA');
});
afterAll(async () => fake?.close());

// New York sessions of 27 and 28 Jan 2025 (EST): 14:30Z to 21:00Z
const SESSIONS = [
  { date: '2025-01-27', open: new Date('2025-01-27T14:30:00Z'), close: new Date('2025-01-27T21:00:00Z') },
  { date: '2025-01-28', open: new Date('2025-01-28T14:30:00Z'), close: new Date('2025-01-28T21:00:00Z') },
];

describe('5-minute bars stored by the intraday job, read back over HTTP', () => {
  let served: { ts: string; open: number | null; high: number | null; low: number | null; close: number; volume: number | null }[];
  beforeAll(async () => {
    const { deps, provider } = testIngest(t.db.pool, fake, { now: () => clock });
    for (const s of SESSIONS) {
      const stored = await ingestIntradayBars(deps, { symbol: 'NVDA', interval: '5m', from: s.open, to: s.close, job: 'intraday' });
      expect(stored).toMatchObject({ status: 'ok', rowsNew: 78 }); // 6.5 hours of 5-minute bars
    }
    // what Yahoo served for the 27th, asked again: the answer the route must give
    const bars = await provider.getIntradayBars('NVDA', { interval: '5m', from: SESSIONS[0].open, to: SESSIONS[0].close });
    served = bars.map(({ ts, open, high, low, close, volume }) => ({ ts: ts.toISOString(), open, high, low, close, volume }));
  });

  it('answers exactly the stored bars of the trading date, oldest first, ts in ISO UTC', async () => {
    const res = await request(t.app.url).get('/api/instruments/NVDA/bars?interval=5m&from=2025-01-27&to=2025-01-27');
    expect(res.status).toBe(200);
    const body = intradayBarsResponse.parse(res.body);
    expect(body).toMatchObject({
      symbol: 'NVDA',
      currency: 'USD',
      timeZone: 'America/New_York',
      interval: '5m',
      from: '2025-01-27',
      to: '2025-01-27',
    });
    expect(served).toHaveLength(78);
    expect(body.bars).toEqual(served);
    expect(body.bars[0].ts).toBe('2025-01-27T14:30:00.000Z');
    expect(body.bars[77].ts).toBe('2025-01-27T20:55:00.000Z');
  });

  it('spans several trading dates, and an open range gives every stored bar', async () => {
    const both = await request(t.app.url).get('/api/instruments/NVDA/bars?interval=5m&from=2025-01-27&to=2025-01-28');
    expect(both.body.bars).toHaveLength(156);
    expect(both.body.bars[78].ts).toBe('2025-01-28T14:30:00.000Z');
    const open = await request(t.app.url).get('/api/instruments/NVDA/bars?interval=5m&from=2025-01-28');
    expect(open.body.bars.map((b: { ts: string }) => b.ts)).toEqual(both.body.bars.slice(78).map((b: { ts: string }) => b.ts));
    expect((await request(t.app.url).get('/api/instruments/NVDA/bars?interval=5m')).body.bars).toHaveLength(156);
  });

  it('keeps intervals apart: no 15-minute bars were stored', async () => {
    const res = await request(t.app.url).get('/api/instruments/NVDA/bars?interval=15m&from=2025-01-27&to=2025-01-28');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ interval: '15m', bars: [] });
  });

  it('interval 1d (the default) is the daily answer as before', async () => {
    const daily = await request(t.app.url).get('/api/instruments/NVDA/bars?interval=1d&from=2025-01-27&to=2025-01-28');
    expect(daily.body).toEqual((await request(t.app.url).get('/api/instruments/NVDA/bars?from=2025-01-27&to=2025-01-28')).body);
    expect(daily.body.interval).toBe('1d');
    expect(daily.body.bars.map((b: { date: string }) => b.date)).toEqual(['2025-01-27', '2025-01-28']);
  });
});

describe('bad input', () => {
  it('an interval the store does not hold is a 400 naming interval', async () => {
    const res = await request(t.app.url).get('/api/instruments/NVDA/bars?interval=7m&from=2025-01-27&to=2025-01-27');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_parameter', message: expect.stringContaining('interval') });
    expect(res.body.error.details).toEqual([expect.objectContaining({ param: 'interval' })]);
  });

  it('malformed and impossible dates and inverted ranges are 400s naming the parameter, as for daily bars', async () => {
    const malformed = await request(t.app.url).get('/api/instruments/NVDA/bars?interval=5m&from=yesterday');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details).toEqual([expect.objectContaining({ param: 'from' })]);
    const impossible = await request(t.app.url).get('/api/instruments/NVDA/bars?interval=5m&to=2025-02-30');
    expect(impossible.status).toBe(400);
    expect(impossible.body.error.message).toContain('to');
    const inverted = await request(t.app.url).get('/api/instruments/NVDA/bars?interval=5m&from=2025-02-01&to=2025-01-01');
    expect(inverted.status).toBe(400);
    expect(inverted.body.error.message).toContain('from');
  });

  it('an unknown instrument is a 404', async () => {
    expect((await request(t.app.url).get('/api/instruments/NOPE/bars?interval=5m')).status).toBe(404);
  });
});
