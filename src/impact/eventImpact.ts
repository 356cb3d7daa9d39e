// How hard did one event move each instrument? Loads the bars around the event and hands them to the
// analysis core (computeImpact per instrument, basketMarketValueChange over all); no formula lives here.
import {
  basketMarketValueChange,
  computeImpact,
  factorRegionOf,
  isFactorModel,
  withFactorModel,
  type FactorRegion,
  type MemberFactors,
  eventDate,
  toMajorUnit,
  withoutResults,
  type EventImpact,
  type FxSeries,
  type NewsEvent,
} from '../analysis';
import { barsOfColumns, isoDateOf, type BarColumns } from '../compute/barColumns';
import { checkBudget, type BudgetLimits } from '../compute/budget';
import { notFound, unknownSymbolError } from '../errors/appError';
import { fxSeriesFromYahoo, yahooFxSeriesOf, type YahooFxSeries } from '../marketdata/yahooFx';
import type { Database } from '../db/database';
import { findEventBySlug, presentEvent, type StoredEventRow } from '../news/eventStore';
import { getSharesAsOf, listInstruments, type InstrumentRow } from '../instruments/instrumentStore';
import { addCalendarDays, type MarketCode } from '../markets';
import { marketForInstrument } from '../marketdata/yahooMarkets';
import type { ImpactResponse } from './impactContract';
import type { ImpactQuery } from './impactParams';
import { impactSessions } from './impactSessions';
import { getBarsAroundEvent } from '../bars/barsAroundEvent';
import type { DataDependencies } from '../bars/barVersions';
import { loadRegionFactors, memberFactorsOf, type RegionFactors } from '../factors/studyFactors';

/** Instruments studied when the request names none: tracked equities that have a benchmark. */
function defaultImpactSymbols(instruments: readonly InstrumentRow[]): string[] {
  return instruments.filter((i) => i.tracked && i.kind === 'equity' && i.benchmarkSymbol !== null).map((i) => i.symbol);
}

/** Day 0 of every exchange falls on or after this date (no session closes more than a day before, in UTC, an event it could contain). */
function pivotDate(event: NewsEvent): string {
  return addCalendarDays(eventDate({ instant: event.instant, dateOnly: true }), -1);
}

/** Sessions between the pivot and day 0 at most (the pivot's own and the event's UTC date), plus slack. */
const SESSIONS_BEFORE_DAY_ZERO_FROM_PIVOT = 3;
/** Extra history before the earliest offset, so a shortfall message names where history really starts. */
const HISTORY_SLACK = 5;

/** An impact request with its instruments resolved and its budget checked: no bar is read yet. */
interface ResolvedImpact {
  stored: StoredEventRow;
  bySymbol: Map<string, InstrumentRow>;
  symbols: string[];
  query: ImpactQuery;
}

/** One instrument as the worker needs it. */
interface ImpactJobInstrument {
  symbol: string;
  exchange: string;
  timeZone: string;
  exchangeCode: MarketCode | null;
  currency: string;
  benchmark: string | null;
  shares: number | null;
}

/** What a compute worker needs for the impact: the event, the instruments, and their bars as typed-array columns. */
export interface ImpactJob {
  event: ImpactResponse['event'];
  newsEvent: NewsEvent;
  query: ImpactQuery;
  instruments: ImpactJobInstrument[];
  instrumentBars: Map<string, BarColumns>;
  contextBars: Map<string, BarColumns>;
  /** major currency -> its Yahoo FX series */
  fxSeriesOf: Map<string, YahooFxSeries>;
  /** factor models: the factors of each region the instruments need */
  factors: RegionFactors[];
}

