// Who is in an intraday study and what of their stored bars it needs: the members (symbols, a group, or the
// event's linked instruments), each one's market and benchmark, and only the span of bars the method reads
// (the estimation sessions before the event session, the window, and the official closes before them), in one
// query of intraday bars and one of daily closes. What crosses to a compute worker is typed-array columns.
import type pg from 'pg';
import { getDailyBarColumns, type BarSeriesRange } from '../bars/dailyBarReads';
import { getIntradayBarColumns, type IntradayBarColumns, type IntradaySpan } from '../bars/intradayBarReads';
import { checkBudget, type BudgetLimits } from '../compute/budget';
import { invalidParameter, notFound, unknownSymbolError } from '../errors/appError';
import { findGroup } from '../groups/groupStore';
import { listInstruments, type InstrumentRow } from '../instruments/instrumentStore';
import { marketForInstrument } from '../marketdata/yahooMarkets';
import { addCalendarDays, calendarDayZero, sessionOn, type MarketCode } from '../markets';
import { getMovesOfEvent } from '../moves/moveStore';
import { findEventBySlug } from '../news/eventStore';
import { intradaySessionRange } from '../analysis';
import type { IntradayInterval, IntradayOptions } from '../analysis/intraday/intradayTypes';
import type { IntradayHow, IntradayQuery } from './intradayParams';

/** The event of an answer: what the dashboard and the CSV name it by (null for an ad hoc instant). */
export interface IntradayEventInfo {
  slug: string;
  title: string;
  /** ISO instant; null for an event known by its date only */
  instant: string | null;
  date: string;
  precision: string;
}

interface IntradayJobMember {
  symbol: string;
  market: MarketCode | null;
  benchmark: string | null;
}

/** One symbol's stored prices: its intraday bars and its official (daily) closes. */
export interface IntradaySeriesColumns extends IntradayBarColumns {
  closeDays: Int32Array;
  dailyClose: Float64Array;
}

/** What a compute worker needs to run an intraday study. */
export interface IntradayJob {
  event: IntradayEventInfo | null;
  /** the instant studied (ms), whether it is a date only, and now (ms) */
  instant: number;
  dateOnly: boolean;
  now: number;
  options: IntradayOptions;
  benchmark: string | null;
  members: IntradayJobMember[];
  series: Map<string, IntradaySeriesColumns>;
  /**
   * The live hub's update: per symbol, the start (ms) of its first bar that differs from the previous
   * computation (absent: unchanged), and that computation's asOf; the worker then writes the stream's `bars`
   * message before the study.
   */
  live?: { changedFrom: Map<string, number>; base: string | null };
  /** a live study's key: the worker keeps what it decoded and read for it, for the next update */
  liveKey?: string;
}

/** A request resolved to its members, spans and budget, before any bar is read. */
export interface ResolvedIntraday {
  event: IntradayEventInfo | null;
  instant: Date;
  dateOnly: boolean;
  how: IntradayHow;
  members: IntradayJobMember[];
  /** the bars to read per symbol (members and benchmarks) */
  spans: Map<string, IntradaySpan & { closesFrom: string; closesTo: string }>;
}

/** The store's name of an interval of the method ('60m' is stored as '1h'). */
export const storedInterval = (interval: IntradayInterval): string => (interval === '60m' ? '1h' : interval);

const MINUTES: Record<IntradayInterval, number> = { '1m': 1, '5m': 5, '15m': 15, '60m': 60 };

/** Trading minutes of a session (breaks excluded). */
function tradingMinutes(code: MarketCode, date: string): number {
  const s = sessionOn(code, date);
  const breaks = s.breaks.reduce((sum, b) => sum + (b.end.getTime() - b.start.getTime()), 0);
  return Math.max(1, (s.close.getTime() - s.open.getTime() - breaks) / 60_000);
}

interface MarketSpan {
  from: Date;
  to: Date;
  closesFrom: string;
  closesTo: string;
  /** sessions the window spans, before and after the event session */
  windowSessions: number;
}

/**
 * The bars one market's members need: the sessions the core reads for this instant (intradaySessionRange: the
 * estimation sessions, with spares for sessions short of bars, before the first session the window touches, to
 * the window's last session), from the first one's open to the last one's close; the official closes from before.
 */
function marketSpan(code: MarketCode, instant: Date, options: IntradayOptions): MarketSpan {
  const range = intradaySessionRange(code, instant.getTime(), options);
  const eventSession = calendarDayZero(code, { instant, dateOnly: false }).date;
  const slots = Math.ceil(tradingMinutes(code, eventSession) / MINUTES[options.interval]);
  return {
    from: sessionOn(code, range.from).open,
    to: sessionOn(code, range.to).close,
    closesFrom: addCalendarDays(range.from, -10),
    closesTo: range.to,
    windowSessions: Math.ceil((options.window[1] - options.window[0] + 1) / slots) + 1,
  };
}

/** The members of the request; an unknown group, symbol or benchmark is a 4xx naming its parameter. */
async function memberSymbols(pool: pg.Pool, q: IntradayQuery, eventId: number | null): Promise<{ symbols: string[]; params: string[] }> {
  const symbols: string[] = [];
  const params: string[] = [];
  if (q.selection.group) {
    const group = await findGroup(pool, q.selection.group);
    if (!group)
      throw notFound(`group: unknown group ${q.selection.group}`, [{ param: 'group', message: `unknown group ${q.selection.group}` }]);
    if (group.symbols.length === 0) throw invalidParameter('group', 'the group has no members');
    symbols.push(...group.symbols);
    params.push('group');
  }
  if (q.selection.symbols) {
    symbols.push(...q.selection.symbols);
    params.push('symbols');
  }
  if (symbols.length === 0) {
    // no symbols nor group: the instruments whose moves are linked to the event
    if (eventId !== null) symbols.push(...(await getMovesOfEvent(pool, eventId)).map((m) => m.symbol));
    if (symbols.length === 0)
      throw invalidParameter(
        'symbols',
        eventId === null
          ? 'name symbols or a group'
          : 'name symbols or a group: the event has no linked moves to take its instruments from',
      );
    params.push('symbols');
  }
  return { symbols: [...new Set(symbols)], params };
}

