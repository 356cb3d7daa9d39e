// The intraday study of a job (in a compute worker, or in the CLI's own process): the job's columns turned into
// the core's inputs (src/analysis/intraday; no formula lives here) and its answer with the event it is about.
import { intradayStudy } from '../analysis';
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

function seriesOf(symbol: string, c: IntradaySeriesColumns, iso: (ms: number) => string): IntradaySeries {
  const bars = new Array(c.t.length);
  for (let i = 0; i < c.t.length; i++) {
    const v = c.volume[i];
    bars[i] = { t: iso(c.t[i]), close: c.close[i], volume: Number.isNaN(v) ? null : v };
  }
  const dailyCloses = new Array(c.closeDays.length);
  for (let i = 0; i < c.closeDays.length; i++)
    dailyCloses[i] = { date: iso(c.closeDays[i] * MS_PER_DAY).slice(0, 10), close: c.dailyClose[i] };
  return { symbol, bars, dailyCloses };
}

/** The core's inputs of a job: each symbol's series decoded once, shared by its members and as a benchmark. */
function intradayInputsOf(job: IntradayJob): IntradayMemberInput[] {
  const iso = isoFormatter();
  const decoded = new Map<string, IntradaySeries>();
  const seriesFor = (symbol: string): IntradaySeries => {
    let s = decoded.get(symbol);
    if (!s) {
      const columns = job.series.get(symbol);
      s = columns ? seriesOf(symbol, columns, iso) : { symbol, bars: [], dailyCloses: [] };
      decoded.set(symbol, s);
    }
    return s;
  };
  return job.members.map((m) => ({
    series: seriesFor(m.symbol),
    market: m.market,
    benchmark: m.benchmark === null ? null : seriesFor(m.benchmark),
  }));
}

export function computeIntraday(job: IntradayJob): IntradayAnswer {
  const result = intradayStudy(
    intradayInputsOf(job),
    { instant: new Date(job.instant), dateOnly: job.dateOnly, now: new Date(job.now) },
    job.options,
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
