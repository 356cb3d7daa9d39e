// Day 0: the first session in which the market could have priced the news.
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

/**
 * Whether the event comes before the stored history: no bar on or before its date, so the first session that
 * followed it may be missing from the data and day 0 cannot be told.
 */
export function eventBeforeHistory(sessionDates: readonly string[], event: NewsEvent, exchangeCode: MarketCode): boolean {
  return sessionDates.length > 0 && sessionDates[0] > eventLocalDate(event, exchangeCode);
}

/**
 * Index into `sessionDates` (the instrument's own bar dates, ascending) of day 0, or null when
 * no session after the event is in the data yet, or when the event comes before the first bar (no bar on or
 * before its date: the sessions between it and the first bar are not known).
 * - timed event: the first session whose close comes strictly after the event (a close printed
 *   at the same instant as the news cannot contain it);
 * - date-only event: that date if it is a session, else the next session (we cannot know
 *   whether news from that day came before that day's close, so the date itself counts).
 */
export function dayZeroIndex(sessionDates: readonly string[], event: NewsEvent, exchangeCode: MarketCode): number | null {
  let isOnOrAfterDayZero: (date: string) => boolean;
  if (event.dateOnly) {
    const date = eventDate(event);
    isOnOrAfterDayZero = (d) => d >= date;
  } else {
    const eventTime = event.instant.getTime();
    if (Number.isNaN(eventTime)) throw new RangeError('event instant is invalid');
    isOnOrAfterDayZero = (d) => sessionCloseInstant(exchangeCode, d).getTime() > eventTime;
  }
  const index = firstIndexWhere(sessionDates, isOnOrAfterDayZero);
  if (index === 0 && eventBeforeHistory(sessionDates, event, exchangeCode)) return null;
  return index === sessionDates.length ? null : index;
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

/** Day 0 as a session date, or null when the data has no session after the event. */
export function dayZero(sessionDates: readonly string[], event: NewsEvent, exchangeCode: MarketCode): string | null {
  const index = dayZeroIndex(sessionDates, event, exchangeCode);
  return index === null ? null : sessionDates[index];
}
