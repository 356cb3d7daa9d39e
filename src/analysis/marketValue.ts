// Market value changes ("NVIDIA lost $593bn") and their conversion to US dollars, in any currency:
// minor quote units (pence) to major units, and an FX series in whichever direction it quotes (given as data:
// which series the provider has and how it quotes them is the provider's, src/marketdata/yahooFx.ts).

/** One daily FX close as its series quotes it (USD/JPY: yen per US dollar). */
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

/** An amount in `currency` on `date` in US dollars through the FX series of its major currency in `fx`
 * (see convertToUsd); null when it cannot be converted or no usable FX close exists. */
export function toUsd(amount: number, currency: string, fx: FxSeriesByCurrency, date: string): number | null {
  return convertToUsd(amount, currency, fx, date).usd;
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

/** 'usd_per_unit': EUR/USD 1.04 means EUR 1 = USD 1.04 (multiply); 'units_per_usd': USD/JPY 155 means USD 1 = JPY 155 (divide). */
export type FxQuoteDirection = 'usd_per_unit' | 'units_per_usd';

/** One currency's FX series against the dollar: its name (for notes), which way it quotes, its closes ascending. */
export interface FxSeries {
  name: string;
  direction: FxQuoteDirection;
  closes: readonly FxClose[];
}

/** FX series by major currency code ('EUR', 'KRW'). */
export type FxSeriesByCurrency = Readonly<Record<string, FxSeries | undefined>>;

/** An ISO 4217 code: three capital letters (what a major currency looks like; 'GBp' and 'pounds' do not). */
export function isCurrencyCode(currency: string): boolean {
  return /^[A-Z]{3}$/.test(currency);
}

export type UsdConversion =
  | { usd: number; currency: string; rate: FxClose | null; direction: FxQuoteDirection | null }
  | { usd: null; currency: string; reason: 'not_a_currency' | 'no_fx_series' | 'no_recent_fx_close' };

/**
 * An amount in `currency` (minor units first made major) in USD on `date`, with the reason when it cannot be
 * converted: no FX series (or one without closes) given for the currency, or no close within
 * MAX_FX_STALENESS_DAYS on or before `date`.
 */
export function convertToUsd(amount: number, currency: string, fx: FxSeriesByCurrency, date: string): UsdConversion {
  const major = toMajorUnit(amount, currency);
  if (major.currency === 'USD') return { usd: major.amount, currency: 'USD', rate: null, direction: null };
  if (!isCurrencyCode(major.currency)) return { usd: null, currency: major.currency, reason: 'not_a_currency' };
  const series = fx[major.currency];
  if (!series || series.closes.length === 0) return { usd: null, currency: major.currency, reason: 'no_fx_series' };
  const rate = fxCloseOnOrBefore(series.closes, date);
  if (rate === null) return { usd: null, currency: major.currency, reason: 'no_recent_fx_close' };
  const usd = series.direction === 'usd_per_unit' ? major.amount * rate.close : major.amount / rate.close;
  return { usd, currency: major.currency, rate, direction: series.direction };
}
