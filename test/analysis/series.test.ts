// The core counts bars, not days: the same closes give the same study whether the bars are daily bars (`date`),
// series bars (`t`) or 5-minute bars, and day 0 of intraday bars is the first bar closing after the news.
import { dayZero, dayZeroIndex } from '../../src/analysis/dayZero';
import { computeImpact, type EventStudyInput } from '../../src/analysis/eventStudy';
import { runCrossSectionStudy } from '../../src/analysis/crossSection/study';
import type { SeriesBar } from '../../src/analysis/series';
import { closesFromReturns, loadBars } from './helpers';

const timed = (iso: string) => ({ instant: new Date(iso), dateOnly: false });
const dateOnly = (date: string) => ({ instant: new Date(`${date}T00:00:00Z`), dateOnly: true });

/** `count` 5-minute bars of New York from `first` (an instant), as the intraday read API gives their t. */
const fiveMinuteTimes = (first: string, count: number) =>
  Array.from({ length: count }, (_, i) => new Date(Date.parse(first) + i * 300_000).toISOString());

describe('daily bars and series bars are one series', () => {
  const nvda = loadBars('NVDA.csv');
  const gspc = loadBars('GSPC.csv');
  const asSeries = (bars: typeof nvda): SeriesBar[] => bars.map(({ date, ...rest }) => ({ t: date, ...rest }));
  const base: EventStudyInput = {
    symbol: 'NVDA',
    dailyBars: nvda,
    benchmark: { symbol: '^GSPC', dailyBars: gspc },
    event: timed('2025-01-20T12:19:44Z'),
    exchangeCode: 'US',
    sharesOutstanding: 24_490_000_000,
    currency: 'USD',
  };

  it('computeImpact gives the same result, figure for figure', () => {
    const daily = computeImpact(base);
    expect(daily.status).toBe('ok');
    expect(computeImpact({ ...base, dailyBars: asSeries(nvda), benchmark: { symbol: '^GSPC', dailyBars: asSeries(gspc) } })).toEqual(daily);
  });

  it('the studies engine gives the same member', () => {
    const member = (bars: readonly { close: number }[], benchmarkBars: typeof bars) =>
      ({ symbol: 'NVDA', dayZero: { date: '2025-01-21' }, bars, benchmarkBars }) as Parameters<typeof runCrossSectionStudy>[0][number];
    const daily = runCrossSectionStudy([member(nvda, gspc)], {});
    expect(daily.members[0].status).toBe('ok');
    expect(runCrossSectionStudy([member(asSeries(nvda), asSeries(gspc))], {})).toEqual(daily);
  });
});

describe('day 0 of intraday bars', () => {
  // 21 Jan 2025, New York opens 14:30Z (EST)
  const times = fiveMinuteTimes('2025-01-21T14:30:00Z', 12);

  it('is the first bar whose close (opening + 5 minutes) comes strictly after a timed event', () => {
    expect(dayZero(times, timed('2025-01-21T14:37:00Z'), 'US', 5)).toBe('2025-01-21T14:35:00.000Z');
    // the 14:35 bar closes at 14:40 exactly: news at 14:40 is in the next bar
    expect(dayZero(times, timed('2025-01-21T14:40:00Z'), 'US', 5)).toBe('2025-01-21T14:40:00.000Z');
    expect(dayZero(times, timed('2025-01-21T14:31:00Z'), 'US', 5)).toBe('2025-01-21T14:30:00.000Z');
    // news the day before the first bar: the bars between them are not known
    expect(dayZeroIndex(times, timed('2025-01-20T20:00:00Z'), 'US', 5)).toBeNull();
    expect(dayZeroIndex(times, timed('2025-01-21T15:30:00Z'), 'US', 5)).toBeNull(); // no bar after it yet
  });

  it('is the first bar of the local date for a date-only event', () => {
    expect(dayZero(times, dateOnly('2025-01-21'), 'US', 5)).toBe('2025-01-21T14:30:00.000Z');
    expect(dayZeroIndex(times, dateOnly('2025-01-20'), 'US', 5)).toBeNull(); // before the first bar's date
  });
});

describe('an event study on 5-minute bars counts its windows in bars', () => {
  // the hand-computed case of eventStudy.test.ts, its ten sessions replaced by ten 5-minute bars
  const dates = ['03', '04', '05', '06', '07', '10', '11', '12', '13', '14'].map((d) => `2025-03-${d}`);
  const times = fiveMinuteTimes('2025-03-12T13:30:00Z', 10); // New York opens 13:30Z after the DST change
  const benchmarkCloses = closesFromReturns(1000, [-0.02, -0.01, 0, 0.01, 0.02, 0.01, -0.02, 0.0, 0.01]);
  const instrumentCloses = closesFromReturns(100, [-0.03, -0.01, 0, 0.02, 0.03, 0.02, -0.1, 0.05, 0.0]);
  const params = { window: [-1, 2] as const, estimation: [-6, -2] as const, minObs: 5, carWindows: [[0, 1] as const] };
  const study = (at: string[], event: EventStudyInput['event'], barMinutes?: number) =>
    computeImpact({
      symbol: 'TEST',
      dailyBars: instrumentCloses.map((close, i) => ({ t: at[i], close })),
      benchmark: { symbol: 'BENCH', dailyBars: benchmarkCloses.map((close, i) => ({ t: at[i], close })) },
      event,
      exchangeCode: 'US',
      barMinutes,
      params,
      sharesOutstanding: null,
      currency: 'USD',
    });

  it('gives the daily figures at bar offsets, with day 0 the bar after the news', () => {
    const daily = study(dates, dateOnly('2025-03-12'));
    // news at 14:05Z: the 14:00 bar closes at 14:05, not after it, so day 0 is the 14:05 bar (index 7, as daily)
    const intraday = study(times, timed('2025-03-12T14:05:00Z'), 5);
    expect(daily.day0).toBe('2025-03-12');
    expect(intraday.day0).toBe('2025-03-12T14:05:00.000Z');
    expect(intraday.days.map((d) => d.offset)).toEqual([-1, 0, 1, 2]);
    expect(intraday.days.map((d) => d.date)).toEqual(times.slice(6, 10));
    expect({ ...intraday, day0: null, days: null, statusReason: null }).toEqual({ ...daily, day0: null, days: null, statusReason: null });
    expect(intraday.cars[0].car).toBeCloseTo(-0.024, 12); // -0.072 + 0.048
  });
});
