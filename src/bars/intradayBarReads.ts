// Every read of intraday_bars but the alert triggers' latest price (dailyBarReads' latestSessionPrice): the bars
// route, backfill's gap check (bars per session). Writes go through intradayBarStore.ts.
import type { Queryable } from '../db/transaction';
import type { IntradayInterval } from '../marketdata/provider';
import type { IntradayBarInput } from '../marketdata/types';

/** An intraday bar as stored: the provider's bar (`ts` the instant it opens) of the symbol and interval asked for. */
type StoredIntradayBar = Omit<IntradayBarInput, 'symbol' | 'interval'>;

/**
 * The symbol's stored bars of `interval` that open from `from` (inclusive) to `to` (exclusive), oldest first;
 * an absent bound leaves that side open.
 */
export async function intradayBars(
  db: Queryable,
  symbol: string,
  interval: IntradayInterval,
  from?: Date,
  to?: Date,
): Promise<StoredIntradayBar[]> {
  const { rows } = await db.query<StoredIntradayBar>(
    `SELECT ts, open, high, low, close, volume FROM intraday_bars
      WHERE symbol = $1 AND interval = $2 AND ($3::timestamptz IS NULL OR ts >= $3) AND ($4::timestamptz IS NULL OR ts < $4)
      ORDER BY ts`,
    [symbol, interval, from ?? null, to ?? null],
  );
  return rows;
}

/** The number of stored bars of `interval` in each session [open, close) given, by session date (0 when none). */
export async function intradayBarCountsBySession(
  db: Queryable,
  symbol: string,
  interval: string,
  sessions: readonly { date: string; open: Date; close: Date }[],
): Promise<Map<string, number>> {
  if (sessions.length === 0) return new Map();
  const { rows } = await db.query<{ date: string; n: number }>(
    `SELECT s.date, count(b.ts)::int AS n
       FROM unnest($3::text[], $4::timestamptz[], $5::timestamptz[]) AS s(date, open, close)
       LEFT JOIN intraday_bars b ON b.symbol = $1 AND b.interval = $2 AND b.ts >= s.open AND b.ts < s.close
      GROUP BY s.date`,
    [symbol, interval, sessions.map((s) => s.date), sessions.map((s) => s.open), sessions.map((s) => s.close)],
  );
  return new Map(rows.map((r) => [r.date, r.n]));
}

/** The newest stored bar of a symbol: when it opens, when it was fetched, and from where (`source`). */
export interface LatestIntradayBar {
  ts: Date;
  fetchedAt: Date;
  source: string;
}

/** The newest stored bar of `interval` of each symbol that opens from `from` on. */
export async function latestIntradayBarsFrom(
  db: Queryable,
  symbols: readonly string[],
  interval: string,
  from: Date,
): Promise<Map<string, LatestIntradayBar>> {
  if (symbols.length === 0) return new Map();
  const { rows } = await db.query<LatestIntradayBar & { symbol: string }>(
    `SELECT DISTINCT ON (symbol) symbol, ts, fetched_at AS "fetchedAt", source FROM intraday_bars
      WHERE symbol = ANY($1) AND interval = $2 AND ts >= $3 ORDER BY symbol, ts DESC`,
    [symbols, interval, from],
  );
  return new Map(rows.map((r) => [r.symbol, { ts: r.ts, fetchedAt: r.fetchedAt, source: r.source }]));
}

/** The stored intraday bars of one symbol as typed-array columns (what crosses to a compute worker). */
export interface IntradayBarColumns {
  /** bar start, epoch milliseconds, ascending */
  t: Float64Array;
  close: Float64Array;
  /** NaN where a bar has no volume */
  volume: Float64Array;
}

export interface IntradaySpan {
  symbol: string;
  /** first bar start to read (inclusive) */
  from: Date;
  /** end (exclusive) */
  to: Date;
}

/**
 * The bars of `interval` of many symbols in one query, each over its own span, as columns: one row per symbol
 * holding its instants, closes and volumes as three JSON arrays (the intraday twin of getDailyBarColumns).
 * Symbols without bars in their span are absent.
 */
export async function getIntradayBarColumns(
  db: Queryable,
  spans: readonly IntradaySpan[],
  interval: string,
): Promise<Map<string, IntradayBarColumns>> {
  if (spans.length === 0) return new Map();
  const { rows } = await db.query<[string, number[], number[], (number | null)[]]>({
    text: `
      SELECT s.symbol, b.ts, b.closes, b.volumes
        FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) AS s(symbol, first, last)
        CROSS JOIN LATERAL (
          SELECT json_agg((extract(epoch FROM i.ts) * 1000)::float8 ORDER BY i.ts) AS ts, json_agg(i.close ORDER BY i.ts) AS closes,
                 json_agg(i.volume ORDER BY i.ts) AS volumes
            FROM intraday_bars i
           WHERE i.symbol = s.symbol AND i.interval = $4 AND i.ts >= s.first AND i.ts < s.last
        ) b
       WHERE b.ts IS NOT NULL`,
    values: [spans.map((s) => s.symbol), spans.map((s) => s.from), spans.map((s) => s.to), interval],
    rowMode: 'array',
  });
  return new Map(
    rows.map(([symbol, ts, closes, volumes]) => [
      symbol,
      { t: Float64Array.from(ts), close: Float64Array.from(closes), volume: Float64Array.from(volumes, (v) => v ?? Number.NaN) },
    ]),
  );
}
