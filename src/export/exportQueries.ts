// The SELECTs behind the exports and the look-ups that decide a 404. Each export is a query for COPY plus the
// columns it yields, in order; parameters are read with current_setting('aftershock.<name>') (see copyOut.ts).
import type pg from 'pg';
import type { CsvColumn } from './csvFormat';
import type { CopyQuery } from './copyOut';

export interface ExportQuery extends CopyQuery {
  columns: readonly CsvColumn[];
}

// an optional parameter: '' = not given
const optionalDate = (name: string) => `nullif(current_setting('aftershock.${name}'), '')::date`;
// a text[] cast the planner can see through when it estimates rows (a subquery would hide the list and
// talk it into sorting a million rows instead of reading them in key order)
const symbolArray = `current_setting('aftershock.symbols')::text[]`;

/** A Postgres array literal of text values, every element quoted. */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
/** an instant as JavaScript's toISOString() writes it, as the JSON API does */
const isoInstant = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const isoDateOf = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;

const DAILY_BAR_COLUMNS: readonly CsvColumn[] = [
  { name: 'symbol', kind: 'text' },
  { name: 'currency', kind: 'text' },
  { name: 'date', kind: 'iso' },
  { name: 'open', kind: 'number' },
  { name: 'high', kind: 'number' },
  { name: 'low', kind: 'number' },
  { name: 'close', kind: 'number' },
  { name: 'adjClose', kind: 'number' },
  { name: 'volume', kind: 'number' },
  { name: 'provisional', kind: 'boolean' },
];

/** Daily bars of the given symbols, by symbol then date: straight off the (symbol, date) primary key. */
export function dailyBarsQuery(p: { symbols: string[]; from?: string; to?: string }): ExportQuery {
  return {
    columns: DAILY_BAR_COLUMNS,
    select: `SELECT b.symbol, i.currency, b.date, b.open, b.high, b.low, b.close, b.adj_close, b.volume, b.provisional
      FROM daily_bars b JOIN instruments i ON i.symbol = b.symbol
      WHERE b.symbol = ANY (${symbolArray})
        AND b.date >= coalesce(${optionalDate('from')}, '-infinity') AND b.date <= coalesce(${optionalDate('to')}, 'infinity')
      ORDER BY b.symbol, b.date`,
    params: { symbols: textArrayLiteral(p.symbols), from: p.from ?? '', to: p.to ?? '' },
  };
}

const INTRADAY_BAR_COLUMNS: readonly CsvColumn[] = [
  { name: 'symbol', kind: 'text' },
  { name: 'currency', kind: 'text' },
  { name: 'interval', kind: 'text' },
  { name: 'ts', kind: 'iso' },
  { name: 'open', kind: 'number' },
  { name: 'high', kind: 'number' },
  { name: 'low', kind: 'number' },
  { name: 'close', kind: 'number' },
  { name: 'volume', kind: 'number' },
];

/**
 * Intraday bars whose start falls on a trading date in [from, to] of the instrument's own exchange (the
 * calendar daily bars are dated in); ts in UTC. The day of slack on either side lets the key narrow the scan.
 */
export function intradayBarsQuery(p: { symbols: string[]; interval: string; from?: string; to?: string }): ExportQuery {
  return {
    columns: INTRADAY_BAR_COLUMNS,
    select: `SELECT b.symbol, i.currency, b.interval, ${isoInstant('b.ts')}, b.open, b.high, b.low, b.close, b.volume
      FROM intraday_bars b JOIN instruments i ON i.symbol = b.symbol
      WHERE b.symbol = ANY (${symbolArray}) AND b.interval = current_setting('aftershock.interval')
        AND b.ts >= coalesce(${optionalDate('from')} - 1, '-infinity')::timestamp AT TIME ZONE 'UTC'
        AND b.ts < coalesce(${optionalDate('to')} + 2, 'infinity')::timestamp AT TIME ZONE 'UTC'
        AND (b.ts AT TIME ZONE i.time_zone)::date BETWEEN coalesce(${optionalDate('from')}, '-infinity') AND coalesce(${optionalDate('to')}, 'infinity')
      ORDER BY b.symbol, b.ts`,
    params: { symbols: textArrayLiteral(p.symbols), interval: p.interval, from: p.from ?? '', to: p.to ?? '' },
  };
}

const MOVE_COLUMNS: readonly CsvColumn[] = [
  { name: 'moveId', kind: 'number' },
  { name: 'symbol', kind: 'text' },
  { name: 'date', kind: 'iso' },
  { name: 'move', kind: 'number' },
  { name: 'return', kind: 'number' },
  { name: 'abnormalReturn', kind: 'number' },
  { name: 'z', kind: 'number' },
  { name: 'rule', kind: 'text' },
  { name: 'detectedAt', kind: 'iso' },
  { name: 'eventSlug', kind: 'text' },
  { name: 'eventOffset', kind: 'number' },
  { name: 'eventOrigin', kind: 'text' },
];

