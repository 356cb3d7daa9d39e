// Who is in a study: `symbols`/`group` crossed with `events` (slugs or kind:KIND) or `dates`, or members listed
// one by one, turned into the engine's inputs from the stored bars of each instrument and its benchmark.
import type pg from 'pg';
import { getDailyBarColumns, type BarSeriesRange } from '../bars/dailyBarReads';
import { barsOfColumns, type BarColumns } from '../compute/barColumns';
import { listEvents, type StoredEventRow } from '../news/eventStore';
import { findGroup } from '../groups/groupStore';
import { AppError, invalidParameter, notFound, unknownSymbolError } from '../errors/appError';
import { listInstruments, type InstrumentRow } from '../instruments/instrumentStore';
import { addCalendarDays } from '../markets';
import { marketForInstrument } from '../marketdata/yahooMarkets';
import {
  factorRegionOf,
  isFactorModel,
  resolveCrossSectionOptions,
  type CrossSectionMemberInput,
  type CrossSectionOptions,
  type DailyBar,
  type FactorRegion,
  type MemberFactors,
  type OtherEvent,
} from '../analysis';
import { loadRegionFactors, memberFactorsOf, type RegionFactors } from '../factors/studyFactors';
import { linkedEventIdsOfSymbols } from '../moves/moveStore';

/** One member as a request names it: an instrument with an event or a date. */
export interface MemberSpec {
  symbol: string;
  event: string | null;
  date: string | null;
  subgroup: string | null;
  /** benchmark of this member instead of the study's or the instrument's */
  benchmark: string | null;
}

export interface StudySelection {
  group?: string | null;
  symbols?: readonly string[] | null;
  events?: readonly string[] | null;
  dates?: readonly string[] | null;
  members?: readonly MemberSpec[] | null;
}

/** Members beyond this many are refused whatever the configuration; STUDY_MAX_MEMBERS (src/compute/budget.ts) is the usual cap. */
export const MAX_MEMBERS = 20_000;

const invalid = (param: string, message: string) => invalidParameter(param, message);
const unknownIn = (param: string, message: string) => notFound(`${param}: ${message}`, [{ param, message }]);

function eventsOf(tokens: readonly string[], events: readonly StoredEventRow[], param: string): StoredEventRow[] {
  const bySlug = new Map(events.map((e) => [e.slug, e]));
  const chosen = new Map<string, StoredEventRow>();
  for (const token of tokens) {
    if (token.startsWith('kind:')) {
      const kind = token.slice(5);
      const ofKind = events.filter((e) => e.kind === kind);
      if (ofKind.length === 0) throw unknownIn(param, `no event of kind ${kind}`);
      for (const e of ofKind) chosen.set(e.slug, e);
    } else {
      const event = bySlug.get(token);
      if (!event) throw unknownIn(param, `unknown event ${token}`);
      chosen.set(event.slug, event);
    }
  }
  return [...chosen.values()];
}

export interface ResolvedMembers {
  specs: MemberSpec[];
  events: Map<string, StoredEventRow>;
  /** the parameters the members came from, as the request named them (for the budget's 400) */
  memberParams: string[];
  /** how they were counted: "40 symbols x 200 dates" */
  membersText: string;
}

/** The parameters of a selection that name members, and how many members each way gives. */
function memberCount(selection: StudySelection, symbols: number, events: number, dates: number) {
  const params = (['group', 'symbols', 'events', 'dates', 'members'] as const).filter((k) => {
    const v = selection[k];
    return typeof v === 'string' ? v.length > 0 : (v?.length ?? 0) > 0;
  });
  const listed = selection.members?.length ?? 0;
  const crossed = symbols * (events + dates);
  const parts: string[] = [];
  if (crossed > 0) {
    const across = [events > 0 ? `${events} events` : null, dates > 0 ? `${dates} dates` : null].filter(Boolean).join(' + ');
    parts.push(`${symbols} symbols x ${events > 0 && dates > 0 ? `(${across})` : across}`);
  }
  if (listed > 0) parts.push(`${listed} listed members`);
  return { params, total: crossed + listed, text: parts.join(' + ') };
}

