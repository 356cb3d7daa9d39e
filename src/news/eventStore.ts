// Events and their news: the store of the events, news_items and event_news tables (SQL through pg, like every
// store; Prisma owns the schema and its migrations).
import type { Queryable } from '../db/transaction';
import type { EventPrecision } from '../markets/eventTiming';
import type { NewsItemView } from './newsStore';

export interface EventInput {
  slug: string;
  title: string;
  occurredAt: Date;
  dateOnly: boolean;
  /** how precisely the time is known; default: instant, or date for a date-only event */
  precision?: EventPrecision;
  /** the event's own zone (a part of day, an interval) */
  timeZone?: string | null;
  /** the end of an interval event */
  occurredUntil?: Date | null;
  kind: string;
  description?: string | null;
}

/** The stored precision of an event written without one. */
const precisionOf = (e: EventInput): EventPrecision => e.precision ?? (e.dateOnly ? 'date' : 'instant');

export interface NewsInputRow {
  url: string;
  title: string;
  publisher?: string | null;
  publishedAt: Date;
  dateOnly: boolean;
  kind?: string | null;
  source?: string;
  symbols?: string[];
}

const EVENT_COLUMNS = `id, slug, title, occurred_at AS "occurredAt", date_only AS "dateOnly", precision, time_zone AS "timeZone",
  occurred_until AS "occurredUntil", kind, description`;

/** Insert or update an event by slug; returns its id. */
export async function upsertEvent(db: Queryable, e: EventInput): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO events (slug, title, occurred_at, date_only, kind, description, precision, time_zone, occurred_until)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, occurred_at = EXCLUDED.occurred_at, date_only = EXCLUDED.date_only,
       kind = EXCLUDED.kind, description = EXCLUDED.description, precision = EXCLUDED.precision, time_zone = EXCLUDED.time_zone,
       occurred_until = EXCLUDED.occurred_until, updated_at = now()
     RETURNING id`,
    eventValues(e),
  );
  return rows[0].id;
}

const eventValues = (e: EventInput) => [
  e.slug,
  e.title,
  e.occurredAt,
  e.dateOnly,
  e.kind,
  e.description ?? null,
  precisionOf(e),
  e.timeZone ?? null,
  e.occurredUntil ?? null,
];

const newsValues = (n: NewsInputRow) => [
  n.url,
  n.title,
  n.publisher ?? null,
  n.publishedAt,
  n.dateOnly,
  n.kind ?? null,
  n.symbols ?? [],
  n.source ?? 'manual',
];

/** Insert or update a news item by URL; returns its id. */
export async function upsertNews(db: Queryable, n: NewsInputRow): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO news_items (url, title, publisher, published_at, date_only, kind, symbols, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (url) DO UPDATE SET title = EXCLUDED.title, publisher = EXCLUDED.publisher, published_at = EXCLUDED.published_at,
       date_only = EXCLUDED.date_only, kind = EXCLUDED.kind, symbols = EXCLUDED.symbols, source = EXCLUDED.source
     RETURNING id`,
    newsValues(n),
  );
  return rows[0].id;
}

export async function attachNews(db: Queryable, eventId: number, newsId: number, role: 'source' | 'coverage'): Promise<void> {
  await db.query(
    'INSERT INTO event_news (event_id, news_id, role) VALUES ($1, $2, $3) ON CONFLICT (event_id, news_id) DO UPDATE SET role = EXCLUDED.role',
    [eventId, newsId, role],
  );
}

function eventDate(e: { occurredAt: Date }): string {
  return e.occurredAt.toISOString().slice(0, 10);
}

/** The API shape of an event: instants as ISO strings, date-only events as a plain date. */
export function presentEvent(e: Omit<StoredEventRow, 'id'>) {
  return {
    slug: e.slug,
    title: e.title,
    occurredAt: e.dateOnly ? null : e.occurredAt.toISOString(),
    date: eventDate(e),
    dateOnly: e.dateOnly,
    precision: e.precision,
    timeZone: e.timeZone,
    occurredUntil: e.occurredUntil ? e.occurredUntil.toISOString() : null,
    kind: e.kind,
    description: e.description,
  };
}

function presentNews(
  n: { url: string; title: string; publisher: string | null; publishedAt: Date; dateOnly: boolean; kind: string | null },
  role?: string,
) {
  return {
    url: n.url,
    title: n.title,
    publisher: n.publisher,
    publishedAt: n.dateOnly ? null : n.publishedAt.toISOString(),
    date: n.publishedAt.toISOString().slice(0, 10),
    dateOnly: n.dateOnly,
    kind: n.kind,
    ...(role ? { role } : {}),
  };
}

// ---- writes of the events API

export interface StoredEventRow {
  id: number;
  slug: string;
  title: string;
  occurredAt: Date;
  dateOnly: boolean;
  precision: EventPrecision;
  timeZone: string | null;
  occurredUntil: Date | null;
  kind: string;
  description: string | null;
}

