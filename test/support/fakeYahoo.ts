// A local stand-in for Yahoo Finance: a real HTTP server on 127.0.0.1 that answers the requests
// yahoo-finance2 makes (chart v8, quote v7, search v1, the cookie page and getcrumb) in Yahoo's wire
// format, built from CSV bars, with scriptable faults and a request log.
//
// Point a YahooProvider at it with `new YahooProvider({ baseUrl: fake.baseUrl })`.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';

import type { DailyBarInput } from '../../src/marketdata/types';
import { csvFileForSymbol, parseBarsCsv } from '../../src/marketdata/csvProvider';

export type FakeRoute = 'chart' | 'quote' | 'search' | 'cookie' | 'crumb';

export type FakeFault =
  /** answer with this status (default body: Yahoo-like text for 429/5xx) */
  | { status: number; body?: string; contentType?: string }
  /** answer 200 (or `status`) with this raw body, e.g. 'not json' */
  | { body: string; status?: number; contentType?: string }
  /** the normal answer, altered so that yahoo-finance2's schema validation rejects it */
  | { schemaInvalid: true }
  /** never answer; the socket stays open until the client gives up */
  | { hang: true }
  /** send status and headers, then never finish the body */
  | { hangAfterHeaders: true }
  /** the normal answer, after a delay */
  | { delayMs: number };

export interface FakeSymbolMeta {
  currency: string;
  /** Yahoo's exchange code (chart meta exchangeName, quote exchange), e.g. 'NMS', 'JPX' */
  exchangeName: string;
  fullExchangeName?: string;
  /** chart meta instrumentType and quote quoteType: EQUITY, ETF, INDEX, CURRENCY, MUTUALFUND, ... */
  instrumentType: string;
  exchangeTimezoneName: string;
  /** Yahoo's short zone name (meta.timezone), e.g. 'JST'; default from the zone */
  timezoneShort?: string;
  /** regular session, exchange-local HH:mm */
  sessionOpen: string;
  sessionClose: string;
  preMarketOpen?: string;
  postMarketClose?: string;
  longName?: string;
  shortName?: string;
  marketCap?: number;
  sharesOutstanding?: number;
  priceHint?: number;
  market?: string;
}

export interface FakeNewsItem {
  title: string;
  link: string;
  publisher: string;
  publishedAt: Date;
  relatedTickers?: string[];
  uuid?: string;
}

export interface FakeRequest {
  route: FakeRoute | 'other';
  method: string;
  /** path as received, e.g. '/v8/finance/chart/6857.T' */
  path: string;
  query: Record<string, string>;
  symbol?: string;
  /** the Yahoo host the client meant (x-forwarded-host set by the provider's fetch seam) */
  host?: string;
  cookie?: string;
  status?: number;
  fault?: string;
  startedAt: number;
  endedAt?: number;
}

export interface FakeYahooOptions {
  /** the fake's clock: what "now" is for sessions, live bars and currentTradingPeriod (default: system clock) */
  now?: () => Date;
  /** delay before every answer */
  latencyMs?: number;
  /**
   * refuse intraday requests as Yahoo does: older than its history (1m: 30 days, 5m/15m: 60, 1h: 730) or, for 1m,
   * more than 7 days in one request (default false: the older tests ask for 2025 bars at today's clock)
   */
  yahooLimits?: boolean;
}

/** Bars served for one interval of a symbol instead of the ones made from its daily bars (addIntradayBars). */
export interface FakeIntradayBar {
  ts: Date;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  volume: number | null;
}

/** How many days back Yahoo serves an intraday interval. */
const YAHOO_HISTORY_DAYS: Record<string, number> = { '1m': 30, '2m': 60, '5m': 60, '15m': 60, '30m': 60, '90m': 60, '60m': 730, '1h': 730 };

/** Real body of Yahoo's chart endpoint for a symbol it does not know (HTTP 404). */
const YAHOO_CHART_NOT_FOUND_BODY = JSON.stringify({
  chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } },
});
const INVALID_CRUMB_BODY = JSON.stringify({ finance: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } } });
const VALID_RANGES = ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'];
const INTERVAL_SECONDS: Record<string, number> = {
  '1m': 60,
  '2m': 120,
  '5m': 300,
  '15m': 900,
  '30m': 1800,
  '60m': 3600,
  '1h': 3600,
  '90m': 5400,
};

