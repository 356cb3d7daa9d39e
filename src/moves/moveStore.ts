// Data access of price moves and their links to events. Bulk writes take arrays (unnest), never a query per row.
import type pg from 'pg';
import type { Queryable } from '../db/transaction';
import { eventJoinSql, type EventRef } from '../news/eventStore';

/** Serialises detection and linking across app instances (they all listen for new bars). */
const MOVE_DETECTION_LOCK_KEY = 'aftershock:move-detection';

export async function lockMoveDetection(client: Queryable): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MOVE_DETECTION_LOCK_KEY]);
}

export interface MoveRow {
  symbol: string;
  date: string;
  move: number;
  return: number | null;
  abnormalReturn: number | null;
  z: number | null;
  rule: string;
}

export interface MoveWriteCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

/**
 * Make the stored moves of `symbols` exactly `moves`: insert new ones, update changed ones (unchanged rows
 * are not touched), and delete the others unless a person decided about one of their links.
 */
export async function replaceMovesOf(client: Queryable, symbols: readonly string[], moves: readonly MoveRow[]): Promise<MoveWriteCounts> {
  const upserted = await client.query<{ inserted: boolean }>(
    `INSERT INTO price_moves (symbol, date, move, "return", abnormal_return, z, rule)
     SELECT * FROM unnest($1::text[], $2::date[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::text[])
     ON CONFLICT (symbol, date) DO UPDATE SET
       move = EXCLUDED.move, "return" = EXCLUDED."return", abnormal_return = EXCLUDED.abnormal_return,
       z = EXCLUDED.z, rule = EXCLUDED.rule, detected_at = now()
     WHERE (price_moves.move, price_moves."return", price_moves.abnormal_return, price_moves.z, price_moves.rule)
           IS DISTINCT FROM (EXCLUDED.move, EXCLUDED."return", EXCLUDED.abnormal_return, EXCLUDED.z, EXCLUDED.rule)
     RETURNING (xmax = 0) AS inserted`,
    [
      moves.map((m) => m.symbol),
      moves.map((m) => m.date),
      moves.map((m) => m.move),
      moves.map((m) => m.return),
      moves.map((m) => m.abnormalReturn),
      moves.map((m) => m.z),
      moves.map((m) => m.rule),
    ],
  );
  const deleted = await client.query(
    `DELETE FROM price_moves m
      WHERE m.symbol = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::date[]) AS k(symbol, date) WHERE k.symbol = m.symbol AND k.date = m.date)
        AND NOT EXISTS (SELECT 1 FROM move_event_links l WHERE l.move_id = m.id AND l.origin = 'manual')`,
    [symbols, moves.map((m) => m.symbol), moves.map((m) => m.date)],
  );
  const inserted = upserted.rows.filter((r) => r.inserted).length;
  return { inserted, updated: upserted.rows.length - inserted, deleted: deleted.rowCount ?? 0 };
}

export interface MoveKey {
  id: number;
  symbol: string;
  date: string;
}

export async function getMoveKeys(client: Queryable, symbols: readonly string[] | null): Promise<MoveKey[]> {
  const { rows } = await client.query<MoveKey>(
    `SELECT id, symbol, date FROM price_moves WHERE $1::text[] IS NULL OR symbol = ANY($1::text[]) ORDER BY symbol, date`,
    [symbols],
  );
  return rows;
}

export interface StoredLink {
  moveId: number;
  eventId: number;
  offset: number;
  origin: 'auto' | 'manual';
  linked: boolean;
}

/** Links whose move belongs to `symbols` (null = all) and whose event is in `eventIds` (null = all). */
export async function getLinksInScope(
  client: Queryable,
  symbols: readonly string[] | null,
  eventIds: readonly number[] | null,
): Promise<StoredLink[]> {
  const { rows } = await client.query<StoredLink>(
    `SELECT l.move_id AS "moveId", l.event_id AS "eventId", l."offset", l.origin, l.linked
       FROM move_event_links l JOIN price_moves m ON m.id = l.move_id
      WHERE ($1::text[] IS NULL OR m.symbol = ANY($1::text[])) AND ($2::int[] IS NULL OR l.event_id = ANY($2::int[]))`,
    [symbols, eventIds],
  );
  return rows;
}