/** The members, their markets and benchmarks, and the spans to read, checked against `limits` when given. */
export async function resolveIntraday(
  pool: pg.Pool,
  scope: { slug: string | null },
  q: IntradayQuery,
  limits: BudgetLimits | null,
): Promise<ResolvedIntraday> {
  let event: IntradayEventInfo | null = null;
  let eventId: number | null = null;
  let instant: Date;
  let dateOnly = false;
  if (scope.slug !== null) {
    const stored = await findEventBySlug(pool, scope.slug);
    if (!stored) throw notFound(`Unknown event ${scope.slug}`);
    eventId = stored.id;
    instant = stored.occurredAt;
    dateOnly = stored.dateOnly;
    event = {
      slug: stored.slug,
      title: stored.title,
      instant: stored.dateOnly ? null : stored.occurredAt.toISOString(),
      date: stored.occurredAt.toISOString().slice(0, 10),
      precision: stored.precision,
    };
  } else instant = q.at ?? new Date(Number.NaN);

  const { symbols, params } = await memberSymbols(pool, q, eventId);
  const instruments = new Map<string, InstrumentRow>((await listInstruments(pool)).map((i) => [i.symbol, i]));
  const unknown = symbols.filter((s) => !instruments.has(s));
  if (unknown.length > 0) throw unknownSymbolError(unknown, params.includes('symbols') ? 'symbols' : 'group');
  if (q.how.benchmark !== null && !instruments.has(q.how.benchmark)) throw unknownSymbolError([q.how.benchmark], 'benchmark');

  const members = symbols.map((symbol): IntradayJobMember => {
    const instrument = instruments.get(symbol)!;
    return { symbol, market: marketForInstrument(instrument), benchmark: q.how.benchmark ?? instrument.benchmarkSymbol };
  });

  const spans: ResolvedIntraday['spans'] = new Map();
  const byMarket = new Map<MarketCode, MarketSpan>();
  let windowSessions = 1;
  if (!dateOnly) {
    for (const m of members) {
      if (m.market === null) continue;
      let span = byMarket.get(m.market);
      if (!span) byMarket.set(m.market, (span = marketSpan(m.market, instant, q.how.options)));
      windowSessions = Math.max(windowSessions, span.windowSessions);
      for (const symbol of m.benchmark === null ? [m.symbol] : [m.symbol, m.benchmark]) {
        const had = spans.get(symbol);
        spans.set(symbol, {
          symbol,
          from: had && had.from < span.from ? had.from : span.from,
          to: had && had.to > span.to ? had.to : span.to,
          closesFrom: had && had.closesFrom < span.closesFrom ? had.closesFrom : span.closesFrom,
          closesTo: had && had.closesTo > span.closesTo ? had.closesTo : span.closesTo,
        });
      }
    }
  }
  if (limits)
    checkBudget(
      {
        members: members.length,
        memberParams: params,
        membersText: `${members.length} symbols`,
        windowSessions,
        estimationSessions: q.how.options.estimationDays,
        estimationParam: 'estimationDays',
        memberCap: true,
      },
      limits,
    );
  return { event, instant, dateOnly, how: q.how, members, spans };
}

/** Reads the bars of the spans: one query of intraday bars, one of daily closes. */
export async function readIntradaySeries(
  pool: pg.Pool,
  spans: Iterable<IntradaySpan & { closesFrom: string; closesTo: string }>,
  interval: IntradayInterval,
): Promise<Map<string, IntradaySeriesColumns>> {
  const list = [...spans];
  const closeRanges: BarSeriesRange[] = list.map((s) => ({ symbol: s.symbol, from: s.closesFrom, to: s.closesTo }));
  const [bars, closes] = await Promise.all([
    getIntradayBarColumns(pool, list, storedInterval(interval)),
    list.length === 0 ? new Map() : getDailyBarColumns(pool, closeRanges),
  ]);
  const series = new Map<string, IntradaySeriesColumns>();
  for (const { symbol } of list) {
    const b = bars.get(symbol);
    const c = closes.get(symbol);
    series.set(symbol, {
      t: b?.t ?? new Float64Array(0),
      close: b?.close ?? new Float64Array(0),
      volume: b?.volume ?? new Float64Array(0),
      closeDays: c?.days ?? new Int32Array(0),
      dailyClose: c?.close ?? new Float64Array(0),
    });
  }
  return series;
}

/** The job of a resolved request, its bars read now. */
export async function prepareIntradayJob(pool: pg.Pool, resolved: ResolvedIntraday, now: Date): Promise<IntradayJob> {
  return {
    event: resolved.event,
    instant: resolved.instant.getTime(),
    dateOnly: resolved.dateOnly,
    now: now.getTime(),
    options: resolved.how.options,
    benchmark: resolved.how.benchmark,
    members: resolved.members,
    series: await readIntradaySeries(pool, resolved.spans.values(), resolved.how.options.interval),
  };
}

/** The buffers of a job's columns (transferred to the worker, not copied). */
export function intradayTransferList(job: IntradayJob): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const s of job.series.values())
    for (const a of [s.t, s.close, s.volume, s.closeDays, s.dailyClose]) if (a.byteLength > 0) buffers.add(a.buffer as ArrayBuffer);
  return [...buffers];
}
