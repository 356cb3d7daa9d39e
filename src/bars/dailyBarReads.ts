// Every read of daily_bars (with barsAroundEvent.ts beside it): the routes, the move detector, the alert triggers,
// the scheduler and the status page ask here. Writes go through dailyBarStore.ts.
import type pg from 'pg';
import type { DailyBar } from '../analysis';
import type { Queryable } from '../db/transaction';
import type { DailyBarInput } from '../marketdata/types';
import type { BarColumns } from '../compute/barColumns';
import { dayColumnSql, float8ColumnSql, float8s, int4s } from './binaryColumns';

/** A daily bar as stored: the provider's bar, with whether it is still provisional. */
export interface StoredDailyBar extends Omit<DailyBarInput, 'symbol' | 'provisional'> {
  provisional: boolean;
}

export async function getDailyBars(pool: pg.Pool, symbol: string, from?: string, to?: string): Promise<StoredDailyBar[]> {
  const { rows } = await pool.query<StoredDailyBar>(
    `SELECT date, open, high, low, close, adj_close AS "adjClose", volume, provisional
       FROM daily_bars
      WHERE symbol = $1 AND ($2::date IS NULL OR date >= $2::date) AND ($3::date IS NULL OR date <= $3::date)
      ORDER BY date`,
    [symbol, from ?? null, to ?? null],
  );
  return rows;
}

export interface LatestBar {
  symbol: string;
  date: string;
  close: number;
  fetchedAt: Date;
}

/** The latest stored bar of every instrument (instruments without bars are absent). */
export async function getLatestBars(pool: pg.Pool): Promise<LatestBar[]> {
  const { rows } = await pool.query<LatestBar>(
    `SELECT DISTINCT ON (symbol) symbol, date, close, fetched_at AS "fetchedAt" FROM daily_bars ORDER BY symbol, date DESC`,
  );
  return rows;
}

export interface DailyBarCount {
  symbol: string;
  bars: number;
  /** date of the latest bar */
  last: string;
}

/** How many daily bars each instrument (or each of `symbols`) has, and its latest date. */
export async function dailyBarCounts(pool: pg.Pool, symbols?: readonly string[]): Promise<Map<string, DailyBarCount>> {
  const { rows } = await pool.query<DailyBarCount>(
    `SELECT symbol, max(date) AS last, count(*)::int AS bars FROM daily_bars
      WHERE $1::text[] IS NULL OR symbol = ANY($1) GROUP BY symbol`,
    [symbols ?? null],
  );
  return new Map(rows.map((r) => [r.symbol, r]));
}

/** Final (not provisional) daily bars of the given symbols, ascending by date per symbol. */
export async function getFinalDailyBars(client: Queryable, symbols: readonly string[]): Promise<Map<string, DailyBar[]>> {
  const { rows } = await client.query<[string, string, number, number | null]>({
    text: `SELECT symbol, date, close, adj_close FROM daily_bars WHERE symbol = ANY($1::text[]) AND NOT provisional ORDER BY symbol, date`,
    values: [symbols],
    rowMode: 'array',
  });
  const bySymbol = new Map<string, DailyBar[]>();
  for (const [symbol, date, close, adjClose] of rows) {
    let series = bySymbol.get(symbol);
    if (!series) bySymbol.set(symbol, (series = []));
    series.push({ date, close, adjClose });
  }
  return bySymbol;
}

export interface LatestFinalBar {
  symbol: string;
  date: string;
  close: number;
  fetchedAt: Date;
}

/** The newest final (non-provisional) daily bar of each symbol. */
export async function latestFinalBars(pool: pg.Pool, symbols: string[]): Promise<LatestFinalBar[]> {
  const { rows } = await pool.query<LatestFinalBar>(
    `SELECT DISTINCT ON (symbol) symbol, date, close, fetched_at AS "fetchedAt"
       FROM daily_bars WHERE symbol = ANY($1) AND NOT provisional ORDER BY symbol, date DESC`,
    [symbols],
  );
  return rows;
}

/** The last `count` final bars of a symbol up to `date`, ascending. */
export async function lastFinalBars(pool: pg.Pool, symbol: string, date: string, count: number): Promise<DailyBar[]> {
  const { rows } = await pool.query<DailyBar>(
    `SELECT date, close, adj_close AS "adjClose" FROM (
       SELECT date, close, adj_close FROM daily_bars WHERE symbol = $1 AND NOT provisional AND date <= $2 ORDER BY date DESC LIMIT $3
     ) b ORDER BY date`,
    [symbol, date, count],
  );
  return rows;
}

export async function finalBarsBetween(pool: pg.Pool, symbol: string, from: string, to: string): Promise<DailyBar[]> {
  const { rows } = await pool.query<DailyBar>(
    `SELECT date, close, adj_close AS "adjClose" FROM daily_bars WHERE symbol = $1 AND NOT provisional AND date BETWEEN $2 AND $3 ORDER BY date`,
    [symbol, from, to],
  );
  return rows;
}

export interface LatestSessionPrice {
  price: number;
  /** when the price was observed: the intraday bar's time, or the provisional bar's fetch */
  at: Date;
  fetchedAt: Date;
  /** a provisional daily bar gives its date; an intraday bar gives only `at` */
  date: string | null;
}

