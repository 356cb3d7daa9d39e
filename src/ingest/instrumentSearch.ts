// A name search for the add-an-instrument page: the provider's symbol search, each match looked up with a quote
// and given the plan POST /api/instruments would follow (exchange, sessions, benchmark, FX series).
import type { QuoteInfo, SymbolMatch } from '../marketdata/types';
import { getInstrument } from '../instruments/instrumentStore';
import { AddInstrumentError, lookUpSymbol, planInstrument } from './addInstrument';
import { forEachLimited, type IngestDeps } from './fetchAndStore';
import type { InstrumentCandidate } from './instrumentSearchContract';

/** Matches looked up with a quote each: enough for a page of choices without a burst of requests. */
const MAX_CANDIDATES = 6;

/** The candidate a quote makes of a symbol (tracked or not): what adding it would give it. */
export async function candidateOf(deps: IngestDeps, match: SymbolMatch, quote: QuoteInfo): Promise<InstrumentCandidate> {
  const existing = await getInstrument(deps.pool, match.symbol);
  const plan = planInstrument(match.symbol, quote, existing);
  return {
    symbol: match.symbol,
    name: quote.name,
    kind: quote.kind,
    listedOn: match.exchangeDisplay,
    exchange: plan.exchange,
    sessions: plan.sessions,
    sessionsNote: plan.sessionsNote,
    currency: quote.currency,
    timeZone: quote.timeZone,
    benchmark: plan.benchmark,
    fxSeries: plan.fxSeries,
    tracked: existing?.tracked ?? false,
    problem: null,
  };
}

async function lookUpCandidate(deps: IngestDeps, match: SymbolMatch): Promise<InstrumentCandidate> {
  try {
    return await candidateOf(deps, match, await lookUpSymbol(deps, match.symbol));
  } catch (err) {
    if (!(err instanceof AddInstrumentError)) throw err;
    // one candidate without a quote still shows (its problem said); the others are not lost
    const existing = await getInstrument(deps.pool, match.symbol);
    return {
      symbol: match.symbol,
      name: match.name,
      kind: match.kind,
      listedOn: match.exchangeDisplay,
      exchange: null,
      sessions: null,
      sessionsNote: null,
      currency: null,
      timeZone: null,
      benchmark: null,
      fxSeries: null,
      tracked: existing?.tracked ?? false,
      problem: err.message,
    };
  }
}

/** Throws the provider's MarketDataError when the search itself fails (unreachable, rate limited...). */
export async function searchInstruments(deps: IngestDeps, query: string): Promise<InstrumentCandidate[]> {
  const matches = (await deps.provider.searchSymbols(query)).slice(0, MAX_CANDIDATES);
  return forEachLimited(matches, 2, (m) => lookUpCandidate(deps, m));
}
