// How precisely an event's time is known, and the earliest instant that precision allows: day 0 of every market is
// the session in progress at that instant (open <= t < close), or else the first to open after it (calendarDayZero).
import { EXCHANGES, marketBasics, marketOfTimeZone, sessionOn, startOfLocalDate, type MarketCode } from './exchanges';
import { WORLD_MARKETS } from './registry';

/** A known part of a date, on the hours of the market of the event's own time zone. */
export const PARTS_OF_DAY = ['before_open', 'during_session', 'after_close'] as const;
export type PartOfDay = (typeof PARTS_OF_DAY)[number];

/** instant: exact; date: the calendar date only; a part of day; interval: [from, to] */
export const EVENT_PRECISIONS = ['instant', 'date', ...PARTS_OF_DAY, 'interval'] as const;
export type EventPrecision = (typeof EVENT_PRECISIONS)[number];

export function isPartOfDay(precision: string): precision is PartOfDay {
  return (PARTS_OF_DAY as readonly string[]).includes(precision);
}

/** The market whose session hours say what "before the open" or "after the close" means in a time zone, if any. */
export function marketForPartsOfDay(timeZone: string): MarketCode | null {
  const preferred = marketOfTimeZone(timeZone);
  if (preferred) return preferred;
  const all = [...Object.values(EXCHANGES), ...Object.values(WORLD_MARKETS)];
  // FX trades round the clock from London: it has no "before the open" of a local day
  return all.find((m) => m.timeZone === timeZone && m.code !== 'FX')?.code ?? null;
}

/**
 * The earliest instant a part of a local date allows: its local midnight before the open, the open of that date's
 * session during it, the close after it (the market of `timeZone`'s hours; a shortened day's own close).
 */
export function startOfPartOfDay(date: string, part: PartOfDay, timeZone: string): Date {
  const market = marketForPartsOfDay(timeZone);
  if (market === null) throw new RangeError(`no market keeps session hours in ${timeZone}`);
  if (part === 'before_open') return startOfLocalDate(date, marketBasics(market).timeZone);
  const session = sessionOn(market, date);
  return part === 'during_session' ? session.open : session.close;
}