/** The instruments of the request (an unknown one is a 400 naming it), checked against `limits` when given. */
export async function resolveImpact(
  db: Pick<Database, 'pool'>,
  slug: string,
  query: ImpactQuery,
  limits: BudgetLimits | null,
): Promise<ResolvedImpact> {
  const [stored, instruments] = await Promise.all([findEventBySlug(db.pool, slug), listInstruments(db.pool)]);
  if (!stored) throw notFound(`Unknown event ${slug}`);
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));

  const symbols = query.symbols ?? defaultImpactSymbols(instruments);
  const unknown = symbols.filter((s) => !bySymbol.has(s));
  if (unknown.length > 0) throw unknownSymbolError(unknown, 'symbols');
  if (query.benchmark !== null && !bySymbol.has(query.benchmark)) throw unknownSymbolError([query.benchmark], 'benchmark');
  if (limits)
    checkBudget(
      {
        members: symbols.length,
        memberParams: ['symbols'],
        membersText: `${symbols.length} symbols${query.symbols ? '' : ', the default'}`,
        windowSessions: query.window[1] - query.window[0] + 1,
        estimationSessions: query.estimation[1] - query.estimation[0] + 1,
        estimationParam: 'estimation',
        memberCap: false,
      },
      limits,
    );
  return { stored, bySymbol, symbols, query };
}

/** The symbols whose bars the impact reads: the instruments, their benchmarks and FX series. */
function impactSeries(resolved: ResolvedImpact): { contextSymbols: Set<string>; fxSeriesOf: Map<string, YahooFxSeries> } {
  const { bySymbol, symbols, query } = resolved;
  const contextSymbols = new Set<string>();
  // the Yahoo FX series of each currency studied (EURUSD=X, KRW=X, JPY=X...), by its major currency
  const fxSeriesOf = new Map<string, YahooFxSeries>();
  for (const s of symbols) {
    const instrument = bySymbol.get(s)!;
    const benchmark = query.benchmark ?? instrument.benchmarkSymbol;
    if (benchmark) contextSymbols.add(benchmark);
    const fx = yahooFxSeriesOf(instrument.currency);
    if (fx) {
      fxSeriesOf.set(toMajorUnit(1, instrument.currency).currency, fx);
      contextSymbols.add(fx.symbol);
    }
  }
  return { contextSymbols, fxSeriesOf };
}

/** The tables an impact reads (the event, the instruments, their share counts, the factors of a factor model). */
export const IMPACT_TABLES: DataDependencies = { tables: ['events', 'instruments', 'shares_outstanding_history', 'factor_returns'] };

/** What the impact's answer depends on, for the result cache's watermark. */
export function impactDependencies(resolved: ResolvedImpact): DataDependencies {
  const symbols = new Set([...resolved.symbols, ...impactSeries(resolved).contextSymbols]);
  return { ...IMPACT_TABLES, bars: { interval: '1d', symbols: [...symbols].sort() } };
}

/** Reads the bars around the event of every instrument, benchmark and FX series, as columns for a worker. */
export async function prepareImpactJob(db: Pick<Database, 'pool'>, resolved: ResolvedImpact): Promise<ImpactJob> {
  const { stored, bySymbol, symbols, query } = resolved;
  const event: NewsEvent = { instant: stored.occurredAt, dateOnly: stored.dateOnly };
  const benchmarkOf = (i: InstrumentRow) => query.benchmark ?? i.benchmarkSymbol;
  const offsets = [...query.window, ...query.estimation, ...query.carWindows.flat()];
  const earliest = Math.min(0, ...offsets);
  const latest = Math.max(0, ...offsets);
  const { contextSymbols, fxSeriesOf } = impactSeries(resolved);
  const bars = await getBarsAroundEvent(db.pool, {
    symbols,
    pivot: pivotDate(event),
    // one bar before the earliest offset: the return into that day needs the previous close
    barsBefore: -earliest + 1 + HISTORY_SLACK,
    barsFrom: latest + 1 + SESSIONS_BEFORE_DAY_ZERO_FROM_PIVOT,
    contextSymbols: [...contextSymbols],
  });
  // market value at the time of the event: the share count known as of the event's date, not today's
  const sharesAtEvent = await getSharesAsOf(db.pool, symbols, eventDate({ instant: event.instant, dateOnly: true }));
  // factor models: the factors of each instrument's region over the dates of the bars read
  let factors: RegionFactors[] = [];
  if (isFactorModel(query.model)) {
    const regions = symbols.flatMap((s) => {
      const market = marketForInstrument(bySymbol.get(s)!);
      return market === null ? [] : [factorRegionOf(market)];
    });
    const days = [...bars.instruments.values()].flatMap((b) => (b.days.length === 0 ? [] : [b.days[0], b.days[b.days.length - 1]]));
    if (days.length > 0)
      factors = await loadRegionFactors(db.pool, query.model, regions, isoDateOf(Math.min(...days)), isoDateOf(Math.max(...days)));
  }
  return {
    event: presentEvent(stored),
    newsEvent: event,
    query: { ...query, symbols },
    instruments: symbols.map((symbol) => {
      const instrument = bySymbol.get(symbol)!;
      return {
        symbol,
        exchange: instrument.exchange,
        timeZone: instrument.timeZone,
        exchangeCode: marketForInstrument(instrument),
        currency: instrument.currency,
        benchmark: benchmarkOf(instrument),
        shares: sharesAtEvent.get(symbol)?.shares ?? null,
      };
    }),
    instrumentBars: bars.instruments,
    contextBars: bars.context,
    fxSeriesOf,
    factors,
  };
}

