import type { DailyBarInput, IntradayBarInput, NewsInput, QuoteInfo, SymbolMatch } from './types';

/** Exchange-local calendar dates, both inclusive, YYYY-MM-DD. */
export interface DailyRange {
  from: string;
  to: string;
}

export type IntradayInterval = '1m' | '5m' | '15m' | '1h';

export const INTRADAY_INTERVALS: readonly IntradayInterval[] = ['1m', '5m', '15m', '1h'];

/** Every interval the bars store holds: daily bars ('1d') and the intraday ones. */
export const BAR_INTERVALS = ['1d', ...INTRADAY_INTERVALS] as const;

/** Instants; bars whose start lies in [from, to) are returned. */
export interface IntradayRange {
  interval: IntradayInterval;
  from: Date;
  to: Date;
}

/**
 * What the rest of the app knows about a source of prices and news. Implementations throw the domain
 * errors of ./errors (UnknownSymbolError, UpstreamRateLimitedError, UpstreamUnavailableError,
 * UpstreamInvalidResponseError, ...), never a library's own error.
 */
export interface MarketDataProvider {
  readonly name: string;
  /** Daily bars dated in the exchange's own calendar, ascending by date, one per date. */
  getDailyBars(symbol: string, range: DailyRange): Promise<DailyBarInput[]>;
  getIntradayBars(symbol: string, range: IntradayRange): Promise<IntradayBarInput[]>;
  getQuote(symbol: string): Promise<QuoteInfo>;
  searchNews(symbol: string): Promise<NewsInput[]>;
  /** Symbols whose name or ticker matches `query`, best first; only kinds the app models (equity, ETF, index, FX). */
  searchSymbols(query: string): Promise<SymbolMatch[]>;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** true for a real calendar date written YYYY-MM-DD (2025-02-30 is rejected). */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** Throws a RangeError (a caller bug, not an upstream problem) for a malformed or inverted range. */
export function assertDailyRange(range: DailyRange): void {
  if (!isIsoDate(range.from)) throw new RangeError(`invalid 'from' date ${JSON.stringify(range.from)} (want YYYY-MM-DD)`);
  if (!isIsoDate(range.to)) throw new RangeError(`invalid 'to' date ${JSON.stringify(range.to)} (want YYYY-MM-DD)`);
  if (range.from > range.to) throw new RangeError(`'from' ${range.from} is after 'to' ${range.to}`);
}

export function assertIntradayRange(range: IntradayRange): void {
  if (!INTRADAY_INTERVALS.includes(range.interval)) {
    throw new RangeError(`unsupported intraday interval ${JSON.stringify(range.interval)} (want ${INTRADAY_INTERVALS.join(', ')})`);
  }
  if (!(range.from instanceof Date) || Number.isNaN(range.from.getTime())) throw new RangeError(`invalid 'from' instant`);
  if (!(range.to instanceof Date) || Number.isNaN(range.to.getTime())) throw new RangeError(`invalid 'to' instant`);
  if (range.from.getTime() >= range.to.getTime()) throw new RangeError(`'from' must be before 'to'`);
}
