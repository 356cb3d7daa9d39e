// The WORKED CHECK of shared/methods/intraday.md (minDays = 5): band bounds, σ and Z, first on the ARs themselves,
// then end to end on hand-made SYNTHETIC bars whose abnormal returns are exactly those of the check.
import { DEFAULT_INTRADAY_OPTIONS, type IntradayBar, type IntradaySeries, intradayStudy } from '../../src/analysis/intraday';
import { matchedBand } from '../../src/analysis/intraday/band';
import { fiveMinuteStarts } from './intradayHelpers';

const CHECK = [
  [0.001, -0.002],
  [-0.003, 0.001],
  [0.002, 0.0],
  [0.0, -0.001],
  [-0.001, 0.004],
];
const SIGMA_S0 = 0.0017320508075688772; // sqrt(3e-6)

describe('the worked check on its ARs', () => {
  test('bands with p = 0.05, j = 1: the minimum and the maximum of CAR_d(k)', () => {
    const bands = matchedBand(CHECK, 0, 1, 0.05, 5);
    expect(bands[0]).toEqual({ lower: -0.003, upper: 0.002, n: 5 });
    expect(bands[1]?.n).toBe(5);
    expect(bands[1]?.lower).toBeCloseTo(-0.002, 15);
    expect(bands[1]?.upper).toBeCloseTo(0.003, 15);
  });

  test('fewer sessions than minDays: no band', () => {
    expect(matchedBand(CHECK, 0, 1, 0.05, 6)).toEqual([null, null]);
  });

  test('j = max(1, floor(n p / 2)): with p = 0.8 on five sessions j = 2, the second smallest and largest', () => {
    const [band] = matchedBand(CHECK, 0, 0, 0.8, 5);
    expect(band).toEqual({ lower: -0.001, upper: 0.001, n: 5 });
  });
});

/** A flat series (every close `level`) on `dates`, with the closes of slots s0 and s0 + 1 stepped by the given returns. */
function steppedSeries(symbol: string, level: number, dates: string[], s0: number, steps: Map<string, number[]>): IntradaySeries {
  const bars: IntradayBar[] = [];
  const dailyCloses = [{ date: '2025-02-28', close: level }];
  let price = level;
  for (const date of dates) {
    const starts = fiveMinuteStarts('US', date);
    const step = steps.get(date) ?? [];
    starts.forEach((t, s) => {
      const r = s >= s0 && s - s0 < step.length ? step[s - s0] : 0;
      price *= 1 + r;
      bars.push({ t: new Date(t).toISOString(), close: price, volume: 100 });
    });
    dailyCloses.push({ date, close: price });
  }
  return { symbol, bars, dailyCloses };
}

describe('the worked check end to end (SYNTHETIC bars, market_adjusted against a flat benchmark)', () => {
  // five estimation sessions, then 10 March (touched by the window's negative offsets: left out, whole), then the event
  const estimationDates = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07'];
  const dates = [...estimationDates, '2025-03-10', '2025-03-11'];
  const s0 = 10;
  const steps = new Map<string, number[]>(estimationDates.map((d, i) => [d, CHECK[i]]));
  steps.set('2025-03-10', [0.05, -0.05]); // would widen the band if the left-out session were used
  steps.set('2025-03-11', [-0.01]);
  const instrument = steppedSeries('CHK', 100, dates, s0, steps);
  const benchmark = steppedSeries('^FLAT', 1000, dates, s0, new Map());
  // slot 10 of 11 March (New York on summer time since the 9th: open 13:30 UTC) starts 14:20 UTC
  const result = intradayStudy(
    [{ series: instrument, benchmark, market: 'US' }],
    { instant: new Date('2025-03-11T14:22:30Z'), dateOnly: false, now: new Date('2025-03-12T00:00:00Z') },
    { ...DEFAULT_INTRADAY_OPTIONS, model: 'market_adjusted', estimationDays: 5, minDays: 5 },
  );
  const m = result.members[0];
  const at = (k: number) => {
    const point = m.points.find((p) => p.k === k);
    if (!point) throw new Error(`no point at k = ${k}`);
    return point;
  };

  test('the event bar and the estimation sessions', () => {
    expect(m.status).toBe('ok');
    expect(m.eventSession).toBe('2025-03-11');
    expect(m.eventSlot).toBe(s0);
    expect(m.eventBar).toBe('2025-03-11T14:20:00.000Z');
    expect(m.model?.sessions).toEqual(estimationDates);
  });

  test('σ at the event slot is sqrt(3e-6)', () => {
    expect(m.sigma[s0]).toBeCloseTo(SIGMA_S0, 12);
  });

  test('the band bounds at k = 0 and k = 1', () => {
    expect(at(0).lower).toBeCloseTo(-0.003, 12);
    expect(at(0).upper).toBeCloseTo(0.002, 12);
    expect(at(1).lower).toBeCloseTo(-0.002, 12);
    expect(at(1).upper).toBeCloseTo(0.003, 12);
  });

  test('an event AR of -0.010: CAR0_0 outside the band, Z_0 = -5.7735027', () => {
    expect(at(0).ar).toBeCloseTo(-0.01, 12);
    expect(at(0).car0).toBeCloseTo(-0.01, 12);
    expect(at(0).outside).toBe(true);
    expect(at(0).z).toBeCloseTo(-5.7735027, 6);
    expect(at(0).sar).toBeCloseTo(-5.7735027, 6);
  });
});
