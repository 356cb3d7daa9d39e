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

export interface BarSeriesRange {
  symbol: string;
  /** first date to read (YYYY-MM-DD); null = from the first bar */
  from: string | null;
  /** last date to read; null = through the last bar */
  to?: string | null;
}

/**
 * The daily bars (date, close, adjClose) of many symbols in one query, each from its `from` date on, as one
 * JSON array per symbol (cheaper to parse than one row per bar). Symbols without bars are absent.
 */
export async function getDailyBarSeries(
  pool: pg.Pool,
  ranges: readonly BarSeriesRange[],
): Promise<Map<string, { date: string; close: number; adjClose: number | null }[]>> {
  const { rows } = await pool.query<[string, [string, number, number | null][]]>({
    text: `
      SELECT s.symbol, b.bars
        FROM unnest($1::text[], $2::date[], $3::date[]) AS s(symbol, first, last)
        CROSS JOIN LATERAL (
          SELECT json_agg(json_build_array(d.date, d.close, d.adj_close) ORDER BY d.date) AS bars
            FROM daily_bars d
           WHERE d.symbol = s.symbol AND d.date >= COALESCE(s.first, '-infinity'::date) AND d.date <= COALESCE(s.last, 'infinity'::date)
        ) b
       WHERE b.bars IS NOT NULL`,
    values: [ranges.map((r) => r.symbol), ranges.map((r) => r.from), ranges.map((r) => r.to ?? null)],
    rowMode: 'array',
  });
  return new Map(rows.map(([symbol, bars]) => [symbol, bars.map(([date, close, adjClose]) => ({ date, close, adjClose }))]));
}
