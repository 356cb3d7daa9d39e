// Yahoo Finance through yahoo-finance2 3.x: one library instance (and one cookie jar) per provider,
// every HTTP request through the fetch seam below (origin rewrite, per-request timeout, cookie fix).

import YahooFinance from 'yahoo-finance2';
import type { ExtendedCookieJar as ExtendedCookieJarClass } from 'yahoo-finance2/script/src/lib/cookieJar';
import type { ChartResultArray } from 'yahoo-finance2/script/src/modules/chart';
import { DateTime, IANAZone } from 'luxon';

import type { DailyBarInput, InstrumentKind, IntradayBarInput, NewsInput, QuoteInfo } from './types';
import {
  assertDailyRange,
  assertIntradayRange,
  type DailyRange,
  type IntradayInterval,
  type IntradayRange,
  type MarketDataProvider,
} from './provider';
import {
  UnknownSymbolError,
  UnsupportedInstrumentError,
  UpstreamInvalidResponseError,
  UpstreamRejectedError,
  type MarketDataError,
} from './errors';
import {
  ConcurrencyLimiter,
  RequestTimeoutError,
  mapYahooError,
  resolveRetryPolicy,
  withRetry,
  type MarketDataEventHook,
  type MarketDataOp,
  type RetryPolicy,
  type UpstreamCallContext,
} from './resilience';

// The package exports './lib/cookieJar' (package.json "exports"), which this tsconfig's node10 resolution
// cannot see; the type comes from the file, the value from the exported subpath, so it is the very class
// the library checks with instanceof.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ExtendedCookieJar } = require('yahoo-finance2/lib/cookieJar') as { ExtendedCookieJar: typeof ExtendedCookieJarClass };
// The library keeps the crumb, and the promise of fetching it, in module state shared by all instances; once
// a crumb was served from cache that promise is never reset, so a crumb Yahoo has expired would be reused
// for the life of the process. getCrumbClear resets that state (and empties the jar it is given).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getCrumbClear } = require('yahoo-finance2/lib/getCrumb') as { getCrumbClear: (jar: ExtendedCookieJarClass) => Promise<void> };

/** The subset of a pino logger this module uses (a pino Logger fits). */
export interface LoggerLike {
  debug(obj: unknown, msg?: string, ...args: unknown[]): void;
  info(obj: unknown, msg?: string, ...args: unknown[]): void;
  warn(obj: unknown, msg?: string, ...args: unknown[]): void;
  error(obj: unknown, msg?: string, ...args: unknown[]): void;
}

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface YahooProviderOptions {
  /**
   * Send every request the library makes (API, cookie page, crumb) to this origin instead, keeping Yahoo's
   * path and query, e.g. 'http://127.0.0.1:8123'. Default: env YAHOO_BASE_URL; unset means real Yahoo.
   */
  baseUrl?: string;
  /** budget for one HTTP request, body included (default 15000) */
  timeoutMs?: number;
  /** most requests in flight at once for this provider (default 2); ignored when `limiter` is given */
  maxConcurrency?: number;
  /** share one limiter between providers */
  limiter?: ConcurrencyLimiter;
  retry?: Partial<RetryPolicy>;
  logger?: LoggerLike;
  onEvent?: MarketDataEventHook;
  /** clock used to tell whether today's session is still running (default: system clock) */
  now?: () => Date;
  /** how many news items to ask Yahoo's search for (default 10) */
  newsCount?: number;
  /** the transport under the seam (default: globalThis.fetch at call time) */
  transport?: FetchLike;
  /** jitter source, for tests */
  random?: () => number;
}

const DAY_MS = 86_400_000;
const INTERVAL_MS: Record<IntradayInterval, number> = { '5m': 300_000, '15m': 900_000, '1h': 3_600_000 };
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

const KIND_BY_QUOTE_TYPE: Record<string, InstrumentKind> = {
  EQUITY: 'equity',
  ETF: 'etf',
  INDEX: 'index',
  CURRENCY: 'fx',
};

const silentLogger: LoggerLike = { debug() {}, info() {}, warn() {}, error() {} };

type YahooFinanceInstance = InstanceType<typeof YahooFinance>;

interface ModuleOptionsWithSignal {
  fetchOptions: { signal: AbortSignal };
}

export class YahooProvider implements MarketDataProvider {
  readonly name = 'yahoo';
  readonly baseUrl: string | undefined;
  readonly limiter: ConcurrencyLimiter;

