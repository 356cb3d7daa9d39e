// The dashboard's pure parts, with worked numbers: how figures are written for people, the view in the URL,
// the 95% CAR band, who priced the news first, and data freshness per exchange.
import {
  formatDate,
  formatInstant,
  formatMoney,
  formatP,
  formatPercent,
  formatPrice,
  formatT,
  formatWindow,
  marketName,
  placeOf,
  utcOffsetMinutes,
} from '../../web/src/format';
import { freshnessByExchange, freshnessFromLatestBars, freshnessFromStatus } from '../../web/src/freshness';
import { carBand, largestDayZeroMove, queryOfView, rebasedPath, sessionsInOrder, viewFromQuery, windowOf } from '../../web/src/impactView';
import { instrumentStyles } from '../../web/src/instrumentStyle';
import { day, impact } from './impactFixtures';

describe('figures for people', () => {
  it.each([
    [-0.16968167, '-16.97%'],
    [0.0893, '+8.93%'],
    [-0.000001, '0.00%'],
    [0, '0.00%'],
    [null, '–'],
    [Number.NaN, '–'],
  ])('percent %p -> %p', (fraction, text) => {
    expect(formatPercent(fraction)).toBe(text);
  });

  it.each([
    // NVDA 27 Jan 2025: (118.42 - 142.62) x 24.49bn shares
    [(118.42 - 142.62) * 24_490_000_000, 'USD', '-$592.7bn'],
    [-627_300_000_000, 'JPY', '-¥627.3bn'],
    [-4_034_000_000, 'USD', '-$4.03bn'],
    [1_234_567_890_123, 'JPY', '¥1.23tn'],
    [999_970_000_000, 'USD', '$1.00tn'],
    [45_300_000, 'USD', '$45.3m'],
    [12_345, 'EUR', '€12,345'],
    [-5, 'CHF', '-CHF 5'],
    [null, 'USD', '–'],
  ])('money %p %s -> %p', (amount, currency, text) => {
    expect(formatMoney(amount, currency)).toBe(text);
  });

  it('writes prices in their currency, t with 2 and p with 3 decimals', () => {
    expect(formatPrice(118.42, 'USD')).toBe('$118.42');
    expect(formatPrice(9185, 'JPY')).toBe('¥9,185');
    expect(formatPrice(39565.8, 'JPY')).toBe('¥39,565.80');
    expect(formatT(-7.1204)).toBe('-7.12');
    expect(formatT(-0.001)).toBe('0.00');
    expect(formatP(0.0264)).toBe('0.026');
    expect(formatP(0.0004)).toBe('<0.001');
    expect(formatP(null)).toBe('–');
  });

  it('writes dates as dates (no time zone shift) and instants in a given zone', () => {
    expect(formatDate('2025-01-27')).toBe('27 Jan 2025');
    expect(formatDate('2025-01-26', true)).toBe('Sun, 26 Jan 2025');
    expect(formatDate('27/01/2025')).toBe('–');
    expect(formatInstant('2025-01-20T12:19:44Z', 'Asia/Tokyo')).toBe('20 Jan 2025, 21:19 GMT+9');
    expect(formatWindow(-1, 1)).toBe('[-1,+1]');
    expect(formatWindow(0, 5)).toBe('[0,+5]');
    expect(utcOffsetMinutes('Asia/Tokyo', new Date('2025-01-27T12:00:00Z'))).toBe(540);
    expect(utcOffsetMinutes('America/New_York', new Date('2025-01-27T12:00:00Z'))).toBe(-300);
    expect(utcOffsetMinutes('America/New_York', new Date('2025-07-01T12:00:00Z'))).toBe(-240);
  });
});

describe('market names', () => {
  it.each([
    ['JPX', 'Asia/Tokyo', 'Tokyo (JPX)'],
    ['NMS', 'America/New_York', 'New York (NMS)'],
    ['FX', 'Europe/London', 'FX'],
    // the EURO STOXX 50 is Europe-wide, not a Zurich market (issue 21, item 12)
    ['STX', 'Europe/Zurich', 'Europe-wide (STOXX, Eurex)'],
  ])('%s in %s is "%s"', (exchange, timeZone, name) => {
    expect(marketName(exchange, timeZone)).toBe(name);
  });
  it('the price-path legend says where each trades: Europe-wide for the STOXX index, the city otherwise', () => {
    expect(placeOf('STX', 'Europe/Zurich')).toBe('Europe-wide');
    expect(placeOf('JPX', 'Asia/Tokyo')).toBe('Tokyo');
  });
});

