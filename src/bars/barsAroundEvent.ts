// Reads for an event study: the bars (close, adjusted close, volume) around the event of every instrument, benchmark and USD/JPY in
// one query, however many instruments are asked for.
import type pg from 'pg';
import type { BarColumns } from '../compute/barColumns';
import { dayColumnSql, float8ColumnSql, float8s, int4s } from './binaryColumns';
import { sqlDateBound } from './dailyBarReads';

export interface BarsAroundEventQuery {
  /** instruments under study: their bars are counted in sessions around the pivot */
  symbols: readonly string[];
  /** a date on or before every instrument's day 0 (YYYY-MM-DD) */
  pivot: string;
  /** bars to read before the pivot, per instrument */
  barsBefore: number;
  /** bars to read from the pivot on, per instrument */
  barsFrom: number;
  /** benchmarks and FX: read by date over the span the instruments' bars cover (their calendars differ) */
  contextSymbols: readonly string[];
}

export interface BarsAroundEvent {
  instruments: Map<string, BarColumns>;
  context: Map<string, BarColumns>;
}

/** Context series start this many calendar days before the earliest instrument bar, so the first pairing has a return. */
const CONTEXT_LEAD_DAYS = 10;

export async function getBarsAroundEvent(pool: pg.Pool, q: BarsAroundEventQuery): Promise<BarsAroundEvent> {
  // one row per series with its columns as bytes, aggregated per symbol inside the lateral join: no sort over all
  // rows by symbol, and no number printed by Postgres and parsed again by Node (the JSON of the same bars took 1.6x)
  const { rows } = await pool.query<[string, string, Buffer, Buffer, Buffer, Buffer | null]>({
    text: `
      WITH per_symbol AS (
        SELECT s.symbol, b.days, b.close, b.adj, b.volume, b.first, b.last
          FROM unnest($1::text[]) AS s(symbol)
          CROSS JOIN LATERAL (
            SELECT ${dayColumnSql('u')} AS days, ${float8ColumnSql('u', 'close')} AS close, ${float8ColumnSql('u', 'adj_close')} AS adj,
                   ${float8ColumnSql('u', 'volume')} AS volume, min(u.date) AS first, max(u.date) AS last
              FROM ((SELECT date, close, adj_close, volume FROM daily_bars WHERE symbol = s.symbol AND date < $2::date ORDER BY date DESC LIMIT $3)
                    UNION ALL
                    (SELECT date, close, adj_close, volume FROM daily_bars WHERE symbol = s.symbol AND date >= $2::date ORDER BY date LIMIT $4)) u
          ) b
      ), span AS (
        SELECT min(first) - $6::int AS first, max(last) AS last FROM per_symbol
      )
      SELECT 'i' AS role, symbol, days, close, adj, volume FROM per_symbol WHERE days IS NOT NULL
      UNION ALL
      SELECT 'c', u.symbol, ${dayColumnSql('u')}, ${float8ColumnSql('u', 'close')}, ${float8ColumnSql('u', 'adj_close')}, NULL
        FROM daily_bars u, span
       WHERE u.symbol = ANY($5::text[]) AND u.date BETWEEN span.first AND span.last
       GROUP BY u.symbol`,
    values: [q.symbols, sqlDateBound(q.pivot), q.barsBefore, q.barsFrom, q.contextSymbols, CONTEXT_LEAD_DAYS],
    rowMode: 'array',
  });
  const result: BarsAroundEvent = { instruments: new Map(), context: new Map() };
  for (const [role, symbol, days, close, adj, volume] of rows) {
    (role === 'i' ? result.instruments : result.context).set(symbol, {
      days: int4s(days),
      close: float8s(close),
      adjClose: float8s(adj),
      volume: volume ? float8s(volume) : null,
    });
  }
  return result;
}
