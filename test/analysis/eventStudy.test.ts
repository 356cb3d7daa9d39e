import { computeImpact, type EventStudyInput } from '../../src/analysis/eventStudy';
import { closesFromReturns } from './helpers';

// A hand-computable event study on ten sessions.
// Estimation offsets [-6,-2] are the 5-point OLS example of marketModel.test.ts:
//   alpha 0.002, beta 1.5, sigma sqrt(1e-5), R² 75/76.
// Event window [-1, 2] (day 0 = 2025-03-12, index 7):
//   offset   r_m     r      expected = 0.002 + 1.5 r_m   AR       CAR
//   -1       0.01    0.02   0.017                        0.003    0.003
//    0      -0.02   -0.10  -0.028                       -0.072   -0.069
//   +1       0.00    0.05   0.002                        0.048   -0.021
//   +2       0.01    0.00   0.017                       -0.017   -0.038
const dates = [
  '2025-03-03',
  '2025-03-04',
  '2025-03-05',
  '2025-03-06',
  '2025-03-07',
  '2025-03-10',
  '2025-03-11',
  '2025-03-12',
  '2025-03-13',
  '2025-03-14',
];
const benchmarkReturns = [-0.02, -0.01, 0, 0.01, 0.02, 0.01, -0.02, 0.0, 0.01];
const instrumentReturns = [-0.03, -0.01, 0, 0.02, 0.03, 0.02, -0.1, 0.05, 0.0];
const toBars = (closes: number[]) => closes.map((close, i) => ({ date: dates[i], close, adjClose: null }));
const instrumentBars = toBars(closesFromReturns(100, instrumentReturns));
const benchmarkBars = toBars(closesFromReturns(1000, benchmarkReturns));
// close on day -1 (index 6) = 100 x 0.97 x 0.99 x 1.00 x 1.02 x 1.03 x 1.02
const CLOSE_DAY_MINUS_1 = 102.90690036;

// Student t CDF with 3 dof in closed form, to check p-values independently of stats.ts.
const cdf3 = (t: number) => 0.5 + (Math.atan(t / Math.sqrt(3)) + t / Math.sqrt(3) / (1 + (t * t) / 3)) / Math.PI;
const p3 = (t: number) => 2 * (1 - cdf3(Math.abs(t)));

function input(overrides: Partial<EventStudyInput> = {}): EventStudyInput {
  return {
    symbol: 'TEST',
    dailyBars: instrumentBars,
    benchmark: { symbol: 'BENCH', dailyBars: benchmarkBars },
    event: { instant: new Date('2025-03-12T00:00:00Z'), dateOnly: true },
    exchangeCode: 'US',
    params: {
      window: [-1, 2],
      estimation: [-6, -2],
      minObs: 5,
      carWindows: [
        [0, 0],
        [0, 1],
        [-1, 1],
      ],
    },
    sharesOutstanding: 1_000_000,
    usdJpyCloses: [],
    currency: 'USD',
    ...overrides,
  };
}

