// Exchange trading sessions as data, plus pure functions over them (no clock: callers pass instants).
// The original calendars (TSE, US, FX) are defined here; the world markets come from registry.ts. Every
// function below takes any MarketCode, so callers passing 'TSE' | 'US' | 'FX' work as before.
import { DateTime } from 'luxon';
import { closuresInYear, datesOfRuleInYear } from './calendar';
import { FX_HOLIDAYS, HOLIDAY_CALENDAR_YEARS, TOKYO_HOLIDAYS, US_EARLY_CLOSES, US_HOLIDAYS } from './holidays';
import { WORLD_MARKETS } from './registry';
import type { ExchangeCode, MarketCode, Session, SessionHours, WorldMarket } from './types';

export type { ExchangeCode, MarketCode, Session, SessionHours, WorldMarketCode } from './types';

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
  // a round trip through Date rejects 2025-02-30 as luxon would, at a fraction of the cost (this runs per day checked)
  const t = ISO_DATE.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  }
}

function assertValidInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError('invalid instant');
}

function exchange(code: ExchangeCode): Exchange {
  const found = EXCHANGES[code];
  if (!found) throw new RangeError(`unknown exchange code: ${String(code)}`);
  return found;
}

/** Whether `code` is a market whose sessions the registry knows (TSE, US, FX or a world market). */
export function isKnownMarket(code: string): code is MarketCode {
  return Object.hasOwn(EXCHANGES, code) || Object.hasOwn(WORLD_MARKETS, code);
}

/** Calendar date (YYYY-MM-DD) of an instant as seen in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  assertValidInstant(instant);
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`unknown time zone: ${timeZone}`);
  return local.toISODate()!;
}

/** The instant a local calendar date starts in a time zone (its midnight, or the first instant after a skipped one). */
export function startOfLocalDate(date: string, timeZone: string): Date {
  assertIsoDate(date);
  return DateTime.fromISO(date, { zone: timeZone }).startOf('day').toJSDate();
}

/** Adds calendar days to a YYYY-MM-DD date. */
export function addCalendarDays(date: string, days: number): string {
  assertIsoDate(date);
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

function worldMarket(code: MarketCode): WorldMarket | null {
  return (WORLD_MARKETS as Record<string, WorldMarket | undefined>)[code] ?? null;
}

/** Name, time zone and session hours of any market code. */
export function marketBasics(code: MarketCode): { code: MarketCode; name: string; timeZone: string; hours: readonly SessionHours[] } {
  const world = worldMarket(code);
  if (world) return world;
  return exchange(code as ExchangeCode);
}

/** Where an instrument whose symbol and exchange name say nothing still trades: New York's and Tokyo's zones. */
export function marketOfTimeZone(timeZone: string): MarketCode | null {
  if (timeZone === 'Asia/Tokyo') return 'TSE';
  if (timeZone === 'America/New_York') return 'US';
  return null;
}

function hoursOn(hours: readonly SessionHours[], date: string): SessionHours {
  let current = hours[0];
  for (const h of hours) if (h.effectiveFrom <= date) current = h;
  return current;
}

function wallClock(date: string, time: string, timeZone: string): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone: timeZone }).toJSDate();
}

/** Local close of a shortened (or lengthened) day, if `date` is one. */
function changedClose(code: MarketCode, date: string): string | undefined {
  const world = worldMarket(code);
  if (!world) return exchange(code as ExchangeCode).earlyCloses[date];
  const year = Number(date.slice(0, 4));
  return world.closeChanges.find((c) => datesOfRuleInYear(c.on, year).includes(date))?.close;
}

/**
 * The session of `date` with open, close and breaks as instants. Does not check whether the
 * date is a trading day (history decides that from bars; see isTradingDay for scheduling).
 */
export function sessionOn(exchangeCode: MarketCode, date: string): Session {
  assertIsoDate(date);
  const { timeZone, hours: allHours } = marketBasics(exchangeCode);
  const special = worldMarket(exchangeCode)?.specialSessions.find((s) => s.date === date);
  const hours = special ? { ...hoursOn(allHours, date), open: special.open, close: special.close, breaks: [] } : hoursOn(allHours, date);
  const closeTime = changedClose(exchangeCode, date) ?? hours.close;
  const openDate = hours.openDayOffset === 0 ? date : addCalendarDays(date, hours.openDayOffset);
  return {
    date,
    open: wallClock(openDate, hours.open, timeZone),
    close: wallClock(date, closeTime, timeZone),
    // a half day that ends at the lunch break (Hong Kong) has no break left
    breaks: hours.breaks
      .filter((b) => b.start < closeTime)
      .map((b) => ({ start: wallClock(date, b.start, timeZone), end: wallClock(date, b.end, timeZone) })),
  };
}

export function sessionCloseInstant(exchangeCode: MarketCode, date: string): Date {
  return sessionOn(exchangeCode, date).close;
}

export function sessionOpenInstant(exchangeCode: MarketCode, date: string): Date {
  return sessionOn(exchangeCode, date).open;
}

