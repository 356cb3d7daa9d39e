// Reads of stored bars.
import type pg from 'pg';

export interface StoredDailyBar {
  date: string;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number;
  adjClose: number | null;
  volume: number | null;
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

/** How many daily bars each instrument has, and its latest date. */
export async function dailyBarCounts(pool: pg.Pool): Promise<Map<string, DailyBarCount>> {
  const { rows } = await pool.query<DailyBarCount>('SELECT symbol, max(date) AS last, count(*)::int AS bars FROM daily_bars GROUP BY symbol');
  return new Map(rows.map((r) => [r.symbol, r]));
}
