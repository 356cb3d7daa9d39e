// How Yahoo's answers become ours: chart results to daily and intraday bars (dated in the exchange's calendar),
// quotes to QuoteInfo, search news to NewsInput, and what the library throws to our domain errors. Pure functions.
import type { ChartResultArray } from 'yahoo-finance2/script/src/modules/chart';
import type { SearchNews } from 'yahoo-finance2/script/src/modules/search';
import { DateTime, IANAZone } from 'luxon';

import type { DailyBarInput, InstrumentKind, IntradayBarInput, NewsInput, QuoteInfo, SymbolMatch } from './types';
import type { DailyRange, IntradayInterval, IntradayRange } from './provider';
import {
  MarketDataError,
  UnknownSymbolError,
  UnsupportedInstrumentError,
  UpstreamInvalidResponseError,
  UpstreamRateLimitedError,
  UpstreamRejectedError,
  UpstreamUnavailableError,
} from './errors';
import type { UpstreamCallContext } from './yahooTransport';

const INTERVAL_MS: Record<IntradayInterval, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 };

const KIND_BY_QUOTE_TYPE: Record<string, InstrumentKind> = {
  EQUITY: 'equity',
  ETF: 'etf',
  INDEX: 'index',
  CURRENCY: 'fx',
};

function isDate(v: unknown): v is Date {
  return typeof v === 'object' && v !== null && typeof (v as Date).getTime === 'function' && Number.isFinite((v as Date).getTime());
}

function finiteOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function exchangeZone(symbol: string, meta: { exchangeTimezoneName?: unknown }): string {
  const zone = meta.exchangeTimezoneName;
  if (typeof zone !== 'string' || !IANAZone.isValidZone(zone)) {
    throw new UpstreamInvalidResponseError(symbol, `chart meta for ${symbol} has no valid exchangeTimezoneName (${String(zone)})`);
  }
  return zone;
}

/** The exchange-local calendar date of an instant. */
function exchangeDate(instant: Date, zone: string): string {
  const d = DateTime.fromJSDate(instant, { zone });
  if (!d.isValid) throw new RangeError(`cannot place ${instant.toISOString()} in zone ${zone}`);
  return d.toISODate() as string;
}

type ChartQuote = {
  date: Date;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  volume: number | null;
  adjclose?: number | null;
};

/**
 * Daily bars dated in the exchange's calendar (meta.exchangeTimezoneName), bars with a null close dropped,
 * one bar per date (the last one Yahoo sent wins), only dates within `range`. A bar of the session that is
 * still running (the current trading period has not ended at `now`) is flagged provisional.
 */
