// How stale an instrument's data is, in the terms that matter: trading sessions that have closed without a
// final daily bar (from the exchange calendars of src/markets), and hours since the last successful fetch.
// Pure: the caller passes `now`.
import { addCalendarDays, isTradingDay, localDate, marketBasics, sessionCloseInstant, type MarketCode } from '../markets';

/** A session counts as missed once its close is this long past: the daily job fetches 30 minutes after the close. */
export const SESSION_GRACE_MS = 2 * 3_600_000;

const MAX_DAYS = 3660;

// isTradingDay is pure but parses dates with luxon; status pages ask about the same few thousand dates again and again
const tradingDays = new Map<string, boolean>();
function tradingDay(exchange: MarketCode, date: string): boolean {
  const key = `${exchange}|${date}`;
  let v = tradingDays.get(key);
  if (v === undefined) {
    v = isTradingDay(exchange, date);
    if (tradingDays.size < 100_000) tradingDays.set(key, v);
  }
  return v;
}
const DAY_MS = 86_400_000;

/**
 * Trading sessions of `exchange` after `lastFinalDate` whose close (plus `graceMs`) is at or before `now`.
 * null when there is no final bar at all. Capped at ten years of days.
 */
export function sessionsMissed(exchange: MarketCode, lastFinalDate: string | null, now: Date, graceMs = 0): number | null {
  if (lastFinalDate === null) return null;
  const until = localDate(now, marketBasics(exchange).timeZone);
  // a session closes on its own local date, so only the last two dates can still be open (or in their grace)
  const mustCheckClose = addCalendarDays(until, -1);
  let missed = 0;
  let t = Date.parse(`${lastFinalDate}T00:00:00Z`) + DAY_MS;
  for (let i = 0; i < MAX_DAYS; i++, t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    if (date > until) break;
    if (!tradingDay(exchange, date)) continue;
    if (date < mustCheckClose || sessionCloseInstant(exchange, date).getTime() + graceMs <= now.getTime()) missed++;
  }
  return missed;
}

export function hoursSince(instant: Date | null, now: Date): number | null {
  if (instant === null) return null;
  return Math.round(((now.getTime() - instant.getTime()) / 3_600_000) * 10) / 10;
}
