// The bulk write pattern shared by the bar stores: COPY rows into a temporary staging table, then one
// INSERT ... SELECT ... ON CONFLICT merge that counts what it inserted and changed, and a NOTIFY on commit
// when anything changed. COPY is the fastest way into Postgres; the merge makes a write idempotent.
import type pg from 'pg';
import { withTransaction } from './transaction';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

export interface UpsertCounts {
  rowsNew: number;
  rowsUpdated: number;
  rowsUnchanged: number;
}

/** One CSV field for COPY: empty unquoted = NULL; text is quoted when it needs to be. */
export function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return /[",\n\r]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Joins CSV lines into chunks of about 64 KiB, so the COPY stream is not one write per row. */
function* chunkLines(lines: Iterable<string>): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length > 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

export interface CopyMergeSpec {
  /** the target table; the staging table is a temporary copy of its columns */
  table: string;
  /** the columns each CSV line carries, in order */
  columns: readonly string[];
  /** the conflict key, e.g. ['symbol', 'date'] */
  key: readonly string[];
  /** CSV lines (with their newline) in `columns` order */
  lines: Iterable<string>;
  /**
   * The SET list and WHERE condition of ON CONFLICT DO UPDATE (the WHERE should leave rows whose values are
   * unchanged alone, so that they count as unchanged).
   */
  onConflict: { set: string; where: string };
  /** NOTIFY channel and a SQL expression over the staging table (aggregates) giving the payload text */
  notify?: { channel: string; payloadSql: string };
}

/** COPY + merge in one transaction; returns new / updated / unchanged counts over the distinct keys sent. */
export async function copyMerge(pool: pg.Pool, spec: CopyMergeSpec): Promise<UpsertCounts> {
  return withTransaction(pool, (client) => copyMergeInTransaction(client, spec));
}

/** COPY + merge inside the caller's transaction (its other writes and these become visible together). */
export async function copyMergeInTransaction(client: pg.PoolClient, spec: CopyMergeSpec): Promise<UpsertCounts> {
  const staging = `staging_${spec.table}`;
  const cols = spec.columns.join(', ');
  const key = spec.key.join(', ');
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${staging} (LIKE ${spec.table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
  // an earlier merge of the same transaction left its rows (they go only on commit)
  await client.query(`DELETE FROM ${staging}`);
  const copy = client.query(copyFrom(`COPY ${staging} (${cols}) FROM STDIN (FORMAT csv)`));
  await pipeline(Readable.from(chunkLines(spec.lines)), copy);
  // DISTINCT ON: a batch that names the same key twice keeps its last row instead of failing
  const { rows } = await client.query<{ inserted: number; updated: number }>(`
    WITH merged AS (
      INSERT INTO ${spec.table} (${cols})
      SELECT DISTINCT ON (${key}) ${cols} FROM ${staging} ORDER BY ${key}, ctid DESC
      ON CONFLICT (${key}) DO UPDATE SET ${spec.onConflict.set}
      WHERE ${spec.onConflict.where}
      RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM merged`);
  const distinct = await client.query<{ n: number }>(`SELECT count(DISTINCT (${key}))::int AS n FROM ${staging}`);
  const { inserted, updated } = rows[0];
  if (spec.notify && inserted + updated > 0) {
    // delivered on commit, to every app instance listening (alerts and move detection react without polling)
    await client.query(`SELECT pg_notify($1, ${spec.notify.payloadSql}) FROM ${staging}`, [spec.notify.channel]);
  }
  return { rowsNew: inserted, rowsUpdated: updated, rowsUnchanged: distinct.rows[0].n - inserted - updated };
}
