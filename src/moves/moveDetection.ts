// Move detection over stored bars, and the automatic links of moves to the events that may explain them.
// The formulas are the core's (detectMoves, dayZeroIndex); this file decides what to store. Idempotent:
// running it again over the same bars changes nothing.
import type pg from 'pg';
import { withTransaction } from '../db/transaction';
import { getFinalDailyBars } from '../bars/dailyBarReads';
import { dayZeroIndex, detectMoves, type DailyBar, type NewsEvent } from '../analysis';
import { listInstruments, type InstrumentRow } from '../instruments/instrumentStore';
import type { MarketCode } from '../markets';
import { marketForInstrument } from '../marketdata/yahooMarkets';
import { getEventTimingBySlug, getEventTimings, type EventTiming } from '../news/eventStore';
import {
  deleteAutoLinks,
  getLinksInScope,
  getMoveKey,
  getMoveKeys,
  lockMoveDetection,
  replaceMovesOf,
  saveManualLink,
  updateLinkOffsets,
  upsertAutoLinks,
  type LinkOffset,
  type MoveKey,
  type MoveRow,
  type MoveWriteCounts,
} from './moveStore';

/**
 * Offsets (sessions from an event's day 0 to the move, on the move's exchange) at which a move is linked
 * automatically. The session before day 0 only for an event known by its date alone: its news may have broken
 * the evening before in another zone; an event whose time is known cannot be the cause of a move before it.
 */
const LINK_OFFSET_RANGE = { from: -1, to: 5 } as const;
const linkRangeFrom = (event: EventTiming): number => (event.precision === 'date' ? LINK_OFFSET_RANGE.from : 0);

/** Instruments whose bars are held in memory at once during detection. */
const DETECTION_BATCH = 50;

export interface MoveDetectionSummary extends MoveWriteCounts {
  /** instruments scanned */
  symbols: string[];
  /** moves that qualify, over those instruments (moves kept only for a manual decision not counted) */
  moves: number;
  linksAdded: number;
  linksRemoved: number;
}

export interface LinkSummary {
  linksAdded: number;
  linksRemoved: number;
}

interface Db {
  pool: pg.Pool;
}

const finiteOrNull = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

function inLockedTransaction<T>(db: Db, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(db.pool, async (client) => {
    await lockMoveDetection(client);
    return work(client);
  });
}

/**
 * Instruments whose moves depend on bars of `symbols`: those instruments themselves and the instruments
 * that use one of them as benchmark (a new ^GSPC bar changes NVDA's abnormal return).
 */
function instrumentsAffectedBy(instruments: readonly InstrumentRow[], symbols: readonly string[] | null): InstrumentRow[] {
  const tracked = instruments.filter((i) => i.tracked);
  if (symbols === null) return tracked;
  const changed = new Set(symbols);
  return tracked.filter((i) => changed.has(i.symbol) || (i.benchmarkSymbol !== null && changed.has(i.benchmarkSymbol)));
}

/**
 * Detect the moves of tracked instruments (all, or those whose bars or benchmark bars are among `symbols`),
 * store them, drop the ones that no longer qualify, and link them to events.
 */
