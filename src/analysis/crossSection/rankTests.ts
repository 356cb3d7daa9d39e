// Tests that rank each firm's abnormal returns within its own estimation-plus-event sample:
// Corrado (1989) rank test (windows: Cowan 1992) and the Corrado & Zivney (1992) sign test.
import type { RankNorm, RankScale } from './options';

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

/** A rank domain as parallel arrays, in the order of its map (each offset once). */
export interface RankDomainArrays {
  offsets: readonly number[];
  values: readonly number[];
}

/**
 * Per-offset sums over firms of `valueAt(firm, k)`, how many firms contributed, and the offsets in
 * order of first appearance (the order a map keyed by offset would iterate in).
 */
function sumByOffset(
  firms: readonly RankDomainArrays[],
  valueAt: (firm: number, k: number) => number,
): { order: number[]; sums: Float64Array; counts: Int32Array; low: number } {
  let low = Infinity;
  let high = -Infinity;
  for (const { offsets } of firms) {
    for (const t of offsets) {
      if (t < low) low = t;
      if (t > high) high = t;
    }
  }
  const size = high >= low ? high - low + 1 : 0;
  const sums = new Float64Array(size);
  const counts = new Int32Array(size);
  const order: number[] = [];
  firms.forEach(({ offsets }, f) => {
    for (let k = 0; k < offsets.length; k++) {
      const slot = offsets[k] - low;
      if (counts[slot] === 0) order.push(offsets[k]);
      sums[slot] += valueAt(f, k);
      counts[slot] += 1;
    }
  });
  return { order, sums, counts, low };
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
 * averageRanks (testStatistics) of the values and their median, from one stable sort of the positions
 * with the same comparisons as sorting the values, without a [value, index] pair per value.
 */
function ranksAndMedian(values: readonly number[]): { ranks: number[]; median: number } {
  const n = values.length;
  const order = new Array<number>(n);
  for (let k = 0; k < n; k++) order[k] = k;
  order.sort((a, b) => values[a] - values[b]); // the comparisons of averageRanks and median(), so their order
  const ranks = new Array<number>(n);
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && values[order[end + 1]] === values[order[start]]) end++;
    const rank = (start + end + 2) / 2; // average of ranks start+1 .. end+1
    for (let k = start; k <= end; k++) ranks[order[k]] = rank;
    start = end + 1;
  }
  const mid = n >> 1;
  const at = (k: number) => values[order[k]];
  return { ranks, median: n % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2 };
}

/** Corrado's D_t and S_D and the Corrado-Zivney sign series, over domains as arrays. */
export function rankAndSignSeries(
  firms: readonly RankDomainArrays[],
  rankScale: RankScale,
  rankNorm: RankNorm,
): { rank: RankTestSeries; sign: { g: ReadonlyMap<number, number>; sd: number } } {
  const scaled: Float64Array[] = [];
  const signs: Float64Array[] = [];
  for (const { values } of firms) {
    const { ranks, median: m } = ranksAndMedian(values);
    const M = values.length;
    const u = new Float64Array(M);
    const g = new Float64Array(M);
    for (let k = 0; k < M; k++) {
      u[k] = rankScale === 'uniform' ? ranks[k] / (M + 1) - 0.5 : ranks[k] - (M + 1) / 2;
      g[k] = Math.sign(values[k] - m);
    }
    scaled.push(u);
    signs.push(g);
  }
  const d = new Map<number, number>();
  const ranked = sumByOffset(firms, (f, k) => scaled[f][k]);
  for (const offset of ranked.order) {
    const sum = ranked.sums[offset - ranked.low];
    const n = ranked.counts[offset - ranked.low];
    d.set(offset, rankNorm === 'mean' ? sum / n : sum / Math.sqrt(n));
  }
  const g = new Map<number, number>();
  const signed = sumByOffset(firms, (f, k) => signs[f][k]);
  for (const offset of signed.order) {
    g.set(offset, signed.sums[offset - signed.low] / Math.sqrt(signed.counts[offset - signed.low]));
  }
  return { rank: { d, sd: rootMeanSquare(d.values()) }, sign: { g, sd: rootMeanSquare(g.values()) } };
}

const arraysOf = (domain: RankDomain): RankDomainArrays => ({ offsets: [...domain.keys()], values: [...domain.values()] });

/**
 * Corrado's D_t and S_D. U_{i,t} = K_{i,t} / (M_i + 1) - 1/2 (uniform; Corrado & Zivney 1992,
 * Campbell & Wasley 1993) or K_{i,t} - (M_i + 1) / 2 (raw; Corrado 1989 as printed); D_t is the mean
 * of U over the N_t firms with a value at t, or the sum over sqrt(N_t) (sqrtn).
 */
export function rankTestSeries(firms: readonly RankDomain[], rankScale: RankScale, rankNorm: RankNorm): RankTestSeries {
  return rankAndSignSeries(firms.map(arraysOf), rankScale, rankNorm).rank;
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

/**
 * Corrado & Zivney (1992) sign test, daily only: G_{i,t} = sign(A_{i,t} - median(R_i)),
 * S_G = sqrt((1/T) sum_t (N_t^-1/2 sum_i G_{i,t})^2), z_t = N_t^-1/2 sum_i G_{i,t} / S_G.
 */
export function corradoSignSeries(firms: readonly RankDomain[]): { g: ReadonlyMap<number, number>; sd: number } {
  return rankAndSignSeries(firms.map(arraysOf), 'uniform', 'mean').sign;
}