describe('computeImpact: hand-computed market model case', () => {
  const result = computeImpact(input());

  it('returns exactly the documented fields', () => {
    expect(Object.keys(result).sort()).toEqual(
      [
        'symbol',
        'benchmark',
        'currency',
        'day0',
        'status',
        'statusReason',
        'model',
        'days',
        'cars',
        'bhar',
        'marketValueCurrency',
        'marketValueNote',
        'volumeBaseline',
        'abnormalVolume',
        'windowNote',
      ].sort(),
    );
    expect(Object.keys(result.days[0]).sort()).toEqual(
      [
        'offset',
        'date',
        'close',
        'return',
        'benchmarkReturn',
        'abnormalReturn',
        'car',
        'rebased',
        'move',
        'marketValueChange',
        'marketValueChangeUsd',
        'volume',
        'abnormalVolume',
      ].sort(),
    );
    expect(Object.keys(result.cars[0]).sort()).toEqual(['car', 'from', 'p', 't', 'to']);
  });

  it('identifies the instrument, day 0 and status', () => {
    expect(result).toMatchObject({ symbol: 'TEST', benchmark: 'BENCH', currency: 'USD', day0: '2025-03-12', status: 'ok' });
    expect(result.statusReason).toContain('5 paired returns');
  });

  it('fits the model on the estimation window only', () => {
    expect(result.model.alpha).toBeCloseTo(0.002, 12);
    expect(result.model.beta).toBeCloseTo(1.5, 10);
    expect(result.model.sigma).toBeCloseTo(Math.sqrt(1e-5), 12);
    expect(result.model.r2).toBeCloseTo(75 / 76, 10);
    expect(result.model.n).toBe(5);
  });

  it('abnormal returns and running CAR per day', () => {
    expect(result.days.map((d) => d.offset)).toEqual([-1, 0, 1, 2]);
    expect(result.days.map((d) => d.date)).toEqual(['2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14']);
    const expectedAr = [0.003, -0.072, 0.048, -0.017];
    const expectedCar = [0.003, -0.069, -0.021, -0.038];
    result.days.forEach((day, i) => {
      expect(day.abnormalReturn).toBeCloseTo(expectedAr[i], 10);
      expect(day.car).toBeCloseTo(expectedCar[i], 10);
    });
  });

  it('CARs with t = CAR / (sigma sqrt(L)) and p from t with n - 2 = 3 dof', () => {
    const sigma = Math.sqrt(1e-5);
    const expected = [
      { from: 0, to: 0, car: -0.072, t: -0.072 / sigma },
      { from: 0, to: 1, car: -0.024, t: -0.024 / (sigma * Math.sqrt(2)) },
      { from: -1, to: 1, car: -0.021, t: -0.021 / (sigma * Math.sqrt(3)) },
    ];
    expect(result.cars).toHaveLength(3);
    result.cars.forEach((car, i) => {
      expect(car.from).toBe(expected[i].from);
      expect(car.to).toBe(expected[i].to);
      expect(car.car).toBeCloseTo(expected[i].car, 10);
      expect(car.t).toBeCloseTo(expected[i].t, 6);
      expect(car.p).toBeCloseTo(p3(expected[i].t), 10);
    });
    expect(result.cars[2].t).toBeCloseTo(-3.834058, 5);
    expect(result.cars[2].p).toBeCloseTo(0.0313, 3); // cf. t tables: 3.18 (5%) < 3.83 < 4.54 (2%)
  });

  it('BHAR = Π(1 + r) − Π(1 + alpha + beta r_m) over the event window', () => {
    // 1.02 x 0.90 x 1.05 x 1.00 = 0.9639;  1.017 x 0.972 x 1.002 x 1.017 = 1.007339565816
    expect(result.bhar).toBeCloseTo(0.9639 - 1.007339565816, 10);
  });

  it('rebased to 100 at the close of day -1, and moves', () => {
    expect(result.days.map((d) => d.rebased)).toEqual([100, expect.closeTo(90, 10), expect.closeTo(94.5, 10), expect.closeTo(94.5, 10)]);
    expect(result.days.map((d) => d.move)).toEqual([0.02, -0.1, 0.05, 0].map((m) => expect.closeTo(m, 12)));
  });

  it('market value change = (close - previous close) x shares; USD amounts as is', () => {
    const day0 = result.days[1];
    expect(day0.close).toBeCloseTo(CLOSE_DAY_MINUS_1 * 0.9, 8);
    expect(day0.marketValueChange).toBeCloseTo(-0.1 * CLOSE_DAY_MINUS_1 * 1_000_000, 3); // -10,290,690.036
    expect(day0.marketValueChangeUsd).toBe(day0.marketValueChange);
    expect(result.marketValueNote).toBeNull();
  });
});

