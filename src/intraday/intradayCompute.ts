// The intraday study of a job (in a compute worker, or in the CLI's own process): the job's columns turned into
// the core's inputs (src/analysis/intraday; no formula lives here) and its answer with the event it is about.
import { intradayStudy, LiveSessionCache } from '../analysis';
import type { IntradayBarsMessage, IntradayMemberInput, IntradaySeries, IntradayStudyResult } from '../analysis/intraday/intradayTypes';
import type { IntradayEventInfo, IntradayJob, IntradaySeriesColumns } from './intradayInputs';

/** What the API, the CSV, the CLI and the stream answer: the study and the event it is about (null: ad hoc). */
export type IntradayAnswer = { event: IntradayEventInfo | null } & IntradayStudyResult;

const MS_PER_DAY = 86_400_000;

/**
 * ISO strings of bar instants, fast: a study of 500 members reads about a million bars, and toISOString on
 * each costs more than the study. The date part and the time of day are each made once and joined.
 */
function isoFormatter(): (ms: number) => string {
  const days = new Map<number, string>();
  const times = new Map<number, string>();
  return (ms) => {
    const day = Math.floor(ms / MS_PER_DAY);
    const inDay = ms - day * MS_PER_DAY;
    let d = days.get(day);
    if (d === undefined) days.set(day, (d = new Date(day * MS_PER_DAY).toISOString().slice(0, 11)));
    let t = times.get(inDay);
    if (t === undefined) times.set(inDay, (t = new Date(inDay).toISOString().slice(11)));
    return d + t;
  };
}

/** The series of `c`, its bars before `from` those of `had` (the same bars, decoded before). */
function seriesOf(symbol: string, c: IntradaySeriesColumns, iso: (ms: number) => string, had?: IntradaySeries, from = 0): IntradaySeries {
  const bars = new Array(c.t.length);
  for (let i = 0; i < from; i++) bars[i] = had!.bars[i];
  for (let i = from; i < c.t.length; i++) {
    const v = c.volume[i];
    bars[i] = { t: iso(c.t[i]), close: c.close[i], volume: Number.isNaN(v) ? null : v };
  }
  const dailyCloses = new Array(c.closeDays.length);
  for (let i = 0; i < c.closeDays.length; i++)
    dailyCloses[i] = { date: iso(c.closeDays[i] * MS_PER_DAY).slice(0, 10), close: c.dailyClose[i] };
  return { symbol, bars, dailyCloses };
}

/** What a compute worker keeps of a live study between its updates: the columns it decoded, their series, sessions. */
interface LiveState {
  columns: Map<string, IntradaySeriesColumns>;
  decoded: Map<string, IntradaySeries>;
  sessions: LiveSessionCache;
}

/** The live studies this worker computed last (by the hub's key), the most recent last. */
const liveStates = new Map<string, LiveState>();
const LIVE_STATES_KEPT = 2;

function liveStateOf(key: string): LiveState {
  let state = liveStates.get(key);
  if (state) liveStates.delete(key);
  else state = { columns: new Map(), decoded: new Map(), sessions: new LiveSessionCache() };
  liveStates.set(key, state);
  for (const old of liveStates.keys()) if (liveStates.size > LIVE_STATES_KEPT) liveStates.delete(old);
  return state;
}

/** The index of the first bar of `now` that differs from `had` (or is missing); -1: none; NaN: the daily closes differ. */
export function firstDiff(had: IntradaySeriesColumns, now: IntradaySeriesColumns): number {
  if (had.closeDays.length !== now.closeDays.length || had.dailyClose.length !== now.dailyClose.length) return Number.NaN;
  for (let i = 0; i < had.closeDays.length; i++)
    if (had.closeDays[i] !== now.closeDays[i] || !Object.is(had.dailyClose[i], now.dailyClose[i])) return Number.NaN;
  const n = Math.min(had.t.length, now.t.length);
  for (let i = 0; i < n; i++)
    if (had.t[i] !== now.t[i] || !Object.is(had.close[i], now.close[i]) || !Object.is(had.volume[i], now.volume[i])) return i;
  return had.t.length === now.t.length ? -1 : n;
}

/**
 * The core's inputs of a job: each symbol's series decoded once, shared by its members and as a benchmark. A
 * live study's job (`liveKey`) reuses what this worker decoded for it last time: only bars from the first one
 * that differs are decoded, and the live sessions cache is told where each symbol changed.
 */