  private readonly yf: YahooFinanceInstance;
  private readonly cookieJar: InstanceType<typeof ExtendedCookieJarClass>;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly log: LoggerLike;
  private readonly onEvent?: MarketDataEventHook;
  private readonly now: () => Date;
  private readonly newsCount: number;
  private readonly transport?: FetchLike;
  private readonly random?: () => number;
  /** per-attempt records, keyed by the AbortSignal the attempt hands the library in its fetchOptions */
  private readonly attempts = new WeakMap<AbortSignal, UpstreamCallContext>();

  constructor(opts: YahooProviderOptions = {}) {
    const base = opts.baseUrl ?? (process.env.YAHOO_BASE_URL || undefined);
    this.baseUrl = base === undefined ? undefined : normaliseBaseUrl(base);
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    if (!(this.timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${opts.timeoutMs}`);
    this.limiter = opts.limiter ?? new ConcurrencyLimiter(opts.maxConcurrency ?? 2);
    this.policy = resolveRetryPolicy(opts.retry);
    this.log = opts.logger ?? silentLogger;
    this.onEvent = opts.onEvent;
    this.now = opts.now ?? (() => new Date());
    this.newsCount = opts.newsCount ?? 10;
    this.transport = opts.transport;
    this.random = opts.random;
    this.cookieJar = new ExtendedCookieJar();
    this.yf = new YahooFinance({
      fetch: this.seamFetch as typeof fetch,
      cookieJar: this.cookieJar,
      logger: libraryLogger(this.log),
      versionCheck: false,
      suppressNotices: ['yahooSurvey'],
      // we report validation failures ourselves (UpstreamInvalidResponseError carries the details)
      validation: { logErrors: false },
    });
  }

  // -------------------------------------------------------------------------------------------
  // The fetch seam: the library's `fetch` option. Every request the library makes passes here.

  private readonly seamFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const original = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const target = this.rewrite(original);
    const outer = init.signal ?? undefined;
    const ctx = outer ? this.attempts.get(outer) : undefined;

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onOuterAbort = (): void => controller.abort();
    if (outer?.aborted) controller.abort();
    else outer?.addEventListener('abort', onOuterAbort, { once: true });

    const headers = new Headers(init.headers);
    if (this.baseUrl !== undefined) headers.set('x-forwarded-host', new URL(original).host);
    const transport = this.transport ?? globalThis.fetch;
    try {
      const res = await transport(target, { ...init, headers, signal: controller.signal });
      // Read the body here, under the same timer: a server that sends headers and then stalls is a timeout too.
      const body = NULL_BODY_STATUSES.has(res.status) ? null : await res.arrayBuffer();
      if (ctx) ctx.lastStatus = res.status;
      return rewrapResponse(res, body);
    } catch (err) {
      if (timedOut) throw new RequestTimeoutError(original, this.timeoutMs);
      throw err;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  };

  private rewrite(url: string): string {
    if (this.baseUrl === undefined) return url;
    const u = new URL(url);
    const b = new URL(this.baseUrl);
    return `${b.origin}${b.pathname.replace(/\/+$/, '')}${u.pathname}${u.search}`;
  }

  // -------------------------------------------------------------------------------------------

  private call<T>(op: MarketDataOp, symbol: string, attempt: (mo: ModuleOptionsWithSignal) => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        const controller = new AbortController();
        const ctx: UpstreamCallContext = {};
        this.attempts.set(controller.signal, ctx);
        try {
          return await attempt({ fetchOptions: { signal: controller.signal } });
        } catch (err) {
          throw mapYahooError(err, symbol, ctx);
        }
      },
      {
        provider: this.name,
        symbol,
        op,
        policy: this.policy,
        classify: (e) => e,
        limiter: this.limiter,
        onEvent: this.onEvent,
        random: this.random,
        beforeRetry: (err) => this.beforeRetry(err, symbol, op),
      },
    );
  }

  private async beforeRetry(err: MarketDataError, symbol: string, op: MarketDataOp): Promise<void> {
    this.log.debug({ symbol, op, err: err.message, status: err.status }, 'yahoo request failed; retrying');
    if (err instanceof UpstreamRejectedError && (err.status === 401 || err.status === 403)) {
      // A rejected crumb: drop cookies and crumb so that the next attempt fetches fresh ones.
      await this.resetSession();
    }
  }

  /** Forget Yahoo cookies and crumb; the next request that needs them fetches new ones. */
  async resetSession(): Promise<void> {
    await getCrumbClear(this.cookieJar);
  }

  async getDailyBars(symbol: string, range: DailyRange): Promise<DailyBarInput[]> {
    assertDailyRange(range);
    // Pad by a day on each side so that every exchange's session timestamps for from..to are inside,
    // then keep what falls on from..to in the exchange's own calendar.
    const period1 = new Date(Date.parse(`${range.from}T00:00:00Z`) - DAY_MS);
    const period2 = new Date(Date.parse(`${range.to}T00:00:00Z`) + 2 * DAY_MS);
    return this.call('dailyBars', symbol, async (mo) => {
      const chart = await this.yf.chart(symbol, { period1, period2, interval: '1d', includePrePost: false, return: 'array' }, mo);
      return dailyBarsFromChart(symbol, chart, range, this.now());
    });
  }

  async getIntradayBars(symbol: string, range: IntradayRange): Promise<IntradayBarInput[]> {
    assertIntradayRange(range);
    return this.call('intradayBars', symbol, async (mo) => {
      const chart = await this.yf.chart(
        symbol,
        { period1: range.from, period2: range.to, interval: range.interval, includePrePost: false, return: 'array' },
        mo,
      );
      return intradayBarsFromChart(symbol, chart, range, this.now());
    });
  }

  async getQuote(symbol: string): Promise<QuoteInfo> {
    return this.call('quote', symbol, async (mo) => {
      const q = await this.yf.quote(symbol, {}, mo);
      if (!q) throw new UnknownSymbolError(symbol, `Yahoo has no quote for ${symbol}`);
      return quoteInfoFromQuote(symbol, q as unknown as YahooQuoteLike);
    });
  }

  async searchNews(symbol: string): Promise<NewsInput[]> {
    return this.call('news', symbol, async (mo) => {
      // quotesCount 0: we only want news, and Yahoo's quote entries are where its schema drifts (a 2026
      // recording has typeDisp 'equity' where 3.15's schema requires 'Equity', failing the whole result).
      const res = await this.yf.search(symbol, { newsCount: this.newsCount, quotesCount: 0 }, mo);
      return res.news.map((n) => ({
        url: n.link,
        title: n.title,
        publisher: n.publisher || null,
        publishedAt: n.providerPublishTime,
        dateOnly: false,
        symbols: n.relatedTickers && n.relatedTickers.length > 0 ? [...n.relatedTickers] : [symbol],
      }));
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Conversions (exported for unit tests)

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

// ---------------------------------------------------------------------------------------------
// Helpers

function normaliseBaseUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new RangeError(`baseUrl ${JSON.stringify(raw)} is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new RangeError(`baseUrl must be http(s), got ${raw}`);
  if (u.search || u.hash) throw new RangeError(`baseUrl must not carry a query or fragment: ${raw}`);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/**
 * A Response the library can use: the body already read, and `headers.getSetCookie()` returning an array of
 * this realm. Under jest the global fetch lives in another realm, and the library's cookie jar checks
 * `instanceof Array`, so without this the cookies of the crumb flow are silently dropped.
 */
function rewrapResponse(res: Response, body: ArrayBuffer | null): Response {
  const setCookies = Array.from(typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : []);
  const out = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  Object.defineProperty(out.headers, 'getSetCookie', { value: () => setCookies.slice(), configurable: true });
  return out;
}

function formatArgs(args: unknown[]): string {
  return args
    .map((a) => {
      if (typeof a === 'string') return a;
      if (a instanceof Error) return a.message;
      try {
        return JSON.stringify(a);
      } catch {
        return String(a);
      }
    })
    .join(' ');
}

/** Routes the library's own messages to our logger. Its per-instance "Requires Node >= 22" notice goes to debug. */
function libraryLogger(log: LoggerLike) {
  const tag = { lib: 'yahoo-finance2' };
  return {
    info: (...args: unknown[]) => log.debug(tag, formatArgs(args)),
    warn: (...args: unknown[]) => {
      const msg = formatArgs(args);
      if (/Unsupported environment|Requires Node/i.test(msg)) log.debug(tag, msg);
      else log.warn(tag, msg);
    },
    error: (...args: unknown[]) => log.error(tag, formatArgs(args)),
    debug: (...args: unknown[]) => log.debug(tag, formatArgs(args)),
    dir: (...args: unknown[]) => log.debug(tag, formatArgs(args)),
  };
}
