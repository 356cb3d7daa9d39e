// The instruments Aftershock tracks out of the box: the DeepSeek case's stocks, their benchmarks and USD/JPY.
import type { InstrumentKind } from '../marketdata/types';

export interface InstrumentSpec {
  symbol: string;
  name: string;
  /** session rules: US (NYSE/Nasdaq hours), TSE (Tokyo), FX */
  exchange: 'US' | 'TSE' | 'FX';
  currency: string;
  timeZone: string;
  kind: InstrumentKind;
  benchmarkSymbol: string | null;
}

export const DEFAULT_INSTRUMENTS: readonly InstrumentSpec[] = [
  { symbol: 'NVDA', name: 'NVIDIA Corporation', exchange: 'US', currency: 'USD', timeZone: 'America/New_York', kind: 'equity', benchmarkSymbol: '^GSPC' },
  { symbol: '6857.T', name: 'Advantest Corporation', exchange: 'TSE', currency: 'JPY', timeZone: 'Asia/Tokyo', kind: 'equity', benchmarkSymbol: '^N225' },
  { symbol: '9984.T', name: 'SoftBank Group Corp.', exchange: 'TSE', currency: 'JPY', timeZone: 'Asia/Tokyo', kind: 'equity', benchmarkSymbol: '^N225' },
  { symbol: '8035.T', name: 'Tokyo Electron Limited', exchange: 'TSE', currency: 'JPY', timeZone: 'Asia/Tokyo', kind: 'equity', benchmarkSymbol: '^N225' },
  { symbol: '^GSPC', name: 'S&P 500', exchange: 'US', currency: 'USD', timeZone: 'America/New_York', kind: 'index', benchmarkSymbol: null },
  { symbol: '^IXIC', name: 'Nasdaq Composite', exchange: 'US', currency: 'USD', timeZone: 'America/New_York', kind: 'index', benchmarkSymbol: null },
  { symbol: '^N225', name: 'Nikkei 225', exchange: 'TSE', currency: 'JPY', timeZone: 'Asia/Tokyo', kind: 'index', benchmarkSymbol: null },
  // SMH stands in for the Philadelphia Semiconductor index (^SOX), for which no daily series was found
  { symbol: 'SMH', name: 'VanEck Semiconductor ETF', exchange: 'US', currency: 'USD', timeZone: 'America/New_York', kind: 'etf', benchmarkSymbol: '^GSPC' },
  // Yahoo's JPY=X is yen per US dollar; its daily bar is dated in London time like all Yahoo FX
  { symbol: 'JPY=X', name: 'USD/JPY', exchange: 'FX', currency: 'JPY', timeZone: 'Europe/London', kind: 'fx', benchmarkSymbol: null },
];

/** Default benchmark for a market when an instrument is added without one. */
export function defaultBenchmarkFor(exchange: string): string | null {
  if (exchange === 'US') return '^GSPC';
  if (exchange === 'TSE') return '^N225';
  return null;
}

/** The USD/JPY series used to convert yen amounts to dollars. */
export const USDJPY_SYMBOL = 'JPY=X';
