// Yahoo Finance through yahoo-finance2 3.x: one library instance (and one cookie jar) per provider, every
// HTTP request through the fetch seam of ./yahooTransport, its answers turned into ours by ./yahooMapping.

import YahooFinance from 'yahoo-finance2';

import type { DailyBarInput, IntradayBarInput, NewsInput, QuoteInfo, SymbolMatch } from './types';
import { assertDailyRange, assertIntradayRange, type DailyRange, type IntradayRange, type MarketDataProvider } from './provider';
import { UnknownSymbolError, UpstreamRejectedError, type MarketDataError } from './errors';
import {
  ConcurrencyLimiter,
  resolveRetryPolicy,
  withRetry,
  type MarketDataEventHook,
  type MarketDataOp,
  type RetryPolicy,
} from './resilience';
import { YahooTransport, type FetchLike } from './yahooTransport';
import {
  dailyBarsFromChart,
  intradayBarsFromChart,
  mapYahooError,
  newsFromSearch,
  quoteInfoFromQuote,
  symbolMatchesFromSearch,
  type YahooQuoteLike,
} from './yahooMapping';

/** The subset of a pino logger this module uses (a pino Logger fits). */
export interface LoggerLike {
  debug(obj: unknown, msg?: string, ...args: unknown[]): void;
  info(obj: unknown, msg?: string, ...args: unknown[]): void;
  warn(obj: unknown, msg?: string, ...args: unknown[]): void;
  error(obj: unknown, msg?: string, ...args: unknown[]): void;
}

export interface YahooProviderOptions {
  /**
   * Send every request the library makes (API, cookie page, crumb) to this origin instead, keeping Yahoo's
   * path and query, e.g. 'http://127.0.0.1:8123'. Unset means real Yahoo. (The app passes its config's
   * YAHOO_BASE_URL, see ./yahooFromConfig; the provider reads no environment variable itself.)
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
  /** how many symbols a name search asks Yahoo for (default 8) */
  searchCount?: number;
  /** the transport under the seam (default: globalThis.fetch at call time) */
  transport?: FetchLike;
  /** jitter source, for tests */
  random?: () => number;
}

const DAY_MS = 86_400_000;

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
  private readonly http: YahooTransport;
  private readonly policy: RetryPolicy;
  private readonly log: LoggerLike;
  private readonly onEvent?: MarketDataEventHook;
  private readonly now: () => Date;
  private readonly newsCount: number;
  private readonly searchCount: number;
  private readonly random?: () => number;

  constructor(opts: YahooProviderOptions = {}) {
    this.http = new YahooTransport({ baseUrl: opts.baseUrl, timeoutMs: opts.timeoutMs ?? 15_000, transport: opts.transport });
    this.baseUrl = this.http.baseUrl;
    this.limiter = opts.limiter ?? new ConcurrencyLimiter(opts.maxConcurrency ?? 2);
    this.policy = resolveRetryPolicy(opts.retry);
    this.log = opts.logger ?? silentLogger;
    this.onEvent = opts.onEvent;
    this.now = opts.now ?? (() => new Date());
    this.newsCount = opts.newsCount ?? 10;
    this.searchCount = opts.searchCount ?? 8;
    this.random = opts.random;
    this.yf = new YahooFinance({
      fetch: this.http.fetch as typeof fetch,
      cookieJar: this.http.cookieJar,
      logger: libraryLogger(this.log),
      versionCheck: false,
      suppressNotices: ['yahooSurvey'],
      // we report validation failures ourselves (UpstreamInvalidResponseError carries the details)
      validation: { logErrors: false },
    });
  }

  private call<T>(op: MarketDataOp, symbol: string, attempt: (mo: ModuleOptionsWithSignal) => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        const { signal, record } = this.http.beginAttempt();
        try {
          return await attempt({ fetchOptions: { signal } });
        } catch (err) {
          throw mapYahooError(err, symbol, record);
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
    await this.http.resetSession();
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
      return newsFromSearch(symbol, res.news);
    });
  }

  async searchSymbols(query: string): Promise<SymbolMatch[]> {
    return this.call('symbolSearch', query, async (mo) => {
      // unvalidated: the quote entries are where Yahoo's answers drift from the library's schema (see searchNews);
      // symbolMatchesFromSearch reads them defensively instead
      const res: unknown = await this.yf.search(query, { quotesCount: this.searchCount, newsCount: 0 }, { ...mo, validateResult: false });
      return symbolMatchesFromSearch((res as { quotes?: unknown } | null)?.quotes);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The library's own log messages

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
