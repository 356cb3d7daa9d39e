// How Yahoo's answers become ours: chart results to daily and intraday bars (dated in the exchange's calendar),
// quotes to QuoteInfo, search news to NewsInput. Pure functions of what yahoo-finance2 returns.
import type { ChartResultArray } from 'yahoo-finance2/script/src/modules/chart';
import type { SearchNews } from 'yahoo-finance2/script/src/modules/search';
import { DateTime, IANAZone } from 'luxon';

import type { DailyBarInput, InstrumentKind, IntradayBarInput, NewsInput, QuoteInfo } from './types';
import type { DailyRange, IntradayInterval, IntradayRange } from './provider';
import { UnsupportedInstrumentError, UpstreamInvalidResponseError } from './errors';

const INTERVAL_MS: Record<IntradayInterval, number> = { '5m': 300_000, '15m': 900_000, '1h': 3_600_000 };

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
export function exchangeDate(instant: Date, zone: string): string {
  const d = DateTime.fromJSDate(instant, { zone });
  if (!d.isValid) throw new RangeError(`cannot place ${instant.toISOString()} in zone ${zone}`);
  return d.toISODate() as string;
}

type ChartQuote = { date: Date; open: number | null; high: number | null; low: number | null; close: number | null; volume: number | null; adjclose?: number | null };

/**
 * Daily bars dated in the exchange's calendar (meta.exchangeTimezoneName), bars with a null close dropped,
 * one bar per date (the last one Yahoo sent wins), only dates within `range`. A bar of the session that is
 * still running (the current trading period has not ended at `now`) is flagged provisional.
 */
export function dailyBarsFromChart(symbol: string, chart: ChartResultArray, range: DailyRange, now: Date): DailyBarInput[] {
  const zone = exchangeZone(symbol, chart.meta);
  const regular = chart.meta.currentTradingPeriod?.regular;
  // (duck-typed dates: the library builds them, possibly in another realm under a test runner)
  const liveDate = regular && isDate(regular.end) && isDate(regular.start) && now.getTime() < regular.end.getTime() ? exchangeDate(regular.start, zone) : undefined;

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
    throw new UpstreamInvalidResponseError(symbol, `Yahoo quote for ${symbol} has an invalid exchangeTimezoneName (${q.exchangeTimezoneName})`);
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
