// Reads for an event study: the bars (close, adjusted close, volume) around the event of every instrument, benchmark and USD/JPY in
// one query, however many instruments are asked for.
import type pg from 'pg';
import type { DailyBar } from '../analysis';
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
  instruments: Map<string, DailyBar[]>;
  context: Map<string, DailyBar[]>;
}

/** Context series start this many calendar days before the earliest instrument bar, so the first pairing has a return. */
const CONTEXT_LEAD_DAYS = 10;

export async function getBarsAroundEvent(pool: pg.Pool, q: BarsAroundEventQuery): Promise<BarsAroundEvent> {
  // one row per series with its bars as a JSON array, aggregated per symbol inside the lateral join: no sort
  // over all rows by symbol, and JSON.parse reads 7,000 bars faster than the row parser
  const { rows } = await pool.query<[string, string, [string, number, number | null, number | null][]]>({
    text: `
      WITH per_symbol AS (
        SELECT s.symbol, b.bars, b.first, b.last
          FROM unnest($1::text[]) AS s(symbol)
          CROSS JOIN LATERAL (
            SELECT json_agg(json_build_array(u.date, u.close, u.adj_close, u.volume) ORDER BY u.date) AS bars, min(u.date) AS first, max(u.date) AS last
              FROM ((SELECT date, close, adj_close, volume FROM daily_bars WHERE symbol = s.symbol AND date < $2::date ORDER BY date DESC LIMIT $3)
                    UNION ALL
                    (SELECT date, close, adj_close, volume FROM daily_bars WHERE symbol = s.symbol AND date >= $2::date ORDER BY date LIMIT $4)) u
          ) b
      ), span AS (
        SELECT min(first) - $6::int AS first, max(last) AS last FROM per_symbol
      )
      SELECT 'i' AS role, symbol, bars FROM per_symbol WHERE bars IS NOT NULL
      UNION ALL
      SELECT 'c', d.symbol, json_agg(json_build_array(d.date, d.close, d.adj_close) ORDER BY d.date)
        FROM daily_bars d, span
       WHERE d.symbol = ANY($5::text[]) AND d.date BETWEEN span.first AND span.last
       GROUP BY d.symbol`,
    values: [q.symbols, sqlDateBound(q.pivot), q.barsBefore, q.barsFrom, q.contextSymbols, CONTEXT_LEAD_DAYS],
    rowMode: 'array',
  });
  const result: BarsAroundEvent = { instruments: new Map(), context: new Map() };
  for (const [role, symbol, bars] of rows) {
    (role === 'i' ? result.instruments : result.context).set(
      symbol,
      bars.map(([date, close, adjClose, volume]) => ({ date, close, adjClose, volume })),
    );
  }
  return result;
}