/** Expands the selection into members; a 400 names the parameter that is wrong. */
export async function expandSelection(pool: pg.Pool, selection: StudySelection): Promise<ResolvedMembers> {
  const allEvents = await listEvents(pool);
  const eventBySlug = new Map(allEvents.map((e) => [e.slug, e]));
  const symbols: string[] = [];
  if (selection.group) {
    const group = await findGroup(pool, selection.group);
    if (!group) throw unknownIn('group', `unknown group ${selection.group}`);
    symbols.push(...group.symbols);
  }
  symbols.push(...(selection.symbols ?? []));
  const uniqueSymbols = [...new Set(symbols)];
  const events = selection.events ? eventsOf(selection.events, allEvents, 'events') : [];
  const dates = selection.dates ?? [];

  const count = memberCount(selection, uniqueSymbols.length, events.length, dates.length);
  if (count.total > MAX_MEMBERS) {
    const message = `${count.total} members (${count.text}) is more than ${MAX_MEMBERS}`;
    throw new AppError(
      400,
      'invalid_parameter',
      `Invalid query parameter: ${count.params.join(', ')}: ${message}`,
      count.params.map((param) => ({ param, message })),
    );
  }
  const specs: MemberSpec[] = [];
  if (uniqueSymbols.length > 0 || events.length > 0 || dates.length > 0) {
    if (uniqueSymbols.length === 0)
      throw invalid(selection.group ? 'group' : 'symbols', selection.group ? 'the group has no members' : 'name symbols or a group');
    if (events.length === 0 && dates.length === 0) throw invalid('events', 'name events (or dates) to cross the instruments with');
    for (const e of events)
      for (const symbol of uniqueSymbols) specs.push({ symbol, event: e.slug, date: null, subgroup: null, benchmark: null });
    for (const date of dates)
      for (const symbol of uniqueSymbols) specs.push({ symbol, event: null, date, subgroup: null, benchmark: null });
  }
  (selection.members ?? []).forEach((m, k) => {
    if (m.event !== null && !eventBySlug.has(m.event)) throw unknownIn(`members.${k}.event`, `unknown event ${m.event}`);
    specs.push(m);
  });
  if (specs.length === 0) throw invalid('events', 'a study needs members: events with symbols or a group, or listed members');
  const used = new Set(specs.map((s) => s.event));
  return {
    specs,
    events: new Map([...eventBySlug].filter(([slug]) => used.has(slug))),
    memberParams: count.params,
    membersText: count.text,
  };
}

/**
 * Calendar days that surely hold `sessions` trading sessions of any exchange (at most 5 a week, and no market
 * closes more than a few weeks a year besides weekends), plus one more bar for the first return.
 */
function calendarDaysFor(sessions: number): number {
  return Math.ceil(1.6 * (sessions + 1)) + 30;
}

type Span = { from: string | null; to: string | null };

/**
 * The dates of bars a member can use: from before its earliest offset to after its latest one. The options are
 * resolved once and each anchor date's span made once (10,000 members share a few hundred anchors).
 */
function spansOf(events: ResolvedMembers['events'], how: { options: Partial<CrossSectionOptions> } | null): (spec: MemberSpec) => Span {
  const all: Span = { from: null, to: null };
  if (how === null) return () => all;
  // the study's own defaults fill what was not asked for (resolveCrossSectionOptions: the one place they live)
  const { window, estimation, estimationDates, cars } = resolveCrossSectionOptions(how.options);
  const earliest = Math.min(0, window[0], ...(estimationDates ? [] : [estimation[0]]), ...cars.map((c) => c[0]));
  const latest = Math.max(0, window[1], ...cars.map((c) => c[1]));
  const byAnchor = new Map<string, Span>();
  return (spec) => {
    const anchor = spec.event === null ? spec.date : events.get(spec.event)?.occurredAt.toISOString().slice(0, 10);
    if (!anchor) return all;
    let span = byAnchor.get(anchor);
    if (!span) {
      let from = addCalendarDays(anchor, -calendarDaysFor(-earliest));
      if (estimationDates && addCalendarDays(estimationDates[0], -30) < from) from = addCalendarDays(estimationDates[0], -30);
      let to = addCalendarDays(anchor, calendarDaysFor(latest));
      if (estimationDates && estimationDates[1] > to) to = estimationDates[1];
      byAnchor.set(anchor, (span = { from, to }));
    }
    return span;
  };
}

