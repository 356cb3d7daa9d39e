// Section 1: a series' bars on one session's slot grid and their returns. A bar belongs to slot s when its start
// equals the start of slot s, else it is off the grid. For s >= 1,
// r_{d,s} = P_{d,s} / P_{d,s'} - 1 with s' the latest earlier slot that has a bar; r_{d,0} = P_{d,0} / C_{d-1} - 1.
// Bars are read without parsing their instants where they are canonical ISO strings (toISOString's): those order as
// strings do, so the session's bars are found by binary search and matched to the slots in one merge.
import { reportedVolume } from '../abnormalVolume';
import type { IntradaySeries, SessionClose } from './intradayTypes';
import type { SessionGrid } from './slotGrid';

/** One series on one session: NaN where a slot has no bar, no volume (or the 0 of an index) or no return. */
export interface SessionSeries {
  grid: SessionGrid;
  closes: number[];
  volumes: number[];
  returns: number[];
  /** slots that have a bar */
  present: number;
  /** bars on the grid (a slot's bar stored twice counts twice): the rest of the range's bars are off the grid */
  matched: number;
  /** C_{d-1}: the official close of the session before, null when no daily close precedes it */
  previousClose: number | null;
}

function barMs(t: string): number {
  return Date.parse(t);
}

/** A canonical ISO instant (toISOString: 24 characters) orders as a string as it does in time: no parse needed. */
const CANONICAL_ISO_LENGTH = 24;

const isCanonical = (t: string) => t.length === CANONICAL_ISO_LENGTH && t.endsWith('Z');

/** Index of the first bar starting at or after `ms` (bars ascending). */
function firstBarAtOrAfter(bars: IntradaySeries['bars'], ms: number): number {
  const iso = new Date(ms).toISOString();
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = bars[mid].t;
    if (isCanonical(t) ? t < iso : barMs(t) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The close of the latest daily bar dated strictly before `date` (C_{d-1}), or null. */
export function closeBefore(closes: readonly SessionClose[], date: string): number | null {
  let lo = 0;
  let hi = closes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (closes[mid].date < date) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? closes[lo - 1].close : null;
}

/**
 * The series on `grid`'s session, using only bars that start before `endMs` (the study's `now`: live, nothing
 * after the last stored bar).
 */
export function sessionSeries(series: IntradaySeries, grid: SessionGrid, endMs: number): SessionSeries {
  const S = grid.slots;
  // plain arrays: a small typed array's off-heap store costs more to allocate than it saves
  const closes = new Array<number>(S).fill(Number.NaN);
  const volumes = new Array<number>(S).fill(Number.NaN);
  const returns = new Array<number>(S).fill(Number.NaN);
  const bars = series.bars;
  const stop = Math.min(grid.close, endMs);
  let present = 0;
  let matched = 0;
  const slotIso = grid.slotIso;
  const stopIso = new Date(stop).toISOString();
  let cursor = 0; // bars ascend, so a canonical start is matched by walking the slots along with them
  for (let i = firstBarAtOrAfter(bars, grid.open); i < bars.length; i++) {
    const bar = bars[i];
    const t = bar.t;
    let slot: number | undefined;
    if (isCanonical(t)) {
      if (t >= stopIso) break;
      while (cursor < S && slotIso[cursor] < t) cursor++;
      if (cursor === S || slotIso[cursor] !== t) continue;
      slot = cursor;
    } else {
      const ms = barMs(t);
      if (ms >= stop) break;
      slot = grid.byMs.get(ms);
      if (slot === undefined) continue;
    }
    matched++;
    if (Number.isNaN(closes[slot])) present++;
    closes[slot] = bar.close;
    volumes[slot] = reportedVolume(bar.volume) ?? Number.NaN;
  }
  const previousClose = closeBefore(series.dailyCloses, grid.date);
  if (previousClose !== null && !Number.isNaN(closes[0])) returns[0] = closes[0] / previousClose - 1;
  let last = Number.isNaN(closes[0]) ? -1 : 0;
  for (let s = 1; s < S; s++) {
    if (Number.isNaN(closes[s])) continue;
    if (last >= 0) returns[s] = closes[s] / closes[last] - 1;
    last = s;
  }
  return { grid, closes, volumes, returns, present, matched, previousClose };
}

/** Bars starting in [fromMs, toMs): minus the matched ones of the sessions in it, the off-grid ones. */
export function barsBetween(series: IntradaySeries, fromMs: number, toMs: number): number {
  return toMs <= fromMs ? 0 : firstBarAtOrAfter(series.bars, toMs) - firstBarAtOrAfter(series.bars, fromMs);
}
