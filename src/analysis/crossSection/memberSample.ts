// One member's raw material (methods sections 1-2): its returns, day 0, the pairing with the
// benchmark by bar time (daily bars: calendar date), the estimation sample and the event-window bars.
import type { MarketCode } from '../../markets/exchanges';
import { dayZeroIndex, type NewsEvent } from '../dayZero';
import { barReturns, returnsByTime, type BarReturn } from '../returns';
import { barTimes, type Bar } from '../series';
import type { CrossSectionOptions } from './options';

/**
 * How a member's day 0 is given: a bar index, a date (first bar on or after it), or a news event (`barMinutes`
 * for intraday bars, see dayZeroIndex).
 */
type MemberDayZero = { index: number } | { date: string } | { event: NewsEvent; exchangeCode: MarketCode; barMinutes?: number };

export interface CrossSectionMemberInput {
  symbol: string;
  /** slug of the member's event, echoed in the output; null for a member given by a date */
  event?: string | null;
  /** optional label: one extra aggregate per label */
  subgroup?: string | null;
  dayZero: MemberDayZero;
  /** the instrument's bars (daily or intraday), ascending by time */
  bars: readonly Bar[];
  /** the benchmark's bars of the same kind, ascending; null when the instrument has none */
  benchmarkBars: readonly Bar[] | null;
}

/** A bar whose return and benchmark return both exist, at its offset from day 0. */
export interface PairedDay {
  offset: number;
  date: string;
  return: number;
  benchmarkReturn: number;
}

interface WindowDay {
  offset: number;
  date: string;
  return: number | null;
  benchmarkReturn: number | null;
}

interface MemberSample {
  day0Index: number;
  day0: string;
  /** the L1 pairs of the estimation sample, ascending */
  estimation: PairedDay[];
  /** every benchmark return dated inside the estimation range (feMoments=benchmark) */
  benchmarkEstimationReturns: number[];
  /** offsets of the event window that have a bar, ascending */
  window: WindowDay[];
}

export type MemberSampleResult =
  | { ok: true; sample: MemberSample }
  | { ok: false; status: 'no_data' | 'no_benchmark'; reason: string; day0: string | null };

function firstBarOnOrAfter(dates: readonly string[], date: string): number | null {
  const index = dates.findIndex((d) => d >= date);
  return index < 0 ? null : index;
}

function resolveDayZero(input: CrossSectionMemberInput, dates: readonly string[]): number | null {
  const given = input.dayZero;
  if ('index' in given) {
    if (!Number.isInteger(given.index) || given.index < 0 || given.index >= dates.length) return null;
    return given.index;
  }
  if ('date' in given) return firstBarOnOrAfter(dates, given.date);
  return dayZeroIndex(dates, given.event, given.exchangeCode, given.barMinutes);
}

function describeDayZero(given: MemberDayZero): string {
  if ('index' in given) return `bar index ${given.index}`;
  if ('date' in given) return `a bar on or after ${given.date}`;
  return `a session after the event (${given.event.instant.toISOString()})`;
}

/** Benchmark returns by bar array: the members of a study mostly share a handful of benchmarks. */
export type BenchmarkCache = WeakMap<readonly Bar[], BenchmarkSeries>;

interface BenchmarkSeries {
  benchmarkReturns: BarReturn[];
  /** the bars' times, ascending */
  dates: string[];
  /** built on first use as a benchmark (an instrument's own bars never need it) */
  byDate: Map<string, number> | null;
}

/** Returns and dates of a bar array, once per study for bars shared by several members or as a benchmark. */
function barSeries(bars: readonly Bar[], options: CrossSectionOptions, cache?: BenchmarkCache): BenchmarkSeries {
  const cached = cache?.get(bars);
  if (cached) return cached;
  const benchmarkReturns = barReturns(bars, options.returns); // also checks the time order
  const series: BenchmarkSeries = { benchmarkReturns, dates: barTimes(bars), byDate: null };
  cache?.set(bars, series);
  return series;
}

