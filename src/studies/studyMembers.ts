// Who is in a study: `symbols`/`group` crossed with `events` (slugs or kind:KIND) or `dates`, or members listed
// one by one, turned into the engine's inputs from the stored bars of each instrument and its benchmark.
import type pg from 'pg';
import type { CrossSectionMemberInput } from '../analysis';
import { getDailyBarSeries } from '../bars/barStore';
import { listEvents, type StoredEventRow } from '../events/eventStore';
import { findGroup } from '../groups/groupStore';
import { badRequest } from '../http/errors';
import { listInstruments, type InstrumentRow } from '../instruments/instrumentStore';
import { exchangeForInstrument } from '../markets';

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

/** Members beyond this many are refused (the 5,000-member bench is well inside). */
export const MAX_MEMBERS = 20_000;

const invalid = (param: string, message: string) => badRequest(`Invalid query parameter: ${param}: ${message}`, [{ param, message }]);

function eventsOf(tokens: readonly string[], events: readonly StoredEventRow[], param: string): StoredEventRow[] {
  const bySlug = new Map(events.map((e) => [e.slug, e]));
  const chosen = new Map<string, StoredEventRow>();
  for (const token of tokens) {
    if (token.startsWith('kind:')) {
      const kind = token.slice(5);
      const ofKind = events.filter((e) => e.kind === kind);
      if (ofKind.length === 0) throw invalid(param, `no event of kind ${kind}`);
      for (const e of ofKind) chosen.set(e.slug, e);
    } else {
      const event = bySlug.get(token);
      if (!event) throw invalid(param, `unknown event ${token}`);
      chosen.set(event.slug, event);
    }
  }
  return [...chosen.values()];
}

export interface ResolvedMembers {
  specs: MemberSpec[];
  events: Map<string, StoredEventRow>;
}

/** Expands the selection into members; a 400 names the parameter that is wrong. */
export async function expandSelection(pool: pg.Pool, selection: StudySelection): Promise<ResolvedMembers> {
  const allEvents = await listEvents(pool);
  const eventBySlug = new Map(allEvents.map((e) => [e.slug, e]));
  const symbols: string[] = [];
  if (selection.group) {
    const group = await findGroup(pool, selection.group);
    if (!group) throw invalid('group', `unknown group ${selection.group}`);
    symbols.push(...group.symbols);
  }
  symbols.push(...(selection.symbols ?? []));
  const uniqueSymbols = [...new Set(symbols)];
  const events = selection.events ? eventsOf(selection.events, allEvents, 'events') : [];
  const dates = selection.dates ?? [];

  const specs: MemberSpec[] = [];
  if (uniqueSymbols.length > 0 || events.length > 0 || dates.length > 0) {
    if (uniqueSymbols.length === 0) throw invalid(selection.group ? 'group' : 'symbols', selection.group ? 'the group has no members' : 'name symbols or a group');
    if (events.length === 0 && dates.length === 0) throw invalid('events', 'name events (or dates) to cross the instruments with');
    for (const e of events) for (const symbol of uniqueSymbols) specs.push({ symbol, event: e.slug, date: null, subgroup: null, benchmark: null });
    for (const date of dates) for (const symbol of uniqueSymbols) specs.push({ symbol, event: null, date, subgroup: null, benchmark: null });
  }
  (selection.members ?? []).forEach((m, k) => {
    if (m.event !== null && !eventBySlug.has(m.event)) throw invalid(`members.${k}.event`, `unknown event ${m.event}`);
    specs.push(m);
  });
  if (specs.length === 0) throw invalid('events', 'a study needs members: events with symbols or a group, or listed members');
  if (specs.length > MAX_MEMBERS) throw invalid('events', `${specs.length} members is more than ${MAX_MEMBERS}`);
  return { specs, events: new Map([...eventBySlug].filter(([slug]) => specs.some((s) => s.event === slug))) };
}

export interface StudyInputs {
  inputs: CrossSectionMemberInput[];
  /** members whose exchange Aftershock does not know (index into inputs -> why) */
  unplaceable: Map<number, string>;
  /** the benchmark each member was measured against */
  benchmarks: (string | null)[];
}

/** Reads the bars of every member and benchmark in one query and builds the engine's inputs. */
export async function loadStudyInputs(pool: pg.Pool, resolved: ResolvedMembers, benchmarkOverride: string | null): Promise<StudyInputs> {
  const instruments = await listInstruments(pool);
  const bySymbol = new Map<string, InstrumentRow>(instruments.map((i) => [i.symbol, i]));
  const unknown = [...new Set(resolved.specs.map((s) => s.symbol).filter((s) => !bySymbol.has(s)))];
  if (unknown.length > 0) throw invalid('symbols', `unknown symbol${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  if (benchmarkOverride !== null && !bySymbol.has(benchmarkOverride)) throw invalid('benchmark', `unknown symbol ${benchmarkOverride}`);
  const badBenchmark = resolved.specs.find((s) => s.benchmark !== null && !bySymbol.has(s.benchmark));
  if (badBenchmark) throw invalid('benchmark', `unknown symbol ${badBenchmark.benchmark}`);

  const benchmarks = resolved.specs.map((s) => s.benchmark ?? benchmarkOverride ?? bySymbol.get(s.symbol)!.benchmarkSymbol);
  const needed = new Set<string>([...resolved.specs.map((s) => s.symbol), ...benchmarks.filter((b): b is string => b !== null)]);
  const bars = await getDailyBarSeries(pool, [...needed].map((symbol) => ({ symbol, from: null })));

  const unplaceable = new Map<number, string>();
  const inputs = resolved.specs.map((spec, k): CrossSectionMemberInput => {
    const instrument = bySymbol.get(spec.symbol)!;
    const benchmark = benchmarks[k];
    const base = {
      symbol: spec.symbol,
      event: spec.event,
      subgroup: spec.subgroup,
      bars: bars.get(spec.symbol) ?? [],
      benchmarkBars: benchmark === null ? null : (bars.get(benchmark) ?? []),
    };
    if (spec.event === null) return { ...base, dayZero: { date: spec.date ?? '' } };
    const exchangeCode = exchangeForInstrument(instrument);
    const event = resolved.events.get(spec.event)!;
    if (exchangeCode === null) {
      unplaceable.set(k, `${spec.symbol} trades on ${instrument.exchange} (${instrument.timeZone}), whose sessions Aftershock does not know, so day 0 cannot be placed`);
      return { ...base, bars: [], dayZero: { index: 0 } };
    }
    return { ...base, dayZero: { event: { instant: event.occurredAt, dateOnly: event.dateOnly }, exchangeCode } };
  });
  return { inputs, unplaceable, benchmarks };
}
