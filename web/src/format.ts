// Numbers and dates as people read them: -16.97%, -$592.7bn, ¥9,185, 27 Jan 2025. Pure, so the browser
// tests can format the API's numbers the same way and compare them with the page's cells.

/** Shown where a value is unknown (no model, no shares, no bar). */
export const MISSING = '–';

const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', JPY: '¥', EUR: '€', GBP: '£' };

/** A fraction as a signed percentage: -0.1697 -> "-16.97%", 0.089 -> "+8.90%". */
export function formatPercent(fraction: number | null | undefined, decimals = 2): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return MISSING;
  const value = fraction * 100;
  const text = Math.abs(value).toFixed(decimals);
  if (Number(text) === 0) return `${(0).toFixed(decimals)}%`;
  return `${value < 0 ? '-' : '+'}${text}%`;
}

/** A session offset with its sign: 2 -> "+2", 0 -> "0", -1 -> "-1". */
export function formatOffset(offset: number | string): string {
  const n = Number(offset);
  return n > 0 ? `+${n}` : String(n);
}

/** A t-statistic with 2 decimals. */
export function formatT(t: number | null | undefined): string {
  if (t === null || t === undefined || !Number.isFinite(t)) return MISSING;
  const text = t.toFixed(2);
  return text === '-0.00' ? '0.00' : text;
}

/** A p-value with 3 decimals; below 0.001 as "<0.001" rather than a misleading 0.000. */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return MISSING;
  if (p < 0.001) return '<0.001';
  return p.toFixed(3);
}

function currencySymbol(currency: string): string {
  return CURRENCY_SYMBOLS[currency] ?? `${currency} `;
}

/**
 * A large amount of money, compact: -592_700_000_000 USD -> "-$592.7bn", JPY -> "-¥1.23tn".
 * One decimal from 10 units up, two below ("-$5.93bn"); an amount near the next unit moves up (¥999.97bn -> ¥1.00tn).
 */
export function formatMoney(amount: number | null | undefined, currency: string): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return MISSING;
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const units: [number, string][] = [
    [1e12, 'tn'],
    [1e9, 'bn'],
    [1e6, 'm'],
  ];
  const symbol = currencySymbol(currency);
  for (const [size, suffix] of units) {
    if (abs >= size * 0.9995) {
      const scaled = abs / size;
      const decimals = scaled >= 10 ? 1 : 2;
      return `${sign}${symbol}${scaled.toFixed(decimals)}${suffix}`;
    }
  }
  return `${sign}${symbol}${Math.round(abs).toLocaleString('en-US')}`;
}

/** A price in its currency: "$118.42", "¥9,185", "¥39,565.80" for an index with decimals. */
export function formatPrice(price: number | null | undefined, currency: string): string {
  if (price === null || price === undefined || !Number.isFinite(price)) return MISSING;
  const decimals = currency === 'JPY' && Number.isInteger(price) ? 0 : 2;
  const text = Math.abs(price).toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return `${price < 0 ? '-' : ''}${currencySymbol(currency)}${text}`;
}

/** A level without currency (an index, a rebased path): "39,565.80", "83.03". */
export function formatNumber(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** An instrument's price: a level for an index or FX series, else a price in its currency. */
export function formatInstrumentPrice(instrument: { kind: string; currency: string }, value: number | null | undefined): string {
  return instrument.kind === 'index' || instrument.kind === 'fx' ? formatNumber(value) : formatPrice(value, instrument.currency);
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
const weekdayDateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

/** A calendar date "2025-01-27" -> "27 Jan 2025" (no time zone shift: it is a date, not an instant). */
export function formatDate(isoDate: string | null | undefined, withWeekday = false): string {
  if (!isoDate || !/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) return MISSING;
  const date = new Date(`${isoDate}T00:00:00Z`);
  return (withWeekday ? weekdayDateFormat : dateFormat).format(date);
}

/** An instant in a time zone: "27 Jan 2025, 15:30 GMT+9". */
export function formatInstant(iso: string | null | undefined, timeZone = 'UTC'): string {
  if (!iso) return MISSING;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return MISSING;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(date);
}

/** "Asia/Tokyo" -> "Tokyo", "America/New_York" -> "New York". */
export function cityOfTimeZone(timeZone: string): string {
  const last = timeZone.split('/').pop() ?? timeZone;
  return last.replace(/_/g, ' ');
}

/**
 * Provider exchange codes that name no city's market: an index calculated for a whole region. ^STOXX50E is Yahoo's
 * 'STX' in Europe/Zurich (where STOXX is based), but it is a Europe-wide index whose futures trade on Eurex.
 */
const REGIONAL_MARKET_NAMES: Readonly<Record<string, string>> = { STX: 'Europe-wide (STOXX, Eurex)' };

/** Where an instrument trades, in one word or two: "Tokyo", "New York", "Europe-wide" for a regional index. */
export function placeOf(exchange: string, timeZone: string): string {
  return exchange === 'STX' ? 'Europe-wide' : cityOfTimeZone(timeZone);
}

/** A market as people name it: "Tokyo (JPX)", "FX", "Europe-wide (STOXX, Eurex)". */
export function marketName(exchange: string, timeZone: string): string {
  if (exchange === 'FX') return 'FX';
  return REGIONAL_MARKET_NAMES[exchange] ?? `${cityOfTimeZone(timeZone)} (${exchange})`;
}

/** Offset of a time zone from UTC in minutes at an instant (Tokyo +540, New York -300 in winter). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/** Whole calendar days from one ISO date to another. */
export function daysBetween(fromIsoDate: string, toIsoDate: string): number {
  return Math.round((Date.parse(`${toIsoDate}T00:00:00Z`) - Date.parse(`${fromIsoDate}T00:00:00Z`)) / 86_400_000);
}

/** A window [from, to] as "[0,+5]" / "[-1,+1]". */
export function formatWindow(from: number, to: number): string {
  return `[${formatOffset(from)},${formatOffset(to)}]`;
}
