// GET /api/events/:slug/impact over HTTP against the bundled DeepSeek data.
import request from 'supertest';
import type { EventImpact as Result, ImpactResponse } from '../../src/impact/impactContract';
import { useTestApp } from '../support/testApp';

const t = useTestApp();

async function impact(slug: string, query = '') {
  const res = await request(t.app.url).get(`/api/events/${slug}/impact${query}`);
  return res;
}
const resultOf = (body: { results: Result[] }, symbol: string) => body.results.find((r) => r.symbol === symbol)!;
const dayAt = (result: Result, offset: number) => result.days.find((d) => d.offset === offset)!;

async function closes(symbol: string, from: string, to: string): Promise<Map<string, number>> {
  const res = await request(t.app.url).get(`/api/instruments/${encodeURIComponent(symbol)}/bars?from=${from}&to=${to}`);
  return new Map(res.body.bars.map((b: { date: string; close: number }) => [b.date, b.close]));
}

describe('trump-wake-up-call (27 Jan 2025, after the close in New York)', () => {
  it('is day 0 on 28 Jan in New York and in Tokyo, so the 27 Jan sell-off is not its reaction', async () => {
    const res = await impact('trump-wake-up-call', '?symbols=NVDA,6857.T');
    expect(res.status).toBe(200);
    const body: ImpactResponse = res.body;
    expect(body.event).toMatchObject({
      occurredAt: '2025-01-27T21:00:00.000Z',
      date: '2025-01-27',
      dateOnly: false,
      precision: 'after_close',
      timeZone: 'America/New_York',
      occurredUntil: null,
    });
    expect(dayAt(resultOf(body, 'NVDA'), 0).date).toBe('2025-01-28');
    expect(dayAt(resultOf(body, '6857.T'), 0).date).toBe('2025-01-28');
    expect(dayAt(resultOf(body, 'NVDA'), -1).date).toBe('2025-01-27');
    expect(body.sessions.map((s) => `${s.market} ${s.day0}`)).toEqual(['TSE 2025-01-28', 'US 2025-01-28']);
  });
});