function benchmarkSeries(bars: readonly Bar[], options: CrossSectionOptions, cache?: BenchmarkCache) {
  const series = barSeries(bars, options, cache);
  series.byDate ??= returnsByTime(series.benchmarkReturns);
  return { benchmarkReturns: series.benchmarkReturns, benchmarkDates: series.dates, benchmarkByDate: series.byDate };
}

/** First index of ascending `dates` whose date is >= `date` (dates.length when none). */
export function lowerBound(dates: readonly string[], date: string): number {
  let low = 0;
  let high = dates.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (dates[mid] < date) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Day 0, pairing and samples of one member, or why there are none. `cache` (one per study, as
 * the return kind is fixed within it) saves recomputing a shared benchmark's returns.
 */
export function memberSample(input: CrossSectionMemberInput, options: CrossSectionOptions, cache?: BenchmarkCache): MemberSampleResult {
  const { symbol, bars, benchmarkBars } = input;
  const { benchmarkReturns: returns, dates } = barSeries(bars, options, cache); // also checks the date order
  if (bars.length === 0) return { ok: false, status: 'no_data', reason: `${symbol} has no daily bars`, day0: null };
  const day0Index = resolveDayZero(input, dates);
  if (day0Index === null) {
    const reason = `${symbol} has no ${describeDayZero(input.dayZero)} in its bars (${dates[0]} to ${dates[dates.length - 1]})`;
    return { ok: false, status: 'no_data', reason, day0: null };
  }
  const day0 = dates[day0Index];
  if (benchmarkBars === null || benchmarkBars.length === 0) {
    const reason = benchmarkBars === null ? `${symbol} has no benchmark` : `the benchmark of ${symbol} has no daily bars`;
    return { ok: false, status: 'no_benchmark', reason, day0 };
  }
  const { benchmarkReturns, benchmarkDates, benchmarkByDate } = benchmarkSeries(benchmarkBars, options, cache);

  const pairAt = (index: number): PairedDay | null => {
    const r = returns[index].return;
    const benchmarkReturn = benchmarkByDate.get(dates[index]);
    if (r === null || benchmarkReturn === undefined) return null;
    return { offset: index - day0Index, date: dates[index], return: r, benchmarkReturn };
  };

  // The estimation sample: by offsets, exactly the single-instrument study's sample; or by dates.
  let estimation: PairedDay[];
  let range: readonly [string, string] | null = null;
  if (options.estimationDates !== null) {
    const [from, to] = (range = options.estimationDates);
    estimation = dates.flatMap((d, i) => (d >= from && d <= to ? [pairAt(i)] : [])).filter((p) => p !== null);
  } else {
    const first = Math.max(0, day0Index + options.estimation[0]);
    const last = Math.min(dates.length - 1, day0Index + options.estimation[1]);
    // exactly estimationWindowPairs (the single-instrument study's sample), with each pair's offset
    estimation = [];
    for (let i = first; i <= last; i++) {
      const r = returns[i].return;
      const benchmarkReturn = benchmarkByDate.get(dates[i]);
      if (r !== null && benchmarkReturn !== undefined) {
        estimation.push({ offset: i - day0Index, date: dates[i], return: r, benchmarkReturn });
      }
    }
    if (first <= last) range = [dates[first], dates[last]];
  }
  const benchmarkEstimationReturns: number[] = [];
  if (range !== null) {
    // the benchmark's dates ascend: only the bars dated inside the range are visited
    for (let i = lowerBound(benchmarkDates, range[0]); i < benchmarkReturns.length && benchmarkDates[i] <= range[1]; i++) {
      const r = benchmarkReturns[i].return;
      if (r !== null) benchmarkEstimationReturns.push(r);
    }
  }

  const window: WindowDay[] = [];
  for (let offset = options.window[0]; offset <= options.window[1]; offset++) {
    const index = day0Index + offset;
    if (index < 0 || index >= dates.length) continue;
    // A day has an abnormal return only where both returns exist (paired by calendar date).
    window.push({
      offset,
      date: dates[index],
      return: returns[index].return,
      benchmarkReturn: benchmarkByDate.get(dates[index]) ?? null,
    });
  }
  return { ok: true, sample: { day0Index, day0, estimation, benchmarkEstimationReturns, window } };
}
