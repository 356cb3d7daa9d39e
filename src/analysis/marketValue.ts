// Market value changes ("NVIDIA lost $593bn") and their conversion to US dollars.

/** One daily USD/JPY close: yen per US dollar. */
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
 * The USD/JPY close on `date`, else the latest one before it (at most MAX_FX_STALENESS_DAYS
 * earlier); null when there is none. `usdJpyCloses` must be sorted by date ascending.
 */
export function usdJpyOnOrBefore(usdJpyCloses: readonly FxClose[], date: string): FxClose | null {
  let low = 0;
  let high = usdJpyCloses.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (usdJpyCloses[mid].date <= date) low = mid + 1;
    else high = mid;
  }
  const found = low > 0 ? usdJpyCloses[low - 1] : null;
  if (found === null || !(found.close > 0)) return null;
  return daysBetween(found.date, date) <= MAX_FX_STALENESS_DAYS ? found : null;
}

/** Whether toUsd can convert this currency at all. */
export function isConvertibleToUsd(currency: string): boolean {
  return currency === 'USD' || currency === 'JPY';
}

/**
 * An amount in `currency` on `date` in US dollars: USD as is, JPY divided by the USD/JPY close
 * on or before that date. null for other currencies or when no usable FX close exists.
 */
export function toUsd(amount: number, currency: string, date: string, usdJpyCloses: readonly FxClose[]): number | null {
  if (currency === 'USD') return amount;
  if (currency !== 'JPY') return null;
  const rate = usdJpyOnOrBefore(usdJpyCloses, date);
  return rate === null ? null : amount / rate.close;
}