/** A daily bar as the fake serves it; unlike DailyBarInput the close may be null, as Yahoo's can. */
export type FakeBar = Omit<DailyBarInput, 'close'> & { close: number | null };

interface SymbolEntry {
  symbol: string;
  bars: FakeBar[];
  meta: FakeSymbolMeta;
}

interface Session {
  date: string;
  open: number; // epoch seconds
  close: number;
}

/** Meta of the instruments in data/market, as Yahoo describes them. */
export const BUNDLED_META: Record<string, FakeSymbolMeta> = {
  NVDA: {
    currency: 'USD',
    exchangeName: 'NMS',
    fullExchangeName: 'NasdaqGS',
    instrumentType: 'EQUITY',
    exchangeTimezoneName: 'America/New_York',
    sessionOpen: '09:30',
    sessionClose: '16:00',
    preMarketOpen: '04:00',
    postMarketClose: '20:00',
    longName: 'NVIDIA Corporation',
    shortName: 'NVIDIA Corporation',
    sharesOutstanding: 24_490_000_000,
    marketCap: 2_654_000_000_000,
    market: 'us_market',
  },
  SMH: {
    currency: 'USD',
    exchangeName: 'NMS',
    fullExchangeName: 'NasdaqGM',
    instrumentType: 'ETF',
    exchangeTimezoneName: 'America/New_York',
    sessionOpen: '09:30',
    sessionClose: '16:00',
    preMarketOpen: '04:00',
    postMarketClose: '20:00',
    longName: 'VanEck Semiconductor ETF',
    shortName: 'VanEck Semiconductor ETF',
    market: 'us_market',
  },
  '^GSPC': {
    currency: 'USD',
    exchangeName: 'SNP',
    fullExchangeName: 'SNP',
    instrumentType: 'INDEX',
    exchangeTimezoneName: 'America/New_York',
    sessionOpen: '09:30',
    sessionClose: '16:00',
    longName: 'S&P 500',
    shortName: 'S&P 500',
    market: 'us_market',
  },
  '^IXIC': {
    currency: 'USD',
    exchangeName: 'NIM',
    fullExchangeName: 'Nasdaq GIDS',
    instrumentType: 'INDEX',
    exchangeTimezoneName: 'America/New_York',
    sessionOpen: '09:30',
    sessionClose: '16:00',
    longName: 'NASDAQ Composite',
    shortName: 'NASDAQ Composite',
    market: 'us_market',
  },
  '^N225': {
    currency: 'JPY',
    exchangeName: 'OSA',
    fullExchangeName: 'Osaka',
    instrumentType: 'INDEX',
    timezoneShort: 'JST',
    exchangeTimezoneName: 'Asia/Tokyo',
    sessionOpen: '09:00',
    sessionClose: '15:30',
    longName: 'Nikkei 225',
    shortName: 'Nikkei 225',
    market: 'jp_market',
  },
  '6857.T': {
    currency: 'JPY',
    exchangeName: 'JPX',
    fullExchangeName: 'Tokyo',
    instrumentType: 'EQUITY',
    timezoneShort: 'JST',
    exchangeTimezoneName: 'Asia/Tokyo',
    sessionOpen: '09:00',
    sessionClose: '15:30',
    longName: 'Advantest Corporation',
    shortName: 'ADVANTEST CORP',
    market: 'jp_market',
  },
  '8035.T': {
    currency: 'JPY',
    exchangeName: 'JPX',
    fullExchangeName: 'Tokyo',
    instrumentType: 'EQUITY',
    timezoneShort: 'JST',
    exchangeTimezoneName: 'Asia/Tokyo',
    sessionOpen: '09:00',
    sessionClose: '15:30',
    longName: 'Tokyo Electron Limited',
    shortName: 'TOKYO ELECTRON LTD',
    market: 'jp_market',
  },
  '9984.T': {
    currency: 'JPY',
    exchangeName: 'JPX',
    fullExchangeName: 'Tokyo',
    instrumentType: 'EQUITY',
    timezoneShort: 'JST',
    exchangeTimezoneName: 'Asia/Tokyo',
    sessionOpen: '09:00',
    sessionClose: '15:30',
    longName: 'SoftBank Group Corp.',
    shortName: 'SOFTBANK GROUP CORP',
    market: 'jp_market',
  },
  // Yahoo's FX "sessions" run from London midnight: daily bars are stamped 00:00 Europe/London,
  // which is 23:00Z of the previous day while British Summer Time is in force.
  'JPY=X': {
    currency: 'JPY',
    exchangeName: 'CCY',
    fullExchangeName: 'CCY',
    instrumentType: 'CURRENCY',
    exchangeTimezoneName: 'Europe/London',
    sessionOpen: '00:00',
    sessionClose: '23:59',
    longName: 'USD/JPY',
    shortName: 'USD/JPY',
    priceHint: 4,
    market: 'ccy_market',
  },
};

