// Market value changes of one instrument over its bars, in its (major) currency and in US dollars, with the
// note that says why amounts are missing. Used by the event study; the formulas are marketValue.ts's.
import { convertToUsd, MAX_FX_STALENESS_DAYS, marketValueChange, toMajorUnit, type FxClose, type FxSeriesByCurrency } from './marketValue';
import { barTime, type Bar } from './series';

export interface MarketValueInput {
  symbol: string;
  dailyBars: readonly Bar[];
  sharesOutstanding: number | null;
  /** Yahoo's currency of the prices: 'USD', 'JPY', 'EUR', 'GBp' (pence: divided by 100 first) */
  currency: string;
  /** FX series by major currency */
  fx: FxSeriesByCurrency;
}

export interface MarketValues {
  /** the change of bar `index` from the previous close; null amounts where they cannot be given */
  at(index: number): { local: number | null; usd: number | null };
  /** the major currency of `local` ('GBP' for a GBp quote) */
  currency: string;
  /** why amounts are missing, for the bars asked for so far; null when all were given */
  note(): string | null;
}

/** FX series by currency, with `usdJpyCloses` (the original input: yen per dollar) as JPY's when given. */
export function fxSeriesOf(fx: FxSeriesByCurrency | undefined, usdJpyCloses: readonly FxClose[] | undefined): FxSeriesByCurrency {
  return usdJpyCloses === undefined ? (fx ?? {}) : { ...fx, JPY: { name: 'USD/JPY', direction: 'units_per_usd', closes: usdJpyCloses } };
}

export function marketValues(input: MarketValueInput): MarketValues {
  const { symbol, dailyBars, sharesOutstanding, currency, fx } = input;
  const major = toMajorUnit(1, currency).currency;
  const series = fx[major];
  const missing: string[] = [];
  let reason: 'not_a_currency' | 'no_fx_series' | 'no_recent_fx_close' | null = null;
  return {
    currency: major,
    at(index) {
      if (sharesOutstanding === null || index < 1) return { local: null, usd: null };
      const raw = marketValueChange(dailyBars[index].close, dailyBars[index - 1].close, sharesOutstanding);
      if (!Number.isFinite(raw)) return { local: null, usd: null };
      const local = toMajorUnit(raw, currency).amount;
      // FX closes are daily: an intraday bar converts at its UTC date's close (a daily bar's t is its date)
      const date = barTime(dailyBars[index]).slice(0, 10);
      const usd = convertToUsd(raw, currency, fx, date);
      if (usd.usd === null) {
        reason = usd.reason;
        missing.push(date);
      }
      return { local, usd: usd.usd };
    },
    note() {
      if (sharesOutstanding === null) return `shares outstanding of ${symbol} are unknown, so market value changes are not given`;
      if (reason === null) return null;
      if (reason === 'not_a_currency') {
        return `no conversion from ${currency} to USD is available; market value changes are in ${major} only`;
      }
      if (series === undefined) return `no ${major} FX series is given, so market value changes are in ${major} only`;
      if (reason === 'no_fx_series') {
        return `no ${series.name} closes are stored (the ${major} FX series), so market value changes are in ${major} only`;
      }
      return `no ${series.name} close within ${MAX_FX_STALENESS_DAYS} days on or before ${missing.join(', ')}, so the USD amounts for those days are not given`;
    },
  };
}
