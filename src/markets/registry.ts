// The world-market registry: every market the app knows, and how a Yahoo symbol or exchange name maps to one.
import { ASIA_PACIFIC_MARKETS } from './marketsAsiaPacific';
import { WEST_MARKETS } from './marketsWest';
import { HOLIDAY_CALENDAR_YEARS } from './holidays';
import type { ExchangeCode, MarketCode, WorldMarket, WorldMarketCode } from './types';

export const WORLD_MARKETS: Readonly<Record<WorldMarketCode, WorldMarket>> = Object.fromEntries(
  [...WEST_MARKETS, ...ASIA_PACIFIC_MARKETS].map((m) => [m.code, m]),
) as Record<WorldMarketCode, WorldMarket>;

export const WORLD_MARKET_CODES = Object.keys(WORLD_MARKETS) as WorldMarketCode[];

/** What the original three calendars (exchanges.ts keeps their sessions) carry of the world-market facts. */
export interface ListingFacts {
  code: MarketCode;
  currency: string;
  quoteCurrency?: string;
  /** null for FX, which has no benchmark */
  benchmark: string | null;
  yahooSuffixes: readonly string[];
  yahooExchangeNames: readonly string[];
}

const ORIGINAL_FACTS: Readonly<Record<ExchangeCode, ListingFacts>> = {
  US: {
    code: 'US',
    currency: 'USD',
    benchmark: '^GSPC',
    yahooSuffixes: [],
    // Nasdaq tiers (NMS, NGM, NCM), NYSE (NYQ), NYSE Arca (PCX), NYSE American (ASE), Cboe BZX (BTS), index feeds
    yahooExchangeNames: [
      'NMS',
      'NGM',
      'NCM',
      'NYQ',
      'NYS',
      'NYSE',
      'NASDAQ',
      'NAS',
      'PCX',
      'ASE',
      'BTS',
      'BATS',
      'NIM',
      'SNP',
      'DJI',
      'CBT',
      'WCB',
      'NasdaqGS',
      'NasdaqGM',
      'NasdaqCM',
      'NYSEArca',
      'NYSE American',
      'Cboe US',
    ],
  },
  TSE: {
    code: 'TSE',
    currency: 'JPY',
    benchmark: '^N225',
    yahooSuffixes: ['.T'],
    yahooExchangeNames: ['JPX', 'TYO', 'TSE', 'OSA', 'JPN', 'Tokyo', 'Osaka'],
  },
  FX: { code: 'FX', currency: 'USD', benchmark: null, yahooSuffixes: ['=X'], yahooExchangeNames: ['CCY'] },
};

/** Currency, benchmark and Yahoo codes of any market code. */
export function listingFacts(code: MarketCode): ListingFacts {
  const facts = (ORIGINAL_FACTS as Record<string, ListingFacts>)[code] ?? (WORLD_MARKETS as Record<string, WorldMarket>)[code];
  if (!facts) throw new RangeError(`unknown market code: ${String(code)}`);
  return facts;
}

const ALL_FACTS: readonly ListingFacts[] = [...Object.values(ORIGINAL_FACTS), ...Object.values(WORLD_MARKETS)];

const BY_SUFFIX = new Map<string, MarketCode>();
const BY_EXCHANGE_NAME = new Map<string, MarketCode>();
const BY_BENCHMARK = new Map<string, MarketCode>();
for (const f of ALL_FACTS) {
  for (const s of f.yahooSuffixes) BY_SUFFIX.set(s.toUpperCase(), f.code);
  for (const n of f.yahooExchangeNames) if (!BY_EXCHANGE_NAME.has(n.toUpperCase())) BY_EXCHANGE_NAME.set(n.toUpperCase(), f.code);
  if (f.benchmark) BY_BENCHMARK.set(f.benchmark.toUpperCase(), f.code);
}

/**
 * The market of a Yahoo symbol from its suffix ('SU.PA' -> PAR, '2330.TW' -> TWSE, '8035.T' -> TSE) or, for
 * an index ('^FCHI'), from the benchmark table. A symbol with neither (e.g. 'NVDA') gives null: New York has
 * no suffix, so pair this with marketOfYahooExchange for US listings.
 */
export function marketOfYahooSymbol(symbol: string): MarketCode | null {
  const upper = symbol.trim().toUpperCase();
  const benchmark = BY_BENCHMARK.get(upper);
  if (benchmark) return benchmark;
  if (upper.endsWith('=X')) return 'FX';
  const dot = upper.lastIndexOf('.');
  if (dot <= 0) return null;
  return BY_SUFFIX.get(upper.slice(dot)) ?? null;
}

/** The market of a Yahoo `exchange`/`exchangeName` code ('NMS', 'PAR', 'KSC') or `fullExchangeName` ('XETRA'). */
export function marketOfYahooExchange(exchangeName: string): MarketCode | null {
  return BY_EXCHANGE_NAME.get(exchangeName.trim().toUpperCase()) ?? null;
}

export interface HolidayCoverage {
  code: MarketCode;
  /** first and last date the holiday calendar is complete for */
  from: string;
  to: string;
  source: string;
}

/** Which dates each market's holiday calendar covers, for the README and for staleness decisions. */
export function holidayCoverageTable(): HolidayCoverage[] {
  const first = `${HOLIDAY_CALENDAR_YEARS[0]}-01-01`;
  const last = `${HOLIDAY_CALENDAR_YEARS[HOLIDAY_CALENDAR_YEARS.length - 1]}-12-31`;
  const original: HolidayCoverage[] = [
    { code: 'US', from: first, to: last, source: 'NYSE holiday and early-close calendar, as published (holidays.ts)' },
    { code: 'TSE', from: first, to: last, source: 'JPX holiday calendar, as published (holidays.ts)' },
    { code: 'FX', from: first, to: last, source: "Yahoo's FX bars: every weekday but 1 Jan (holidays.ts)" },
  ];
  return [...original, ...Object.values(WORLD_MARKETS).map((m) => ({ code: m.code, ...m.calendar.covers, source: m.calendar.source }))];
}
