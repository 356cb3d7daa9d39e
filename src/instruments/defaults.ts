// The instruments Aftershock tracks out of the box: the DeepSeek case's stocks, their benchmarks and USD/JPY
// (data/market), and the same day's world listings with their indices and FX series (data/global).
import type { InstrumentKind } from '../marketdata/types';
import { listingFacts, type MarketCode } from '../markets';

export interface InstrumentSpec {
  symbol: string;
  name: string;
  /**
   * the market code of src/markets (US, TSE, FX, PAR, KOSPI, HKEX...) whose sessions the instrument follows; for a
   * market Aftershock does not know, the provider's own exchange name (e.g. 'STX'): daily bars, no day 0
   */
  exchange: MarketCode | (string & {});
  currency: string;
  timeZone: string;
  kind: InstrumentKind;
  benchmarkSymbol: string | null;
}

const DEFAULT_INSTRUMENTS: readonly InstrumentSpec[] = [
  {
    symbol: 'NVDA',
    name: 'NVIDIA Corporation',
    exchange: 'US',
    currency: 'USD',
    timeZone: 'America/New_York',
    kind: 'equity',
    benchmarkSymbol: '^GSPC',
  },
  {
    symbol: '6857.T',
    name: 'Advantest Corporation',
    exchange: 'TSE',
    currency: 'JPY',
    timeZone: 'Asia/Tokyo',
    kind: 'equity',
    benchmarkSymbol: '^N225',
  },
  {
    symbol: '9984.T',
    name: 'SoftBank Group Corp.',
    exchange: 'TSE',
    currency: 'JPY',
    timeZone: 'Asia/Tokyo',
    kind: 'equity',
    benchmarkSymbol: '^N225',
  },
  {
    symbol: '8035.T',
    name: 'Tokyo Electron Limited',
    exchange: 'TSE',
    currency: 'JPY',
    timeZone: 'Asia/Tokyo',
    kind: 'equity',
    benchmarkSymbol: '^N225',
  },
  { symbol: '^GSPC', name: 'S&P 500', exchange: 'US', currency: 'USD', timeZone: 'America/New_York', kind: 'index', benchmarkSymbol: null },
  {
    symbol: '^IXIC',
    name: 'Nasdaq Composite',
    exchange: 'US',
    currency: 'USD',
    timeZone: 'America/New_York',
    kind: 'index',
    benchmarkSymbol: null,
  },
  { symbol: '^N225', name: 'Nikkei 225', exchange: 'TSE', currency: 'JPY', timeZone: 'Asia/Tokyo', kind: 'index', benchmarkSymbol: null },
  // SMH stands in for the Philadelphia Semiconductor index (^SOX), for which no daily series was found
  {
    symbol: 'SMH',
    name: 'VanEck Semiconductor ETF',
    exchange: 'US',
    currency: 'USD',
    timeZone: 'America/New_York',
    kind: 'etf',
    benchmarkSymbol: '^GSPC',
  },
  // Yahoo's JPY=X is yen per US dollar; its daily bar is dated in London time like all Yahoo FX
  { symbol: 'JPY=X', name: 'USD/JPY', exchange: 'FX', currency: 'JPY', timeZone: 'Europe/London', kind: 'fx', benchmarkSymbol: null },
];

/**
 * The world listings of 27 Jan 2025 in data/global (see its SOURCES.md). SK hynix's benchmark ^KS11 has no bundled
 * series (none was found), so it has no market model there; ^STOXX50E is calculated in Zurich, on no market
 * Aftershock keeps sessions for.
 */