describe('deepseek-app-store-no1 (26 Jan 2025, date only)', () => {
  let body: ImpactResponse;

  beforeAll(async () => {
    const res = await impact('deepseek-app-store-no1');
    expect(res.status).toBe(200);
    body = res.body;
  });

  it('answers with the event, the parameters in force, and by default the four tracked equities', () => {
    expect(body.event.slug).toBe('deepseek-app-store-no1');
    expect(body.params).toEqual({
      symbols: ['6857.T', '8035.T', '9984.T', 'NVDA'],
      window: [-10, 10],
      estimation: [-120, -11],
      minObs: 30,
      benchmark: null,
      carWindows: [
        [0, 0],
        [0, 1],
        [-1, 1],
        [0, 5],
      ],
      model: 'market',
    });
    expect(body.results.map((r) => r.symbol)).toEqual(['6857.T', '8035.T', '9984.T', 'NVDA']);
  });

  it('NVDA: day 0 is Monday 27 Jan, the move is -16.97% and the market value change about -$592.7bn', async () => {
    const nvda = resultOf(body, 'NVDA');
    expect(nvda).toMatchObject({ benchmark: '^GSPC', currency: 'USD', day0: '2025-01-27', status: 'ok', marketValueNote: null });
    const day0 = dayAt(nvda, 0);
    expect(day0.date).toBe('2025-01-27');
    expect(Math.abs(day0.move! * 100 - -16.97)).toBeLessThanOrEqual(0.01);
    const nvdaCloses = await closes('NVDA', '2025-01-24', '2025-01-27');
    expect(day0.move).toBeCloseTo(nvdaCloses.get('2025-01-27')! / nvdaCloses.get('2025-01-24')! - 1, 12);

    const shares = (await request(t.app.url).get('/api/instruments/NVDA')).body.instrument.sharesOutstanding;
    expect(shares).toBe(24_490_000_000);
    expect(Math.abs(day0.marketValueChangeUsd! / 1e9 - -592.7)).toBeLessThan(0.05);
    expect(day0.marketValueChangeUsd).toBeCloseTo((nvdaCloses.get('2025-01-27')! - nvdaCloses.get('2025-01-24')!) * shares, 0);
    expect(day0.marketValueChange).toBe(day0.marketValueChangeUsd);
    expect(day0.rebased).toBeCloseTo((nvdaCloses.get('2025-01-27')! / nvdaCloses.get('2025-01-24')!) * 100, 10);
  });

  it('NVDA: the market model is fitted and every reported CAR has its t-statistic and p-value', () => {
    const nvda = resultOf(body, 'NVDA');
    expect(nvda.model.n).toBeGreaterThanOrEqual(30);
    expect(nvda.model.sigma).toBeGreaterThan(0);
    expect(nvda.cars.map((c) => [c.from, c.to])).toEqual([
      [0, 0],
      [0, 1],
      [-1, 1],
      [0, 5],
    ]);
    for (const car of nvda.cars) {
      expect(typeof car.t).toBe('number');
      expect(car.p).toBeGreaterThanOrEqual(0);
      expect(car.p).toBeLessThanOrEqual(1);
      // t = CAR / (sigma * sqrt(days)), from the numbers in the same response
      expect(car.t).toBeCloseTo(car.car! / (nvda.model.sigma! * Math.sqrt(car.to - car.from + 1)), 10);
      const summed = nvda.days.filter((d) => d.offset >= car.from && d.offset <= car.to).reduce((s, d) => s + d.abnormalReturn!, 0);
      expect(car.car).toBeCloseTo(summed, 12);
    }
    // a -17% day against a market model is far out in the tail
    expect(nvda.cars[0].t!).toBeLessThan(-3);
    expect(nvda.cars[0].p!).toBeLessThan(0.01);
    const day0 = dayAt(nvda, 0);
    expect(day0.abnormalReturn).toBeCloseTo(
      day0.return! - (nvda.model.alpha! + nvda.model.beta! * (day0 as unknown as { benchmarkReturn: number }).benchmarkReturn),
      12,
    );
    expect(typeof nvda.bhar).toBe('number');
  });

  it.each([
    ['6857.T', -8.61],
    ['9984.T', -8.32],
    ['8035.T', -4.9],
  ])('%s: day 0 on 27 Jan in Tokyo with a move of %d%%', async (symbol, publishedPct) => {
    const result = resultOf(body, symbol);
    expect(result).toMatchObject({ benchmark: '^N225', currency: 'JPY', day0: '2025-01-27' });
    const day0 = dayAt(result, 0);
    expect(Math.abs(day0.move! * 100 - publishedPct)).toBeLessThanOrEqual(0.01);
    const c = await closes(symbol, '2025-01-24', '2025-01-27');
    expect(day0.move).toBeCloseTo(c.get('2025-01-27')! / c.get('2025-01-24')! - 1, 12);
  });

  it('8035.T: its short history gives insufficient_estimation, and the reason says so', () => {
    const tel = resultOf(body, '8035.T');
    expect(tel.status).toBe('insufficient_estimation');
    expect(tel.model.n).toBeLessThan(30);
    expect(tel.statusReason).toContain(`${tel.model.n} paired returns`);
    expect(tel.statusReason).toContain('at least 30');
    expect(tel.statusReason).toContain('2024-12-06'); // where its bundled history starts
    expect(tel.cars.every((c) => c.t === null && c.p === null)).toBe(true);
    expect(tel.model).toMatchObject({ alpha: 0, beta: 1 });
  });

  it('the Tokyo stocks have market values in yen and USD, at a USD/JPY close of the day', () => {
    for (const symbol of ['6857.T', '9984.T', '8035.T']) {
      const result = resultOf(body, symbol);
      expect(result.marketValueNote).toBeNull();
      expect(dayAt(result, 0).marketValueChange).toBeLessThan(0);
      // yen converted at the USD/JPY close of 27 Jan 2025 (JPY=X 155.744)
      const rate = dayAt(result, 0).marketValueChange! / dayAt(result, 0).marketValueChangeUsd!;
      expect(rate).toBeCloseTo(155.744, 6);
    }
  });

  it('a stock without known shares says so instead of a market value', async () => {
    await t.db.pool.query(`DELETE FROM shares_outstanding_history WHERE symbol = '6857.T'`);
    const without = (await impact('deepseek-app-store-no1', '?symbols=6857.T,NVDA')).body as typeof body;
    await t.db.pool.query(
      `INSERT INTO shares_outstanding_history (symbol, as_of, shares, source) VALUES ('6857.T', '2024-12-20', 739340000, 'restored')`,
    );
    const advantest = resultOf(without, '6857.T');
    expect(advantest.marketValueNote).toMatch(/shares outstanding of 6857\.T are unknown/);
    expect(dayAt(advantest, 0).marketValueChangeUsd).toBeNull();
    const day0 = without.basket.find((b) => b.offset === 0)!;
    expect(day0.missing).toEqual(['6857.T']);
    expect(day0.missingReasons).toEqual([{ symbol: '6857.T', reason: advantest.marketValueNote }]);
  });

  it('the basket adds up the known USD market value changes per offset', () => {
    expect(body.basket.map((b) => b.offset)).toEqual(Array.from({ length: 21 }, (_, i) => i - 10));
    for (const b of body.basket) {
      const known = body.results
        .map((r) => r.days.find((d) => d.offset === b.offset)?.marketValueChangeUsd ?? null)
        .filter((v): v is number => v !== null);
      expect(b.contributors).toBe(known.length);
      expect(b.instruments).toBe(4);
      if (known.length)
        expect(b.marketValueChangeUsd).toBeCloseTo(
          known.reduce((s, v) => s + v, 0),
          0,
        );
      else expect(b.marketValueChangeUsd).toBeNull();
    }
    // every bundled equity has its shares now: the day-0 basket covers all four, -USD 608.8bn
    const day0 = body.basket.find((b) => b.offset === 0)!;
    expect(day0.contributors).toBe(4);
    expect(day0.missing).toEqual([]);
    expect(day0.marketValueChangeUsd!).toBeLessThan(dayAt(resultOf(body, 'NVDA'), 0).marketValueChangeUsd!);
    expect(day0.marketValueChangeUsd! / 1e9).toBeCloseTo(-608.81, 1);
  });
});

