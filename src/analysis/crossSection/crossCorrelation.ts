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

/**
 * Sum of the firms' residuals on `dates`, each centred and scaled to unit norm (u_i), so that
 * corr(i, j) = u_i . u_j; firms without spread on those dates are left out (`valid` counts the rest).
 */
function unitVectorSum(firms: readonly ResidualsByDate[], dates: readonly string[]): { sum: Float64Array; valid: number } {
  const sum = new Float64Array(dates.length);
  let valid = 0;
  for (const firm of firms) {
    const values = dates.map((d) => firm.get(d)!);
    const m = values.reduce((s, v) => s + v, 0) / values.length;
    const norm = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0));
    if (!(norm > 0)) continue;
    values.forEach((v, k) => (sum[k] += (v - m) / norm));
    valid++;
  }
  return { sum, valid };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

/** Firms grouped by identical date sets (the firms of one event usually share one). */
function groupByDates(firms: readonly ResidualsByDate[]): { dates: string[]; firms: ResidualsByDate[] }[] {
  const groups = new Map<string, { dates: string[]; firms: ResidualsByDate[] }>();
  for (const firm of firms) {
    const dates = [...firm.keys()].sort();
    const key = dates.join(',');
    const group = groups.get(key) ?? { dates, firms: [] };
    group.firms.push(firm);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function intersect(a: readonly string[], b: readonly string[]): string[] {
  const inB = new Set(b);
  return a.filter((d) => inB.has(d));
}

const pairsOf = (n: number) => (n * (n - 1)) / 2;

/**
 * Sum of corr(i, j) over pairs without forming each pair: within a group of firms on the same dates,
 * sum_{i<j} u_i.u_j = (|sum u|^2 - n) / 2; across two groups on their common dates, (sum u).(sum v).
 * That is O(N T) per group pair instead of O(N^2 T).
 */
function sumOfCorrelations(groups: readonly { dates: string[]; firms: ResidualsByDate[] }[]) {
  let total = 0;
  let pairs = 0;
  let skipped = 0;
  for (let g = 0; g < groups.length; g++) {
    const { dates, firms } = groups[g];
    if (dates.length < MIN_COMMON_DATES) skipped += pairsOf(firms.length);
    else {
      const { sum, valid } = unitVectorSum(firms, dates);
      total += (dot(sum, sum) - valid) / 2;
      pairs += pairsOf(valid);
      skipped += pairsOf(firms.length) - pairsOf(valid);
    }
    for (let h = g + 1; h < groups.length; h++) {
      const common = intersect(dates, groups[h].dates);
      const all = firms.length * groups[h].firms.length;
      if (common.length < MIN_COMMON_DATES) {
        skipped += all;
        continue;
      }
      const u = unitVectorSum(firms, common);
      const v = unitVectorSum(groups[h].firms, common);
      total += dot(u.sum, v.sum);
      pairs += u.valid * v.valid;
      skipped += all - u.valid * v.valid;
    }
  }
  return { total, pairs, skipped };
}

/** rbar over the given firms (N >= 2), pairwise or listwise. */
export function meanCrossCorrelation(firms: readonly ResidualsByDate[], kpCorr: KpCorr): MeanCorrelation {
  const n = firms.length;
  if (n < 2) return { rbar: null, notes: [`rbar: N = ${n}, at least 2 firms are needed`] };
  let groups = groupByDates(firms);
  if (kpCorr === 'listwise') {
    const common = groups.map((g) => g.dates).reduce(intersect);
    if (common.length < MIN_COMMON_DATES) {
      return { rbar: null, notes: [`rbar: only ${common.length} dates are common to all firms`] };
    }
    groups = [{ dates: common, firms: [...firms] }];
  }
  const { total, pairs, skipped } = sumOfCorrelations(groups);
  const notes = skipped > 0 ? [`rbar: ${skipped} of ${pairsOf(n)} pairs have too few common dates or no spread and are left out`] : [];
  if (pairs === 0) return { rbar: null, notes: [...notes, 'rbar: no pair of firms has a correlation'] };
  return { rbar: total / pairs, notes };
}