/** Whether the holiday lists cover this date's year; outside them isTradingDay knows only weekends. */
export function holidayCalendarCovers(date: string): boolean {
  assertIsoDate(date);
  return (HOLIDAY_CALENDAR_YEARS as readonly number[]).includes(Number(date.slice(0, 4)));
}

/** Whether `code`'s holiday calendar is complete on `date` (holidayCalendarCovers for TSE, US and FX). */
export function marketCalendarCovers(code: MarketCode, date: string): boolean {
  const world = worldMarket(code);
  if (!world) return holidayCalendarCovers(date);
  assertIsoDate(date);
  return date >= world.calendar.covers.from && date <= world.calendar.covers.to;
}

/**
 * Scheduling calendar: weekdays that are not holidays, plus special sessions (e.g. India's Saturday budget
 * session). Outside the covered years (marketCalendarCovers) every weekday counts as a trading day for the
 * original three and for the markets whose lists end; the rule-based calendars keep applying their rules.
 */
export function isTradingDay(exchangeCode: MarketCode, date: string): boolean {
  assertIsoDate(date);
  const world = worldMarket(exchangeCode);
  if (world?.specialSessions.some((s) => s.date === date)) return true;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday .. 6 = Saturday
  if (weekday === 0 || weekday === 6) return false;
  if (world) return !closuresInYear(world.calendar, Number(date.slice(0, 4))).has(date);
  return !exchange(exchangeCode as ExchangeCode).holidays.has(date);
}

/** The session of `date`, or null when the market does not trade that day. */
export function tradingSessionOn(code: MarketCode, date: string): Session | null {
  return isTradingDay(code, date) ? sessionOn(code, date) : null;
}

/** The next `count` trading days strictly after `date`, ascending. */
export function nextTradingDays(exchangeCode: MarketCode, date: string, count: number): string[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer: ${count}`);
  const days: string[] = [];
  let cursor = date;
  while (days.length < count) {
    cursor = addCalendarDays(cursor, 1);
    if (isTradingDay(exchangeCode, cursor)) days.push(cursor);
  }
  return days;
}

/** No market closes for longer than this; a longer search means bad calendar data. */
const MAX_CLOSED_DAYS = 40;

function stepToTradingDay(code: MarketCode, date: string, step: 1 | -1, inclusive: boolean): string {
  let cursor = inclusive ? date : addCalendarDays(date, step);
  for (let i = 0; i <= MAX_CLOSED_DAYS; i++, cursor = addCalendarDays(cursor, step)) {
    if (isTradingDay(code, cursor)) return cursor;
  }
  throw new RangeError(`no ${code} trading day within ${MAX_CLOSED_DAYS} days of ${date}`);
}

/** The first trading day strictly after `date`. */
export function nextTradingDay(code: MarketCode, date: string): string {
  return stepToTradingDay(code, date, 1, false);
}

/** The last trading day strictly before `date`. */
export function previousTradingDay(code: MarketCode, date: string): string {
  return stepToTradingDay(code, date, -1, false);
}

/**
 * Day 0 from the calendar (for the live path and "who moved first"; history uses the bars, see
 * analysis/dayZero): a timed event's day 0 is the first session whose close comes strictly after it;
 * a date-only event's is that date if it is a trading day, else the next one.
 */
export function calendarDayZero(code: MarketCode, event: { instant: Date; dateOnly: boolean }): Session {
  assertValidInstant(event.instant);
  if (event.dateOnly) return sessionOn(code, stepToTradingDay(code, event.instant.toISOString().slice(0, 10), 1, true));
  // the session of the local date before the event can still be open (FX opens the evening before)
  let date = stepToTradingDay(code, addCalendarDays(localDate(event.instant, marketBasics(code).timeZone), -1), 1, true);
  while (sessionCloseInstant(code, date).getTime() <= event.instant.getTime()) date = nextTradingDay(code, date);
  return sessionOn(code, date);
}

/** Day 0 of each market for one event, in the order their closes came after it ("who moved first"). */
export function dayZeroSessionsInCloseOrder(
  codes: readonly MarketCode[],
  event: { instant: Date; dateOnly: boolean },
): { code: MarketCode; session: Session }[] {
  return [...new Set(codes)]
    .map((code) => ({ code, session: calendarDayZero(code, event) }))
    .sort((a, b) => a.session.close.getTime() - b.session.close.getTime() || a.code.localeCompare(b.code));
}

/** Whether the market is trading at `instant` (trading day, between open and close, not in a break). */
export function isInSession(exchangeCode: MarketCode, instant: Date): boolean {
  assertValidInstant(instant);
  const today = localDate(instant, marketBasics(exchangeCode).timeZone);
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

/**
 * The sessions that are news at `instant`: the latest one that has closed and, while one runs (its breaks
 * included), that one. Alerts are about these only, so history stored late (a backfill) never alerts.
 */
export function recentSessionDates(code: MarketCode, instant: Date): string[] {
  const next = calendarDayZero(code, { instant, dateOnly: false }); // the first session closing after `instant`
  const latestClosed = previousTradingDay(code, next.date);
  return next.open.getTime() <= instant.getTime() ? [latestClosed, next.date] : [latestClosed];
}
