// The slot grid of a session (intraday.md, NOTATION): slot s is the s-th Δ-long interval of TRADING time from the
// open, a lunch break skipped, S = ceil(trading minutes / Δ), the last slot possibly shorter, an early close fewer
// slots. Grids come from the market registry and are memoised per market, interval and date (pure: no clock).
import { calendarDayZero, nextTradingDay, previousTradingDay, tradingSessionOn } from '../../markets/exchanges';
import type { MarketCode } from '../../markets/types';
import type { IntradayInterval } from './intradayTypes';

const INTERVAL_MS: Readonly<Record<IntradayInterval, number>> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '60m': 3_600_000 };

export function intervalMs(interval: IntradayInterval): number {
  return INTERVAL_MS[interval];
}

/** One session's slots: starts and ends as epoch ms, and the lookups from a bar start to its slot. */
export interface SessionGrid {
  market: MarketCode;
  /** exchange-local session date */
  date: string;
  open: number;
  close: number;
  /** trading intervals [start, end) of the session, breaks removed */
  segments: readonly (readonly [number, number])[];
  /** S */
  slots: number;
  slotStart: readonly number[];
  /** end of the slot's trading time (the last slot may be shorter) */
  slotEnd: readonly number[];
  slotIso: readonly string[];
  /** bar start ms -> slot (a bar start in canonical ISO is matched against slotIso instead) */
  byMs: ReadonlyMap<number, number>;
}

interface MarketGrids {
  byDate: Map<string, SessionGrid>;
  prev: Map<string, string>;
  next: Map<string, string>;
  /** event instant -> its event session's date */
  eventSession: Map<number, string>;
}

const cache = new Map<string, MarketGrids>();
/**
 * A bound on the memo, in slots (about 120 bytes each: a long-running process visits many dates); clearing it only
 * costs recomputation. Grids are compared by market and date, never by identity, so a clear mid-study is harmless.
 */
const MAX_CACHED_SLOTS = 400_000;
let cachedSlots = 0;

function gridsOf(market: MarketCode, interval: IntradayInterval): MarketGrids {
  const key = `${market}|${interval}`;
  let g = cache.get(key);
  if (!g) {
    g = { byDate: new Map(), prev: new Map(), next: new Map(), eventSession: new Map() };
    cache.set(key, g);
  }
  return g;
}

/** The instant at which `elapsed` ms of trading time have passed since the open (the start of that trading instant). */
function instantAtTradingTime(segments: readonly (readonly [number, number])[], elapsed: number): number {
  let before = 0;
  for (const [start, end] of segments) {
    const length = end - start;
    if (elapsed < before + length) return start + (elapsed - before);
    before += length;
  }
  const last = segments[segments.length - 1];
  return last[1];
}

function buildGrid(market: MarketCode, date: string, interval: IntradayInterval): SessionGrid | null {
  const session = tradingSessionOn(market, date);
  if (!session) return null;
  const open = session.open.getTime();
  const close = session.close.getTime();
  const segments: [number, number][] = [];
  let cursor = open;
  for (const b of [...session.breaks].sort((x, y) => x.start.getTime() - y.start.getTime())) {
    const bs = Math.max(cursor, b.start.getTime());
    const be = Math.min(close, b.end.getTime());
    if (be <= bs) continue;
    if (bs > cursor) segments.push([cursor, bs]);
    cursor = be;
  }
  if (close > cursor) segments.push([cursor, close]);
  const tradingMs = segments.reduce((s, [a, b]) => s + (b - a), 0);
  const delta = intervalMs(interval);
  const slots = Math.ceil(tradingMs / delta);
  const slotStart: number[] = [];
  const slotEnd: number[] = [];
  const slotIso: string[] = [];
  const byMs = new Map<number, number>();
  for (let s = 0; s < slots; s++) {
    const start = instantAtTradingTime(segments, s * delta);
    const endElapsed = Math.min(tradingMs, (s + 1) * delta);
    // the end of a slot is the end of its last trading instant, not the start of the next segment
    const end = instantAtTradingTime(segments, endElapsed - 1) + 1;
    const iso = new Date(start).toISOString();
    slotStart.push(start);
    slotEnd.push(end);
    slotIso.push(iso);
    byMs.set(start, s);
  }
  return { market, date, open, close, segments, slots, slotStart, slotEnd, slotIso, byMs };
}

/** The grid of `market`'s session on `date`, or null when it does not trade that day. */
export function gridOn(market: MarketCode, date: string, interval: IntradayInterval): SessionGrid | null {
  const g = gridsOf(market, interval);
  if (g.byDate.has(date)) return g.byDate.get(date) ?? null;
  if (cachedSlots >= MAX_CACHED_SLOTS) {
    cache.clear();
    cachedSlots = 0;
    return gridOn(market, date, interval);
  }
  const grid = buildGrid(market, date, interval);
  g.byDate.set(date, grid as SessionGrid);
  cachedSlots += 1 + (grid?.slots ?? 0);
  return grid;
}

