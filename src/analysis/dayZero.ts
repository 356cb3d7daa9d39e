// Day 0: the first bar in which the market could have priced the news. A series' bars are sessions (t = session
// date, closing at the exchange's session close) or, given `barMinutes`, intraday bars (t = opening instant).
import { localDate, marketBasics, sessionCloseInstant, type MarketCode } from '../markets/exchanges';

export interface NewsEvent {
  /** For a date-only event: midnight UTC of that calendar date (how DATE columns arrive as Date). */
  instant: Date;
  /** true when only the calendar date is known, not the time */
  dateOnly: boolean;
}

/** The calendar date of a date-only event. */
export function eventDate(event: NewsEvent): string {
  if (Number.isNaN(event.instant.getTime())) throw new RangeError('event instant is invalid');
  return event.instant.toISOString().slice(0, 10);
}

/** The event's date on the exchange's calendar: its date for a date-only event, else the local date of its instant. */
function eventLocalDate(event: NewsEvent, exchangeCode: MarketCode): string {
  return event.dateOnly ? eventDate(event) : localDate(event.instant, marketBasics(exchangeCode).timeZone);
}

/** The exchange-local date a bar belongs to: a session bar's t, or the local date of an intraday bar's opening. */
function barLocalDate(t: string, exchangeCode: MarketCode, barMinutes: number | undefined): string {
  return barMinutes === undefined ? t : localDate(new Date(t), marketBasics(exchangeCode).timeZone);
}

/** When a bar's close is printed: the session close, or an intraday bar's opening plus its length. */
function barCloseTime(t: string, exchangeCode: MarketCode, barMinutes: number | undefined): number {
  return barMinutes === undefined ? sessionCloseInstant(exchangeCode, t).getTime() : Date.parse(t) + barMinutes * 60_000;
}

/**
 * Whether the event comes before the stored history: no bar on or before its date, so the first bar that
 * followed it may be missing from the data and day 0 cannot be told.
 */
export function eventBeforeHistory(times: readonly string[], event: NewsEvent, exchangeCode: MarketCode, barMinutes?: number): boolean {
  return times.length > 0 && barLocalDate(times[0], exchangeCode, barMinutes) > eventLocalDate(event, exchangeCode);
}

/**
 * Index into `times` (the instrument's own bar times, ascending: session dates, or with `barMinutes` the opening
 * instants of intraday bars of that length) of day 0, or null when no bar after the event is in the data yet, or
 * when the event comes before the first bar (no bar on or before its date: the bars between it and the first
 * bar are not known).
 * - timed event: the first bar whose close comes strictly after the event (a close printed
 *   at the same instant as the news cannot contain it);
 * - date-only event: the first bar on that date if it is a session, else of the next session (we cannot know
 *   whether news from that day came before that day's close, so the date itself counts).
 */
export function dayZeroIndex(times: readonly string[], event: NewsEvent, exchangeCode: MarketCode, barMinutes?: number): number | null {
  let isOnOrAfterDayZero: (t: string) => boolean;
  if (event.dateOnly) {
    const date = eventDate(event);
    isOnOrAfterDayZero = (t) => barLocalDate(t, exchangeCode, barMinutes) >= date;
  } else {
    const eventTime = event.instant.getTime();
    if (Number.isNaN(eventTime)) throw new RangeError('event instant is invalid');
    isOnOrAfterDayZero = (t) => barCloseTime(t, exchangeCode, barMinutes) > eventTime;
  }
  const index = firstIndexWhere(times, isOnOrAfterDayZero);
  if (index === 0 && eventBeforeHistory(times, event, exchangeCode, barMinutes)) return null;
  return index === times.length ? null : index;
}

/** Binary search for the first element satisfying a predicate that is monotonic (false..., true...). */
function firstIndexWhere<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (predicate(items[mid])) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Day 0 as a bar time (a session date for daily bars), or null when the data has no bar after the event. */
export function dayZero(times: readonly string[], event: NewsEvent, exchangeCode: MarketCode, barMinutes?: number): string | null {
  const index = dayZeroIndex(times, event, exchangeCode, barMinutes);
  return index === null ? null : times[index];
}