function widen(spans: Map<string, Span>, symbol: string, span: Span): void {
  const had = spans.get(symbol);
  if (!had) {
    spans.set(symbol, { ...span });
    return;
  }
  // ISO dates compare as text
  had.from = had.from === null || span.from === null ? null : span.from < had.from ? span.from : had.from;
  had.to = had.to === null || span.to === null ? null : span.to > had.to ? span.to : had.to;
}

/** What to read: only the bars around each member's day 0 (the union over a symbol's members, benchmarks included). */
export function barRanges(
  resolved: ResolvedMembers,
  benchmarks: readonly (string | null)[],
  how: { options: Partial<CrossSectionOptions> } | null,
): BarSeriesRange[] {
  const spans = new Map<string, Span>();
  const spanOf = spansOf(resolved.events, how);
  resolved.specs.forEach((spec, k) => {
    const span = spanOf(spec);
    widen(spans, spec.symbol, span);
    const benchmark = benchmarks[k];
    if (benchmark !== null) widen(spans, benchmark, span);
  });
  return [...spans].map(([symbol, { from, to }]) => ({ symbol, from, to }));
}

/**
 * The members' instruments and the benchmark each is measured against; an unknown symbol or benchmark is a 400
 * naming it. No bars are read: this is all that saving a study checks.
 */
export async function checkStudyMembers(
  pool: pg.Pool,
  resolved: ResolvedMembers,
  benchmarkOverride: string | null,
): Promise<{ bySymbol: Map<string, InstrumentRow>; benchmarks: (string | null)[] }> {
  const instruments = await listInstruments(pool);
  const bySymbol = new Map<string, InstrumentRow>(instruments.map((i) => [i.symbol, i]));
  const unknown = [...new Set(resolved.specs.map((s) => s.symbol).filter((s) => !bySymbol.has(s)))];
  if (unknown.length > 0) throw unknownSymbolError(unknown, 'symbols');
  if (benchmarkOverride !== null && !bySymbol.has(benchmarkOverride)) throw unknownSymbolError([benchmarkOverride], 'benchmark');
  const badBenchmark = resolved.specs.find((s) => s.benchmark !== null && !bySymbol.has(s.benchmark));
  if (badBenchmark) throw unknownSymbolError([String(badBenchmark.benchmark)], 'benchmark');
  const benchmarks = resolved.specs.map((s) => s.benchmark ?? benchmarkOverride ?? bySymbol.get(s.symbol)!.benchmarkSymbol);
  return { bySymbol, benchmarks };
}

/** One member as the engine takes it, bars and factors apart (they are shared by symbol and by region). */
type StudyJobMember = Omit<CrossSectionMemberInput, 'bars' | 'benchmarkBars' | 'factors'> & {
  benchmark: string | null;
  /** factor models: the member's factor region, or why it has none */
  factorRegion: FactorRegion | { reason: string } | null;
};

/** What a compute worker needs to run a study: the members, and the bars of every symbol as typed-array columns. */
export interface StudyJob {
  members: StudyJobMember[];
  bars: Map<string, BarColumns>;
  /** members whose exchange Aftershock does not know (index into members -> why) */
  unplaceable: Map<number, string>;
  /** factor models: the factors of each region the members need */
  factors: RegionFactors[];
}

/** The other events each member's estimation sample leaves out (excludeEvents), by member index. */
async function otherEventsOf(
  pool: pg.Pool,
  resolved: ResolvedMembers,
  excludeEvents: CrossSectionOptions['excludeEvents'],
): Promise<(spec: MemberSpec) => OtherEvent[]> {
  if (excludeEvents === 'none') return () => [];
  const all = await listEvents(pool);
  const asOther = (e: StoredEventRow): OtherEvent => ({ slug: e.slug, event: { instant: e.occurredAt, dateOnly: e.dateOnly } });
  if (excludeEvents !== 'same') {
    const kind = excludeEvents.startsWith('kind:') ? excludeEvents.slice(5) : null;
    const chosen = all.filter((e) => kind === null || e.kind === kind).map(asOther);
    return () => chosen;
  }
  // same: the other events of the study for this instrument, and those linked to its stored moves
  const byId = new Map(all.map((e) => [e.id, e]));
  const linked = await linkedEventIdsOfSymbols(pool, [...new Set(resolved.specs.map((s) => s.symbol))]);
  const ofSymbol = new Map<string, Map<string, OtherEvent>>();
  const add = (symbol: string, e: StoredEventRow | undefined) => {
    if (!e) return;
    const events = ofSymbol.get(symbol) ?? new Map<string, OtherEvent>();
    events.set(e.slug, asOther(e));
    ofSymbol.set(symbol, events);
  };
  for (const spec of resolved.specs) if (spec.event !== null) add(spec.symbol, resolved.events.get(spec.event));
  for (const [symbol, ids] of linked) for (const id of ids) add(symbol, byId.get(id));
  return (spec) => [...(ofSymbol.get(spec.symbol)?.values() ?? [])];
}

