// The write path for intraday bars: the same COPY + merge as daily bars (./copyMerge), keyed by
// (symbol, interval, ts). Sends NOTIFY bars_stored with the interval ('5m', '1h', ...) when rows changed.
import type pg from 'pg';
import type { IntradayBarInput } from '../marketdata/types';
import { copyMerge, copyMergeInTransaction, csvField as field, type CopyMergeSpec, type UpsertCounts } from '../db/copyMerge';
import { BARS_STORED_CHANNEL, type UpsertOptions } from './dailyBarStore';

const COLUMNS = ['symbol', 'interval', 'ts', 'open', 'high', 'low', 'close', 'volume', 'source', 'fetched_at'] as const;

function* csvLines(bars: readonly IntradayBarInput[], source: string, fetchedAt: string): Generator<string> {
  const src = field(source);
  for (const b of bars) {
    yield `${field(b.symbol)},${field(b.interval)},${b.ts.toISOString()},${field(b.open)},${field(b.high)},${field(b.low)},${field(b.close)},${field(b.volume)},${src},${fetchedAt}\n`;
  }
}

/**
 * Upsert intraday bars; a bar equal to the stored one is left alone (counted unchanged). A batch may mix
 * symbols and intervals; the NOTIFY payload is {interval, symbols[], from, to} per batch (one interval: the
 * first, as the scheduler writes one interval per batch).
 */
export async function upsertIntradayBars(pool: pg.Pool, bars: readonly IntradayBarInput[], opts: UpsertOptions): Promise<UpsertCounts> {
  if (bars.length === 0) return { rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0 };
  return copyMerge(pool, intradayBarsMerge(bars, opts));
}

/** upsertIntradayBars inside the caller's transaction (a folder import): the NOTIFY is delivered at its commit. */
export async function upsertIntradayBarsInTransaction(
  client: pg.PoolClient,
  bars: readonly IntradayBarInput[],
  opts: UpsertOptions,
): Promise<UpsertCounts> {
  if (bars.length === 0) return { rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0 };
  return copyMergeInTransaction(client, intradayBarsMerge(bars, opts));
}

function intradayBarsMerge(bars: readonly IntradayBarInput[], opts: UpsertOptions): CopyMergeSpec {
  const fetchedAt = (opts.fetchedAt ?? new Date()).toISOString();
  return {
    table: 'intraday_bars',
    columns: COLUMNS,
    key: ['symbol', 'interval', 'ts'],
    lines: csvLines(bars, opts.source, fetchedAt),
    onConflict: {
      set: `open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
          volume = EXCLUDED.volume, source = EXCLUDED.source, fetched_at = EXCLUDED.fetched_at`,
      where: `(intraday_bars.open, intraday_bars.high, intraday_bars.low, intraday_bars.close, intraday_bars.volume)
          IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.volume)`,
    },
    notify: {
      channel: BARS_STORED_CHANNEL,
      payloadSql: `json_build_object('interval', min(interval), 'symbols', array_agg(DISTINCT symbol), 'from', min(ts), 'to', max(ts))::text`,
    },
  };
}

/**
 * Deletes the intraday bars that start before `before` (the retention of INTRADAY_RETENTION_DAYS), in batches so
 * that no statement holds its locks long; returns how many went.
 */
export async function pruneIntradayBars(pool: pg.Pool, before: Date, batch = 50_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      'DELETE FROM intraday_bars WHERE ctid IN (SELECT ctid FROM intraday_bars WHERE ts < $1 LIMIT $2)',
      [before, batch],
    );
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < batch) return deleted;
  }
}