export interface LinkOffset {
  moveId: number;
  eventId: number;
  offset: number;
}

/** Insert automatic links (an existing row keeps its origin and decision; only its offset follows the data). */
export async function upsertAutoLinks(client: Queryable, links: readonly LinkOffset[]): Promise<void> {
  if (links.length === 0) return;
  await client.query(
    `INSERT INTO move_event_links (move_id, event_id, "offset", origin, linked)
     SELECT k.move_id, k.event_id, k.off, 'auto', true FROM unnest($1::int[], $2::int[], $3::int[]) AS k(move_id, event_id, off)
     ON CONFLICT (move_id, event_id) DO UPDATE SET "offset" = EXCLUDED."offset" WHERE move_event_links."offset" <> EXCLUDED."offset"`,
    [links.map((l) => l.moveId), links.map((l) => l.eventId), links.map((l) => l.offset)],
  );
}

export async function updateLinkOffsets(client: Queryable, links: readonly LinkOffset[]): Promise<void> {
  if (links.length === 0) return;
  await client.query(
    `UPDATE move_event_links l SET "offset" = k.off FROM unnest($1::int[], $2::int[], $3::int[]) AS k(move_id, event_id, off)
      WHERE l.move_id = k.move_id AND l.event_id = k.event_id AND l."offset" <> k.off`,
    [links.map((l) => l.moveId), links.map((l) => l.eventId), links.map((l) => l.offset)],
  );
}

export async function deleteAutoLinks(client: Queryable, links: readonly { moveId: number; eventId: number }[]): Promise<void> {
  if (links.length === 0) return;
  await client.query(
    `DELETE FROM move_event_links l USING unnest($1::int[], $2::int[]) AS k(move_id, event_id)
      WHERE l.move_id = k.move_id AND l.event_id = k.event_id AND l.origin = 'auto'`,
    [links.map((l) => l.moveId), links.map((l) => l.eventId)],
  );
}

/** A person's decision: this move is (linked = true) or is not (false) caused by this event. */
export async function saveManualLink(client: Queryable, link: LinkOffset & { linked: boolean }): Promise<void> {
  await client.query(
    `INSERT INTO move_event_links (move_id, event_id, "offset", origin, linked) VALUES ($1, $2, $3, 'manual', $4)
     ON CONFLICT (move_id, event_id) DO UPDATE SET "offset" = EXCLUDED."offset", origin = 'manual', linked = EXCLUDED.linked`,
    [link.moveId, link.eventId, link.offset, link.linked],
  );
}

// ---- reads for the API

export interface LinkedEventView {
  slug: string;
  title: string;
  offset: number;
  origin: 'auto' | 'manual';
}

/** A stored move: `date` is the session date on the instrument's exchange, `move` the close-to-close change as a
 * fraction (-0.1697 = -16.97%). */
export interface MoveView extends MoveRow {
  id: number;
  detectedAt: Date;
  /** events this move is linked to (automatically or by hand), oldest first */
  events: LinkedEventView[];
}

export interface MoveFilter {
  symbols: readonly string[] | null;
  from: string | null;
  to: string | null;
  /** smallest |move| as a fraction */
  minAbsMove: number | null;
  limit: number;
}

const MOVE_VIEW_SELECT = `
  SELECT m.id, m.symbol, m.date, m.move, m."return", m.abnormal_return AS "abnormalReturn", m.z, m.rule, m.detected_at AS "detectedAt",
         coalesce(json_agg(json_build_object('slug', e.slug, 'title', e.title, 'offset', l."offset", 'origin', l.origin)
                           ORDER BY e.occurred_at) FILTER (WHERE e.id IS NOT NULL), '[]'::json) AS events
    FROM price_moves m
    LEFT JOIN move_event_links l ON l.move_id = m.id AND l.linked
    ${eventJoinSql('e', 'l.event_id', 'LEFT JOIN')}`;

// binary rounding: 16.97% stored as -0.16970000000000002 must pass min=16.97
const MIN_MOVE_TOLERANCE = 1e-12;