describe('computeImpact: currency conversion', () => {
  it('divides JPY amounts by the USD/JPY close on or before each date', () => {
    const result = computeImpact(
      input({
        currency: 'JPY',
        usdJpyCloses: [
          { date: '2025-03-07', close: 150 },
          { date: '2025-03-11', close: 148 },
          { date: '2025-03-13', close: 160 },
        ],
      }),
    );
    const rates = [148, 148, 160, 160]; // 03-12 and 03-14 have no FX close: the previous one applies
    result.days.forEach((day, i) => {
      expect(day.marketValueChangeUsd).toBeCloseTo(day.marketValueChange! / rates[i], 6);
    });
    expect(result.days[1].marketValueChangeUsd).toBeCloseTo((-0.1 * CLOSE_DAY_MINUS_1 * 1_000_000) / 148, 4);
    expect(result.marketValueNote).toBeNull();
  });

  it('refuses a USD/JPY close older than 7 days, and says so', () => {
    const result = computeImpact(input({ currency: 'JPY', usdJpyCloses: [{ date: '2025-03-05', close: 150 }] }));
    // 03-11 and 03-12 are within 7 days of 03-05; 03-13 and 03-14 are not
    expect(result.days.map((d) => d.marketValueChangeUsd === null)).toEqual([false, false, true, true]);
    expect(result.days[3].marketValueChange).not.toBeNull();
    expect(result.marketValueNote).toContain('2025-03-13, 2025-03-14');
  });

  it('gives no USD amount for currencies it cannot convert', () => {
    const result = computeImpact(input({ currency: 'EUR' }));
    expect(result.days.every((d) => d.marketValueChangeUsd === null && d.marketValueChange !== null)).toBe(true);
    expect(result.marketValueNote).toContain('EUR');
  });

  it('null market values and a note when shares outstanding are unknown', () => {
    const result = computeImpact(input({ sharesOutstanding: null }));
    expect(result.days.every((d) => d.marketValueChange === null && d.marketValueChangeUsd === null)).toBe(true);
    expect(result.marketValueNote).toMatch(/shares outstanding of TEST are unknown/);
  });
});

describe('computeImpact: statuses', () => {
  it('insufficient_estimation: market-adjusted model, sigma of r - r_m, no t or p', () => {
    const result = computeImpact(input({ params: { window: [-1, 2], estimation: [-6, -2], minObs: 6, carWindows: [[0, 0]] } }));
    expect(result.status).toBe('insufficient_estimation');
    expect(result.statusReason).toBe(
      'TEST has 5 paired returns in the estimation window [-6,-2] (history starts 2025-03-03); at least 6 are needed, ' +
        'so the market-adjusted model (alpha 0, beta 1) is used and no t-statistics are given',
    );
    expect(result.model).toEqual({ alpha: 0, beta: 1, sigma: expect.closeTo(Math.sqrt(7e-5), 12), r2: null, n: 5 });
    expect(result.days[1].abnormalReturn).toBeCloseTo(-0.1 - -0.02, 12);
    expect(result.cars).toEqual([{ from: 0, to: 0, car: expect.closeTo(-0.08, 12), t: null, p: null }]);
    // 0.9639 − 1.01 x 0.98 x 1.00 x 1.01
    expect(result.bhar).toBeCloseTo(0.9639 - 0.999698, 10);
  });

  it('no_benchmark: returns, moves and market values, but no abnormal returns', () => {
    const result = computeImpact(input({ benchmark: null }));
    expect(result.status).toBe('no_benchmark');
    expect(result.benchmark).toBeNull();
    expect(result.model).toEqual({ alpha: null, beta: null, sigma: null, r2: null, n: 0 });
    expect(result.days[1]).toMatchObject({ return: expect.closeTo(-0.1, 12), benchmarkReturn: null, abnormalReturn: null, car: null });
    expect(result.days[1].marketValueChange).not.toBeNull();
    expect(result.cars.every((c) => c.car === null && c.t === null)).toBe(true);
    expect(result.bhar).toBeNull();
  });

  it('no_data: no bars, or no session after the event yet', () => {
    const empty = computeImpact(input({ dailyBars: [] }));
    expect(empty).toMatchObject({ status: 'no_data', day0: null, days: [], cars: [], bhar: null });
    const future = computeImpact(input({ event: { instant: new Date('2025-03-17T00:00:00Z'), dateOnly: true } }));
    expect(future.status).toBe('no_data');
    expect(future.statusReason).toContain('last bar is 2025-03-14');
  });

  it("a benchmark gap on one date nulls that day's abnormal return, the running CAR after it, and BHAR", () => {
    const gappy = benchmarkBars.filter((b) => b.date !== '2025-03-13');
    const result = computeImpact(input({ benchmark: { symbol: 'BENCH', dailyBars: gappy } }));
    expect(result.status).toBe('ok');
    expect(result.days.map((d) => d.abnormalReturn === null)).toEqual([false, false, true, false]);
    expect(result.days.map((d) => d.car === null)).toEqual([false, false, true, true]);
    expect(result.cars[0].car).toBeCloseTo(-0.072, 10);
    expect(result.cars[1]).toEqual({ from: 0, to: 1, car: null, t: null, p: null });
    expect(result.bhar).toBeNull();
  });

  it('days beyond the data are absent; windows that need them give null', () => {
    const result = computeImpact(input({ params: { window: [-1, 5], estimation: [-6, -2], minObs: 5, carWindows: [[0, 5]] } }));
    expect(result.days.map((d) => d.offset)).toEqual([-1, 0, 1, 2]);
    expect(result.cars[0].car).toBeNull();
    expect(result.bhar).toBeNull();
  });
});

