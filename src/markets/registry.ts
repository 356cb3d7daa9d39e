// The world-market registry: every market the app knows, with its currency and benchmark. Which Yahoo symbol or
// exchange name belongs to which market is the provider's knowledge (src/marketdata/yahooMarkets.ts).
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
}

const ORIGINAL_FACTS: Readonly<Record<ExchangeCode, ListingFacts>> = {
  US: { code: 'US', currency: 'USD', benchmark: '^GSPC' },
  TSE: { code: 'TSE', currency: 'JPY', benchmark: '^N225' },
  FX: { code: 'FX', currency: 'USD', benchmark: null },
};

/** Currency and benchmark of any market code. */
export function listingFacts(code: MarketCode): ListingFacts {
  const facts = (ORIGINAL_FACTS as Record<string, ListingFacts>)[code] ?? (WORLD_MARKETS as Record<string, WorldMarket>)[code];
  if (!facts) throw new RangeError(`unknown market code: ${String(code)}`);
  return facts;
}

const ALL_FACTS: readonly ListingFacts[] = [...Object.values(ORIGINAL_FACTS), ...Object.values(WORLD_MARKETS)];

const BY_BENCHMARK = new Map<string, MarketCode>();
for (const f of ALL_FACTS) if (f.benchmark) BY_BENCHMARK.set(f.benchmark.toUpperCase(), f.code);

/** The market whose default benchmark is `symbol` ('^FCHI' -> PAR, any case); null for any other symbol. */
export function marketOfBenchmark(symbol: string): MarketCode | null {
  return BY_BENCHMARK.get(symbol.trim().toUpperCase()) ?? null;
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
