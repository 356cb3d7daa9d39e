import { detectMoves } from '../../src/analysis/moves';
import { closesFromReturns, directOls } from './helpers';

// 200 sessions of a deterministic market (x) and an instrument following it with beta 1.2
// plus small residual noise of about 0.0014 std, with four planted days:
//   index 25  +6% idiosyncratic jump, but only 14 estimation days (< 30): move rule only
//   index 30  +3% idiosyncratic: only 19 estimation days, so no z rule -> must NOT be flagged
//   index 150 +2% idiosyncratic: small move, huge z
//   index 180 market falls 6%: big move, but expected given beta (small z)
//   index 190 -7% idiosyncratic on a quiet market day: both rules
const N = 200;
const dates = Array.from({ length: N }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
const marketReturns = Array.from({ length: N - 1 }, (_, j) => 0.01 * Math.sin((j + 1) * 1.3));
marketReturns[180 - 1] = -0.06;
marketReturns[190 - 1] = 0.001;
const shock: Record<number, number> = { 25: 0.06, 30: 0.03, 150: 0.02, 190: -0.07 };
const instrumentReturns = marketReturns.map((x, j) => 0.0005 + 1.2 * x + 0.002 * Math.cos((j + 1) * 2.7) + (shock[j + 1] ?? 0));
const bars = (closes: number[]) => closes.map((close, i) => ({ date: dates[i], close }));
const instrumentBars = bars(closesFromReturns(50, instrumentReturns));
const benchmarkBars = bars(closesFromReturns(3000, marketReturns));

/** z of day i from an OLS over days i-120 .. i-11 (returns are indexed by bar, return j+1 = instrumentReturns[j]). */
function independentZ(i: number): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = Math.max(1, i - 120); k <= i - 11; k++) {
    xs.push(marketReturns[k - 1]);
    ys.push(instrumentReturns[k - 1]);
  }
  const fit = directOls(xs, ys);
  return (instrumentReturns[i - 1] - fit.alpha - fit.beta * marketReturns[i - 1]) / fit.sigma;
}

describe('detectMoves', () => {
  const detected = detectMoves(instrumentBars, benchmarkBars);

  it('precondition: the planted index-30 jump is below 5% but far outside the noise', () => {
    expect(Math.abs(instrumentReturns[29])).toBeLessThan(0.05);
    expect(instrumentReturns[29] - marketReturns[29]).toBeGreaterThan(0.02);
  });

  it('finds exactly the planted days, each by the right rule', () => {
    expect(detected.map((m) => [m.date, m.rule])).toEqual([
      [dates[25], 'move'],
      [dates[150], 'abnormal'],
      [dates[180], 'move'],
      [dates[190], 'both'],
    ]);
  });

  it('z is the abnormal return over the sigma of a rolling [-120,-11] market model', () => {
    for (const i of [150, 180, 190]) {
      const move = detected.find((m) => m.date === dates[i])!;
      expect(move.z).toBeCloseTo(independentZ(i), 6);
      expect(move.return).toBeCloseTo(instrumentReturns[i - 1], 12);
      expect(move.move).toBeCloseTo(instrumentReturns[i - 1], 12);
    }
    expect(Math.abs(detected[2].z!)).toBeLessThan(3);
    expect(detected[1].z!).toBeGreaterThan(3);
  });

  it('with too short an estimation window: market-adjusted abnormal return and no z', () => {
    const early = detected[0];
    expect(early.z).toBeNull();
    expect(early.abnormalReturn).toBeCloseTo(instrumentReturns[24] - marketReturns[24], 12);
  });

  it('without a benchmark only the move rule applies', () => {
    const moves = detectMoves(instrumentBars, null);
    expect(moves.map((m) => [m.date, m.rule, m.abnormalReturn, m.z])).toEqual([
      [dates[25], 'move', null, null],
      [dates[180], 'move', null, null],
      [dates[190], 'move', null, null],
    ]);
  });

  it('thresholds are inclusive and configurable; the move threshold is in percent', () => {
    const series = [
      { date: '2025-01-06', close: 100 },
      { date: '2025-01-07', close: 105 }, // +5% exactly
      { date: '2025-01-08', close: 100.0 }, // -4.76%
      { date: '2025-01-09', close: 95.01 }, // -4.99%
    ];
    expect(detectMoves(series, null).map((m) => m.date)).toEqual(['2025-01-07']);
    expect(detectMoves(series, null, { minMovePct: 4.5 }).map((m) => m.date)).toEqual(['2025-01-07', '2025-01-08', '2025-01-09']);
    expect(detectMoves(instrumentBars, benchmarkBars, { minZ: 100 }).map((m) => m.rule)).toEqual(['move', 'move', 'move']);
  });
});
