// Adding an instrument: look the symbol up with a quote, store what the quote says (name, currency, time zone,
// kind, shares outstanding) and its market in the registry of src/markets (PAR, KOSPI, HKEX...; Yahoo's own
// exchange name when the market is unknown), give it its market's default benchmark (adding that too when
// missing), add the Yahoo FX series of its currency when missing, and backfill its daily bars and the 5-minute
// bars of the last 60 days (Yahoo's limit). Shared by `aftershock instruments add` and POST /api/instruments.
import { yahooFxSeriesOf } from '../marketdata/yahooFx';
import { isKnownMarket, localDate, type MarketCode } from '../markets';
import { marketForInstrument } from '../marketdata/yahooMarkets';
import {
  isMarketDataError,
  UnknownSymbolError,
  UnsupportedInstrumentError,
  UpstreamInvalidResponseError,
  type MarketDataError,
} from '../marketdata/errors';
import type { QuoteInfo } from '../marketdata/types';
import { backfillInstrument, type SymbolBackfillResult, yahooIntradayEarliest } from './backfill';
import { SHARES_SOURCE, type IngestDeps } from './fetchAndStore';
import { defaultBenchmarkFor } from '../instruments/defaults';
import { getInstrument, saveInstrument, saveSharesOutstanding, trackInstrument, type InstrumentRow } from '../instruments/instrumentStore';

export interface AddInstrumentRequest {
  symbol: string;
  /** undefined = the market's default (kept as is for an instrument already tracked); null = none */
  benchmark?: string | null;
  /** first date of the backfill (exchange-local) */
  from: string;
  /** false: store the instrument only */
  backfill?: boolean;
  now?: () => Date;
}

export interface AddInstrumentResult {
  instrument: InstrumentRow;
  created: boolean;
  /** the session calendar the scheduler uses for it; null = a market whose sessions Aftershock does not know */
  sessions: MarketCode | null;
  /** why there are no sessions (null when there are): daily bars only, no day 0 */
  sessionsNote: string | null;
  /** the benchmark, when it had to be added first */
  benchmarkAdded: AddInstrumentResult | null;
  /** the FX series of its currency (KRW=X, EURUSD=X...), when it had to be added */
  fxSeriesAdded: AddInstrumentResult | null;
  /** why the FX series could not be added (the instrument is added all the same; its USD amounts stay null) */
  fxSeriesNote: string | null;
  backfill: SymbolBackfillResult | null;
  /**
   * the 5-minute bars of the last 60 days (all Yahoo keeps), for the intraday studies; null when backfill: false,
   * for an FX series, or for a market whose sessions Aftershock does not know
   */
  intradayBackfill: SymbolBackfillResult | null;
  /** the same for a benchmark that was stored already (one added with it has its own in benchmarkAdded) */
  benchmarkIntradayBackfill: SymbolBackfillResult | null;
}

export type AddInstrumentErrorCode = 'unknown_symbol' | 'unsupported_instrument' | 'upstream_unavailable' | 'upstream_invalid';

/** The symbol (or its benchmark) could not be added; `code` says why, `symbol` which one. */
export class AddInstrumentError extends Error {
  readonly code: AddInstrumentErrorCode;
  readonly symbol: string;
  constructor(code: AddInstrumentErrorCode, symbol: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AddInstrumentError';
    this.code = code;
    this.symbol = symbol;
  }
}

function lookupError(symbol: string, err: MarketDataError, role: string): AddInstrumentError {
  const what = role === 'instrument' ? symbol : `${role} ${symbol}`;
  if (err instanceof UnknownSymbolError)
    return new AddInstrumentError('unknown_symbol', symbol, `Unknown symbol ${symbol}: the market-data provider has no quote for ${what}`, {
      cause: err,
    });
  if (err instanceof UnsupportedInstrumentError)
    return new AddInstrumentError('unsupported_instrument', symbol, err.message, { cause: err });
  if (err instanceof UpstreamInvalidResponseError && !err.retryable)
    return new AddInstrumentError('upstream_invalid', symbol, `Could not look up ${what}: ${err.message}`, { cause: err });
  return new AddInstrumentError('upstream_unavailable', symbol, `Could not look up ${what}: ${err.message}`, { cause: err });
}

async function lookUp(deps: IngestDeps, symbol: string, role: string): Promise<QuoteInfo> {
  try {
    return await deps.provider.getQuote(symbol);
  } catch (err) {
    if (isMarketDataError(err)) throw lookupError(symbol, err, role);
    throw err;
  }
}

/** `quote`: the symbol's quote when the caller has just looked it up (an add in the background), else fetched here. */
export async function addInstrument(deps: IngestDeps, req: AddInstrumentRequest, quote?: QuoteInfo): Promise<AddInstrumentResult> {
  return add(deps, req, 'instrument', quote);
}

/** What adding a symbol gives it, decided from its quote: the one rule for POST /api/instruments and its preview. */
export interface InstrumentPlan {
  /** the stored exchange: the session calendar's code where Aftershock has one, else the provider's own exchange name */
  exchange: string;
  sessions: MarketCode | null;
  sessionsNote: string | null;
  benchmark: string | null;
  /** the Yahoo FX series that turns its currency into dollars (added with it when missing); null for USD, an index or FX */
  fxSeries: string | null;
}