export async function listMoves(pool: pg.Pool, f: MoveFilter): Promise<MoveView[]> {
  const { rows } = await pool.query<MoveView>(
    `${MOVE_VIEW_SELECT}
      WHERE ($1::text[] IS NULL OR m.symbol = ANY($1::text[]))
        AND ($2::date IS NULL OR m.date >= $2::date) AND ($3::date IS NULL OR m.date <= $3::date)
        AND ($4::float8 IS NULL OR abs(m.move) >= $4::float8 - ${MIN_MOVE_TOLERANCE})
      GROUP BY m.id
      ORDER BY m.date, m.symbol
      LIMIT $5`,
    [f.symbols, f.from, f.to, f.minAbsMove, f.limit],
  );
  return rows;
}

export async function getMoveView(pool: Queryable, id: number): Promise<MoveView | null> {
  const { rows } = await pool.query<MoveView>(`${MOVE_VIEW_SELECT} WHERE m.id = $1 GROUP BY m.id`, [id]);
  return rows[0] ?? null;
}

/** Events a person unlinked from this move (kept so the decision can be seen and reverted). */
export async function getUnlinkedEvents(pool: Queryable, moveId: number): Promise<LinkedEventView[]> {
  const { rows } = await pool.query<LinkedEventView>(
    `SELECT e.slug, e.title, l."offset", l.origin FROM move_event_links l ${eventJoinSql('e', 'l.event_id', 'JOIN')}
      WHERE l.move_id = $1 AND NOT l.linked ORDER BY e.occurred_at`,
    [moveId],
  );
  return rows;
}

/** Events linked to the stored move of this symbol in this session, nearest offset first (an alert's context). */
export async function linkedEventsOfMove(pool: Queryable, symbol: string, date: string): Promise<(EventRef & { offset: number })[]> {
  const { rows } = await pool.query<EventRef & { offset: number }>(
    `SELECT e.id, e.slug, e.title, e.occurred_at AS "occurredAt", e.date_only AS "dateOnly", l."offset"
       FROM price_moves m JOIN move_event_links l ON l.move_id = m.id AND l.linked ${eventJoinSql('e', 'l.event_id', 'JOIN')}
      WHERE m.symbol = $1 AND m.date = $2
      ORDER BY abs(l."offset"), e.occurred_at`,
    [symbol, date],
  );
  return rows;
}

export interface EventMoveView {
  id: number;
  symbol: string;
  date: string;
  move: number;
  abnormalReturn: number | null;
  z: number | null;
  rule: string;
  offset: number;
  origin: 'auto' | 'manual';
}

/** The moves linked to an event, in session order. */
export async function getMovesOfEvent(pool: Queryable, eventId: number): Promise<EventMoveView[]> {
  const { rows } = await pool.query<EventMoveView>(
    `SELECT m.id, m.symbol, m.date, m.move, m.abnormal_return AS "abnormalReturn", m.z, m.rule, l."offset", l.origin
       FROM move_event_links l JOIN price_moves m ON m.id = l.move_id
      WHERE l.event_id = $1 AND l.linked
      ORDER BY l."offset", m.symbol`,
    [eventId],
  );
  return rows;
}

/** A move's key (id, symbol, date), or null when there is no such move. */
export async function getMoveKey(client: Queryable, id: number): Promise<{ id: number; symbol: string; date: string } | null> {
  const { rows } = await client.query<{ id: number; symbol: string; date: string }>(
    'SELECT id, symbol, date FROM price_moves WHERE id = $1',
    [id],
  );
  return rows[0] ?? null;
}

/** The ids of the events linked to a stored move of each of `symbols` (excludeEvents=same of a study). */
export async function linkedEventIdsOfSymbols(pool: Queryable, symbols: readonly string[]): Promise<Map<string, Set<number>>> {
  const { rows } = await pool.query<{ symbol: string; eventId: number }>(
    `SELECT DISTINCT m.symbol, l.event_id AS "eventId"
       FROM price_moves m JOIN move_event_links l ON l.move_id = m.id AND l.linked
      WHERE m.symbol = ANY($1::text[])`,
    [symbols],
  );
  const bySymbol = new Map<string, Set<number>>();
  for (const r of rows) {
    const set = bySymbol.get(r.symbol) ?? new Set<number>();
    set.add(r.eventId);
    bySymbol.set(r.symbol, set);
  }
  return bySymbol;
}
