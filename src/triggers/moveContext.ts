// The news behind a move, for the email: the event the event study linked to it, else the event whose day 0
// lies a few sessions before it (day 0 from the analysis core), plus the news items about it.
import type pg from 'pg';
import { dayZeroIndex } from '../analysis';
import { marketForInstrument } from '../marketdata/yahooMarkets';
import type { TrackedInstrument } from '../instruments/instrumentStore';
import { linkedEventsOfMove } from '../moves/moveStore';
import { eventsBetween, eventsByIds, type EventRef } from '../news/eventStore';
import { newsBetween, type NewsRef } from '../news/newsStore';

/** An event counts for a move that comes this many sessions after its day 0 at most. */
const NEAR_EVENT_MAX_SESSIONS = 5;
/** News items published this long before the move (or during it) are shown. */
const NEWS_LOOKBACK_MS = 5 * 24 * 3600 * 1000;
/** Calendar span that surely holds NEAR_EVENT_MAX_SESSIONS sessions (weekends, holidays). */
const EVENT_LOOKBACK_MS = 12 * 24 * 3600 * 1000;
const MAX_NEWS = 3;

export interface MoveContext {
  event: EventRef | null;
  news: NewsRef[];
}

/**
 * `sessionDates`: the instrument's session dates up to and including `sessionDate`, ascending.
 * `asOf`: what had happened by then counts (the session's close, or the time of an intraday price).
 * `knownEventId`: an event already chosen for this move (a stored alert's), kept as it is.
 */
export async function moveContext(
  pool: pg.Pool,
  instrument: TrackedInstrument,
  sessionDate: string,
  sessionDates: readonly string[],
  asOf: Date,
  knownEventId: number | null = null,
): Promise<MoveContext> {
  let event: EventRef | null = null;
  if (knownEventId !== null) event = (await eventsByIds(pool, [knownEventId])).get(knownEventId) ?? null;
  else {
    const linked = await linkedEventsOfMove(pool, instrument.symbol, sessionDate);
    event = linked.find((e) => e.offset >= 0) ?? linked[0] ?? null;
    event ??= await nearestEventBefore(pool, instrument, sessionDate, sessionDates, asOf);
  }
  const news = await newsBetween(pool, instrument.symbol, event?.id ?? null, new Date(asOf.getTime() - NEWS_LOOKBACK_MS), asOf, MAX_NEWS);
  if (!event) {
    // a news item that belongs to an event names that event
    const eventId = news.find((n) => n.eventId !== null)?.eventId;
    if (eventId) event = (await eventsByIds(pool, [eventId])).get(eventId) ?? null;
  }
  return { event, news };
}

async function nearestEventBefore(
  pool: pg.Pool,
  instrument: TrackedInstrument,
  sessionDate: string,
  sessionDates: readonly string[],
  asOf: Date,
): Promise<EventRef | null> {
  const candidates = await eventsBetween(pool, new Date(asOf.getTime() - EVENT_LOOKBACK_MS), asOf);
  const exchange = marketForInstrument(instrument);
  const sessionIndex = sessionDates.lastIndexOf(sessionDate);
  let best: { event: EventRef; sessionsAfter: number } | null = null;
  for (const event of candidates) {
    let sessionsAfter: number;
    if (exchange && sessionIndex >= 0) {
      const zero = dayZeroIndex(sessionDates, { instant: event.occurredAt, dateOnly: event.dateOnly }, exchange);
      if (zero === null) continue;
      sessionsAfter = sessionIndex - zero;
    } else {
      // no session calendar for this instrument: count calendar days
      sessionsAfter = Math.round((Date.parse(sessionDate) - Date.parse(event.occurredAt.toISOString().slice(0, 10))) / 86_400_000);
    }
    if (sessionsAfter < 0 || sessionsAfter > NEAR_EVENT_MAX_SESSIONS) continue;
    // the nearest day 0 wins; on a tie the earlier news (it had the market's attention first)
    if (!best || sessionsAfter < best.sessionsAfter) best = { event, sessionsAfter };
  }
  return best?.event ?? null;
}