describe('deepseek-r1-release (20 Jan 2025 12:19:44 UTC)', () => {
  it('day 0 is Tuesday 21 Jan for NVDA (New York closed on the 20th) and the 27 Jan sell-off is day +4', async () => {
    const res = await impact('deepseek-r1-release', '?symbols=NVDA,6857.T');
    expect(res.status).toBe(200);
    expect(res.body.params.symbols).toEqual(['NVDA', '6857.T']);
    const nvda = resultOf(res.body, 'NVDA');
    expect(nvda.day0).toBe('2025-01-21');
    expect(nvda.days.find((d) => d.date === '2025-01-27')!.offset).toBe(4);
    // Tokyo's 20 Jan session had closed when R1 came out
    expect(resultOf(res.body, '6857.T').day0).toBe('2025-01-21');
  });
});

describe('parameters', () => {
  it('a narrower window and other CAR windows are honoured', async () => {
    const res = await impact('deepseek-app-store-no1', '?symbols=NVDA&window=-5,10&cars=0,0;-2,2');
    expect(res.status).toBe(200);
    const nvda = resultOf(res.body, 'NVDA');
    expect(nvda.days.map((d) => d.offset)).toEqual(Array.from({ length: 16 }, (_, i) => i - 5));
    expect(nvda.cars.map((c) => [c.from, c.to])).toEqual([
      [0, 0],
      [-2, 2],
    ]);
    expect(res.body.basket).toHaveLength(16);
  });

  it("a benchmark override replaces every instrument's own benchmark", async () => {
    const own = resultOf((await impact('deepseek-app-store-no1', '?symbols=NVDA')).body, 'NVDA');
    const res = await impact('deepseek-app-store-no1', '?symbols=NVDA&benchmark=%5EIXIC');
    expect(res.status).toBe(200);
    expect(res.body.params.benchmark).toBe('^IXIC');
    const nvda = resultOf(res.body, 'NVDA');
    expect(nvda.benchmark).toBe('^IXIC');
    expect(nvda.status).toBe('ok');
    expect(nvda.model.beta).not.toBeCloseTo(own.model.beta!, 6);
    expect(dayAt(nvda, 0).move).toBe(dayAt(own, 0).move); // the move is the stock's own
  });

  it('minObs above the observations available turns a fitted model into insufficient_estimation', async () => {
    const res = await impact('deepseek-app-store-no1', '?symbols=NVDA&minObs=500');
    expect(res.status).toBe(200);
    const nvda = resultOf(res.body, 'NVDA');
    expect(nvda.status).toBe('insufficient_estimation');
    expect(nvda.statusReason).toContain('at least 500');
  });

  it('an index has no benchmark: status no_benchmark with the reason', async () => {
    const res = await impact('deepseek-app-store-no1', '?symbols=%5EGSPC');
    const index = resultOf(res.body, '^GSPC');
    expect(index.status).toBe('no_benchmark');
    expect(index.statusReason).toContain('no benchmark');
    expect(index.day0).toBe('2025-01-27');
  });

  it.each([
    ['?window=10,-5', 'window: start must not be after end'],
    ['?estimation=-5,-20', 'estimation: start must not be after end'],
    ['?estimation=-20,-5', 'estimation: must end before the event window starts'],
    ['?window=-3,3&estimation=-60,-3', 'estimation: must end before the event window starts'],
    ['?window=abc', 'window: must be two integer offsets'],
    ['?window=-1000,10', 'window: offsets must lie within'],
    ['?minObs=2', 'minObs: must be at least 3'],
    ['?minObs=many', 'minObs: must be a whole number'],
    ['?cars=0,0;5,1', 'cars: "5,1" is not a window'],
    ['?symbols=%3Cscript%3E', 'symbols'],
    ['?window=-1,1&window=-2,2', 'window'],
  ])('%s is a 400 invalid_parameter that names the problem', async (query, message) => {
    const res = await impact('deepseek-app-store-no1', query);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_parameter');
    expect(res.body.error.message).toContain(message);
    expect(res.body.error.details[0].param).toContain(message.split(':')[0]);
  });

  it.each([
    ['?symbols=NVDA,NOPE', 'symbols: unknown symbol NOPE'],
    ['?symbols=NOPE,ALSO', 'symbols: unknown symbols NOPE, ALSO'],
    ['?benchmark=NOPE', 'benchmark: unknown symbol NOPE'],
  ])('%s is a 404 unknown_symbol that names the parameter and the symbols', async (query, message) => {
    const res = await impact('deepseek-app-store-no1', query);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('unknown_symbol');
    expect(res.body.error.message).toContain(message);
    expect(res.body.error.details[0].param).toBe(message.split(':')[0]);
  });

  it('an unknown event is a 404', async () => {
    const res = await impact('no-such-event');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', message: expect.stringContaining('no-such-event') });
  });
});