export function dailyBarsFromChart(symbol: string, chart: ChartResultArray, range: DailyRange, now: Date): DailyBarInput[] {
  const zone = exchangeZone(symbol, chart.meta);
  const regular = chart.meta.currentTradingPeriod?.regular;
  // (duck-typed dates: the library builds them, possibly in another realm under a test runner)
  const liveDate =
    regular && isDate(regular.end) && isDate(regular.start) && now.getTime() < regular.end.getTime()
      ? exchangeDate(regular.start, zone)
      : undefined;

  const byDate = new Map<string, DailyBarInput>();
  for (const raw of chart.quotes as readonly ChartQuote[]) {
    const close = finiteOrNull(raw.close);
    if (close === null) continue;
    const date = exchangeDate(raw.date, zone);
    if (date < range.from || date > range.to) continue;
    const bar: DailyBarInput = {
      symbol,
      date,
      open: finiteOrNull(raw.open),
      high: finiteOrNull(raw.high),
      low: finiteOrNull(raw.low),
      close,
      adjClose: finiteOrNull(raw.adjclose),
      volume: finiteOrNull(raw.volume),
    };
    if (liveDate !== undefined && date >= liveDate) bar.provisional = true;
    byDate.set(date, bar);
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * Intraday bars starting in [from, to), null closes dropped. A bar whose interval has not ended at `now`
 * is still being formed and is left out (IntradayBarInput has no provisional flag).
 */
export function intradayBarsFromChart(symbol: string, chart: ChartResultArray, range: IntradayRange, now: Date): IntradayBarInput[] {
  const step = INTERVAL_MS[range.interval];
  const out = new Map<number, IntradayBarInput>();
  for (const raw of chart.quotes as readonly ChartQuote[]) {
    const close = finiteOrNull(raw.close);
    if (close === null) continue;
    const t = raw.date.getTime();
    if (t < range.from.getTime() || t >= range.to.getTime()) continue;
    if (t + step > now.getTime()) continue;
    out.set(t, {
      symbol,
      interval: range.interval,
      ts: new Date(t),
      open: finiteOrNull(raw.open),
      high: finiteOrNull(raw.high),
      low: finiteOrNull(raw.low),
      close,
      volume: finiteOrNull(raw.volume),
    });
  }
  return [...out.values()].sort((a, b) => a.ts.getTime() - b.ts.getTime());
}

export interface YahooQuoteLike {
  symbol: string;
  quoteType: string;
  longName?: string;
  shortName?: string;
  displayName?: string;
  exchange: string;
  currency?: string;
  exchangeTimezoneName: string;
  regularMarketPrice?: number;
  marketCap?: number;
  sharesOutstanding?: number;
}

export function quoteInfoFromQuote(symbol: string, q: YahooQuoteLike): QuoteInfo {
  const kind = KIND_BY_QUOTE_TYPE[q.quoteType];
  if (!kind) throw new UnsupportedInstrumentError(symbol, q.quoteType);
  if (typeof q.currency !== 'string' || q.currency === '') {
    throw new UpstreamInvalidResponseError(symbol, `Yahoo quote for ${symbol} has no currency`);
  }
  if (!IANAZone.isValidZone(q.exchangeTimezoneName)) {
    throw new UpstreamInvalidResponseError(
      symbol,
      `Yahoo quote for ${symbol} has an invalid exchangeTimezoneName (${q.exchangeTimezoneName})`,
    );
  }
  return {
    symbol,
    name: q.longName || q.shortName || q.displayName || symbol,
    exchange: q.exchange,
    currency: q.currency,
    timeZone: q.exchangeTimezoneName,
    kind,
    price: finiteOrNull(q.regularMarketPrice),
    marketCap: finiteOrNull(q.marketCap),
    sharesOutstanding: finiteOrNull(q.sharesOutstanding),
  };
}

/** News items of a search result; an item naming no ticker is about the symbol searched for. */
export function newsFromSearch(symbol: string, news: readonly SearchNews[]): NewsInput[] {
  return news.map((n) => ({
    url: n.link,
    title: n.title,
    publisher: n.publisher || null,
    publishedAt: n.providerPublishTime,
    dateOnly: false,
    symbols: n.relatedTickers && n.relatedTickers.length > 0 ? [...n.relatedTickers] : [symbol],
  }));
}

/**
 * The quote entries of a search result that are instruments the app models. Read field by field, not through the
 * library's schema: Yahoo's quote entries drift (typeDisp 'equity' where 3.15 wants 'Equity'), so the search runs
 * unvalidated and anything without a symbol or of another kind (fund, option, crypto, news entity) is dropped.
 */
export function symbolMatchesFromSearch(quotes: unknown): SymbolMatch[] {
  if (!Array.isArray(quotes)) return [];
  const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  const out: SymbolMatch[] = [];
  for (const q of quotes as Record<string, unknown>[]) {
    const symbol = text(q?.symbol);
    const kind = KIND_BY_QUOTE_TYPE[String(q?.quoteType ?? '').toUpperCase()];
    if (!symbol || !kind || out.some((m) => m.symbol === symbol)) continue;
    const exchange = text(q.exchange) ?? '';
    out.push({
      symbol,
      name: text(q.longname) ?? text(q.shortname) ?? symbol,
      exchange,
      exchangeDisplay: text(q.exchDisp) ?? exchange,
      kind,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Errors: what yahoo-finance2 throws, as the domain errors of ./errors

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function isErrorLike(err: unknown): err is Error {
  return typeof err === 'object' && err !== null && typeof (err as { name?: unknown }).name === 'string' && 'message' in err;
}

function causeCode(err: Error): string | undefined {
  const c = (err as { cause?: unknown }).cause;
  if (c && typeof c === 'object' && 'code' in c && typeof (c as { code: unknown }).code === 'string') return (c as { code: string }).code;
  return undefined;
}

/**
 * Maps an error thrown by a yahoo-finance2 call (3.x; its error classes are not exported, so this goes by
 * `err.name` and message) to a domain error. Errors that signal a bug on our side (InvalidOptionsError)
 * are returned unchanged.
 */
export function mapYahooError(err: unknown, symbol: string, ctx: UpstreamCallContext = {}): unknown {
  if (err instanceof MarketDataError) return err;
  // Duck-typed, not `instanceof Error`: errors from fetch can come from another realm (e.g. under jest).
  if (!isErrorLike(err)) {
    return new UpstreamInvalidResponseError(symbol, `yahoo-finance2 threw a non-error value: ${String(err)}`, { cause: err });
  }
  const name = err.name;
  const msg = typeof err.message === 'string' ? err.message : '';

  if (name === 'RequestTimeoutError') return new UpstreamUnavailableError(symbol, 'timeout', msg, { cause: err });
  if (name === 'TimeoutError') return new UpstreamUnavailableError(symbol, 'timeout', `request timed out: ${msg}`, { cause: err });
  if (name === 'AbortError') return new UpstreamUnavailableError(symbol, 'aborted', `request aborted: ${msg}`, { cause: err });
  if (name === 'InvalidOptionsError') return err;
  if (name === 'FailedYahooValidationError') {
    return new UpstreamInvalidResponseError(symbol, `Yahoo response for ${symbol} failed schema validation`, {
      cause: err,
      retryable: false,
      validationErrors: (err as { errors?: unknown }).errors,
    });
  }

  // The library throws HTTPError (with .code) for a non-ok response whose body is not a Yahoo error object,
  // but a plain Error(description) when the body is one ({"chart":{"error":{...}}}), losing the status;
  // the fetch seam's record of the last status fills that gap.
  let status: number | undefined;
  const code = (err as { code?: unknown }).code;
  if (name === 'HTTPError' && typeof code === 'number') status = code;
  const crumbFail = /Failed to get crumb, status (\d{3})/.exec(msg);
  if (crumbFail) status = Number(crumbFail[1]);
  if (status === undefined && ctx.lastStatus !== undefined && ctx.lastStatus >= 400) status = ctx.lastStatus;

  if (/No data found, symbol may be delisted/i.test(msg)) {
    return new UnknownSymbolError(symbol, `Yahoo does not know ${symbol}: ${msg}`, { status: status ?? 404, cause: err });
  }
  if (status === 429)
    return new UpstreamRateLimitedError(symbol, `Yahoo rate limited the request for ${symbol} (HTTP 429)`, { cause: err });
  if (status !== undefined && status >= 500) {
    return new UpstreamUnavailableError(symbol, 'http', `Yahoo answered HTTP ${status} for ${symbol}`, { status, cause: err });
  }
  if (status === 401 || status === 403) {
    return new UpstreamRejectedError(symbol, `Yahoo rejected the request for ${symbol} (HTTP ${status}: ${truncate(msg)})`, {
      status,
      cause: err,
      retryable: true,
    });
  }
  if (status !== undefined && status >= 400) {
    return new UpstreamRejectedError(symbol, `Yahoo rejected the request for ${symbol} (HTTP ${status}: ${truncate(msg)})`, {
      status,
      cause: err,
    });
  }

  const cc = causeCode(err);
  if ((name === 'TypeError' && /fetch failed|terminated|other side closed/i.test(msg)) || (cc !== undefined && NETWORK_CODES.has(cc))) {
    return new UpstreamUnavailableError(symbol, 'network', `network error talking to Yahoo for ${symbol}: ${msg}${cc ? ` (${cc})` : ''}`, {
      cause: err,
    });
  }
  if (/where we expect JSON, but the response was not parsable/.test(msg)) {
    return new UpstreamInvalidResponseError(symbol, `Yahoo sent a body that is not JSON for ${symbol}`, { cause: err, retryable: true });
  }
  return new UpstreamInvalidResponseError(symbol, `unexpected response from Yahoo for ${symbol}: ${truncate(msg)}`, {
    cause: err,
    retryable: false,
  });
}

function truncate(s: string, n = 200): string {
  return s.length > n ? `${s.slice(0, n)}...` : s;
}
