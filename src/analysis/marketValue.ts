// Market value changes ("NVIDIA lost $593bn") and their conversion to US dollars, in any currency:
// minor quote units (pence) to major units, and Yahoo's FX series in whichever direction Yahoo quotes them.

/** One daily FX close as Yahoo quotes the series (USD/JPY: yen per US dollar). */
export interface FxClose {
  date: string;
  close: number;
}

/**
 * How old the latest FX close may be. FX trades on days Tokyo is shut, so a gap of more than a
 * long weekend means the FX series is missing, and a stale rate would be quietly wrong.
 */
export const MAX_FX_STALENESS_DAYS = 7;

const DAY_MS = 86_400_000;

function daysBetween(earlier: string, later: string): number {
  return Math.round((Date.parse(`${later}T00:00:00Z`) - Date.parse(`${earlier}T00:00:00Z`)) / DAY_MS);
}

/** Change in market value from the previous close to this close, in the instrument's currency. */
export function marketValueChange(close: number, previousClose: number, sharesOutstanding: number): number {
  return (close - previousClose) * sharesOutstanding;
}

/**
 * The close on `date`, else the latest one before it (at most MAX_FX_STALENESS_DAYS earlier); null when there
 * is none or it is not a positive rate. `closes` must be sorted by date ascending.
 */
export function fxCloseOnOrBefore(closes: readonly FxClose[], date: string): FxClose | null {
  let low = 0;
  let high = closes.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (closes[mid].date <= date) low = mid + 1;
    else high = mid;
  }
  const found = low > 0 ? closes[low - 1] : null;
  if (found === null || !(found.close > 0)) return null;
  return daysBetween(found.date, date) <= MAX_FX_STALENESS_DAYS ? found : null;
}

/** An amount in `currency` on `date` in US dollars through the Yahoo FX series of its major currency in
 * `fxCloses` (see convertToUsd); null when it cannot be converted or no usable FX close exists. */
export function toUsd(amount: number, currency: string, fxCloses: FxClosesByCurrency, date: string): number | null {
  return convertToUsd(amount, currency, fxCloses, date).usd;
}

// ---- any currency ----

/**
 * Currencies Yahoo quotes in a minor unit: London stocks in pence (GBp; some feeds say GBX), Tel Aviv in
 * agorot (ILA), Johannesburg in cents (ZAc). Prices in these are divided by `perMajor` before any money figure.
 */
const MINOR_UNITS: Readonly<Record<string, { major: string; perMajor: number }>> = {
  GBp: { major: 'GBP', perMajor: 100 },
  GBX: { major: 'GBP', perMajor: 100 },
  ILA: { major: 'ILS', perMajor: 100 },
  ZAc: { major: 'ZAR', perMajor: 100 },
};

/** An amount in its major currency: 12,345 GBp -> 123.45 GBP; major currencies unchanged. Case matters (GBp is not GBP). */
export function toMajorUnit(amount: number, currency: string): { amount: number; currency: string } {
  const minor = MINOR_UNITS[currency];
  return minor ? { amount: amount / minor.perMajor, currency: minor.major } : { amount, currency };
}

/** Market value change (close - previous close) x shares, in the major currency of a (possibly minor-unit) quote. */
export function marketValueChangeInMajorUnit(
  close: number,
  previousClose: number,
  sharesOutstanding: number,
  quoteCurrency: string,
): { amount: number; currency: string } {
  return toMajorUnit(marketValueChange(close, previousClose, sharesOutstanding), quoteCurrency);
}

/** 'usd_per_unit': EURUSD=X 1.04 means EUR 1 = USD 1.04 (multiply); 'units_per_usd': JPY=X 155 means USD 1 = JPY 155 (divide). */
type FxQuoteDirection = 'usd_per_unit' | 'units_per_usd';

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
  if (major === 'USD' || !/^[A-Z]{3}$/.test(major)) return null;
  return USD_PER_UNIT_CURRENCIES.has(major)
    ? { symbol: `${major}USD=X`, direction: 'usd_per_unit' }
    : { symbol: `${major}=X`, direction: 'units_per_usd' };
}

/** FX closes by major currency code ('EUR', 'KRW'), each series as Yahoo quotes yahooFxSeriesOf(currency).symbol. */
export type FxClosesByCurrency = Readonly<Record<string, readonly FxClose[] | undefined>>;

export type UsdConversion =
  | { usd: number; currency: string; rate: FxClose | null; direction: FxQuoteDirection | null }
  | { usd: null; currency: string; reason: 'not_a_currency' | 'no_fx_series' | 'no_recent_fx_close' };

/**
 * An amount in `currency` (minor units first made major) in USD on `date`, with the reason when it cannot be
 * converted: no FX series given for the currency, or no close within MAX_FX_STALENESS_DAYS on or before `date`.
 */
export function convertToUsd(amount: number, currency: string, fxCloses: FxClosesByCurrency, date: string): UsdConversion {
  const major = toMajorUnit(amount, currency);
  if (major.currency === 'USD') return { usd: major.amount, currency: 'USD', rate: null, direction: null };
  const series = yahooFxSeriesOf(major.currency);
  if (series === null) return { usd: null, currency: major.currency, reason: 'not_a_currency' };
  const closes = fxCloses[major.currency];
  if (!closes || closes.length === 0) return { usd: null, currency: major.currency, reason: 'no_fx_series' };
  const rate = fxCloseOnOrBefore(closes, date);
  if (rate === null) return { usd: null, currency: major.currency, reason: 'no_recent_fx_close' };
  const usd = series.direction === 'usd_per_unit' ? major.amount * rate.close : major.amount / rate.close;
  return { usd, currency: major.currency, rate, direction: series.direction };
}