export function planInstrument(
  symbol: string,
  quote: QuoteInfo,
  existing: Pick<InstrumentRow, 'benchmarkSymbol'> | null,
  requestedBenchmark?: string | null,
): InstrumentPlan {
  const sessions = marketForInstrument({ symbol, exchange: quote.exchange, timeZone: quote.timeZone, kind: quote.kind });
  const sessionsNote =
    sessions === null
      ? `${symbol} trades on ${quote.exchange} (${quote.timeZone}), a market whose sessions Aftershock does not know: ` +
        'daily bars once a day, no intraday fetches, no staleness in sessions, and no day 0 in event studies'
      : null;
  let benchmark: string | null;
  if (requestedBenchmark !== undefined) benchmark = requestedBenchmark;
  else if (existing) benchmark = existing.benchmarkSymbol;
  else benchmark = quote.kind === 'index' || quote.kind === 'fx' || sessions === null ? null : defaultBenchmarkFor(sessions);
  if (benchmark === symbol) benchmark = null;
  const fxSeries = quote.kind === 'equity' || quote.kind === 'etf' ? (yahooFxSeriesOf(quote.currency)?.symbol ?? null) : null;
  return { exchange: sessions ?? quote.exchange, sessions, sessionsNote, benchmark, fxSeries };
}

/** The quote of `symbol`, with the provider's failures as AddInstrumentError (unknown symbol, unreachable...). */
export function lookUpSymbol(deps: IngestDeps, symbol: string): Promise<QuoteInfo> {
  return lookUp(deps, symbol, 'instrument');
}

async function add(deps: IngestDeps, req: AddInstrumentRequest, role: string, known?: QuoteInfo): Promise<AddInstrumentResult> {
  const now = req.now ?? (() => new Date());
  const existing = await getInstrument(deps.pool, req.symbol);
  const quote = known ?? (await lookUp(deps, req.symbol, role));
  const { sessions, sessionsNote, benchmark, exchange, fxSeries } = planInstrument(req.symbol, quote, existing, req.benchmark);

  // the benchmark first: a bad benchmark must not leave a half-added instrument behind
  let benchmarkAdded: AddInstrumentResult | null = null;
  if (benchmark !== null && !(await getInstrument(deps.pool, benchmark))) {
    benchmarkAdded = await add(deps, { ...req, symbol: benchmark, benchmark: null }, 'benchmark');
  }

  await saveInstrument(deps.pool, {
    symbol: req.symbol,
    name: quote.name,
    exchange: exchange as InstrumentRow['exchange'],
    currency: quote.currency,
    timeZone: quote.timeZone,
    kind: quote.kind,
    benchmarkSymbol: benchmark,
  });
  if (quote.sharesOutstanding !== null) {
    await saveSharesOutstanding(deps.pool, req.symbol, quote.sharesOutstanding, localDate(now(), quote.timeZone), SHARES_SOURCE);
  }
  await trackInstrument(deps.pool, req.symbol);
  const fx = fxSeries !== null ? await addFxSeries(deps, req, fxSeries, quote.currency) : { added: null, note: null };

  const backfill =
    req.backfill === false
      ? null
      : await backfillInstrument(deps, { symbol: req.symbol, timeZone: quote.timeZone }, { from: req.from, interval: '1d', now });
  // what is not stored while Yahoo still serves it is lost: the 5-minute bars of the last 60 days, now
  const wantsIntraday = req.backfill !== false && sessions !== null && quote.kind !== 'fx';
  const intradayBackfill = wantsIntraday
    ? await backfillRecent5m(deps, { symbol: req.symbol, timeZone: quote.timeZone, exchange: sessions }, now)
    : null;
  // a benchmark stored before (the bundled ^GSPC has daily bars only) gets its missing sessions too
  const storedBenchmark = wantsIntraday && benchmark !== null && benchmarkAdded === null ? await getInstrument(deps.pool, benchmark) : null;
  const benchmarkIntradayBackfill =
    storedBenchmark && isKnownMarket(storedBenchmark.exchange) && storedBenchmark.kind !== 'fx'
      ? await backfillRecent5m(deps, storedBenchmark, now)
      : null;
  const instrument = (await getInstrument(deps.pool, req.symbol)) as InstrumentRow;
  return {
    instrument,
    created: existing === null,
    sessions,
    sessionsNote,
    benchmarkAdded,
    fxSeriesAdded: fx.added,
    fxSeriesNote: fx.note,
    backfill,
    intradayBackfill,
    benchmarkIntradayBackfill,
  };
}

/** The 5-minute bars of the last 60 days (Yahoo's limit) that are not stored yet; its own runs, not steps of a background add. */
function backfillRecent5m(
  deps: IngestDeps,
  instrument: Pick<InstrumentRow, 'symbol' | 'timeZone' | 'exchange'>,
  now: () => Date,
): Promise<SymbolBackfillResult> {
  const earliest = yahooIntradayEarliest('5m', now());
  return backfillInstrument({ ...deps, parentRunId: undefined }, instrument, {
    from: localDate(earliest, instrument.timeZone),
    interval: '5m',
    now,
    earliest,
  });
}

/** The FX series of the plan (turning `currency` into dollars), added when missing; a failure is said, not thrown. */
async function addFxSeries(
  deps: IngestDeps,
  req: AddInstrumentRequest,
  series: string,
  currency: string,
): Promise<{ added: AddInstrumentResult | null; note: string | null }> {
  if (await getInstrument(deps.pool, series)) return { added: null, note: null };
  try {
    return { added: await add(deps, { ...req, symbol: series, benchmark: null }, 'FX series'), note: null };
  } catch (err) {
    if (!(err instanceof AddInstrumentError)) throw err;
    return {
      added: null,
      note: `the ${currency} FX series ${series} could not be added (${err.message}), so USD market values of ${req.symbol} stay unknown`,
    };
  }
}