export const BUNDLED_DATA_DIR = path.resolve(__dirname, '../../data/market');

/** Bars of a bundled file, parsed with the project's strict parser. */
export function bundledBars(symbol: string): DailyBarInput[] {
  return parseBarsCsv(readFileSync(path.join(BUNDLED_DATA_DIR, csvFileForSymbol(symbol)), 'utf8'), symbol);
}

export class FakeYahoo {
  readonly log: FakeRequest[] = [];
  private readonly server: http.Server;
  private readonly symbols = new Map<string, SymbolEntry>();
  private readonly news = new Map<string, FakeNewsItem[]>();
  /** `${symbol}|${interval}` -> bars served as they are */
  private readonly intraday = new Map<string, FakeIntradayBar[]>();
  private readonly yahooLimits: boolean;
  private readonly faults = new Map<string, FakeFault[]>();
  /** cookie value -> crumb issued for it */
  private readonly crumbs = new Map<string, string>();
  private port = 0;
  private active = 0;
  private peak = 0;
  now: () => Date;
  latencyMs: number;

  private constructor(opts: FakeYahooOptions) {
    this.now = opts.now ?? (() => new Date());
    this.latencyMs = opts.latencyMs ?? 0;
    this.yahooLimits = opts.yahooLimits ?? false;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake yahoo crashed: ${err instanceof Error ? err.stack : String(err)}`);
      });
    });
  }

  static async start(opts: FakeYahooOptions = {}): Promise<FakeYahoo> {
    const fake = new FakeYahoo(opts);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** the most requests that were ever open at once */
  get maxInFlight(): number {
    return this.peak;
  }

  get inFlight(): number {
    return this.active;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Serve `symbol` (any symbol, known to the project or not) from these bars (or bars CSV text). */
  addSymbol(symbol: string, bars: FakeBar[] | string, meta: FakeSymbolMeta): this {
    const parsed = typeof bars === 'string' ? parseBarsCsv(bars, symbol) : bars;
    this.symbols.set(symbol, { symbol, bars: [...parsed].sort((a, b) => (a.date < b.date ? -1 : 1)), meta });
    return this;
  }

  /** Serve a symbol of data/market with its bundled bars and BUNDLED_META. */
  addBundled(symbol: string): this {
    const meta = BUNDLED_META[symbol];
    if (!meta) throw new Error(`no BUNDLED_META for ${symbol}`);
    return this.addSymbol(symbol, bundledBars(symbol), meta);
  }

  /**
   * Serve these bars (e.g. the synthetic universe's) for `interval` requests of `symbol` (added with addSymbol for
   * its quote and daily bars), instead of bars made up from its daily ones; a bar starting after the fake's now is not served.
   */
  addIntradayBars(symbol: string, interval: string, bars: readonly FakeIntradayBar[]): this {
    this.intraday.set(
      `${symbol}|${interval}`,
      [...bars].sort((a, b) => a.ts.getTime() - b.ts.getTime()),
    );
    return this;
  }

  setNews(symbol: string, items: FakeNewsItem[]): this {
    this.news.set(symbol, items);
    return this;
  }

  /**
   * Queue faults for a route and symbol ('*': any symbol; 'cookie' and 'crumb' take '*'). Each request
   * consumes the next fault (symbol-specific queue first); normal service resumes when the queue is empty.
   */
  fail(route: FakeRoute, symbol: string, ...faults: FakeFault[]): this {
    const key = `${route}|${symbol}`;
    this.faults.set(key, [...(this.faults.get(key) ?? []), ...faults]);
    return this;
  }

  /** Forget every issued cookie and crumb, as when Yahoo expires them. */
  invalidateCrumbs(): void {
    this.crumbs.clear();
  }

  requests(filter: { route?: FakeRequest['route']; symbol?: string } = {}): FakeRequest[] {
    return this.log.filter(
      (r) => (filter.route === undefined || r.route === filter.route) && (filter.symbol === undefined || r.symbol === filter.symbol),
    );
  }

  count(route?: FakeRequest['route'], symbol?: string): number {
    return this.requests({ route, symbol }).length;
  }

  resetStats(): void {
    this.log.length = 0;
    this.peak = this.active;
  }

  // -------------------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.local');
    const entry: FakeRequest = {
      route: 'other',
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      startedAt: Date.now(),
    };
    const host = req.headers['x-forwarded-host'];
    if (typeof host === 'string') entry.host = host;
    if (typeof req.headers.cookie === 'string') entry.cookie = req.headers.cookie;
    this.log.push(entry);
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    res.on('close', () => {
      this.active--;
      entry.endedAt = Date.now();
    });

    let m: RegExpExecArray | null;
    if ((m = /^\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname))) {
      entry.route = 'chart';
      entry.symbol = decodeURIComponent(m[1]);
    } else if (url.pathname === '/v7/finance/quote') {
      entry.route = 'quote';
      entry.symbol = url.searchParams.get('symbols') ?? undefined;
    } else if (url.pathname === '/v1/finance/search') {
      entry.route = 'search';
      entry.symbol = url.searchParams.get('q') ?? undefined;
    } else if (url.pathname === '/v1/test/getcrumb') {
      entry.route = 'crumb';
    } else if (url.pathname.startsWith('/quote/')) {
      entry.route = 'cookie';
    }

    const send = (status: number, body: string, headers: http.OutgoingHttpHeaders = {}): void => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
      res.end(body);
    };

    if (entry.route === 'other') {
      send(404, 'Not Found', { 'content-type': 'text/plain' });
      return;
    }

    const fault = this.takeFault(entry.route, entry.symbol);
    if (fault) entry.fault = JSON.stringify(fault);
    const delay = fault && 'delayMs' in fault ? fault.delayMs : this.latencyMs;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (res.destroyed) return;

    if (fault && 'hang' in fault) return; // the client's timeout will close the socket
    if (fault && 'hangAfterHeaders' in fault) {
      entry.status = 200;
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
      res.write('{"chart":');
      return;
    }
    if (fault && ('status' in fault || 'body' in fault)) {
      const f = fault as { status?: number; body?: string; contentType?: string };
      const status = f.status ?? 200;
      const contentType = f.contentType ?? (f.body === undefined ? 'text/html;charset=utf-8' : 'application/json;charset=utf-8');
      send(status, f.body ?? defaultFaultBody(status), { 'content-type': contentType });
      return;
    }
    const schemaInvalid = fault !== undefined && 'schemaInvalid' in fault;

    switch (entry.route) {
      case 'cookie':
        return this.cookiePage(req, send);
      case 'crumb':
        return this.getCrumb(req, send);
      case 'chart':
        return this.chart(entry.symbol ?? '', url.searchParams, schemaInvalid, send);
      case 'quote':
        return this.quote(req, url.searchParams, schemaInvalid, send);
      case 'search':
        return this.search(url.searchParams, schemaInvalid, send);
    }
  }

  private takeFault(route: FakeRoute, symbol: string | undefined): FakeFault | undefined {
    for (const key of [`${route}|${symbol ?? ''}`, `${route}|*`]) {
      const q = this.faults.get(key);
      if (q && q.length > 0) return q.shift();
    }
    return undefined;
  }

  // --- crumb flow -----------------------------------------------------------------------------

  private cookiePage(_req: http.IncomingMessage, send: (s: number, b: string, h?: http.OutgoingHttpHeaders) => void): void {
    const value = `d=${randomBytes(12).toString('hex')}&S=${randomBytes(6).toString('hex')}`;
    this.crumbs.set(value, randomBytes(6).toString('base64url'));
    send(200, '<!doctype html><html><head><title>Yahoo Finance</title></head><body>fake quote page</body></html>', {
      'content-type': 'text/html; charset=utf-8',
      'set-cookie': [
        `A3=${value}; Expires=${new Date(Date.now() + 365 * 86_400_000).toUTCString()}; Max-Age=31557600; Domain=.yahoo.com; Path=/; SameSite=None; Secure; HttpOnly`,
        `A1S=${value}; Domain=.yahoo.com; Path=/; SameSite=Lax; Secure`,
      ],
    });
  }

  private cookieValue(req: http.IncomingMessage): string | undefined {
    const header = req.headers.cookie ?? '';
    const m = /(?:^|;\s*)A3=([^;]+)/.exec(header);
    return m ? m[1] : undefined;
  }

  private getCrumb(req: http.IncomingMessage, send: (s: number, b: string, h?: http.OutgoingHttpHeaders) => void): void {
    const cookie = this.cookieValue(req);
    const crumb = cookie ? this.crumbs.get(cookie) : undefined;
    if (!crumb) {
      send(401, INVALID_CRUMB_BODY);
      return;
    }
    send(200, crumb, { 'content-type': 'text/plain;charset=utf-8' });
  }

  // --- chart ----------------------------------------------------------------------------------

  private session(entry: SymbolEntry, date: string): Session {
    const zone = entry.meta.exchangeTimezoneName;
    const at = (hhmm: string) => DateTime.fromISO(`${date}T${hhmm}`, { zone }).toSeconds();
    return { date, open: at(entry.meta.sessionOpen), close: at(entry.meta.sessionClose) };
  }

  /** Bars whose session has begun by the fake's now, with their sessions. */
  private visibleBars(entry: SymbolEntry): Array<{ bar: FakeBar; session: Session }> {
    const now = this.now().getTime() / 1000;
    return entry.bars.map((bar) => ({ bar, session: this.session(entry, bar.date) })).filter((x) => x.session.open <= now);
  }

  private chartMeta(entry: SymbolEntry, interval: string): Record<string, unknown> {
    const { meta } = entry;
    const zone = meta.exchangeTimezoneName;
    const nowDt = DateTime.fromJSDate(this.now(), { zone });
    const nowS = Math.floor(nowDt.toSeconds());
    const priced = this.visibleBars(entry).filter((v) => v.bar.close !== null);
    const last = priced[priced.length - 1];
    const prev = priced[priced.length - 2];
    const highs = priced.map((v) => v.bar.high ?? (v.bar.close as number));
    const lows = priced.map((v) => v.bar.low ?? (v.bar.close as number));
    const today = this.session(entry, nowDt.toISODate() as string);
    const at = (hhmm: string | undefined, fallback: number) =>
      hhmm === undefined ? fallback : DateTime.fromISO(`${today.date}T${hhmm}`, { zone }).toSeconds();
    const gmtoffset = nowDt.offset * 60;
    const tzShort = meta.timezoneShort ?? nowDt.offsetNameShort ?? 'UTC';
    const period = (start: number, end: number) => ({ timezone: tzShort, start, end, gmtoffset });
    const firstSession = entry.bars.length > 0 ? this.session(entry, entry.bars[0].date) : undefined;
    return {
      currency: meta.currency,
      symbol: entry.symbol,
      exchangeName: meta.exchangeName,
      fullExchangeName: meta.fullExchangeName ?? meta.exchangeName,
      instrumentType: meta.instrumentType,
      firstTradeDate: firstSession ? firstSession.open : null,
      regularMarketTime: last ? Math.min(nowS, last.session.close) : nowS,
      hasPrePostMarketData: meta.preMarketOpen !== undefined,
      gmtoffset,
      timezone: tzShort,
      exchangeTimezoneName: zone,
      regularMarketPrice: last ? last.bar.close : 0,
      fiftyTwoWeekHigh: highs.length > 0 ? Math.max(...highs) : undefined,
      fiftyTwoWeekLow: lows.length > 0 ? Math.min(...lows) : undefined,
      regularMarketDayHigh: last?.bar.high ?? undefined,
      regularMarketDayLow: last?.bar.low ?? undefined,
      regularMarketVolume: last?.bar.volume ?? 0,
      longName: meta.longName,
      shortName: meta.shortName,
      chartPreviousClose: prev ? prev.bar.close : undefined,
      priceHint: meta.priceHint ?? 2,
      currentTradingPeriod: {
        pre: period(at(meta.preMarketOpen, today.open), today.open),
        regular: period(today.open, today.close),
        post: period(today.close, at(meta.postMarketClose, today.close)),
      },
      dataGranularity: interval,
      range: '',
      validRanges: VALID_RANGES,
    };
  }

  private chart(
    symbol: string,
    q: URLSearchParams,
    schemaInvalid: boolean,
    send: (s: number, b: string, h?: http.OutgoingHttpHeaders) => void,
  ): void {
    const entry = this.symbols.get(symbol);
    if (!entry) {
      send(404, YAHOO_CHART_NOT_FOUND_BODY);
      return;
    }
    const interval = q.get('interval') ?? '1d';
    const p1 = Number(q.get('period1'));
    const p2 = q.has('period2') ? Number(q.get('period2')) : this.now().getTime() / 1000;
    if (!q.has('period1') || !Number.isFinite(p1) || !Number.isFinite(p2)) {
      send(
        400,
        JSON.stringify({ chart: { result: null, error: { code: 'Bad Request', description: 'Invalid input - period1/period2' } } }),
      );
      return;
    }
    if (interval !== '1d' && !(interval in INTERVAL_SECONDS)) {
      send(
        422,
        JSON.stringify({
          chart: {
            result: null,
            error: { code: 'Unprocessable Entity', description: `Invalid input - interval=${interval} is not supported.` },
          },
        }),
      );
      return;
    }

    const nowS = this.now().getTime() / 1000;
    const historyDays = YAHOO_HISTORY_DAYS[interval];
    if (this.yahooLimits && historyDays !== undefined) {
      // Yahoo's own words (HTTP 422)
      const refuse = (description: string) =>
        send(422, JSON.stringify({ chart: { result: null, error: { code: 'Unprocessable Entity', description } } }));
      if (p1 < nowS - historyDays * 86_400) {
        refuse(
          `${interval} data not available for startTime=${p1} and endTime=${p2}. The requested range must be within the last ${historyDays} days.`,
        );
        return;
      }
      if (interval === '1m' && p2 - p1 > 7 * 86_400) {
        refuse('Only 7 days worth of 1m granularity data are allowed to be fetched per request.');
        return;
      }
    }
    const rows: Array<{
      t: number;
      open: number | null;
      high: number | null;
      low: number | null;
      close: number | null;
      volume: number | null;
      adj: number | null;
    }> = [];
    if (interval === '1d') {
      for (const { bar, session } of this.visibleBars(entry)) {
        if (session.open < p1 || session.open >= p2) continue;
        rows.push({
          t: session.open,
          open: bar.open,
          high: bar.high,
          low: bar.low,
          close: bar.close,
          volume: bar.volume,
          adj: bar.adjClose,
        });
      }
    } else if (this.intraday.has(`${symbol}|${interval}`)) {
      for (const b of this.intraday.get(`${symbol}|${interval}`) ?? []) {
        const t = b.ts.getTime() / 1000;
        if (t >= p1 && t < p2 && t <= nowS)
          rows.push({ t, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume, adj: null });
      }
    } else {
      const step = INTERVAL_SECONDS[interval];
      for (const { bar, session } of this.visibleBars(entry)) {
        if (session.close <= p1 || session.open >= p2) continue;
        rows.push(...intradayRows(bar, session, step).filter((r) => r.t >= p1 && r.t < p2 && r.t <= nowS));
      }
    }

    const meta = this.chartMeta(entry, interval);
    const result: Record<string, unknown> = { meta };
    if (rows.length > 0) {
      result.timestamp = rows.map((r) => r.t);
      result.indicators = {
        quote: [
          {
            open: rows.map((r) => r.open),
            high: rows.map((r) => r.high),
            low: rows.map((r) => r.low),
            close: rows.map((r) => r.close),
            volume: rows.map((r) => r.volume),
          },
        ],
        ...(interval === '1d' ? { adjclose: [{ adjclose: rows.map((r) => r.adj) }] } : {}),
      };
    } else {
      result.indicators = { quote: [{}], ...(interval === '1d' ? { adjclose: [{}] } : {}) };
    }
    if (schemaInvalid) {
      // a field the schema requires as a number comes as a string
      meta.regularMarketPrice = 'n/a';
    }
    send(200, JSON.stringify({ chart: { result: [result], error: null } }));
  }

  // --- quote ----------------------------------------------------------------------------------

  private quote(
    req: http.IncomingMessage,
    q: URLSearchParams,
    schemaInvalid: boolean,
    send: (s: number, b: string, h?: http.OutgoingHttpHeaders) => void,
  ): void {
    const cookie = this.cookieValue(req);
    const crumb = q.get('crumb');
    if (!cookie || !crumb || this.crumbs.get(cookie) !== crumb) {
      send(401, INVALID_CRUMB_BODY);
      return;
    }
    const symbols = (q.get('symbols') ?? '').split(',').filter(Boolean);
    const result = symbols.flatMap((s) => {
      const entry = this.symbols.get(s);
      return entry ? [this.quoteObject(entry)] : [];
    });
    if (schemaInvalid && result.length > 0) result[0].regularMarketTime = 'yesterday-ish';
    send(200, JSON.stringify({ quoteResponse: { result, error: null } }));
  }

  private quoteObject(entry: SymbolEntry): Record<string, unknown> {
    const { meta } = entry;
    const zone = meta.exchangeTimezoneName;
    const nowDt = DateTime.fromJSDate(this.now(), { zone });
    const priced = this.visibleBars(entry).filter((v) => v.bar.close !== null);
    const last = priced[priced.length - 1];
    const session = this.session(entry, nowDt.toISODate() as string);
    const nowS = nowDt.toSeconds();
    const marketState = nowS >= session.open && nowS < session.close ? 'REGULAR' : 'CLOSED';
    const quoteType = meta.instrumentType;
    const o: Record<string, unknown> = {
      language: 'en-US',
      region: 'US',
      quoteType,
      typeDisp: quoteType === 'ETF' ? 'ETF' : quoteType.charAt(0) + quoteType.slice(1).toLowerCase(),
      quoteSourceName: 'Delayed Quote',
      triggerable: quoteType !== 'INDEX',
      customPriceAlertConfidence: 'HIGH',
      currency: meta.currency,
      exchange: meta.exchangeName,
      exchangeTimezoneName: zone,
      exchangeTimezoneShortName: meta.timezoneShort ?? nowDt.offsetNameShort,
      gmtOffSetMilliseconds: nowDt.offset * 60_000,
      market: meta.market ?? 'us_market',
      esgPopulated: false,
      fullExchangeName: meta.fullExchangeName ?? meta.exchangeName,
      sourceInterval: 15,
      exchangeDataDelayedBy: 0,
      tradeable: false,
      cryptoTradeable: false,
      marketState,
      priceHint: meta.priceHint ?? 2,
      symbol: entry.symbol,
    };
    if (meta.longName !== undefined) o.longName = meta.longName;
    if (meta.shortName !== undefined) o.shortName = meta.shortName;
    if (meta.marketCap !== undefined) o.marketCap = meta.marketCap;
    if (meta.sharesOutstanding !== undefined) o.sharesOutstanding = meta.sharesOutstanding;
    if (last) {
      o.regularMarketPrice = last.bar.close;
      o.regularMarketTime = Math.floor(Math.min(nowS, last.session.close));
      if (last.bar.open !== null) o.regularMarketOpen = last.bar.open;
      if (last.bar.high !== null) o.regularMarketDayHigh = last.bar.high;
      if (last.bar.low !== null) o.regularMarketDayLow = last.bar.low;
      if (last.bar.volume !== null) o.regularMarketVolume = last.bar.volume;
      o.firstTradeDateMilliseconds = this.session(entry, entry.bars[0].date).open * 1000;
    }
    return o;
  }

  // --- search ---------------------------------------------------------------------------------

  /** As Yahoo's search: the symbol itself, else every symbol whose ticker or name contains the term (any case). */
  private symbolsMatching(term: string): SymbolEntry[] {
    const t = term.trim().toLowerCase();
    if (t === '') return [];
    const exact = [...this.symbols.values()].filter((e) => e.symbol.toLowerCase() === t);
    const named = [...this.symbols.values()].filter(
      (e) => e.symbol.toLowerCase() !== t && [e.symbol, e.meta.longName, e.meta.shortName].some((name) => name?.toLowerCase().includes(t)),
    );
    return [...exact, ...named];
  }

  private search(q: URLSearchParams, schemaInvalid: boolean, send: (s: number, b: string, h?: http.OutgoingHttpHeaders) => void): void {
    const term = q.get('q') ?? '';
    const newsCount = Number(q.get('newsCount') ?? '8');
    const quotesCount = Number(q.get('quotesCount') ?? '6');
    const quotes = quotesCount > 0 ? this.symbolsMatching(term).slice(0, quotesCount).map(searchQuote) : [];
    const news = (this.news.get(term) ?? []).slice(0, newsCount).map((n) => ({
      uuid: n.uuid ?? randomBytes(16).toString('hex'),
      title: n.title,
      publisher: n.publisher,
      link: n.link,
      providerPublishTime: Math.floor(n.publishedAt.getTime() / 1000),
      type: 'STORY',
      ...(n.relatedTickers ? { relatedTickers: n.relatedTickers } : {}),
    }));
    const body: Record<string, unknown> = {
      explains: [],
      count: quotes.length + news.length,
      quotes,
      news,
      nav: [],
      lists: [],
      researchReports: [],
      screenerFieldResults: [],
      totalTime: 12,
      timeTakenForQuotes: 400,
      timeTakenForNews: 600,
      timeTakenForAlgowatchlist: 400,
      timeTakenForPredefinedScreener: 400,
      timeTakenForCrunchbase: 400,
      timeTakenForNav: 400,
      timeTakenForResearchReports: 0,
      timeTakenForScreenerField: 0,
      timeTakenForCulturalAssets: 0,
      timeTakenForSearchLists: 0,
    };
    if (schemaInvalid) body.count = 'many';
    send(200, JSON.stringify(body));
  }
}

/** One quote entry of a search answer, as Yahoo sends it. */
function searchQuote(entry: SymbolEntry): Record<string, unknown> {
  return {
    exchange: entry.meta.exchangeName,
    shortname: entry.meta.shortName ?? entry.symbol,
    quoteType: entry.meta.instrumentType,
    symbol: entry.symbol,
    index: 'quotes',
    score: 20000,
    // lower case, as in Yahoo's answers recorded in 2026 (yahoo-finance2 3.15's schema wants 'Equity')
    typeDisp: entry.meta.instrumentType.toLowerCase(),
    longname: entry.meta.longName ?? entry.symbol,
    exchDisp: entry.meta.fullExchangeName ?? entry.meta.exchangeName,
    isYahooFinance: true,
  };
}

function defaultFaultBody(status: number): string {
  if (status === 429) return 'Too Many Requests\r\n';
  if (status === 502) return '<html><body><h1>502 Bad Gateway</h1></body></html>';
  if (status === 503) return '<html><body><h1>503 Service Unavailable</h1></body></html>';
  if (status >= 500) return '<html><body><h1>500 Internal Server Error</h1></body></html>';
  return '';
}

/** Deterministic intraday bars for one session, walking from the day's open to its close. */
function intradayRows(bar: FakeBar, session: Session, step: number) {
  if (bar.close === null) return [];
  const dayClose = bar.close;
  const slots: number[] = [];
  for (let t = session.open; t < session.close; t += step) slots.push(t);
  const n = slots.length;
  const first = bar.open ?? bar.close;
  const perSlotVolume = bar.volume === null ? null : Math.floor(bar.volume / n);
  let prevClose = first;
  return slots.map((t, k) => {
    const close = k === n - 1 ? dayClose : round4(first + ((dayClose - first) * (k + 1)) / n);
    const open = prevClose;
    prevClose = close;
    return { t, open, high: Math.max(open, close), low: Math.min(open, close), close, volume: perSlotVolume, adj: null };
  });
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