function intradayInputsOf(job: IntradayJob, live: LiveState | null): IntradayMemberInput[] {
  const iso = isoFormatter();
  const decoded = new Map<string, IntradaySeries>();
  const changed = new Map<string, number>();
  const seriesFor = (symbol: string): IntradaySeries => {
    let s = decoded.get(symbol);
    if (!s) {
      const columns = job.series.get(symbol);
      const hadColumns = live?.columns.get(symbol);
      const had = live?.decoded.get(symbol);
      if (!columns || !hadColumns || !had) {
        s = columns ? seriesOf(symbol, columns, iso) : { symbol, bars: [], dailyCloses: [] };
        changed.set(symbol, Number.NaN); // nothing kept of it is known to hold
        live?.columns.delete(symbol);
        live?.decoded.delete(symbol);
      } else {
        const at = firstDiff(hadColumns, columns);
        if (at < 0) s = had;
        else {
          s = Number.isNaN(at) ? seriesOf(symbol, columns, iso) : seriesOf(symbol, columns, iso, had, at);
          changed.set(
            symbol,
            Number.isNaN(at)
              ? Number.NaN
              : Math.min(hadColumns.t[at] ?? Number.POSITIVE_INFINITY, columns.t[at] ?? Number.POSITIVE_INFINITY),
          );
        }
      }
      if (live && columns) {
        live.columns.set(symbol, columns);
        live.decoded.set(symbol, s);
      }
      decoded.set(symbol, s);
    }
    return s;
  };
  const inputs = job.members.map((m) => ({
    series: seriesFor(m.symbol),
    market: m.market,
    benchmark: m.benchmark === null ? null : seriesFor(m.benchmark),
  }));
  live?.sessions.prepare(job.now, changed);
  return inputs;
}

export function computeIntraday(job: IntradayJob): IntradayAnswer {
  const live = job.liveKey === undefined ? null : liveStateOf(job.liveKey);
  const result = intradayStudy(
    intradayInputsOf(job, live),
    { instant: new Date(job.instant), dateOnly: job.dateOnly, now: new Date(job.now) },
    job.options,
    live?.sessions ?? null,
  );
  // asOf second: the live hub reads it from the head of the JSON without parsing the whole answer
  const { asOf, ...rest } = result;
  return { event: job.event, asOf, ...rest };
}

/** The asOf of an answer's JSON text (computeIntraday puts it right after the event). */
export function asOfOfJson(json: string): string | null {
  const m = /,"asOf":(?:null|"([^"]*)")/.exec(json);
  return m?.[1] ?? null;
}

/**
 * The live stream's `bars` message of an answer computed after new bars: per member the points from the first
 * one whose bar starts at or after the earliest changed bar of the member or its benchmark (`changedFrom`), the
 * aggregate from the earliest such offset. A point before that depends on no changed bar (returns, AR, CAR, the
 * band and AV look back, never ahead; the estimation sessions precede the event session), so the previous
 * study with these points replaced is the new one.
 */
export function barsMessageOf(answer: IntradayAnswer, job: IntradayJob): IntradayBarsMessage {
  const changed = job.live?.changedFrom ?? new Map<string, number>();
  const since = (symbol: string | null) => (symbol === null ? Number.POSITIVE_INFINITY : (changed.get(symbol) ?? Number.POSITIVE_INFINITY));
  let aggregateFrom = Number.POSITIVE_INFINITY;
  const members = answer.members.map((m, i) => {
    const from = Math.min(since(job.members[i].symbol), since(job.members[i].benchmark));
    let first = m.points.length;
    if (Number.isFinite(from)) {
      const iso = new Date(from).toISOString();
      first = m.points.findIndex((p) => p.t >= iso);
      if (first < 0) first = m.points.length;
    }
    const { points, ...rest } = m;
    const fromK = first < points.length ? points[first].k : null;
    if (fromK !== null) aggregateFrom = Math.min(aggregateFrom, fromK);
    return { ...rest, from: fromK, points: points.slice(first) };
  });
  const aFrom = Number.isFinite(aggregateFrom) ? aggregateFrom : null;
  return {
    base: job.live?.base ?? null,
    asOf: answer.asOf,
    members,
    aggregateFrom: aFrom,
    aggregate: aFrom === null ? [] : answer.aggregate.filter((a) => a.k >= aFrom),
  };
}