describe('the view in the URL', () => {
  it('reads what it can and writes the query the impact API takes', () => {
    const view = viewFromQuery('?window=-5,10&estimation=-120,-11&minObs=25&benchmark=%5EIXIC&symbols=NVDA,6857.T&other=1');
    expect(view).toEqual({ window: [-5, 10], estimation: [-120, -11], minObs: 25, benchmark: '^IXIC', symbols: ['NVDA', '6857.T'] });
    expect(queryOfView(view).toString()).toBe('symbols=NVDA%2C6857.T&window=-5%2C10&estimation=-120%2C-11&minObs=25&benchmark=%5EIXIC');
    expect(viewFromQuery(`?${queryOfView(view)}`)).toEqual(view);
    // unreadable values are left to the API's defaults rather than guessed
    expect(viewFromQuery('?window=soon&minObs=-3&symbols=')).toEqual({});
  });

  it('takes a window from the API params in any of its spellings', () => {
    expect(windowOf([-10, 10])).toEqual([-10, 10]);
    expect(windowOf({ from: -1, to: 1 })).toEqual([-1, 1]);
    expect(windowOf('0,5')).toEqual([0, 5]);
    expect(windowOf(null)).toBeUndefined();
  });
});

describe('series in event time', () => {
  it('draws a 95% band of ±1.96·sigma·sqrt(L) around zero, L = days since the CAR started', () => {
    const r = impact({ symbol: 'NVDA', days: [day(-2), day(-1), day(0), day(1)] });
    const band = carBand(r, -2)!;
    // sigma 2%: at -2 (L=1) 3.92%, at 0 (L=3) 1.96 x 2 x sqrt 3 = 6.7896%, at +1 (L=4) 7.84%
    expect(band.upper.map((p) => [p.x, Number(p.y.toFixed(4))])).toEqual([
      [-2, 3.92],
      [-1, 5.5437],
      [0, 6.7896],
      [1, 7.84],
    ]);
    expect(band.lower.map((p) => p.y)).toEqual(band.upper.map((p) => -p.y));
  });

  it('gives no band where the model allows none', () => {
    expect(carBand(impact({ symbol: '8035.T', status: 'insufficient_estimation' }), -10)).toBeNull();
    expect(carBand(impact({ symbol: 'X', model: { alpha: null, beta: null, sigma: null, r2: null, n: 0 } }), -10)).toBeNull();
  });

  it('keeps only days with a rebased close on the price path', () => {
    const r = impact({ symbol: 'NVDA', days: [day(-1, { rebased: 100 }), day(0, { rebased: 83.03 }), day(1, { rebased: null })] });
    expect(rebasedPath(r)).toEqual([
      { x: -1, y: 100, date: '2025-01-26' },
      { x: 0, y: 83.03, date: '2025-01-27' },
    ]);
  });

  it('finds the largest day-0 move by size, whatever its sign', () => {
    const results = [
      impact({ symbol: '6857.T', days: [day(0, { move: -0.0859 })] }),
      impact({ symbol: 'NVDA', days: [day(0, { move: -0.1697 })] }),
      impact({ symbol: 'X', days: [day(0, { move: 0.12 })] }),
    ];
    expect(largestDayZeroMove(results)).toEqual({ symbol: 'NVDA', move: -0.1697, day0: '2025-01-27' });
    expect(largestDayZeroMove([])).toBeNull();
  });

  it('orders the sessions that priced the news: Tokyo before New York on the same date, an earlier date first', () => {
    const zones: Record<string, string> = { NVDA: 'America/New_York', '6857.T': 'Asia/Tokyo', '9984.T': 'Asia/Tokyo', LATE: 'Asia/Tokyo' };
    const groups = sessionsInOrder(
      [
        impact({ symbol: 'NVDA' }),
        impact({ symbol: '6857.T' }),
        impact({ symbol: 'LATE', day0: '2025-01-28' }),
        impact({ symbol: '9984.T' }),
        impact({ symbol: 'NONE', day0: null }),
      ],
      (s) => zones[s],
      (zone, date) => utcOffsetMinutes(zone, new Date(`${date}T12:00:00Z`)),
    );
    expect(groups.map((g) => [g.day0, g.timeZone, g.results.map((r) => r.symbol)])).toEqual([
      ['2025-01-27', 'Asia/Tokyo', ['6857.T', '9984.T']],
      ['2025-01-27', 'America/New_York', ['NVDA']],
      ['2025-01-28', 'Asia/Tokyo', ['LATE']],
    ]);
  });
});

