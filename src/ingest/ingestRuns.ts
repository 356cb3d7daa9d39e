// Every ingest (import, backfill, scheduled fetch) is recorded: when, what, how many rows, and how it ended.
import type pg from 'pg';
import type { Queryable } from '../db/transaction';
import { instrumentCreatedAtSql } from '../instruments/instrumentStore';

export interface IngestRunStart {
  job: string;
  symbol?: string | null;
  interval?: string | null;
  /** the exchange-local dates asked for, when the run fetches a date range */
  rangeFrom?: string | null;
  rangeTo?: string | null;
  /** the run this one is a step of (an add in the background) */
  parentRunId?: number | null;
}

export interface IngestRunEnd {
  status: 'ok' | 'error';
  rowsNew?: number;
  rowsUpdated?: number;
  rowsUnchanged?: number;
  attempts?: number;
  error?: string | null;
}

export async function startIngestRun(pool: Queryable, run: IngestRunStart): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    'INSERT INTO ingest_runs (job, symbol, interval, range_from, range_to, parent_run_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [run.job, run.symbol ?? null, run.interval ?? null, run.rangeFrom ?? null, run.rangeTo ?? null, run.parentRunId ?? null],
  );
  return rows[0].id;
}

export async function finishIngestRun(pool: Queryable, id: number, end: IngestRunEnd): Promise<void> {
  await pool.query(
    `UPDATE ingest_runs SET ended_at = now(), status = $2, rows_new = $3, rows_updated = $4, rows_unchanged = $5, attempts = $6, error = $7 WHERE id = $1`,
    [id, end.status, end.rowsNew ?? 0, end.rowsUpdated ?? 0, end.rowsUnchanged ?? 0, end.attempts ?? 0, end.error ?? null],
  );
}

export interface CoveringRun {
  rangeFrom: string;
  rangeTo: string;
  endedAt: Date;
}

/** The successful runs that fetched a date range of this symbol and interval, since its instrument row was created. */
export async function coveringRuns(pool: pg.Pool, symbol: string, interval: string): Promise<CoveringRun[]> {
  const { rows } = await pool.query<CoveringRun>(
    // only runs since the instrument row was (re)created: removing an instrument deletes its bars, not its runs
    `SELECT r.range_from AS "rangeFrom", r.range_to AS "rangeTo", r.ended_at AS "endedAt"
       FROM ingest_runs r
      WHERE r.symbol = $1 AND r.interval = $2 AND r.status = 'ok' AND r.started_at >= ${instrumentCreatedAtSql('r.symbol')}
        AND r.range_from IS NOT NULL AND r.range_to IS NOT NULL AND r.ended_at IS NOT NULL`,
    [symbol, interval],
  );
  return rows;
}

/**
 * Delete ingest_runs rows that started more than `days` days ago (not those still running); returns how many.
 * A later backfill over a range whose ok run was pruned fetches it again (the merge makes that harmless).
 */
export async function pruneIngestRuns(pool: pg.Pool, days: number): Promise<number> {
  // the ok runs of the bundled import stay: they record that it ran (see hasOkRunOf)
  const r = await pool.query(
    `DELETE FROM ingest_runs WHERE status <> 'running' AND started_at < now() - make_interval(days => $1) AND NOT (job = 'import' AND status = 'ok')`,
    [days],
  );
  return r.rowCount ?? 0;
}

/**
 * End as errors the runs still 'running' after `hours`: no ingest takes that long (each is one symbol, or one
 * add with its backfills), so the process that ran them ended (kill -9) before it could record how. Returns them.
 */
export async function endStaleIngestRuns(pool: pg.Pool, hours: number): Promise<{ id: number; job: string }[]> {
  const { rows } = await pool.query<{ id: number; job: string }>(
    `UPDATE ingest_runs SET status = 'error', ended_at = now(),
            error = 'abandoned: the process running it ended before it finished'
      WHERE status = 'running' AND started_at < now() - make_interval(hours => $1) RETURNING id, job`,
    [hours],
  );
  return rows;
}

/** Whether a run of `job` (of `symbol`, when given) ever finished ok (the bundled import's record that it ran). */
export async function hasOkRunOf(pool: pg.Pool, job: string, symbol?: string): Promise<boolean> {
  const { rows } = await pool.query(
    `SELECT 1 FROM ingest_runs WHERE job = $1 AND status = 'ok' AND ($2::text IS NULL OR symbol = $2) LIMIT 1`,
    [job, symbol ?? null],
  );
  return rows.length > 0;
}

export interface IngestRunRow {
  id: number;
  job: string;
  symbol: string | null;
  status: 'running' | 'ok' | 'error';
  startedAt: Date;
  endedAt: Date | null;
  rangeFrom: string | null;
  rangeTo: string | null;
  rowsNew: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  error: string | null;
}

const RUN_COLUMNS = `id, job, symbol, status, started_at AS "startedAt", ended_at AS "endedAt", range_from AS "rangeFrom",
  range_to AS "rangeTo", rows_new AS "rowsNew", rows_updated AS "rowsUpdated", rows_unchanged AS "rowsUnchanged", error`;

export async function getIngestRun(pool: pg.Pool, id: number): Promise<IngestRunRow | null> {
  const { rows } = await pool.query<IngestRunRow>(`SELECT ${RUN_COLUMNS} FROM ingest_runs WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** The runs recorded as steps of `parentRunId` (the backfills of an add in the background), in order. */
export async function stepsOfRun(pool: pg.Pool, parentRunId: number): Promise<IngestRunRow[]> {
  const { rows } = await pool.query<IngestRunRow>(`SELECT ${RUN_COLUMNS} FROM ingest_runs WHERE parent_run_id = $1 ORDER BY id`, [
    parentRunId,
  ]);
  return rows;
}

export interface FetchOutcome {
  /** end of the last successful run of one of the jobs asked about */
  lastOk: Date | null;
  /** the latest failed run of any job */
  errorAt: Date | null;
  errorJob: string | null;
  error: string | null;
}

/** Per symbol: the end of its last successful run of `jobs`, and its latest failed run of any job. */
export async function lastFetchOutcomes(
  pool: pg.Pool,
  symbols: readonly string[],
  jobs: readonly string[],
): Promise<Map<string, FetchOutcome>> {
  const { rows } = await pool.query<FetchOutcome & { symbol: string }>(
    `SELECT s.symbol, ok.ended_at AS "lastOk", e.at AS "errorAt", e.job AS "errorJob", e.error
       FROM unnest($1::text[]) AS s(symbol)
       LEFT JOIN LATERAL (SELECT max(ended_at) AS ended_at FROM ingest_runs WHERE symbol = s.symbol AND status = 'ok' AND job = ANY($2)) ok ON true
       LEFT JOIN LATERAL (SELECT coalesce(ended_at, started_at) AS at, job, error FROM ingest_runs
                           WHERE symbol = s.symbol AND status = 'error' ORDER BY id DESC LIMIT 1) e ON true`,
    [symbols, jobs],
  );
  return new Map(rows.map(({ symbol, ...outcome }) => [symbol, outcome]));
}