/** The span of dates a study's bars cover (factors are read over it). */
function spanOfRanges(ranges: readonly BarSeriesRange[]): { from: string; to: string } {
  let from = '2100-12-31';
  let to = '1900-01-01';
  for (const r of ranges) {
    from = r.from == null ? '1900-01-01' : r.from < from ? r.from : from;
    to = r.to == null ? '2100-12-31' : r.to > to ? r.to : to;
  }
  return { from, to };
}

/** Reads the bars of every member and benchmark in one query (only after the budget is checked). */
export async function prepareStudyJob(
  pool: pg.Pool,
  resolved: ResolvedMembers,
  benchmarkOverride: string | null,
  how: { options: Partial<CrossSectionOptions> } | null = null,
): Promise<StudyJob> {
  const { bySymbol, benchmarks } = await checkStudyMembers(pool, resolved, benchmarkOverride);
  const options = resolveCrossSectionOptions(how?.options ?? {});
  const ranges = barRanges(resolved, benchmarks, how);
  const bars = await getDailyBarColumns(pool, ranges);
  const otherEvents = await otherEventsOf(pool, resolved, options.excludeEvents);
  const factorModel = isFactorModel(options.model);

  const unplaceable = new Map<number, string>();
  const members = resolved.specs.map((spec, k): StudyJobMember => {
    const instrument = bySymbol.get(spec.symbol)!;
    const exchangeCode = marketForInstrument(instrument);
    const factorRegion = !factorModel
      ? null
      : exchangeCode === null
        ? { reason: `${spec.symbol} trades on ${instrument.exchange}, a market Aftershock does not know, so its factor region is unknown` }
        : factorRegionOf(exchangeCode);
    const base = {
      symbol: spec.symbol,
      event: spec.event,
      subgroup: spec.subgroup,
      benchmark: benchmarks[k],
      factorRegion,
      market: exchangeCode,
      otherEvents: otherEvents(spec),
    };
    if (spec.event === null) return { ...base, dayZero: { date: spec.date ?? '' } };
    const event = resolved.events.get(spec.event)!;
    if (exchangeCode === null) {
      unplaceable.set(
        k,
        `${spec.symbol} trades on ${instrument.exchange} (${instrument.timeZone}), whose sessions Aftershock does not know, so day 0 cannot be placed`,
      );
      return { ...base, dayZero: { index: 0 } };
    }
    return { ...base, dayZero: { event: { instant: event.occurredAt, dateOnly: event.dateOnly }, exchangeCode } };
  });
  const regions = members.flatMap((m) => (typeof m.factorRegion === 'string' ? [m.factorRegion] : []));
  const { from, to } = spanOfRanges(ranges);
  const factors = await loadRegionFactors(pool, options.model, regions, from, to);
  return { members, bars, unplaceable, factors };
}

/** The engine's inputs of a job: each symbol's bars decoded once and shared by its members (and as a benchmark). */
export function studyInputsOf(job: StudyJob): CrossSectionMemberInput[] {
  const decoded = new Map<string, DailyBar[]>();
  const barsOf = (symbol: string) => {
    let bars = decoded.get(symbol);
    if (!bars) decoded.set(symbol, (bars = job.bars.has(symbol) ? barsOfColumns(job.bars.get(symbol)!) : []));
    return bars;
  };
  const factorsOf = new Map<FactorRegion, MemberFactors>(job.factors.map((f) => [f.region, memberFactorsOf(f)]));
  return job.members.map(({ benchmark, factorRegion, ...member }, k) => ({
    ...member,
    bars: job.unplaceable.has(k) ? [] : barsOf(member.symbol),
    benchmarkBars: benchmark === null ? null : barsOf(benchmark),
    factors:
      factorRegion === null
        ? null
        : typeof factorRegion === 'string'
          ? (factorsOf.get(factorRegion) ?? null)
          : { region: null, reason: factorRegion.reason },
  }));
}