// binary rounding: 16.97% stored as -0.16970000000000002 must pass min=16.97 (as in GET /api/moves)
const MIN_MOVE_TOLERANCE = 1e-12;

/**
 * Recorded moves, one row per move and event it is linked to (a move without a linked event: one row with
 * the event columns empty), so that every cell holds one value and offsets stay numbers; moveId tells the
 * rows of one move apart. Order and filters as GET /api/moves: by date then symbol, events oldest first.
 */
export function movesQuery(p: { symbols?: string[]; from?: string; to?: string; minAbsMove?: number }): ExportQuery {
  return {
    columns: MOVE_COLUMNS,
    select: `SELECT m.id, m.symbol, m.date, m.move, m."return", m.abnormal_return, m.z, m.rule, ${isoInstant('m.detected_at')},
        e.slug, l."offset", l.origin
      FROM price_moves m
      LEFT JOIN move_event_links l ON l.move_id = m.id AND l.linked
      LEFT JOIN events e ON e.id = l.event_id
      WHERE (cardinality(${symbolArray}) = 0 OR m.symbol = ANY (${symbolArray}))
        AND m.date >= coalesce(${optionalDate('from')}, '-infinity') AND m.date <= coalesce(${optionalDate('to')}, 'infinity')
        AND abs(m.move) >= coalesce(nullif(current_setting('aftershock.min_abs_move'), '')::float8 - ${MIN_MOVE_TOLERANCE}, 0)
      ORDER BY m.date, m.symbol, e.occurred_at, e.id`,
    params: {
      symbols: textArrayLiteral(p.symbols ?? []),
      from: p.from ?? '',
      to: p.to ?? '',
      min_abs_move: p.minAbsMove === undefined ? '' : String(p.minAbsMove),
    },
  };
}

const EVENT_NEWS_COLUMNS: readonly CsvColumn[] = [
  { name: 'eventSlug', kind: 'text' },
  { name: 'eventTitle', kind: 'text' },
  { name: 'eventOccurredAt', kind: 'iso' },
  { name: 'eventDate', kind: 'iso' },
  { name: 'eventDateOnly', kind: 'boolean' },
  { name: 'eventPrecision', kind: 'text' },
  { name: 'eventTimeZone', kind: 'text' },
  { name: 'eventOccurredUntil', kind: 'iso' },
  { name: 'eventKind', kind: 'text' },
  { name: 'eventDescription', kind: 'text' },
  { name: 'newsRole', kind: 'text' },
  { name: 'newsUrl', kind: 'text' },
  { name: 'newsTitle', kind: 'text' },
  { name: 'newsPublisher', kind: 'text' },
  { name: 'newsPublishedAt', kind: 'iso' },
  { name: 'newsDate', kind: 'iso' },
  { name: 'newsDateOnly', kind: 'boolean' },
  { name: 'newsKind', kind: 'text' },
];

/**
 * Events with their news, one row per event and news item (an event without news: one row, news columns
 * empty); in the order of GET /api/events, each event's news in the order of GET /api/events/:slug.
 * A date-only event or news item has no instant, only its date, as in the JSON API.
 */
export function eventNewsQuery(): ExportQuery {
  return {
    columns: EVENT_NEWS_COLUMNS,
    select: `SELECT e.slug, e.title, CASE WHEN e.date_only THEN NULL ELSE ${isoInstant('e.occurred_at')} END, ${isoDateOf('e.occurred_at')},
        e.date_only, e.precision, e.time_zone, ${isoInstant('e.occurred_until')}, e.kind, e.description,
        en.role, n.url, n.title, n.publisher, CASE WHEN n.date_only THEN NULL ELSE ${isoInstant('n.published_at')} END,
        ${isoDateOf('n.published_at')}, n.date_only, n.kind
      FROM events e
      LEFT JOIN event_news en ON en.event_id = e.id
      LEFT JOIN news_items n ON n.id = en.news_id
      ORDER BY e.occurred_at, e.id, en.role DESC, n.published_at, n.id`,
    params: {},
  };
}

/** The given symbols that are not instruments Aftershock knows. */
export async function findUnknownSymbols(pool: pg.Pool, symbols: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ symbol: string }>('SELECT symbol FROM instruments WHERE symbol = ANY ($1::text[])', [symbols]);
  const known = new Set(rows.map((r) => r.symbol));
  return symbols.filter((s) => !known.has(s));
}
