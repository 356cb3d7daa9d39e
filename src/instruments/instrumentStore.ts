// Reads and writes of instruments.
import type pg from 'pg';
import type { Queryable } from '../db/transaction';
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

/** `db`: the pool, or the client of the transaction that asks (a transaction never takes a second connection). */
export async function listInstruments(db: Queryable): Promise<InstrumentRow[]> {
  return (await db.query<InstrumentRow>(`${SELECT} ORDER BY kind, symbol`)).rows;
}

export async function getInstrument(pool: pg.Pool, symbol: string): Promise<InstrumentRow | null> {
  return (await pool.query<InstrumentRow>(`${SELECT} WHERE symbol = $1`, [symbol])).rows[0] ?? null;
}

/** Insert or refresh an instrument's descriptive fields (never its thresholds or shares). */
export async function saveInstrument(db: Queryable, spec: InstrumentSpec): Promise<void> {
  await db.query(
    `INSERT INTO instruments (symbol, name, exchange, currency, time_zone, kind, benchmark_symbol)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (symbol) DO UPDATE SET name = EXCLUDED.name, exchange = EXCLUDED.exchange, currency = EXCLUDED.currency,
       time_zone = EXCLUDED.time_zone, kind = EXCLUDED.kind, benchmark_symbol = EXCLUDED.benchmark_symbol, updated_at = now()`,
    [spec.symbol, spec.name, spec.exchange, spec.currency, spec.timeZone, spec.kind, spec.benchmarkSymbol],
  );
}

/**
 * Record a share count. The history keeps every (date, count); the instrument row shows the newest one, so an
 * older count (the bundled data re-imported) never replaces a newer one (a live quote).
 */
export async function saveSharesOutstanding(
  pool: Queryable,
  symbol: string,
  shares: number,
  asOf: string | null,
  source: string,
): Promise<void> {
  await pool.query(
    `INSERT INTO shares_outstanding_history (symbol, as_of, shares, source)
     SELECT $1, $3::date, $2, $4
      WHERE NOT EXISTS (SELECT 1 FROM shares_outstanding_history WHERE symbol = $1 AND as_of IS NOT DISTINCT FROM $3::date AND shares = $2)`,
    [symbol, shares, asOf, source],
  );
  await pool.query(
    `UPDATE instruments SET shares_outstanding = $2, shares_as_of = $3, shares_source = $4, updated_at = now()
      WHERE symbol = $1 AND (shares_as_of IS NULL OR ($3::date IS NOT NULL AND $3::date >= shares_as_of))`,
    [symbol, shares, asOf, source],
  );
}

export interface SharesAsOf {
  shares: number;
  asOf: string | null;
  source: string;
}

/**
 * The share count to use for a past date, per symbol: the newest dated count on or before it; else an undated
 * one; else the earliest count after it (the nearest thing known, and its date says so).
 */
export async function getSharesAsOf(pool: pg.Pool, symbols: readonly string[], date: string): Promise<Map<string, SharesAsOf>> {
  const { rows } = await pool.query<SharesAsOf & { symbol: string }>(
    `SELECT DISTINCT ON (symbol) symbol, shares, as_of AS "asOf", source
       FROM shares_outstanding_history
      WHERE symbol = ANY($1::text[])
      ORDER BY symbol,
               CASE WHEN as_of <= $2::date THEN 0 WHEN as_of IS NULL THEN 1 ELSE 2 END,
               CASE WHEN as_of <= $2::date THEN $2::date - as_of ELSE as_of - $2::date END,
               id DESC`,
    [symbols, date],
  );
  return new Map(rows.map(({ symbol, ...rest }) => [symbol, rest]));
}

/** Tracks the instrument again (a benchmark added on its own is tracked once a user adds it by name). */
export async function trackInstrument(pool: pg.Pool, symbol: string): Promise<void> {
  await pool.query('UPDATE instruments SET tracked = true WHERE symbol = $1 AND NOT tracked', [symbol]);
}

/** The stored spelling of each of these symbols that is an instrument, by the symbol in upper case. */
export async function knownSymbols(db: Queryable, symbols: string[]): Promise<Map<string, string>> {
  const { rows } = await db.query<{ symbol: string }>('SELECT symbol FROM instruments WHERE upper(symbol) = ANY($1)', [
    symbols.map((s) => s.toUpperCase()),
  ]);
  return new Map(rows.map((r) => [r.symbol.toUpperCase(), r.symbol]));
}

/** Symbols among `symbols` that are not stored instruments (exact spelling), in the order given. */
export async function unknownSymbols(db: Queryable, symbols: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ symbol: string }>(
    `SELECT s.symbol FROM unnest($1::text[]) WITH ORDINALITY AS s(symbol, k)
      WHERE NOT EXISTS (SELECT 1 FROM instruments i WHERE i.symbol = s.symbol) ORDER BY s.k`,
    [symbols],
  );
  return rows.map((r) => r.symbol);
}

/** What the alert triggers need of an instrument: its names, exchange and benchmark. */
export interface TrackedInstrument {
  symbol: string;
  name: string;
  exchange: string;
  currency: string;
  timeZone: string;
  kind: string;
  benchmarkSymbol: string | null;
}

export async function listTrackedInstruments(db: Queryable): Promise<TrackedInstrument[]> {
  const { rows } = await db.query<TrackedInstrument>(
    `SELECT symbol, name, exchange, currency, time_zone AS "timeZone", kind, benchmark_symbol AS "benchmarkSymbol"
       FROM instruments WHERE tracked ORDER BY symbol`,
  );
  return rows;
}

/** For a read that must stay one query: when the instrument row of `symbolExpr` was (re)created (null when none). */
export const instrumentCreatedAtSql = (symbolExpr: string) => `(SELECT i.created_at FROM instruments i WHERE i.symbol = ${symbolExpr})`;