export async function findEventBySlug(db: Queryable, slug: string): Promise<StoredEventRow | null> {
  const { rows } = await db.query<StoredEventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE slug = $1`, [slug]);
  return rows[0] ?? null;
}

/** Every event in time order, with how many news items it has. */
export async function listEvents(db: Queryable): Promise<(StoredEventRow & { newsCount: number })[]> {
  const { rows } = await db.query<StoredEventRow & { newsCount: number }>(
    `SELECT ${EVENT_COLUMNS}, (SELECT count(*)::int FROM event_news en WHERE en.event_id = events.id) AS "newsCount"
       FROM events ORDER BY occurred_at, id`,
  );
  return rows;
}

/** First key of the two-int advisory lock on a derived slug's base (the second is hashtext(base)). */
const SLUG_LOCK_NAMESPACE = 0x5e1a9; // not the jobs' namespace

/** Hold, until the transaction ends, the right to pick a slug next to `base`: concurrent creations take turns. */
export async function lockSlugBase(tx: Queryable, base: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SLUG_LOCK_NAMESPACE, base]);
}

/** Slugs in use that start with `base` (to pick a free one next to them). */
export async function slugsStartingWith(db: Queryable, base: string): Promise<string[]> {
  const { rows } = await db.query<{ slug: string }>('SELECT slug FROM events WHERE starts_with(slug, $1)', [base]);
  return rows.map((r) => r.slug);
}

export async function insertEvent(db: Queryable, e: EventInput): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO events (slug, title, occurred_at, date_only, kind, description, precision, time_zone, occurred_until)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    eventValues(e),
  );
  return rows[0].id;
}

const EVENT_FIELD_COLUMNS: Record<keyof EventInput, string> = {
  slug: 'slug',
  title: 'title',
  occurredAt: 'occurred_at',
  dateOnly: 'date_only',
  precision: 'precision',
  timeZone: 'time_zone',
  occurredUntil: 'occurred_until',
  kind: 'kind',
  description: 'description',
};

export async function updateEventById(db: Queryable, id: number, changes: Partial<EventInput>): Promise<void> {
  const fields = (Object.keys(changes) as (keyof EventInput)[]).filter((k) => changes[k] !== undefined);
  const sets = fields.map((k, i) => `${EVENT_FIELD_COLUMNS[k]} = $${i + 2}`);
  await db.query(`UPDATE events SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1`, [id, ...fields.map((k) => changes[k])]);
}

/** Deletes the event and its links to news and moves (the news items and moves stay). */
export async function deleteEventBySlug(db: Queryable, slug: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM events WHERE slug = $1', [slug]);
  return (rowCount ?? 0) > 0;
}

/** Insert a news item unless one with its URL exists (that one is left as it is); returns its id and whether it is new. */
export async function insertNewsIfAbsent(db: Queryable, n: NewsInputRow): Promise<{ id: number; created: boolean }> {
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO news_items (url, title, publisher, published_at, date_only, kind, symbols, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (url) DO NOTHING RETURNING id`,
    newsValues(n),
  );
  if (inserted.rows[0]) return { id: inserted.rows[0].id, created: true };
  const { rows } = await db.query<{ id: number }>('SELECT id FROM news_items WHERE url = $1', [n.url]);
  return { id: rows[0].id, created: false };
}

/** Detach the news item with this URL from the event; false when it was not attached. */
export async function detachNewsByUrl(db: Queryable, eventId: number, url: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'DELETE FROM event_news en USING news_items n WHERE en.news_id = n.id AND en.event_id = $1 AND n.url = $2',
    [eventId, url],
  );
  return (rowCount ?? 0) > 0;
}

interface EventNewsRow extends NewsItemView {
  role: string;
}

/** An event with its news (sources first, then coverage in time order), for the API. */
export async function getEventWithNews(db: Queryable, slug: string) {
  const event = await findEventBySlug(db, slug);
  if (!event) return null;
  const { rows } = await db.query<EventNewsRow>(
    `SELECT n.url, n.title, n.publisher, n.published_at AS "publishedAt", n.date_only AS "dateOnly", n.kind, en.role
       FROM event_news en JOIN news_items n ON n.id = en.news_id
      WHERE en.event_id = $1
      ORDER BY en.role DESC, n.published_at, n.id`,
    [event.id],
  );
  return { id: event.id, ...presentEvent(event), news: rows.map((n) => presentNews(n, n.role)) };
}

// ---- reads for the capabilities above: move linking, the alerts' news context

/** For a read that must stay one query (an event's slug and title beside another owner's rows): a join of the
 * events table as `alias` on `idExpr`; its columns id, slug, title, occurred_at, date_only may be read. */
export const eventJoinSql = (alias: string, idExpr: string, join: 'JOIN' | 'LEFT JOIN') =>
  `${join} events ${alias} ON ${alias}.id = ${idExpr}`;

export interface EventTiming {
  id: number;
  slug: string;
  occurredAt: Date;
  dateOnly: boolean;
  precision: EventPrecision;
}

export async function getEventTimings(client: Queryable, eventIds: readonly number[] | null): Promise<EventTiming[]> {
  const { rows } = await client.query<EventTiming>(
    `SELECT id, slug, occurred_at AS "occurredAt", date_only AS "dateOnly", precision FROM events WHERE $1::int[] IS NULL OR id = ANY($1::int[]) ORDER BY occurred_at`,
    [eventIds],
  );
  return rows;
}

export async function getEventTimingBySlug(client: Queryable, slug: string): Promise<EventTiming | null> {
  const { rows } = await client.query<EventTiming>(
    `SELECT id, slug, occurred_at AS "occurredAt", date_only AS "dateOnly", precision FROM events WHERE slug = $1`,
    [slug],
  );
  return rows[0] ?? null;
}

export interface EventRef {
  id: number;
  slug: string;
  title: string;
  occurredAt: Date;
  dateOnly: boolean;
}

export async function eventsBetween(db: Queryable, from: Date, to: Date): Promise<EventRef[]> {
  const { rows } = await db.query<EventRef>(
    `SELECT id, slug, title, occurred_at AS "occurredAt", date_only AS "dateOnly" FROM events WHERE occurred_at BETWEEN $1 AND $2 ORDER BY occurred_at`,
    [from, to],
  );
  return rows;
}

export async function eventsByIds(db: Queryable, ids: number[]): Promise<Map<number, EventRef>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<EventRef>(
    `SELECT id, slug, title, occurred_at AS "occurredAt", date_only AS "dateOnly" FROM events WHERE id = ANY($1)`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}
