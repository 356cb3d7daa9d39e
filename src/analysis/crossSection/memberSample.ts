// One member's raw material (methods sections 1-2): its returns, day 0, the pairing with the
// benchmark by bar time (daily bars: calendar date), the estimation sample and the event-window bars.
import { marketBasics, type MarketCode } from '../../markets/exchanges';
import { dayZeroIndex, eventDate, type NewsEvent } from '../dayZero';
import { barReturns, returnsByTime, type BarReturn } from '../returns';
import { barTimes, type Bar } from '../series';
import { isFactorModel, type CrossSectionOptions } from './options';

/** The factor regions of French's library (shared/methods/factors.md §1). */
export type FactorRegion = 'us' | 'europe' | 'developed_ex_us';

/** `us` for US exchanges, `europe` for European ones, `developed_ex_us` for every other market. */
export function factorRegionOf(market: MarketCode): FactorRegion {
  if (market === 'US') return 'us';
  return marketBasics(market).timeZone.startsWith('Europe/') ? 'europe' : 'developed_ex_us';
}

/** One day's factor returns as fractions: RF, and the model's factors in its order (Mkt-RF, SMB, HML, ...). */
export interface FactorDay {
  rf: number;
  x: readonly number[];
}

/** The factors a member's model uses, or why there are none for its region. */
export type MemberFactors =
  | { region: FactorRegion; vintage: string; byDate: ReadonlyMap<string, FactorDay> }
  | { region: FactorRegion | null; reason: string };

/** Another event whose day 0 (± excludeMargin sessions) leaves the member's estimation sample. */
export interface OtherEvent {
  slug: string;
  event: NewsEvent;
}

/** A session taken out of a member's estimation sample, and the events that took it. */
export interface RemovedSession {
  date: string;
  offset: number;
  events: string[];
  reason: string;
}

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
  /** the factor returns of the member's region (factor models only) */
  factors?: MemberFactors | null;
  /** other events whose day-0 sessions leave the estimation sample (excludeEvents), placed on `market`'s sessions */
  otherEvents?: readonly OtherEvent[];
  /** the instrument's market (places otherEvents' day 0; without it, the first bar on or after the event's date) */
  market?: MarketCode | null;
}

/** A bar whose return and benchmark return both exist, at its offset from day 0. */
export interface PairedDay {
  offset: number;
  date: string;
  return: number;
  /** the benchmark's return; for a factor model the factor file's market return Mkt-RF + RF */
  benchmarkReturn: number;
  /** factor models: the day's factors */
  factors?: FactorDay;
}

interface WindowDay {
  offset: number;
  date: string;
  return: number | null;
  benchmarkReturn: number | null;
  /** factor models: the day's factors, null when the file has none that day */
  factors: FactorDay | null;
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
  /** sessions of other events taken out of the estimation sample (excludeEvents) */
  removed: RemovedSession[];
  /** factor models: region and vintage of the factors */
  factors: { region: FactorRegion; vintage: string } | null;
}

export type MemberSampleResult =
  | { ok: true; sample: MemberSample }
  | { ok: false; status: 'no_data' | 'no_benchmark' | 'no_factors'; reason: string; day0: string | null; day0Index?: number };

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

function describeSessionOf(k: number, slug: string, day0: string): string {
  if (k === 0) return `day 0 of ${slug} (${day0})`;
  const n = Math.abs(k);
  return `${n} session${n === 1 ? '' : 's'} ${k < 0 ? 'before' : 'after'} day 0 of ${slug} (${day0})`;
}

/** Bar index -> the other events whose day 0 ± margin covers it, with why (excludeEvents). */
function sessionsOfOtherEvents(
  input: CrossSectionMemberInput,
  dates: readonly string[],
  day0Index: number,
  margin: number,
): Map<number, { events: string[]; reasons: string[] }> {
  const covered = new Map<number, { events: string[]; reasons: string[] }>();
  for (const other of input.otherEvents ?? []) {
    if (other.slug === input.event) continue;
    const j = input.market ? dayZeroIndex(dates, other.event, input.market) : firstBarOnOrAfter(dates, eventDate(other.event));
    if (j === null || j === day0Index) continue;
    for (let i = Math.max(0, j - margin); i <= Math.min(dates.length - 1, j + margin); i++) {
      const entry = covered.get(i) ?? { events: [], reasons: [] };
      if (!entry.events.includes(other.slug)) {
        entry.events.push(other.slug);
        entry.reasons.push(describeSessionOf(i - j, other.slug, dates[j]));
      }
      covered.set(i, entry);
    }
  }
  return covered;
}