/** The impact of a job's bars (in a compute worker, or in the process that read them): the analysis core per instrument. */
export function impactOfJob(job: ImpactJob): ImpactResponse {
  const { newsEvent: event, query } = job;
  const instrumentBars = new Map([...job.instrumentBars].map(([symbol, c]) => [symbol, barsOfColumns(c)]));
  const contextBars = new Map([...job.contextBars].map(([symbol, c]) => [symbol, barsOfColumns(c)]));
  const seriesOf = (symbol: string) => contextBars.get(symbol) ?? instrumentBars.get(symbol) ?? [];
  const fxSeries: Record<string, FxSeries> = {};
  for (const [currency, fx] of job.fxSeriesOf) {
    fxSeries[currency] = fxSeriesFromYahoo(
      fx,
      seriesOf(fx.symbol).map(({ date, close }) => ({ date, close })),
    );
  }
  const exchangeOf = new Map(job.instruments.map((i) => [i.symbol, i.exchangeCode]));
  const factorsOf = new Map<FactorRegion, MemberFactors>(job.factors.map((f) => [f.region, memberFactorsOf(f)]));
  const factorModel = query.model === 'market' ? null : query.model;

  const results = job.instruments.map((instrument): EventImpact => {
    const { symbol, exchangeCode, benchmark: benchmarkSymbol } = instrument;
    if (exchangeCode === null) {
      return withoutResults(
        {
          symbol,
          benchmark: benchmarkSymbol,
          currency: instrument.currency,
          marketValueCurrency: toMajorUnit(1, instrument.currency).currency,
        },
        `${symbol} trades on ${instrument.exchange} (${instrument.timeZone}), whose sessions Aftershock does not know, so day 0 cannot be placed`,
      );
    }
    const dailyBars = instrumentBars.get(symbol) ?? [];
    const benchmarkBars = benchmarkSymbol ? seriesOf(benchmarkSymbol) : null;
    const impact = computeImpact({
      symbol,
      dailyBars,
      benchmark: benchmarkSymbol && benchmarkBars ? { symbol: benchmarkSymbol, dailyBars: benchmarkBars } : null,
      event,
      exchangeCode,
      params: { window: query.window, estimation: query.estimation, minObs: query.minObs, carWindows: query.carWindows },
      sharesOutstanding: instrument.shares,
      fxSeries,
      currency: instrument.currency,
    });
    if (factorModel === null) return impact;
    const region = factorRegionOf(exchangeCode);
    return withFactorModel(
      impact,
      {
        symbol,
        dayZero: { event, exchangeCode },
        bars: dailyBars,
        benchmarkBars,
        factors: factorsOf.get(region) ?? { region, reason: `no factor returns are stored for ${region}` },
      },
      { model: factorModel, window: query.window, estimation: query.estimation, minObs: query.minObs, carWindows: query.carWindows },
    );
  });

  return {
    event: job.event,
    params: {
      symbols: job.instruments.map((i) => i.symbol),
      window: query.window,
      estimation: query.estimation,
      minObs: query.minObs,
      benchmark: query.benchmark,
      carWindows: query.carWindows,
      model: query.model,
    },
    results,
    basket: basketMarketValueChange(results),
    sessions: impactSessions(results, (symbol) => exchangeOf.get(symbol) ?? null, event),
  };
}

/** The impact in this process (the CSV export). */
export async function computeEventImpact(db: Pick<Database, 'pool'>, slug: string, query: ImpactQuery): Promise<ImpactResponse> {
  return impactOfJob(await prepareImpactJob(db, await resolveImpact(db, slug, query, null)));
}
