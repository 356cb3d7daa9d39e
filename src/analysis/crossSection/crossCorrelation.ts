// rbar of Kolari & Pynnonen (2010): the mean Pearson correlation of the firms' estimation residuals,
// each pair over the dates present in both samples (pairwise) or over the dates common to all (listwise).
import type { KpCorr } from './options';

/** A firm's estimation residuals by calendar date. */
export type ResidualsByDate = ReadonlyMap<string, number>;

export interface MeanCorrelation {
  rbar: number | null;
  notes: string[];
}

/** Fewest common dates for a correlation to mean anything. */
const MIN_COMMON_DATES = 3;

/** Centred values scaled so that the sum of squares is 1, or null without spread. */
function unitCentred(values: readonly number[]): number[] | null {
  const m = values.reduce((s, v) => s + v, 0) / values.length;
  const centred = values.map((v) => v - m);
  const norm = Math.sqrt(centred.reduce((s, v) => s + v * v, 0));
  return norm > 0 ? centred.map((v) => v / norm) : null;
}

function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const a = unitCentred(xs);
  const b = unitCentred(ys);
  if (a === null || b === null) return null;
  return a.reduce((s, v, i) => s + v * b[i], 0);
}

/**
 * Mean correlation over one shared set of dates in O(N T): with unit-norm centred series u_i,
 * sum_{i<j} corr_ij = (|sum u_i|^2 - N) / 2.
 */
function meanOverSharedDates(firms: readonly ResidualsByDate[], dates: readonly string[]): MeanCorrelation {
  const n = firms.length;
  if (dates.length < MIN_COMMON_DATES) {
    return { rbar: null, notes: [`rbar: only ${dates.length} dates common to all firms`] };
  }
  const total = new Array<number>(dates.length).fill(0);
  for (const firm of firms) {
    const unit = unitCentred(dates.map((d) => firm.get(d)!));
    if (unit === null) return { rbar: null, notes: ['rbar: a firm has constant residuals on the common dates'] };
    unit.forEach((v, k) => (total[k] += v));
  }
  const squared = total.reduce((s, v) => s + v * v, 0);
  return { rbar: (squared - n) / (n * (n - 1)), notes: [] };
}

function commonDates(firms: readonly ResidualsByDate[]): string[] {
  const [first, ...rest] = firms;
  return [...first.keys()].filter((d) => rest.every((f) => f.has(d))).sort();
}

/** rbar over the given firms (N >= 2), pairwise or listwise. */
export function meanCrossCorrelation(firms: readonly ResidualsByDate[], kpCorr: KpCorr): MeanCorrelation {
  const n = firms.length;
  if (n < 2) return { rbar: null, notes: [`rbar: N = ${n}, at least 2 firms are needed`] };
  const shared = commonDates(firms);
  const allShareDates = firms.every((f) => f.size === shared.length);
  // Listwise always, and pairwise when every firm has the same dates, reduce to one shared date set.
  if (kpCorr === 'listwise' || allShareDates) return meanOverSharedDates(firms, shared);

  let sum = 0;
  let pairs = 0;
  let skipped = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dates = [...firms[i].keys()].filter((d) => firms[j].has(d));
      const r =
        dates.length < MIN_COMMON_DATES
          ? null
          : pearson(
              dates.map((d) => firms[i].get(d)!),
              dates.map((d) => firms[j].get(d)!),
            );
      if (r === null) skipped++;
      else {
        sum += r;
        pairs++;
      }
    }
  }
  const notes =
    skipped > 0 ? [`rbar: ${skipped} of ${(n * (n - 1)) / 2} pairs have too few common dates or no spread and are left out`] : [];
  return { rbar: pairs > 0 ? sum / pairs : null, notes };
}