/** The factors of a factor-model member, or why it has none. */
function factorsOf(
  input: CrossSectionMemberInput,
): { ok: true; region: FactorRegion; vintage: string; byDate: ReadonlyMap<string, FactorDay> } | { ok: false; reason: string } {
  const f = input.factors;
  if (!f) return { ok: false, reason: `no factor returns are given for ${input.symbol}` };
  if ('reason' in f) return { ok: false, reason: f.reason };
  return { ok: true, ...f };
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
  const factorModel = isFactorModel(options.model);
  let factorDays: ReadonlyMap<string, FactorDay> | null = null;
  let factorSource: MemberSample['factors'] = null;
  if (factorModel) {
    const f = factorsOf(input);
    if (!f.ok) return { ok: false, status: 'no_factors', reason: f.reason, day0, day0Index };
    factorDays = f.byDate;
    factorSource = { region: f.region, vintage: f.vintage };
  }
  const hasBenchmark = benchmarkBars !== null && benchmarkBars.length > 0;
  if (!hasBenchmark && !factorModel) {
    const reason = benchmarkBars === null ? `${symbol} has no benchmark` : `the benchmark of ${symbol} has no daily bars`;
    return { ok: false, status: 'no_benchmark', reason, day0, day0Index };
  }
  const { benchmarkReturns, benchmarkDates, benchmarkByDate } = hasBenchmark
    ? benchmarkSeries(benchmarkBars, options, cache)
    : { benchmarkReturns: [] as BarReturn[], benchmarkDates: [] as string[], benchmarkByDate: new Map<string, number>() };

  const pairAt = (index: number): PairedDay | null => {
    const r = returns[index].return;
    if (r === null) return null;
    if (factorDays !== null) {
      const f = factorDays.get(dates[index]);
      if (f === undefined) return null; // a date without factors drops the pair
      return { offset: index - day0Index, date: dates[index], return: r, benchmarkReturn: f.x[0] + f.rf, factors: f };
    }
    const benchmarkReturn = benchmarkByDate.get(dates[index]);
    if (benchmarkReturn === undefined) return null;
    return { offset: index - day0Index, date: dates[index], return: r, benchmarkReturn };
  };
  const otherSessions = (input.otherEvents?.length ?? 0) > 0 ? sessionsOfOtherEvents(input, dates, day0Index, options.excludeMargin) : null;
  const removed: RemovedSession[] = [];
  const keep = (i: number): boolean => {
    const other = otherSessions?.get(i);
    if (other === undefined) return true;
    removed.push({ date: dates[i], offset: i - day0Index, events: other.events, reason: other.reasons.join('; ') });
    return false;
  };

  // The estimation sample: by offsets, exactly the single-instrument study's sample; or by dates.
  let estimation: PairedDay[];
  let range: readonly [string, string] | null = null;
  if (options.estimationDates !== null) {
    const [from, to] = (range = options.estimationDates);
    estimation = dates.flatMap((d, i) => (d >= from && d <= to && keep(i) ? [pairAt(i)] : [])).filter((p) => p !== null);
  } else {
    const first = Math.max(0, day0Index + options.estimation[0]);
    const last = Math.min(dates.length - 1, day0Index + options.estimation[1]);
    estimation = [];
    if (factorDays === null && otherSessions === null) {
      // exactly estimationWindowPairs (the single-instrument study's sample), with each pair's offset
      for (let i = first; i <= last; i++) {
        const r = returns[i].return;
        const benchmarkReturn = benchmarkByDate.get(dates[i]);
        if (r !== null && benchmarkReturn !== undefined) {
          estimation.push({ offset: i - day0Index, date: dates[i], return: r, benchmarkReturn });
        }
      }
    } else {
      for (let i = first; i <= last; i++) {
        const pair = keep(i) ? pairAt(i) : null;
        if (pair !== null) estimation.push(pair);
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
      factors: factorDays?.get(dates[index]) ?? null,
    });
  }
  return { ok: true, sample: { day0Index, day0, estimation, benchmarkEstimationReturns, window, removed, factors: factorSource } };
}
