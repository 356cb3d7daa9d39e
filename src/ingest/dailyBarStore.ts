// The one write path for daily bars, used by the bundled import, live ingest and backfills alike:
// COPY into a temporary staging table, then one INSERT ... SELECT ... ON CONFLICT merge. COPY is the fastest
// way into Postgres; the merge makes it idempotent (same bars again change nothing) and counts what changed.
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { DailyBarInput } from '../marketdata/types';

/** NOTIFY channel: payload {interval, symbols[], from, to} after bars changed (new or updated rows). */
export const BARS_STORED_CHANNEL = 'bars_stored';

export interface UpsertCounts {
  rowsNew: number;
  rowsUpdated: number;
  rowsUnchanged: number;
}

export interface UpsertOptions {
  /** where the bars came from, e.g. 'yahoo' or 'bundled:data/market/NVDA.csv' */
  source: string;
  fetchedAt?: Date;
}

const COLUMNS = ['symbol', 'date', 'open', 'high', 'low', 'close', 'adj_close', 'volume', 'source', 'fetched_at', 'provisional'] as const;

/** One CSV field for COPY: empty unquoted = NULL; text is quoted when it needs to be. */
function field(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return /[",\n\r]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v;
}

function* csvLines(bars: readonly DailyBarInput[], source: string, fetchedAt: string): Generator<string> {
  // batch lines into chunks so the stream is not one write per row
  let chunk = '';
  for (const b of bars) {
    chunk += `${field(b.symbol)},${b.date},${field(b.open)},${field(b.high)},${field(b.low)},${field(b.close)},${field(b.adjClose)},${field(b.volume)},${field(source)},${fetchedAt},${b.provisional ? 't' : 'f'}\n`;
    if (chunk.length > 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * Upsert daily bars. A final bar replaces a provisional one; a provisional bar never replaces a final one;
 * a bar whose prices are all equal to the stored ones is left alone (and counted unchanged).
 */
export async function upsertDailyBars(pool: pg.Pool, bars: readonly DailyBarInput[], opts: UpsertOptions): Promise<UpsertCounts> {
  if (bars.length === 0) return { rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0 };
  const fetchedAt = (opts.fetchedAt ?? new Date()).toISOString();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`CREATE TEMP TABLE IF NOT EXISTS staging_daily_bars (LIKE daily_bars INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
    const copy = client.query(copyFrom(`COPY staging_daily_bars (${COLUMNS.join(', ')}) FROM STDIN (FORMAT csv)`));
    await pipeline(Readable.from(csvLines(bars, opts.source, fetchedAt)), copy);
    // DISTINCT ON: a batch that names the same (symbol, date) twice keeps its last row instead of failing
    const { rows } = await client.query<{ inserted: number; updated: number }>(`
      WITH merged AS (
        INSERT INTO daily_bars (${COLUMNS.join(', ')})
        SELECT DISTINCT ON (symbol, date) ${COLUMNS.join(', ')} FROM staging_daily_bars ORDER BY symbol, date, ctid DESC
        ON CONFLICT (symbol, date) DO UPDATE SET
          open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
          adj_close = EXCLUDED.adj_close, volume = EXCLUDED.volume, source = EXCLUDED.source,
          fetched_at = EXCLUDED.fetched_at, provisional = EXCLUDED.provisional
        WHERE NOT (EXCLUDED.provisional AND NOT daily_bars.provisional)
          AND (daily_bars.open, daily_bars.high, daily_bars.low, daily_bars.close, daily_bars.adj_close, daily_bars.volume, daily_bars.provisional)
              IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.adj_close, EXCLUDED.volume, EXCLUDED.provisional)
        RETURNING (xmax = 0) AS inserted
      )
      SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM merged`);
    const distinct = await client.query<{ n: number }>('SELECT count(DISTINCT (symbol, date))::int AS n FROM staging_daily_bars');
    const { inserted, updated } = rows[0];
    if (inserted + updated > 0) {
      // delivered on commit, to every app instance listening (alerts react to new bars without polling)
      await client.query(`SELECT pg_notify('${BARS_STORED_CHANNEL}', json_build_object('interval', '1d', 'symbols', array_agg(DISTINCT symbol), 'from', min(date), 'to', max(date))::text) FROM staging_daily_bars`);
    }
    await client.query('COMMIT');
    return { rowsNew: inserted, rowsUpdated: updated, rowsUnchanged: distinct.rows[0].n - inserted - updated };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
