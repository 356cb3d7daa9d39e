// Exchange trading sessions as data, plus pure functions over them (no clock: callers pass instants).
import { DateTime } from 'luxon';
import {
  FX_HOLIDAYS,
  HOLIDAY_CALENDAR_YEARS,
  TOKYO_HOLIDAYS,
  US_EARLY_CLOSES,
  US_HOLIDAYS,
} from './holidays';

export type ExchangeCode = 'TSE' | 'US' | 'FX';

/** Local wall-clock hours of a session, valid from `effectiveFrom` (inclusive) until the next entry. */
export interface SessionHours {
  effectiveFrom: string;
  open: string; // 'HH:mm'
  close: string; // 'HH:mm'
  /** Midday breaks during which there is no trading, e.g. Tokyo's lunch. */
  breaks: readonly { start: string; end: string }[];
  /** -1 when the session opens on the previous calendar day (FX: the day starts at 17:00 New York the evening before). */
  openDayOffset: 0 | -1;
}

export interface Exchange {
  code: ExchangeCode;
  name: string;
  timeZone: string;
  /** Ascending by effectiveFrom; the first entry applies to all earlier dates. */
  hours: readonly SessionHours[];
  holidays: ReadonlySet<string>;
  /** date -> 'HH:mm' local close on shortened days */
  earlyCloses: Readonly<Record<string, string>>;
}

export interface Session {
  date: string;
  open: Date;
  close: Date;
  breaks: { start: Date; end: Date }[];
}

export const EXCHANGES: Readonly<Record<ExchangeCode, Exchange>> = {
  TSE: {
    code: 'TSE',
    name: 'Tokyo Stock Exchange',
    timeZone: 'Asia/Tokyo',
    hours: [
      { effectiveFrom: '1900-01-01', open: '09:00', close: '15:00', breaks: [{ start: '11:30', end: '12:30' }], openDayOffset: 0 },
      // arrowhead 4.0 extended the afternoon session by 30 minutes from 5 Nov 2024
      { effectiveFrom: '2024-11-05', open: '09:00', close: '15:30', breaks: [{ start: '11:30', end: '12:30' }], openDayOffset: 0 },
    ],
    holidays: new Set(TOKYO_HOLIDAYS),
    earlyCloses: {},
  },
  US: {
    code: 'US',
    name: 'New York (NYSE / Nasdaq)',
    timeZone: 'America/New_York',
    hours: [{ effectiveFrom: '1900-01-01', open: '09:30', close: '16:00', breaks: [], openDayOffset: 0 }],
    holidays: new Set(US_HOLIDAYS),
    earlyCloses: US_EARLY_CLOSES,
  },
  FX: {
    code: 'FX',
    name: 'FX (USD/JPY)',
    // FX has no official close; 17:00 New York is the market convention for the daily roll.
    timeZone: 'America/New_York',
    hours: [{ effectiveFrom: '1900-01-01', open: '17:00', close: '17:00', breaks: [], openDayOffset: -1 }],
    holidays: new Set(FX_HOLIDAYS),
    earlyCloses: {},
  },
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function assertIsoDate(date: string): void {
  if (!ISO_DATE.test(date) || !DateTime.fromISO(date, { zone: 'UTC' }).isValid) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  }
}

function assertValidInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError('invalid instant');
}

export function exchange(code: ExchangeCode): Exchange {
  const found = EXCHANGES[code];
  if (!found) throw new RangeError(`unknown exchange code: ${String(code)}`);
  return found;
}