export async function detectAndStoreMoves(db: Db, symbols: readonly string[] | null = null): Promise<MoveDetectionSummary> {
  return inLockedTransaction(db, async (client) => {
    const instruments = await listInstruments(client);
    const scanned = instrumentsAffectedBy(instruments, symbols);
    const summary: MoveDetectionSummary = {
      symbols: scanned.map((i) => i.symbol),
      moves: 0,
      inserted: 0,
      updated: 0,
      deleted: 0,
      linksAdded: 0,
      linksRemoved: 0,
    };
    // benchmarks once; instruments a batch at a time, so memory stays bounded however long the history is
    const benchmarkSymbols = [...new Set(scanned.map((i) => i.benchmarkSymbol).filter((s): s is string => s !== null))];
    const benchmarks = await getFinalDailyBars(client, benchmarkSymbols);
    for (let start = 0; start < scanned.length; start += DETECTION_BATCH) {
      const batch = scanned.slice(start, start + DETECTION_BATCH);
      const batchSymbols = batch.map((i) => i.symbol);
      const bars = await getFinalDailyBars(client, batchSymbols);
      const moves: MoveRow[] = [];
      for (const instrument of batch) {
        const benchmarkBars = instrument.benchmarkSymbol ? (benchmarks.get(instrument.benchmarkSymbol) ?? null) : null;
        const detected = detectMoves(bars.get(instrument.symbol) ?? [], benchmarkBars, {
          minMovePct: instrument.minMovePct ?? undefined,
          minZ: instrument.minAbnormalZ ?? undefined,
        });
        for (const d of detected) {
          // a move needs two usable closes; a day caught by the z rule alone on adjusted prices has none to report
          if (d.move === null || !Number.isFinite(d.move)) continue;
          moves.push({
            symbol: instrument.symbol,
            date: d.date,
            move: d.move,
            // price_moves never holds Infinity or NaN (/api/moves would show null, moves.csv "Infinity")
            return: finiteOrNull(d.return),
            abnormalReturn: finiteOrNull(d.abnormalReturn),
            z: finiteOrNull(d.z),
            rule: d.rule,
          });
        }
      }
      const counts = await replaceMovesOf(client, batchSymbols, moves);
      const links = await relink(client, instruments, bars, batchSymbols, null);
      summary.moves += moves.length;
      summary.inserted += counts.inserted;
      summary.updated += counts.updated;
      summary.deleted += counts.deleted;
      summary.linksAdded += links.linksAdded;
      summary.linksRemoved += links.linksRemoved;
    }
    return summary;
  });
}

/** Recompute the automatic links of these events (after an event was created or its time changed). */
export async function linkMovesToEvents(db: Db, eventIds: readonly number[]): Promise<LinkSummary> {
  if (eventIds.length === 0) return { linksAdded: 0, linksRemoved: 0 };
  return inLockedTransaction(db, async (client) => {
    const instruments = await listInstruments(client);
    const moveKeys = await getMoveKeys(client, null);
    const bars = await getFinalDailyBars(client, [...new Set(moveKeys.map((m) => m.symbol))]);
    return relink(client, instruments, bars, null, eventIds);
  });
}

/** Session offsets of a move from each event's day 0, per instrument calendar; memoises day 0 per (symbol, event). */
class MoveOffsets {
  private readonly dayZeros = new Map<string, number | null>();
  private readonly calendars = new Map<string, { dates: string[]; indexOf: Map<string, number> }>();

  constructor(
    private readonly instruments: ReadonlyMap<string, InstrumentRow>,
    private readonly bars: ReadonlyMap<string, readonly DailyBar[]>,
  ) {}

  /** Trading-day offset of the move from the event's day 0, or null when day 0 is not in the data. */
  offset(move: Pick<MoveKey, 'symbol' | 'date'>, event: EventTiming): number | null {
    const instrument = this.instruments.get(move.symbol);
    const exchangeCode: MarketCode | null = instrument ? marketForInstrument(instrument) : null;
    const series = this.bars.get(move.symbol);
    if (!exchangeCode || !series) return null;
    let calendar = this.calendars.get(move.symbol);
    if (!calendar) {
      const dates = series.map((b) => b.date);
      calendar = { dates, indexOf: new Map(dates.map((d, i) => [d, i])) };
      this.calendars.set(move.symbol, calendar);
    }
    const moveIndex = calendar.indexOf.get(move.date);
    if (moveIndex === undefined) return null;
    const key = `${move.symbol}\u0000${event.id}`;
    let day0 = this.dayZeros.get(key);
    if (day0 === undefined) {
      const newsEvent: NewsEvent = { instant: event.occurredAt, dateOnly: event.dateOnly };
      day0 = dayZeroIndex(calendar.dates, newsEvent, exchangeCode);
      this.dayZeros.set(key, day0);
    }
    return day0 === null ? null : moveIndex - day0;
  }
}

