// The one write path for daily bars, used by the bundled import, live ingest and backfills alike:
// COPY into a temporary staging table, then one INSERT ... SELECT ... ON CONFLICT merge (./copyMerge). COPY is
// the fastest way into Postgres; the merge makes it idempotent (same bars again change nothing) and counts what changed.
import type pg from 'pg';
import type { DailyBarInput } from '../marketdata/types';
import { copyMerge, copyMergeInTransaction, csvField as field, type CopyMergeSpec, type UpsertCounts } from '../db/copyMerge';

export type { UpsertCounts } from '../db/copyMerge';

/** NOTIFY channel: payload {interval, symbols[], from, to} after bars changed (new or updated rows). */
export const BARS_STORED_CHANNEL = 'bars_stored';

/** A bars_stored payload, read. */
export interface BarsStored {
  /** '1d' for daily bars, '5m', '1h'... for intraday ones; null when the payload does not say */
  interval: string | null;
  symbols: string[];
  /** the first and last session date (daily bars) or bar instant (intraday, ISO) stored; null when not said */
  sessions: { from: string; to: string } | null;
}

/**
 * Reads a bars_stored payload, for every listener alike. null: bars changed, but which is unknown (not JSON,
 * not an object, or no list of symbol names), so a listener looks at everything.
 */
export function parseBarsStored(payload: string | undefined): BarsStored | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload ?? '');
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { interval, symbols, from, to } = parsed as { interval?: unknown; symbols?: unknown; from?: unknown; to?: unknown };
  if (!Array.isArray(symbols) || !symbols.every((s): s is string => typeof s === 'string')) return null;
  const sessions = typeof from === 'string' && typeof to === 'string' ? { from, to } : null;
  return { interval: typeof interval === 'string' ? interval : null, symbols, sessions };
}

export interface UpsertOptions {
  /** where the bars came from, e.g. 'yahoo' or 'bundled:data/market/NVDA.csv' */
  source: string;
  fetchedAt?: Date;
}

const COLUMNS = ['symbol', 'date', 'open', 'high', 'low', 'close', 'adj_close', 'volume', 'source', 'fetched_at', 'provisional'] as const;

function* csvLines(bars: readonly DailyBarInput[], source: string, fetchedAt: string): Generator<string> {
  const src = field(source);
  for (const b of bars) {
    yield `${field(b.symbol)},${b.date},${field(b.open)},${field(b.high)},${field(b.low)},${field(b.close)},${field(b.adjClose)},${field(b.volume)},${src},${fetchedAt},${b.provisional ? 't' : 'f'}\n`;
  }
}

/**
 * Upsert daily bars. A final bar replaces a provisional one; a provisional bar never replaces a final one;
 * a bar whose prices are all equal to the stored ones is left alone (and counted unchanged).
 */
export async function upsertDailyBars(pool: pg.Pool, bars: readonly DailyBarInput[], opts: UpsertOptions): Promise<UpsertCounts> {
  if (bars.length === 0) return { rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0 };
  return copyMerge(pool, dailyBarsMerge(bars, opts));
}

/** upsertDailyBars inside the caller's transaction: an import's bars become visible with its instruments. */
export async function upsertDailyBarsInTransaction(
  client: pg.PoolClient,
  bars: readonly DailyBarInput[],
  opts: UpsertOptions,
): Promise<UpsertCounts> {
  if (bars.length === 0) return { rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0 };
  return copyMergeInTransaction(client, dailyBarsMerge(bars, opts));
}

function dailyBarsMerge(bars: readonly DailyBarInput[], opts: UpsertOptions): CopyMergeSpec {
  const fetchedAt = (opts.fetchedAt ?? new Date()).toISOString();
  return {
    table: 'daily_bars',
    columns: COLUMNS,
    key: ['symbol', 'date'],
    lines: csvLines(bars, opts.source, fetchedAt),
    onConflict: {
      set: `open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
          adj_close = EXCLUDED.adj_close, volume = EXCLUDED.volume, source = EXCLUDED.source,
          fetched_at = EXCLUDED.fetched_at, provisional = EXCLUDED.provisional`,
      where: `NOT (EXCLUDED.provisional AND NOT daily_bars.provisional)
          AND (daily_bars.open, daily_bars.high, daily_bars.low, daily_bars.close, daily_bars.adj_close, daily_bars.volume, daily_bars.provisional)
              IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.adj_close, EXCLUDED.volume, EXCLUDED.provisional)`,
    },
    notify: {
      channel: BARS_STORED_CHANNEL,
      payloadSql: `json_build_object('interval', '1d', 'symbols', array_agg(DISTINCT symbol), 'from', min(date), 'to', max(date))::text`,
    },
  };
}