/** Calendar date (YYYY-MM-DD) of an instant as seen in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  assertValidInstant(instant);
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`unknown time zone: ${timeZone}`);
  return local.toISODate()!;
}

/** Adds calendar days to a YYYY-MM-DD date. */
export function addCalendarDays(date: string, days: number): string {
  assertIsoDate(date);
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

// Provider exchange codes (Yahoo's and common names) by our session calendar.
const TOKYO_EXCHANGE_NAMES = new Set(['JPX', 'TYO', 'TSE', 'OSA', 'JPN']);
const US_EXCHANGE_NAMES = new Set([
  'NMS', 'NGM', 'NCM', 'NYQ', 'NYS', 'NYSE', 'NASDAQ', 'NAS', 'PCX', 'ASE', 'BTS', 'BATS', 'NIM', 'SNP', 'DJI', 'CBT', 'WCB',
]);

/**
 * Which session calendar an instrument follows. The time zone decides first because it is what
 * the sessions are defined in; the exchange name is the fallback. Returns null when unknown,
 * so an unmapped instrument is never silently given another market's hours.
 */
export function exchangeForInstrument(instrument: {
  exchange: string;
  timeZone: string;
  kind: string;
}): ExchangeCode | null {
  if (instrument.kind === 'fx') return 'FX';
  if (instrument.timeZone === 'Asia/Tokyo') return 'TSE';
  if (instrument.timeZone === 'America/New_York') return 'US';
  const name = instrument.exchange.toUpperCase();
  if (TOKYO_EXCHANGE_NAMES.has(name)) return 'TSE';
  if (US_EXCHANGE_NAMES.has(name)) return 'US';
  return null;
}

function hoursOn(ex: Exchange, date: string): SessionHours {
  let current = ex.hours[0];
  for (const h of ex.hours) if (h.effectiveFrom <= date) current = h;
  return current;
}

function wallClock(date: string, time: string, timeZone: string): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone: timeZone }).toJSDate();
}

/**
 * The session of `date` with open, close and breaks as instants. Does not check whether the
 * date is a trading day (history decides that from bars; see isTradingDay for scheduling).
 */
export function sessionOn(exchangeCode: ExchangeCode, date: string): Session {
  assertIsoDate(date);
  const ex = exchange(exchangeCode);
  const hours = hoursOn(ex, date);
  const closeTime = ex.earlyCloses[date] ?? hours.close;
  const openDate = hours.openDayOffset === 0 ? date : addCalendarDays(date, hours.openDayOffset);
  return {
    date,
    open: wallClock(openDate, hours.open, ex.timeZone),
    close: wallClock(date, closeTime, ex.timeZone),
    breaks: hours.breaks.map((b) => ({
      start: wallClock(date, b.start, ex.timeZone),
      end: wallClock(date, b.end, ex.timeZone),
    })),
  };
}

export function sessionCloseInstant(exchangeCode: ExchangeCode, date: string): Date {
  return sessionOn(exchangeCode, date).close;
}

export function sessionOpenInstant(exchangeCode: ExchangeCode, date: string): Date {
  return sessionOn(exchangeCode, date).open;
}

/** Whether the holiday lists cover this date's year; outside them isTradingDay knows only weekends. */
export function holidayCalendarCovers(date: string): boolean {
  assertIsoDate(date);
  return (HOLIDAY_CALENDAR_YEARS as readonly number[]).includes(Number(date.slice(0, 4)));
}

/**
 * Scheduling calendar: weekdays that are not listed holidays. Outside the covered years
 * (HOLIDAY_CALENDAR_YEARS) every weekday counts as a trading day; check holidayCalendarCovers
 * if that matters (a wrongly expected bar is merely not found, so this errs on that side).
 */
export function isTradingDay(exchangeCode: ExchangeCode, date: string): boolean {
  assertIsoDate(date);
  const weekday = DateTime.fromISO(date, { zone: 'UTC' }).weekday; // 1 = Monday .. 7 = Sunday
  if (weekday > 5) return false;
  return !exchange(exchangeCode).holidays.has(date);
}

/** The next `count` trading days strictly after `date`, ascending. */
export function nextTradingDays(exchangeCode: ExchangeCode, date: string, count: number): string[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer: ${count}`);
  const days: string[] = [];
  let cursor = date;
  while (days.length < count) {
    cursor = addCalendarDays(cursor, 1);
    if (isTradingDay(exchangeCode, cursor)) days.push(cursor);
  }
  return days;
}

/** Whether the market is trading at `instant` (trading day, between open and close, not in a break). */
export function isInSession(exchangeCode: ExchangeCode, instant: Date): boolean {
  assertValidInstant(instant);
  const ex = exchange(exchangeCode);
  const today = localDate(instant, ex.timeZone);
  // An overnight session (FX) that is open now belongs to the next local date.
  for (const date of [today, addCalendarDays(today, 1)]) {
    if (!isTradingDay(exchangeCode, date)) continue;
    const session = sessionOn(exchangeCode, date);
    const t = instant.getTime();
    if (t < session.open.getTime() || t >= session.close.getTime()) continue;
    return !session.breaks.some((b) => t >= b.start.getTime() && t < b.end.getTime());
  }
  return false;
}
