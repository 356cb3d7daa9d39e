// Shared by the live-data tests (ingest, scheduler, status, CLI): made-up bars for FAKE tickers, fake
// Yahoo metadata for them, a provider wired like the app's, and a logger whose lines the test can read.
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Logger } from '../../src/logging/logger';
import { nextTradingDays, addCalendarDays, type ExchangeCode } from '../../src/markets';
import { MarketDataEventBus } from '../../src/marketdata/eventBus';
import type { IngestDeps } from '../../src/ingest/fetchAndStore';
import type { MarketDataEvent } from '../../src/marketdata/resilience';
import { YahooProvider, type YahooProviderOptions } from '../../src/marketdata/yahooProvider';
import { BUNDLED_META, type FakeBar, type FakeSymbolMeta, type FakeYahoo } from '../support/fakeYahoo';
import { FAST_RETRY } from '../marketdata/helpers';

export { FAST_RETRY };

/** Yahoo metadata for a made-up US ticker (Nasdaq, New York hours). */
export const FAKE_US_META: FakeSymbolMeta = {
  ...BUNDLED_META.NVDA,
  longName: 'Zeta Fake Corp (test ticker)',
  shortName: 'ZETA FAKE',
  sharesOutstanding: 123_456_789,
  marketCap: undefined,
};
/** ... a made-up Tokyo ticker (JPX, 09:00-15:30 JST). */
export const FAKE_TOKYO_META: FakeSymbolMeta = {
  ...BUNDLED_META['6857.T'],
  longName: 'Fake Tokyo Works (test ticker)',
  shortName: 'FAKE TOKYO',
  sharesOutstanding: 42_000_000,
};
/** ... a made-up London ticker (LSE, quoted in pence). */
export const FAKE_LONDON_META: FakeSymbolMeta = {
  currency: 'GBp',
  exchangeName: 'LSE',
  fullExchangeName: 'LSE',
  instrumentType: 'EQUITY',
  exchangeTimezoneName: 'Europe/London',
  timezoneShort: 'GMT',
  sessionOpen: '08:00',
  sessionClose: '16:30',
  longName: 'Fake London plc (test ticker)',
  shortName: 'FAKE LDN',
  sharesOutstanding: 5_000_000,
  market: 'gb_market',
};

/**
 * Made-up daily bars for a fake ticker on the trading days of `exchange` from `first` on: a deterministic
 * walk, so a test can compare what was stored with what the fake served. Test data, not market data.
 */
export function madeUpBars(symbol: string, exchange: ExchangeCode, first: string, count: number, start = 100): FakeBar[] {
  const dates = nextTradingDays(exchange, addCalendarDays(first, -1), count);
  let close = start;
  return dates.map((date, k) => {
    const open = close;
    close = Math.round(close * (1 + 0.013 * Math.sin(k * 1.7 + symbol.length)) * 100) / 100;
    return {
      symbol,
      date,
      open,
      high: Math.max(open, close) + 0.5,
      low: Math.min(open, close) - 0.5,
      close,
      adjClose: close,
      volume: 1_000_000 + k * 1000,
    };
  });
}

export interface CapturedLog {
  logger: Logger;
  lines: Array<{ level: number; msg: string; component?: string; [k: string]: unknown }>;
  warnings: () => Array<{ msg: string; component?: string; [k: string]: unknown }>;
}

/** A pino logger writing JSON lines into memory. */
export function captureLogger(level = 'info'): CapturedLog {
  const lines: CapturedLog['lines'] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      cb();
    },
  });
  const logger = pino({ level }, stream);
  return { logger, lines, warnings: () => lines.filter((l) => l.level === 40) };
}

export interface TestIngest {
  deps: IngestDeps;
  provider: YahooProvider;
  events: MarketDataEvent[];
}

/** A YahooProvider on the fake with fast retries, its events on a bus (as the app wires it) and recorded. */
export function testIngest(
  pool: IngestDeps['pool'],
  fake: FakeYahoo,
  opts: YahooProviderOptions = {},
  logger: Logger = pino({ level: 'silent' }),
): TestIngest {
  const bus = new MarketDataEventBus();
  const events: MarketDataEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const provider = new YahooProvider({ baseUrl: fake.baseUrl, timeoutMs: 2000, retry: FAST_RETRY, onEvent: bus.emit, ...opts });
  return { deps: { pool, provider, logger, events: bus }, provider, events };
}

/** Polls `check` until it returns a value that is not undefined (or fails after `ms`). */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 30_000, what = 'condition'): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
