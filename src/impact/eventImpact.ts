// How hard did one event move each instrument? Loads the bars around the event and hands them to the
// analysis core (computeImpact per instrument, basketMarketValueChange over all); no formula lives here.
import {
  basketMarketValueChange,
  computeImpact,
  eventDate,
  toMajorUnit,
  withoutResults,
  type EventImpact,
  type FxSeries,
  type NewsEvent,
} from '../analysis';
import { fxSeriesFromYahoo, yahooFxSeriesOf, type YahooFxSeries } from '../marketdata/yahooFx';
import { notFound, unknownSymbolError } from '../errors/appError';
import type { Database } from '../db/database';
import { findEventBySlug, presentEvent } from '../news/eventStore';
import { getSharesAsOf, listInstruments, type InstrumentRow } from '../instruments/instrumentStore';
import { addCalendarDays } from '../markets';
import { marketForInstrument } from '../marketdata/yahooMarkets';
import type { ImpactResponse } from './impactContract';
import type { ImpactQuery } from './impactParams';
import { impactSessions } from './impactSessions';
import { getBarsAroundEvent } from '../bars/barsAroundEvent';

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

export async function computeEventImpact(db: Pick<Database, 'pool'>, slug: string, query: ImpactQuery): Promise<ImpactResponse> {
  const [stored, instruments] = await Promise.all([findEventBySlug(db.pool, slug), listInstruments(db.pool)]);
  if (!stored) throw notFound(`Unknown event ${slug}`);
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));

  const symbols = query.symbols ?? defaultImpactSymbols(instruments);
  const unknown = symbols.filter((s) => !bySymbol.has(s));
  if (unknown.length > 0) throw unknownSymbolError(unknown, 'symbols');
  if (query.benchmark !== null && !bySymbol.has(query.benchmark)) throw unknownSymbolError([query.benchmark], 'benchmark');

  const event: NewsEvent = { instant: stored.occurredAt, dateOnly: stored.dateOnly };
  const benchmarkOf = (i: InstrumentRow) => query.benchmark ?? i.benchmarkSymbol;
  const offsets = [...query.window, ...query.estimation, ...query.carWindows.flat()];
  const earliest = Math.min(0, ...offsets);
  const latest = Math.max(0, ...offsets);
  const contextSymbols = new Set<string>();
  // the Yahoo FX series of each currency studied (EURUSD=X, KRW=X, JPY=X...), by its major currency
  const fxSeriesOfCurrency = new Map<string, YahooFxSeries>();
  for (const s of symbols) {
    const instrument = bySymbol.get(s)!;
    const benchmark = benchmarkOf(instrument);
    if (benchmark) contextSymbols.add(benchmark);
    const fx = yahooFxSeriesOf(instrument.currency);
    if (fx) {
      fxSeriesOfCurrency.set(toMajorUnit(1, instrument.currency).currency, fx);
      contextSymbols.add(fx.symbol);
    }
  }
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
  const seriesOf = (symbol: string) => bars.context.get(symbol) ?? bars.instruments.get(symbol) ?? [];
  const fxSeries: Record<string, FxSeries> = {};
  for (const [currency, fx] of fxSeriesOfCurrency) {
    fxSeries[currency] = fxSeriesFromYahoo(
      fx,
      seriesOf(fx.symbol).map(({ date, close }) => ({ date, close })),
    );
  }

  const results = symbols.map((symbol): EventImpact => {
    const instrument = bySymbol.get(symbol)!;
    const exchangeCode = marketForInstrument(instrument);
    const benchmarkSymbol = benchmarkOf(instrument);
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
    return computeImpact({
      symbol,
      dailyBars: bars.instruments.get(symbol) ?? [],
      benchmark: benchmarkSymbol ? { symbol: benchmarkSymbol, dailyBars: seriesOf(benchmarkSymbol) } : null,
      event,
      exchangeCode,
      params: { window: query.window, estimation: query.estimation, minObs: query.minObs, carWindows: query.carWindows },
      sharesOutstanding: sharesAtEvent.get(symbol)?.shares ?? null,
      fxSeries,
      currency: instrument.currency,
    });
  });

  return {
    event: presentEvent(stored),
    params: {
      symbols,
      window: query.window,
      estimation: query.estimation,
      minObs: query.minObs,
      benchmark: query.benchmark,
      carWindows: query.carWindows,
    },
    results,
    basket: basketMarketValueChange(results),
    sessions: impactSessions(results, (symbol) => marketForInstrument(bySymbol.get(symbol)!), event),
  };
}
