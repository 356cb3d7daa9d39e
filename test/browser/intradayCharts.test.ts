// The intraday charts' data, from hand-made points without a browser: gaps where a bar is missing, at a lunch break
// and between sessions (a null point, never a made-up value); the band moved onto the CAR scale; the members' mean
// abnormal volume; the latest session of an instrument's 5-minute bars and its line.
import type { IntradayMemberResult, IntradayPoint, IntradayStudyResult } from '../../web/src/api';
import {
  BAND_LABEL,
  bandOnCarScale,
  formatEventMinutes,
  gappedLine,
  groupAbnormalVolume,
  intradayCarConfig,
  latestSession,
  sessionLine,
} from '../../web/src/charts/intraday';
import { DEFAULT_INTRADAY_OPTIONS } from '../../src/analysis/intraday/intradayTypes';
import { instrumentStyles } from '../../web/src/instrumentStyle';
import { intradayPoint } from '../support/intradayFixtures';

function point(k: number, t: string, slot: number, fields: Partial<IntradayPoint> = {}, session = '2025-01-27'): IntradayPoint {
  return intradayPoint(k, t, session, slot, { fromPrevClose: 0.01 * k, ...fields });
}

function member(symbol: string, points: IntradayPoint[], run: [number, number] | null = null): IntradayMemberResult {
  return {
    symbol,
    benchmark: null,
    market: 'US',
    status: 'ok',
    reason: null,
    eventSession: '2025-01-27',
    eventBar: points[0]?.t ?? null,
    eventSlot: 0,
    model: null,
    sigma: [],
    offGrid: 0,
    points,
    significantFrom: run?.[0] ?? null,
    significantThrough: run?.[1] ?? null,
    direction: run ? -1 : null,
    asOf: null,
    notes: [],
  };
}

describe('gappedLine', () => {
  it('puts a null point where a bar is missing, at a lunch break and between sessions; x in minutes', () => {
    const points = [
      point(0, '2025-01-27T02:20:00Z', 28),
      point(1, '2025-01-27T02:25:00Z', 29),
      // lunch: slot 30 is the next slot, an hour later
      point(2, '2025-01-27T03:30:00Z', 30),
      // bar 3 missing
      point(4, '2025-01-27T03:40:00Z', 32),
      // the next session
      point(5, '2025-01-28T00:00:00Z', 0, {}, '2025-01-28'),
    ];
    const line = gappedLine(points, 5, (p) => p.fromPrevClose);
    expect(line.map((p) => [p.x, p.y === null ? null : Math.round(p.y)])).toEqual([
      [0, 0],
      [5, 1],
      [7.5, null],
      [10, 2],
      [17.5, null],
      [20, 4],
      [22.5, null],
      [25, 5],
    ]);
  });
});

describe('the CAR chart', () => {
  const points = [0, 1, 2].map((k) =>
    point(k, `2025-01-27T15:${String(30 + 5 * k).padStart(2, '0')}:00Z`, 12 + k, {
      car: -0.01 - 0.01 * k,
      car0: -0.01 * (k + 1) + 0.002,
      lower: -0.003,
      upper: 0.004,
    }),
  );
  const m = member('AAA', points, [1, 2]);
  const study: IntradayStudyResult = {
    instant: points[0].t,
    options: { ...DEFAULT_INTRADAY_OPTIONS },
    members: [m],
    aggregate: [],
    asOf: null,
  };

  it('moves the band onto the CAR scale by the CAR before the event bar (CAR - CAR0)', () => {
    const band = bandOnCarScale(m, 5)!;
    expect(band.upper.map((p) => p.y)).toEqual([0.004, 0.004, 0.004].map((u) => expect.closeTo((u - 0.002) * 100, 10)));
    expect(band.lower.map((p) => p.y)).toEqual([-0.003, -0.003, -0.003].map((l) => expect.closeTo((l - 0.002) * 100, 10)));
  });

  it('shades the selected member’s band and boxes its run, half a bar either side', () => {
    const config = intradayCarConfig({ study, styles: instrumentStyles(['AAA']), selected: 'AAA' });
    expect(config.data.datasets.map((d) => d.label)).toEqual(['AAA', `AAA ${BAND_LABEL}`, `AAA ${BAND_LABEL} (lower)`]);
    const annotations = config.options!.plugins!.annotation!.annotations as Record<string, { xMin: number; xMax: number }>;
    const run = annotations.significantRun;
    expect([run.xMin, run.xMax]).toEqual([2.5, 12.5]);
    const none = intradayCarConfig({ study, styles: instrumentStyles(['AAA']), selected: null });
    expect(none.data.datasets).toHaveLength(1);
  });
});

it('the abnormal volume bars are the members’ mean per offset, members without a volume left out', () => {
  const a = member('A', [point(0, '2025-01-27T15:30:00Z', 12, { av: 3 }), point(1, '2025-01-27T15:35:00Z', 13, { av: null })]);
  const b = member('B', [point(0, '2025-01-27T15:30:00Z', 12, { av: 1 }), point(1, '2025-01-27T15:35:00Z', 13, { av: 2 })]);
  const study: IntradayStudyResult = {
    instant: '2025-01-27T15:30:00Z',
    options: { ...DEFAULT_INTRADAY_OPTIONS },
    members: [a, b],
    aggregate: [],
    asOf: null,
  };
  expect(groupAbnormalVolume(study).map((p) => [p.x, p.y])).toEqual([
    [0, 2],
    [5, 2],
  ]);
});

it('event time reads in minutes and hours', () => {
  expect([0, 5, -60, 75, 120].map(formatEventMinutes)).toEqual(['0', '+5 min', '-1 h', '+1 h 15 min', '+2 h']);
});

describe('the latest session of 5-minute bars', () => {
  const bars = [
    { ts: '2025-01-27T06:25:00Z', close: 1 },
    { ts: '2025-01-28T00:00:00Z', close: 2 },
    { ts: '2025-01-28T00:05:00Z', close: 3 },
    { ts: '2025-01-28T03:30:00Z', close: 4 },
  ];
  it('is the bars of the latest exchange-local date', () => {
    expect(latestSession(bars, 'Asia/Tokyo')).toEqual({ date: '2025-01-28', bars: bars.slice(1) });
    expect(latestSession([], 'Asia/Tokyo')).toBeNull();
  });
  it('draws the lunch break as a gap', () => {
    expect(sessionLine(bars.slice(1)).map((p) => p.y)).toEqual([2, 3, null, 4]);
  });
});
