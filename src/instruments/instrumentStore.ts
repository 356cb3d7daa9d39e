// Reads and writes of instruments.
import type pg from 'pg';
import type { InstrumentSpec } from './defaults';

export interface InstrumentRow extends InstrumentSpec {
  sharesOutstanding: number | null;
  sharesAsOf: string | null;
  sharesSource: string | null;
  minMovePct: number | null;
  minAbnormalZ: number | null;
  tracked: boolean;
}

const SELECT = `SELECT symbol, name, exchange, currency, time_zone AS "timeZone", kind, benchmark_symbol AS "benchmarkSymbol",
  shares_outstanding AS "sharesOutstanding", shares_as_of AS "sharesAsOf", shares_source AS "sharesSource",
  min_move_pct AS "minMovePct", min_abnormal_z AS "minAbnormalZ", tracked FROM instruments`;

export async function listInstruments(pool: pg.Pool): Promise<InstrumentRow[]> {
  return (await pool.query<InstrumentRow>(`${SELECT} ORDER BY kind, symbol`)).rows;
}

export async function getInstrument(pool: pg.Pool, symbol: string): Promise<InstrumentRow | null> {
  return (await pool.query<InstrumentRow>(`${SELECT} WHERE symbol = $1`, [symbol])).rows[0] ?? null;
}

/** Insert or refresh an instrument's descriptive fields (never its thresholds or shares). */
export async function saveInstrument(pool: pg.Pool, spec: InstrumentSpec): Promise<void> {
  await pool.query(
    `INSERT INTO instruments (symbol, name, exchange, currency, time_zone, kind, benchmark_symbol)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (symbol) DO UPDATE SET name = EXCLUDED.name, exchange = EXCLUDED.exchange, currency = EXCLUDED.currency,
       time_zone = EXCLUDED.time_zone, kind = EXCLUDED.kind, benchmark_symbol = EXCLUDED.benchmark_symbol, updated_at = now()`,
    [spec.symbol, spec.name, spec.exchange, spec.currency, spec.timeZone, spec.kind, spec.benchmarkSymbol],
  );
}

export async function saveSharesOutstanding(pool: pg.Pool, symbol: string, shares: number, asOf: string | null, source: string): Promise<void> {
  await pool.query('UPDATE instruments SET shares_outstanding = $2, shares_as_of = $3, shares_source = $4, updated_at = now() WHERE symbol = $1', [symbol, shares, asOf, source]);
}
