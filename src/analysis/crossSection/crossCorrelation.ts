// rbar of Kolari & Pynnonen (2010): the mean Pearson correlation of the firms' estimation residuals,
// each pair over the dates present in both samples (pairwise) or over the dates common to all (listwise).
import type { KpCorr } from './options';

/** A firm's estimation residuals by calendar date. */
export type ResidualsByDate = ReadonlyMap<string, number>;

/** A firm's estimation residuals as parallel arrays, `dates` strictly ascending. */
export interface ResidualSeries {
  dates: readonly string[];
  values: readonly number[];
}

export interface MeanCorrelation {
  rbar: number | null;
  notes: string[];
}

/** Fewest common dates for a correlation to mean anything. */
const MIN_COMMON_DATES = 3;

/**
 * Sum of the firms' residuals on `count` dates, each centred and scaled to unit norm (u_i), so that
 * corr(i, j) = u_i . u_j; firms without spread on those dates are left out (`valid` counts the rest).
 * `at(firm)` gives the positions of those dates in the firm's own series (null: all of them, in order).
 */
function unitVectorSum(
  firms: readonly ResidualSeries[],
  count: number,
  at: (firm: ResidualSeries) => readonly number[] | null,
): { sum: Float64Array; valid: number } {
  const sum = new Float64Array(count);
  const values = new Float64Array(count);
  let valid = 0;
  for (const firm of firms) {
    const positions = at(firm);
    let s = 0;
    for (let k = 0; k < count; k++) {
      const v = firm.values[positions === null ? k : positions[k]];
      values[k] = v;
      s = s + v;
    }
    const m = s / count;
    let squares = 0;
    for (let k = 0; k < count; k++) squares = squares + (values[k] - m) ** 2;
    const norm = Math.sqrt(squares);
    if (!(norm > 0)) continue;
    for (let k = 0; k < count; k++) sum[k] += (values[k] - m) / norm;
    valid++;
  }
  return { sum, valid };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

interface Group {
  dates: readonly string[];
  firms: ResidualSeries[];
}

function sameDates(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** Firms grouped by identical date sets (the firms of one event usually share one), in order of first appearance. */
function groupByDates(firms: readonly ResidualSeries[]): Group[] {
  const groups: Group[] = [];
  const byShape = new Map<string, Group[]>();
  for (const firm of firms) {
    const { dates } = firm;
    const shape = dates.length === 0 ? '' : `${dates.length}|${dates[0]}|${dates[dates.length - 1]}`;
    const candidates = byShape.get(shape);
    const group = candidates?.find((g) => sameDates(g.dates, dates));
    if (group) group.firms.push(firm);
    else {
      const created = { dates, firms: [firm] };
      groups.push(created);
      if (candidates) candidates.push(created);
      else byShape.set(shape, [created]);
    }
  }
  return groups;
}

/** The dates of `a` also in `b` (both ascending), with their positions in each. */
function intersect(a: readonly string[], b: readonly string[]): { dates: string[]; inA: number[]; inB: number[] } {
  const dates: string[] = [];
  const inA: number[] = [];
  const inB: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      dates.push(a[i]);
      inA.push(i++);
      inB.push(j++);
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return { dates, inA, inB };
}

const pairsOf = (n: number) => (n * (n - 1)) / 2;

/**
 * Sum of corr(i, j) over pairs without forming each pair: within a group of firms on the same dates,
 * sum_{i<j} u_i.u_j = (|sum u|^2 - n) / 2; across two groups on their common dates, (sum u).(sum v).
 * That is O(N T) per group pair instead of O(N^2 T).
 */
function sumOfCorrelations(groups: readonly Group[]) {
  let total = 0;
  let pairs = 0;
  let skipped = 0;
  for (let g = 0; g < groups.length; g++) {
    const { dates, firms } = groups[g];
    if (dates.length < MIN_COMMON_DATES) skipped += pairsOf(firms.length);
    else {
      const { sum, valid } = unitVectorSum(firms, dates.length, () => null);
      total += (dot(sum, sum) - valid) / 2;
      pairs += pairsOf(valid);
      skipped += pairsOf(firms.length) - pairsOf(valid);
    }
    for (let h = g + 1; h < groups.length; h++) {
      const common = intersect(dates, groups[h].dates);
      const all = firms.length * groups[h].firms.length;
      if (common.dates.length < MIN_COMMON_DATES) {
        skipped += all;
        continue;
      }
      const u = unitVectorSum(firms, common.dates.length, () => common.inA);
      const v = unitVectorSum(groups[h].firms, common.dates.length, () => common.inB);
      total += dot(u.sum, v.sum);
      pairs += u.valid * v.valid;
      skipped += all - u.valid * v.valid;
    }
  }
  return { total, pairs, skipped };
}

/** rbar over the given firms (N >= 2), pairwise or listwise; each firm's dates strictly ascending. */
export function meanCrossCorrelationOfSeries(firms: readonly ResidualSeries[], kpCorr: KpCorr): MeanCorrelation {
  const n = firms.length;
  if (n < 2) return { rbar: null, notes: [`rbar: N = ${n}, at least 2 firms are needed`] };
  const groups = groupByDates(firms);
  let result: { total: number; pairs: number; skipped: number };
  if (kpCorr === 'listwise') {
    const common = groups.map((g) => g.dates).reduce((a, b) => intersect(a, b).dates);
    if (common.length < MIN_COMMON_DATES) {
      return { rbar: null, notes: [`rbar: only ${common.length} dates are common to all firms`] };
    }
    const positions = new Map<ResidualSeries, number[]>();
    for (const g of groups) {
      const inGroup = intersect(g.dates, common).inA;
      for (const firm of g.firms) positions.set(firm, inGroup);
    }
    const { sum, valid } = unitVectorSum(firms, common.length, (firm) => positions.get(firm)!);
    result = { total: (dot(sum, sum) - valid) / 2, pairs: pairsOf(valid), skipped: pairsOf(n) - pairsOf(valid) };
  } else result = sumOfCorrelations(groups);
  const { total, pairs, skipped } = result;
  const notes = skipped > 0 ? [`rbar: ${skipped} of ${pairsOf(n)} pairs have too few common dates or no spread and are left out`] : [];
  if (pairs === 0) return { rbar: null, notes: [...notes, 'rbar: no pair of firms has a correlation'] };
  return { rbar: total / pairs, notes };
}

/** rbar over the given firms (N >= 2), pairwise or listwise. */
export function meanCrossCorrelation(firms: readonly ResidualsByDate[], kpCorr: KpCorr): MeanCorrelation {
  return meanCrossCorrelationOfSeries(
    firms.map((firm) => {
      const dates = [...firm.keys()].sort();
      return { dates, values: dates.map((d) => firm.get(d)!) };
    }),
    kpCorr,
  );
}