describe('computeImpact: input checks', () => {
  it('rejects an estimation window overlapping the event window', () => {
    expect(() => computeImpact(input({ params: { window: [-1, 2], estimation: [-6, -1] } }))).toThrow(/must end before/);
  });

  it('rejects minObs below 3 and reversed windows', () => {
    expect(() => computeImpact(input({ params: { minObs: 2 } }))).toThrow(RangeError);
    expect(() => computeImpact(input({ params: { carWindows: [[1, 0]] } }))).toThrow(RangeError);
  });

  it('rejects unsorted bars and non-positive share counts', () => {
    expect(() => computeImpact(input({ dailyBars: [...instrumentBars].reverse() }))).toThrow(RangeError);
    expect(() => computeImpact(input({ sharesOutstanding: 0 }))).toThrow(RangeError);
  });

  it('uses the default windows when params are omitted', () => {
    const result = computeImpact(input({ params: undefined }));
    // default event window [-10, 10] clipped to the ten sessions; default minObs 30 is not met
    expect(result.days.map((d) => d.offset)).toEqual([-7, -6, -5, -4, -3, -2, -1, 0, 1, 2]);
    expect(result.cars.map((c) => [c.from, c.to])).toEqual([
      [0, 0],
      [0, 1],
      [-1, 1],
      [0, 5],
    ]);
    expect(result.status).toBe('insufficient_estimation');
  });

  it('treats explicitly undefined params as defaults', () => {
    const result = computeImpact(input({ params: { window: [-1, 2], estimation: undefined, minObs: 5, carWindows: undefined } }));
    // default estimation [-120,-11] lies entirely before these ten sessions
    expect(result.model.n).toBe(0);
    expect(result.status).toBe('insufficient_estimation');
    expect(result.cars.map((c) => [c.from, c.to])).toEqual([
      [0, 0],
      [0, 1],
      [-1, 1],
      [0, 5],
    ]);
  });
});

describe('computeImpact: a window beyond the stored bars', () => {
  it('says where the bars end and begin inside the window and which figures are missing; null when they cover it', () => {
    expect(computeImpact(input()).windowNote).toBeNull();
    // day 0 = 2025-03-12 (index 7 of 10): the bars run from day -7 to day +2
    const long = computeImpact(input({ params: { ...input().params, window: [-1, 10] } }));
    expect(long.days.map((d) => d.offset)).toEqual([-1, 0, 1, 2]);
    expect(long.bhar).toBeNull();
    expect(long.windowNote).toBe(
      "TEST's stored prices end on 2025-03-14 (day +2), so days +3 to +10 are not measured: BHAR [-1, +10] and any CAR reaching those days are missing",
    );
    const both = computeImpact(input({ params: { ...input().params, window: [-9, 4], estimation: [-12, -10] } }));
    expect(both.windowNote).toBe(
      "TEST's stored prices end on 2025-03-14 (day +2), so days +3 to +4 are not measured; TEST's stored prices begin on 2025-03-03 (day -7), so days -9 to -8 are not measured: BHAR [-9, +4] and any CAR reaching those days are missing",
    );
  });
});