function tradingGrid(market: MarketCode, date: string, interval: IntradayInterval): SessionGrid {
  const grid = gridOn(market, date, interval);
  if (!grid) throw new RangeError(`${market} does not trade on ${date}`);
  return grid;
}

/** The session before (step -1) or after (+1) `grid`'s, on the exchange calendar. */
function adjacentGrid(grid: SessionGrid, interval: IntradayInterval, step: -1 | 1): SessionGrid {
  const g = gridsOf(grid.market, interval);
  const memo = step < 0 ? g.prev : g.next;
  let date = memo.get(grid.date);
  if (date === undefined) {
    date = step < 0 ? previousTradingDay(grid.market, grid.date) : nextTradingDay(grid.market, grid.date);
    memo.set(grid.date, date);
  }
  return tradingGrid(grid.market, date, interval);
}

export function previousGrid(grid: SessionGrid, interval: IntradayInterval): SessionGrid {
  return adjacentGrid(grid, interval, -1);
}

/**
 * `compute()` for a market the registry may not know: null when it throws the registry's RangeError (an unknown
 * code, a calendar without sessions), any other error thrown on.
 */
export function unlessUnknownMarket<T>(compute: () => T): T | null {
  try {
    return compute();
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** Trading time elapsed from the open at instant `t` (which must be in trading time), in ms. */
function tradingTimeAt(grid: SessionGrid, t: number): number {
  let before = 0;
  for (const [start, end] of grid.segments) {
    if (t < end) return before + Math.max(0, t - start);
    before += end - start;
  }
  return before;
}

/**
 * Section 2: the event session and the event bar of instant `tau`. Inside a session's trading time: the slot that
 * contains it. Otherwise the first trading instant after it decides: the next session's slot 0 before an open, and
 * after a lunch break (the afternoon session opening after τ) the slot whose trading time resumes there.
 */
export function eventBarOf(market: MarketCode, tau: number, interval: IntradayInterval): { grid: SessionGrid; slot: number } {
  const g = gridsOf(market, interval);
  let date = g.eventSession.get(tau);
  if (date === undefined) {
    date = calendarDayZero(market, { instant: new Date(tau), dateOnly: false }).date;
    g.eventSession.set(tau, date);
  }
  const grid = tradingGrid(market, date, interval);
  if (tau < grid.open) return { grid, slot: 0 };
  const elapsed = tradingTimeAt(grid, tau);
  return { grid, slot: Math.min(grid.slots - 1, Math.floor(elapsed / intervalMs(interval))) };
}

/** A position in event time: the session and slot of an offset k. */
export interface SlotRef {
  grid: SessionGrid;
  slot: number;
}

/** Offsets w1..w2 around the event bar (section 2): k continues into the next session's slot 0 after a close. */
export function windowSlots(event: SlotRef, [w1, w2]: readonly [number, number], interval: IntradayInterval): SlotRef[] {
  const before: SlotRef[] = [];
  let grid = event.grid;
  let slot = event.slot;
  for (let k = -1; k >= w1; k--) {
    slot--;
    if (slot < 0) {
      grid = previousGrid(grid, interval);
      slot = grid.slots - 1;
    }
    if (k <= w2) before.push({ grid, slot });
  }
  before.reverse();
  const after: SlotRef[] = [];
  grid = event.grid;
  slot = event.slot;
  for (let k = 0; k <= w2; k++) {
    if (k > 0) {
      slot++;
      if (slot >= grid.slots) {
        grid = adjacentGrid(grid, interval, 1);
        slot = 0;
      }
    }
    if (k >= w1) after.push({ grid, slot });
  }
  return [...before, ...after];
}

/**
 * The exchange-local session dates whose bars a study of `tau` reads: from `estimationDays + spare` sessions before
 * the first session the window touches (sessions short of bars are skipped, so a few spare ones), to the window's
 * last session. For the service that loads the bars.
 */
export function intradaySessionRange(
  market: MarketCode,
  tau: number,
  options: { interval: IntradayInterval; window: readonly [number, number]; estimationDays: number },
  spare = 10,
): { from: string; to: string } {
  const event = eventBarOf(market, tau, options.interval);
  const slots = windowSlots(event, options.window, options.interval);
  let first = slots.length > 0 && slots[0].grid.open < event.grid.open ? slots[0].grid : event.grid;
  for (let i = 0; i < options.estimationDays + spare; i++) first = previousGrid(first, options.interval);
  const last = slots.length > 0 ? slots[slots.length - 1].grid : event.grid;
  // a window that ends before the event bar (w2 < 0) still reads up to the event session
  return { from: first.date, to: options.window[1] >= 0 ? last.date : event.grid.date };
}