describe('instrument styles', () => {
  it('gives each instrument its own colour and its own dash pattern', () => {
    const all = ['6857.T', '8035.T', '9984.T', 'NVDA', 'SMH'];
    const styles = instrumentStyles(all);
    expect(new Set([...styles.values()].map((s) => s.color)).size).toBe(5);
    expect(new Set([...styles.values()].map((s) => JSON.stringify(s.dash))).size).toBe(5);
  });

  it('gives the instruments drawn together distinct colours, whatever their place in a long list (issue 21, item 6)', () => {
    // 26 instruments: with a style per place in the full list, 000660.KS and 9988.HK (7 apart) shared a colour
    const all = Array.from({ length: 26 }, (_, k) => `S${k}`);
    const drawn = ['S0', 'S7', 'S14', 'S21', 'S3', 'S10', 'S17', 'S24', 'S1', 'S8', 'S15', 'S22', 'S5'];
    const styles = instrumentStyles(all, drawn);
    expect(new Set([...styles.values()].map((s) => s.color)).size).toBe(drawn.length);
    // beyond the palette, the colour and dash pair is still each one's own
    const every = instrumentStyles(all);
    expect(new Set([...every.values()].map((s) => `${s.color}|${JSON.stringify(s.dash)}`)).size).toBe(26);
    // the same set styles alike on every chart of a page, whatever order it is asked in
    expect(instrumentStyles(all, [...drawn].reverse())).toEqual(new Map([...styles].reverse()));
  });
});

describe('freshness per exchange', () => {
  const instruments = [
    { symbol: 'NVDA', exchange: 'US', timeZone: 'America/New_York', tracked: true },
    { symbol: '^GSPC', exchange: 'US', timeZone: 'America/New_York', tracked: true },
    { symbol: '6857.T', exchange: 'TSE', timeZone: 'Asia/Tokyo', tracked: true },
    { symbol: 'OLD', exchange: 'TSE', timeZone: 'Asia/Tokyo', tracked: false },
  ].map((i) => ({
    ...i,
    name: i.symbol,
    currency: 'USD',
    kind: 'equity',
    benchmark: null,
    sharesOutstanding: null,
    sharesAsOf: null,
    sharesSource: null,
  }));

  it('from bar dates alone: the stalest instrument decides, older than 4 days is stale', () => {
    const now = new Date('2025-04-03T12:00:00Z');
    const groups = freshnessByExchange(
      instruments,
      freshnessFromLatestBars({ NVDA: '2025-04-02', '^GSPC': '2025-03-28', '6857.T': '2025-04-03', OLD: '2020-01-01' }),
      now,
      'bars',
    );
    const us = groups.find((g) => g.exchange === 'US')!;
    expect(us).toMatchObject({ lastBar: '2025-03-28', ageDays: 6, stale: true, symbols: ['NVDA', '^GSPC'] });
    expect(groups.find((g) => g.exchange === 'TSE')).toMatchObject({
      lastBar: '2025-04-03',
      ageDays: 0,
      stale: false,
      symbols: ['6857.T'],
    });
  });

  it('from /api/status: the server counts missed sessions, and a current fetch error makes it stale', () => {
    const status = {
      instruments: [
        {
          symbol: 'NVDA',
          exchange: 'US',
          tracked: true,
          lastBarDate: '2025-04-02',
          lastSuccessfulFetch: '2025-04-02T21:30:00Z',
          staleness: { sessionsMissed: 0, hoursSinceLastFetch: 2 },
          lastError: { at: '2025-04-02T23:00:00Z', job: 'quotes', error: 'HTTP 429', current: true },
        },
        {
          symbol: '^GSPC',
          exchange: 'US',
          tracked: true,
          lastBarDate: '2025-04-02',
          lastSuccessfulFetch: '2025-04-02T21:30:00Z',
          staleness: { sessionsMissed: 0, hoursSinceLastFetch: 2 },
          lastError: { at: '2025-03-01T00:00:00Z', job: 'daily', error: 'old', current: false },
        },
        // Golden Week: no bar for six days, and yet no session missed
        {
          symbol: '6857.T',
          exchange: 'TSE',
          tracked: true,
          lastBarDate: '2025-05-02',
          lastSuccessfulFetch: '2025-05-07T00:00:00Z',
          staleness: { sessionsMissed: 0, hoursSinceLastFetch: 1 },
          lastError: null,
        },
      ],
    };
    const parsed = freshnessFromStatus(status)!;
    expect(parsed.find((f) => f.symbol === '^GSPC')!.lastError).toBeNull();
    const groups = freshnessByExchange(instruments, parsed, new Date('2025-05-08T01:00:00Z'), 'status');
    const us = groups.find((g) => g.exchange === 'US')!;
    expect(us.stale).toBe(true);
    expect(us.errors).toEqual([{ symbol: 'NVDA', message: 'HTTP 429 (quotes)', at: '2025-04-02T23:00:00Z' }]);
    expect(groups.find((g) => g.exchange === 'TSE')!.stale).toBe(false);
    expect(freshnessFromStatus({ error: {} })).toBeNull();
  });
});