const GLOBAL_INSTRUMENTS: readonly InstrumentSpec[] = [
  {
    symbol: 'SU.PA',
    name: 'Schneider Electric S.E.',
    exchange: 'PAR',
    currency: 'EUR',
    timeZone: 'Europe/Paris',
    kind: 'equity',
    benchmarkSymbol: '^FCHI',
  },
  {
    symbol: '000660.KS',
    name: 'SK hynix Inc.',
    exchange: 'KOSPI',
    currency: 'KRW',
    timeZone: 'Asia/Seoul',
    kind: 'equity',
    benchmarkSymbol: '^KS11',
  },
  {
    symbol: '2330.TW',
    name: 'Taiwan Semiconductor Manufacturing Company Limited',
    exchange: 'TWSE',
    currency: 'TWD',
    timeZone: 'Asia/Taipei',
    kind: 'equity',
    benchmarkSymbol: '^TWII',
  },
  {
    symbol: '0700.HK',
    name: 'Tencent Holdings Limited',
    exchange: 'HKEX',
    currency: 'HKD',
    timeZone: 'Asia/Hong_Kong',
    kind: 'equity',
    benchmarkSymbol: '^HSI',
  },
  {
    symbol: '9988.HK',
    name: 'Alibaba Group Holding Limited',
    exchange: 'HKEX',
    currency: 'HKD',
    timeZone: 'Asia/Hong_Kong',
    kind: 'equity',
    benchmarkSymbol: '^HSI',
  },
  {
    symbol: '600519.SS',
    name: 'Kweichow Moutai Co., Ltd.',
    exchange: 'SSE',
    currency: 'CNY',
    timeZone: 'Asia/Shanghai',
    kind: 'equity',
    benchmarkSymbol: '000001.SS',
  },
  { symbol: '^FCHI', name: 'CAC 40', exchange: 'PAR', currency: 'EUR', timeZone: 'Europe/Paris', kind: 'index', benchmarkSymbol: null },
  {
    symbol: '^GDAXI',
    name: 'DAX Performance Index',
    exchange: 'XETRA',
    currency: 'EUR',
    timeZone: 'Europe/Berlin',
    kind: 'index',
    benchmarkSymbol: null,
  },
  {
    symbol: '^STOXX50E',
    name: 'EURO STOXX 50',
    exchange: 'STX',
    currency: 'EUR',
    timeZone: 'Europe/Zurich',
    kind: 'index',
    benchmarkSymbol: null,
  },
  {
    symbol: '^TWII',
    name: 'TSEC weighted index',
    exchange: 'TWSE',
    currency: 'TWD',
    timeZone: 'Asia/Taipei',
    kind: 'index',
    benchmarkSymbol: null,
  },
  {
    symbol: '^HSI',
    name: 'Hang Seng Index',
    exchange: 'HKEX',
    currency: 'HKD',
    timeZone: 'Asia/Hong_Kong',
    kind: 'index',
    benchmarkSymbol: null,
  },
  {
    symbol: '000001.SS',
    name: 'SSE Composite Index',
    exchange: 'SSE',
    currency: 'CNY',
    timeZone: 'Asia/Shanghai',
    kind: 'index',
    benchmarkSymbol: null,
  },
  // Yahoo quotes EURUSD=X in dollars per euro, KRW=X, HKD=X and CNY=X in units per dollar (marketdata/yahooFx's yahooFxSeriesOf)
  { symbol: 'EURUSD=X', name: 'EUR/USD', exchange: 'FX', currency: 'USD', timeZone: 'Europe/London', kind: 'fx', benchmarkSymbol: null },
  { symbol: 'KRW=X', name: 'USD/KRW', exchange: 'FX', currency: 'KRW', timeZone: 'Europe/London', kind: 'fx', benchmarkSymbol: null },
  { symbol: 'HKD=X', name: 'USD/HKD', exchange: 'FX', currency: 'HKD', timeZone: 'Europe/London', kind: 'fx', benchmarkSymbol: null },
  { symbol: 'CNY=X', name: 'USD/CNY', exchange: 'FX', currency: 'CNY', timeZone: 'Europe/London', kind: 'fx', benchmarkSymbol: null },
];

/** Everything the bundled folders hold; each import stores those whose bar file is in the folder it reads. */
export const BUNDLED_INSTRUMENTS: readonly InstrumentSpec[] = [...DEFAULT_INSTRUMENTS, ...GLOBAL_INSTRUMENTS];

/** The bundled folders `npm start` imports on first start, relative to the project root. */
export const BUNDLED_DATA_DIRS = ['data/market', 'data/global'] as const;

/** Default benchmark for a market when an instrument is added without one (the registry's; null when unknown). */
export function defaultBenchmarkFor(exchange: MarketCode | null): string | null {
  return exchange === null ? null : listingFacts(exchange).benchmark;
}
