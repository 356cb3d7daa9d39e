// Data access of factor_returns (Kenneth French's daily factors): bulk writes of a parsed file, reads of the
// latest vintage of a region's factor set over a date range.
import type pg from 'pg';
import type { Queryable } from '../db/transaction';
import { FACTOR_COLUMNS, type FactorRegion, type FactorSet, type FrenchFactorFile } from './frenchCsv';

/** The column of each published factor name. */
const COLUMN_OF: Record<string, string> = {
  'Mkt-RF': 'mkt_rf',
  SMB: 'smb',
  HML: 'hml',
  RMW: 'rmw',
  CMA: 'cma',
  Mom: 'mom',
  RF: 'rf',
};

/** Writes one parsed file (a vintage already stored is replaced row by row); returns the rows written. */
export async function saveFactorFile(client: Queryable, file: FrenchFactorFile): Promise<number> {
  const names = FACTOR_COLUMNS[file.factorSet];
  const columns = names.map((n) => COLUMN_OF[n]);
  const values = names.map((_, k) => file.rows.map((r) => r.values[k]));
  const CHUNK = 20_000;
  let written = 0;
  for (let start = 0; start < file.rows.length; start += CHUNK) {
    const end = start + CHUNK;
    const params: unknown[] = [file.region, file.factorSet, file.vintage, file.rows.slice(start, end).map((r) => r.date)];
    for (const v of values) params.push(v.slice(start, end));
    const result = await client.query(
      `INSERT INTO factor_returns (region, factor_set, vintage, date, ${columns.join(', ')})
       SELECT $1, $2, $3, k.* FROM unnest($4::date[], ${columns.map((_, k) => `$${k + 5}::float8[]`).join(', ')}) AS k
       ON CONFLICT (region, factor_set, vintage, date) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
      params,
    );
    written += result.rowCount ?? 0;
  }
  return written;
}

/** The vintages stored per region and factor set, with their date ranges. */
export async function listFactorVintages(
  pool: Queryable,
): Promise<{ region: FactorRegion; factorSet: FactorSet; vintage: string; rows: number; first: string; last: string }[]> {
  const { rows } = await pool.query(
    `SELECT region, factor_set AS "factorSet", vintage, count(*)::int AS rows, min(date) AS first, max(date) AS last
       FROM factor_returns GROUP BY region, factor_set, vintage ORDER BY region, factor_set, vintage`,
  );
  return rows;
}

export async function hasFactorReturns(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query('SELECT EXISTS (SELECT 1 FROM factor_returns) AS any');
  return rows[0].any === true;
}

/** "CRSP 202604" -> 202604: vintages order by their database month. */
const vintageMonthSql = `substring(vintage from '[0-9]{6}')`;

/**
 * The factors of the latest stored vintage of (region, set) dated in [from, to], percent as stored, in the
 * set's column order; null when nothing of that set and region is stored.
 */
export async function readFactorSet(
  pool: pg.Pool,
  region: FactorRegion,
  factorSet: FactorSet,
  from: string,
  to: string,
): Promise<{ vintage: string; dates: string[]; values: (number | null)[][] } | null> {
  const latest = await pool.query<{ vintage: string }>(
    `SELECT vintage FROM factor_returns WHERE region = $1 AND factor_set = $2
      GROUP BY vintage ORDER BY ${vintageMonthSql} DESC, vintage DESC LIMIT 1`,
    [region, factorSet],
  );
  if (latest.rows.length === 0) return null;
  const { vintage } = latest.rows[0];
  const columns = FACTOR_COLUMNS[factorSet].map((n) => COLUMN_OF[n]);
  const { rows } = await pool.query<{ date: string; v: (number | null)[] }>(
    `SELECT date, ARRAY[${columns.join(', ')}] AS v FROM factor_returns
      WHERE region = $1 AND factor_set = $2 AND vintage = $3 AND date BETWEEN $4::date AND $5::date ORDER BY date`,
    [region, factorSet, vintage, from, to],
  );
  return { vintage, dates: rows.map((r) => r.date), values: rows.map((r) => r.v) };
}