/**
 * The newest price of a session after `afterDate`: the latest intraday bar from `since` on, or a provisional
 * daily bar dated after `afterDate`, whichever was fetched last.
 */
export async function latestSessionPrice(
  pool: pg.Pool,
  symbol: string,
  afterDate: string,
  since: Date,
): Promise<LatestSessionPrice | null> {
  const { rows } = await pool.query<LatestSessionPrice>(
    `(SELECT close AS price, ts AS at, fetched_at AS "fetchedAt", NULL::text AS date
        FROM intraday_bars WHERE symbol = $1 AND ts >= $3 ORDER BY ts DESC LIMIT 1)
     UNION ALL
     (SELECT close, fetched_at, fetched_at, date::text FROM daily_bars WHERE symbol = $1 AND provisional AND date > $2 ORDER BY date DESC LIMIT 1)
     ORDER BY "fetchedAt" DESC LIMIT 1`,
    [symbol, afterDate, since],
  );
  return rows[0] ?? null;
}

/** Which of these symbols have a final bar dated `date` or later. */
export async function symbolsWithFinalBarOn(pool: pg.Pool, symbols: string[], date: string): Promise<Set<string>> {
  const { rows } = await pool.query<{ symbol: string }>(
    'SELECT DISTINCT symbol FROM daily_bars WHERE symbol = ANY($1) AND date >= $2 AND NOT provisional',
    [symbols, date],
  );
  return new Set(rows.map((r) => r.symbol));
}

/** Whether the symbol has a daily bar dated from..to (inclusive). */
export async function hasDailyBarsBetween(pool: pg.Pool, symbol: string, from: string, to: string): Promise<boolean> {
  const { rows } = await pool.query('SELECT 1 FROM daily_bars WHERE symbol = $1 AND date BETWEEN $2 AND $3 LIMIT 1', [symbol, from, to]);
  return rows.length > 0;
}

export interface LatestBarDates {
  lastBarDate: string | null;
  lastBarProvisional: boolean | null;
  lastFinalBarDate: string | null;
}

/** Per symbol: the date of its latest bar (and whether it is provisional) and of its latest final bar. */
export async function latestBarDates(pool: pg.Pool, symbols: readonly string[]): Promise<Map<string, LatestBarDates>> {
  const { rows } = await pool.query<LatestBarDates & { symbol: string }>(
    `SELECT s.symbol, b.date AS "lastBarDate", b.provisional AS "lastBarProvisional", f.date AS "lastFinalBarDate"
       FROM unnest($1::text[]) AS s(symbol)
       LEFT JOIN LATERAL (SELECT date, provisional FROM daily_bars WHERE symbol = s.symbol ORDER BY date DESC LIMIT 1) b ON true
       LEFT JOIN LATERAL (SELECT date FROM daily_bars WHERE symbol = s.symbol AND NOT provisional ORDER BY date DESC LIMIT 1) f ON true`,
    [symbols],
  );
  return new Map(rows.map(({ symbol, ...dates }) => [symbol, dates]));
}

export interface BarSeriesRange {
  symbol: string;
  /** first date to read (YYYY-MM-DD); null = from the first bar */
  from: string | null;
  /** last date to read; null = through the last bar */
  to?: string | null;
}

/**
 * A date bound as Postgres can read it. JavaScript writes a date past 9999 (a stored far-future event plus a
 * window: +010000-02-17) or before year 1 (0000-05-22) in forms Postgres refuses; they read as +/-infinity, so a
 * read finds no bars there instead of failing.
 */
export function sqlDateBound(date: string): string;
export function sqlDateBound(date: string | null): string | null;
export function sqlDateBound(date: string | null): string | null {
  if (date === null || (/^\d{4}-/.test(date) && date >= '0001')) return date;
  return date.startsWith('+') || date > '9999' ? 'infinity' : '-infinity';
}

/**
 * The daily bars (date, close, adjClose) of many symbols in one query, each over its range, as typed-array
 * columns (what a compute worker takes): one row per symbol holding its days, closes and adjusted closes as
 * three JSON arrays (cheaper to parse than one row per bar). Symbols without bars are absent.
 */
export async function getDailyBarColumns(pool: pg.Pool, ranges: readonly BarSeriesRange[]): Promise<Map<string, BarColumns>> {
  const { rows } = await pool.query<[string, Buffer, Buffer, Buffer]>({
    text: `
      SELECT s.symbol, b.days, b.closes, b.adj
        FROM unnest($1::text[], $2::date[], $3::date[]) AS s(symbol, first, last)
        CROSS JOIN LATERAL (
          SELECT ${dayColumnSql('d')} AS days, ${float8ColumnSql('d', 'close')} AS closes, ${float8ColumnSql('d', 'adj_close')} AS adj
            FROM daily_bars d
           WHERE d.symbol = s.symbol AND d.date >= COALESCE(s.first, '-infinity'::date) AND d.date <= COALESCE(s.last, 'infinity'::date)
        ) b
       WHERE b.days IS NOT NULL`,
    values: [ranges.map((r) => r.symbol), ranges.map((r) => sqlDateBound(r.from)), ranges.map((r) => sqlDateBound(r.to ?? null))],
    rowMode: 'array',
  });
  return new Map(
    rows.map(([symbol, days, closes, adj]) => [
      symbol,
      { days: int4s(days), close: float8s(closes), adjClose: float8s(adj), volume: null },
    ]),
  );
}
