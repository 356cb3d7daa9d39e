// Yahoo's FX series: which symbol converts a currency to US dollars, and which way Yahoo quotes it. The analysis
// core converts through whatever series it is handed (analysis/marketValue's FxSeries); the names are Yahoo's.
import { isCurrencyCode, toMajorUnit, type FxClose, type FxQuoteDirection, type FxSeries } from '../analysis/marketValue';

export interface YahooFxSeries {
  symbol: string;
  direction: FxQuoteDirection;
}

// Yahoo quotes these four against the dollar as dollars per unit (the market's own convention); every other
// currency as units per dollar, under `XXX=X`.
const USD_PER_UNIT_CURRENCIES = new Set(['EUR', 'GBP', 'AUD', 'NZD']);

/** The Yahoo FX series that converts a currency (or its major, for GBp and the like) to USD; null for USD and non-codes. */
export function yahooFxSeriesOf(currency: string): YahooFxSeries | null {
  const major = toMajorUnit(1, currency).currency;
  if (major === 'USD' || !isCurrencyCode(major)) return null;
  return USD_PER_UNIT_CURRENCIES.has(major)
    ? { symbol: `${major}USD=X`, direction: 'usd_per_unit' }
    : { symbol: `${major}=X`, direction: 'units_per_usd' };
}

/** A Yahoo FX series and its closes as the core takes them; JPY=X, the app's first, is named USD/JPY in notes. */
export function fxSeriesFromYahoo(series: YahooFxSeries, closes: readonly FxClose[]): FxSeries {
  return { name: series.symbol === 'JPY=X' ? 'USD/JPY' : series.symbol, direction: series.direction, closes };
}