/**
 * Bring the links of moves (of `symbols`, null = all) to events (`eventIds`, null = all) in line with the
 * data: automatic links for offsets in LINK_OFFSET_RANGE, none outside it; manual decisions stay as they
 * are, with their offset kept current.
 */
async function relink(
  client: pg.PoolClient,
  instruments: readonly InstrumentRow[],
  bars: ReadonlyMap<string, readonly DailyBar[]>,
  symbols: readonly string[] | null,
  eventIds: readonly number[] | null,
): Promise<LinkSummary> {
  // one connection runs one query at a time: no Promise.all here
  const moveKeys = await getMoveKeys(client, symbols);
  const events = await getEventTimings(client, eventIds);
  const existing = await getLinksInScope(client, symbols, eventIds);
  const offsets = new MoveOffsets(new Map(instruments.map((i) => [i.symbol, i])), bars);
  const existingByKey = new Map(existing.map((l) => [`${l.moveId}:${l.eventId}`, l]));

  const wanted: LinkOffset[] = [];
  const offsetUpdates: LinkOffset[] = [];
  const wantedKeys = new Set<string>();
  for (const move of moveKeys) {
    for (const event of events) {
      const offset = offsets.offset(move, event);
      if (offset === null) continue;
      const key = `${move.id}:${event.id}`;
      const stored = existingByKey.get(key);
      if (offset >= linkRangeFrom(event) && offset <= LINK_OFFSET_RANGE.to) {
        wantedKeys.add(key);
        if (!stored || stored.offset !== offset) wanted.push({ moveId: move.id, eventId: event.id, offset });
      } else if (stored && stored.origin === 'manual' && stored.offset !== offset) {
        offsetUpdates.push({ moveId: move.id, eventId: event.id, offset });
      }
    }
  }
  const stale = existing.filter((l) => l.origin === 'auto' && !wantedKeys.has(`${l.moveId}:${l.eventId}`));
  await upsertAutoLinks(client, wanted);
  await updateLinkOffsets(client, offsetUpdates);
  await deleteAutoLinks(client, stale);
  return { linksAdded: wanted.filter((l) => !existingByKey.has(`${l.moveId}:${l.eventId}`)).length, linksRemoved: stale.length };
}

export type LinkDecisionResult =
  | { status: 'saved'; offset: number }
  | { status: 'unknown_move' }
  | { status: 'unknown_event' }
  | { status: 'no_day_zero'; symbol: string; lastDate: string | null };

/**
 * Record a person's decision that a move is (linked = true) or is not (false) caused by an event. It is
 * stored with origin 'manual' and re-detection never overrides it.
 */
export async function decideLink(db: Db, moveId: number, eventSlug: string, linked: boolean): Promise<LinkDecisionResult> {
  return inLockedTransaction(db, async (client) => {
    const move = await getMoveKey(client, moveId);
    if (!move) return { status: 'unknown_move' };
    const event = await getEventTimingBySlug(client, eventSlug);
    if (!event) return { status: 'unknown_event' };
    const instruments = await listInstruments(client);
    const bars = await getFinalDailyBars(client, [move.symbol]);
    let offset = new MoveOffsets(new Map(instruments.map((i) => [i.symbol, i])), bars).offset(move, event);
    if (offset === null) {
      // unlinking needs no offset of its own: keep the one stored with the link, if there is one
      const stored = (await getLinksInScope(client, [move.symbol], [event.id])).find((l) => l.moveId === move.id);
      if (linked || !stored) {
        const series = bars.get(move.symbol) ?? [];
        return { status: 'no_day_zero', symbol: move.symbol, lastDate: series.length ? series[series.length - 1].date : null };
      }
      offset = stored.offset;
    }
    await saveManualLink(client, { moveId: move.id, eventId: event.id, offset, linked });
    return { status: 'saved', offset };
  });
}