describe('the route reads only the bars around the event', () => {
  // The service reads a bounded stretch of history per instrument; the core over the full series must agree.
  it.each([
    ['deepseek-app-store-no1', ''],
    ['deepseek-r1-release', '?window=-3,8&estimation=-60,-4'],
    ['nvidia-q4-fy2025-earnings', '?benchmark=SMH'],
    ['deepseek-v3-release', ''],
  ])('%s%s gives what computeImpact gives on the whole history', async (slug, query) => {
    const { computeImpact } = await import('../../src/analysis');
    const { marketForInstrument } = await import('../../src/marketdata/yahooMarkets');
    const res = await impact(slug, query);
    expect(res.status).toBe(200);
    const all = async (symbol: string) => (await request(t.app.url).get(`/api/instruments/${encodeURIComponent(symbol)}/bars`)).body.bars;
    const instruments = (await request(t.app.url).get('/api/instruments')).body.instruments as {
      symbol: string;
      exchange: string;
      timeZone: string;
      kind: string;
      currency: string;
      sharesOutstanding: number | null;
    }[];
    const event = res.body.event as { occurredAt: string | null; date: string; dateOnly: boolean };
    const usdJpy = (await all('JPY=X')).map((b: { date: string; close: number }) => ({ date: b.date, close: b.close }));
    for (const result of res.body.results as Result[]) {
      const instrument = instruments.find((i) => i.symbol === result.symbol)!;
      const expected = computeImpact({
        symbol: result.symbol,
        dailyBars: await all(result.symbol),
        benchmark: { symbol: result.benchmark!, dailyBars: await all(result.benchmark!) },
        event: { instant: new Date(event.dateOnly ? `${event.date}T00:00:00Z` : event.occurredAt!), dateOnly: event.dateOnly },
        exchangeCode: marketForInstrument(instrument)!,
        params: {
          window: res.body.params.window,
          estimation: res.body.params.estimation,
          minObs: res.body.params.minObs,
          carWindows: res.body.params.carWindows,
        },
        sharesOutstanding: instrument.sharesOutstanding,
        usdJpyCloses: usdJpy,
        currency: instrument.currency,
      });
      expect(result).toEqual(JSON.parse(JSON.stringify(expected)));
    }
  });
});
