// Tests that rank each firm's abnormal returns within its own estimation-plus-event sample:
// Corrado (1989) rank test (windows: Cowan 1992) and the Corrado & Zivney (1992) sign test.
import type { RankNorm, RankScale } from './options';
import { averageRanks } from './testStatistics';

/**
 * A firm's rank domain R_i: its estimation residuals and event-window ARs by offset (E u W, each
 * offset once; the gap between E and W is not used).
 */
export type RankDomain = ReadonlyMap<number, number>;

export interface RankTestSeries {
  /** D_t for every offset of E u W where some firm has a value */
  d: ReadonlyMap<number, number>;
  /** S_D = sqrt(mean of D_t^2): divisor T, D_t not re-centred (Corrado's expected value 0) */
  sd: number;
}

/** Per-offset sums over firms, and how many firms contributed. */
function sumByOffset(firms: readonly ReadonlyMap<number, number>[]): Map<number, { sum: number; n: number }> {
  const byOffset = new Map<number, { sum: number; n: number }>();
  for (const firm of firms) {
    for (const [offset, value] of firm) {
      const entry = byOffset.get(offset) ?? { sum: 0, n: 0 };
      entry.sum += value;
      entry.n += 1;
      byOffset.set(offset, entry);
    }
  }
  return byOffset;
}

function rootMeanSquare(values: Iterable<number>): number {
  let sum = 0;
  let count = 0;
  for (const v of values) {
    sum += v * v;
    count++;
  }
  return Math.sqrt(sum / count);
}

/**
 * Corrado's D_t and S_D. U_{i,t} = K_{i,t} / (M_i + 1) - 1/2 (uniform; Corrado & Zivney 1992,
 * Campbell & Wasley 1993) or K_{i,t} - (M_i + 1) / 2 (raw; Corrado 1989 as printed); D_t is the mean
 * of U over the N_t firms with a value at t, or the sum over sqrt(N_t) (sqrtn).
 */
export function rankTestSeries(firms: readonly RankDomain[], rankScale: RankScale, rankNorm: RankNorm): RankTestSeries {
  const scaled = firms.map((domain) => {
    const offsets = [...domain.keys()];
    const ranks = averageRanks(offsets.map((t) => domain.get(t)!));
    const m = offsets.length;
    const u = new Map<number, number>();
    offsets.forEach((t, k) => u.set(t, rankScale === 'uniform' ? ranks[k] / (m + 1) - 0.5 : ranks[k] - (m + 1) / 2));
    return u;
  });
  const d = new Map<number, number>();
  for (const [offset, { sum, n }] of sumByOffset(scaled)) {
    d.set(offset, rankNorm === 'mean' ? sum / n : sum / Math.sqrt(n));
  }
  return { d, sd: rootMeanSquare(d.values()) };
}

/** Corrado (1989) rank z of one day, D_t / S_D; Cowan (1992) for [a,b]: sum D_t / (sqrt(L) S_D). */
export function rankZStat(series: RankTestSeries, from: number, to: number): number | { reason: string } {
  if (!(series.sd > 0)) return { reason: 'S_D is 0' };
  let sum = 0;
  for (let t = from; t <= to; t++) {
    const dt = series.d.get(t);
    if (dt === undefined) return { reason: `no firm has an abnormal return at offset ${t}` };
    sum += dt;
  }
  return sum / (Math.sqrt(to - from + 1) * series.sd);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Corrado & Zivney (1992) sign test, daily only: G_{i,t} = sign(A_{i,t} - median(R_i)),
 * S_G = sqrt((1/T) sum_t (N_t^-1/2 sum_i G_{i,t})^2), z_t = N_t^-1/2 sum_i G_{i,t} / S_G.
 */
export function corradoSignSeries(firms: readonly RankDomain[]): { g: ReadonlyMap<number, number>; sd: number } {
  const signs = firms.map((domain) => {
    const m = median([...domain.values()]);
    return new Map([...domain].map(([t, v]) => [t, Math.sign(v - m)]));
  });
  const g = new Map<number, number>();
  for (const [offset, { sum, n }] of sumByOffset(signs)) g.set(offset, sum / Math.sqrt(n));
  return { g, sd: rootMeanSquare(g.values()) };
}
