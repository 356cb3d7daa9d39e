// Reads behind GET /api/status and the staleness gauges: per instrument its last bar, last successful fetch and
// last error (ingest_runs); per job its last run (job_runs).
import type pg from 'pg';
import { latestBarDates, type LatestBarDates } from '../bars/dailyBarReads';
import type { StalenessSample } from '../metrics/metrics';
import { PRICE_FETCH_JOBS } from '../ingest/fetchAndStore';
import type { MarketCode } from '../markets';
import { marketForInstrument } from '../marketdata/yahooMarkets';
import { hoursSince, sessionsMissed, SESSION_GRACE_MS } from './staleness';

export interface InstrumentStatus {
  symbol: string;
  name: string;
  exchange: string;
  /** the session calendar used; null = a market whose sessions Aftershock does not know */
  sessions: MarketCode | null;
  tracked: boolean;
  lastBarDate: string | null;
  lastBarProvisional: boolean | null;
  lastFinalBarDate: string | null;
  /** end of the last successful price fetch (backfill, daily, intraday) */
  lastSuccessfulFetch: Date | null;
  staleness: {
    /** closed sessions without a final bar; null when sessions are unknown or there is no final bar */
    sessionsMissed: number | null;
    hoursSinceLastFetch: number | null;
  };
  /** the latest failed fetch of this symbol (any job), and whether it is newer than the last success */
  lastError: { at: Date; job: string; error: string | null; current: boolean } | null;
}

interface Row extends LatestBarDates {
  symbol: string;
  name: string;
  exchange: string;
  timeZone: string;
  kind: string;
  tracked: boolean;
  lastOk: Date | null;
  errorAt: Date | null;
  errorJob: string | null;
  error: string | null;
}

export async function instrumentStatuses(pool: pg.Pool, now: Date): Promise<InstrumentStatus[]> {
  const { rows: instruments } = await pool.query<Omit<Row, keyof LatestBarDates>>(
    `SELECT i.symbol, i.name, i.exchange, i.time_zone AS "timeZone", i.kind, i.tracked,
            ok.ended_at AS "lastOk", e.at AS "errorAt", e.job AS "errorJob", e.error
       FROM instruments i
       LEFT JOIN LATERAL (SELECT max(ended_at) AS ended_at FROM ingest_runs WHERE symbol = i.symbol AND status = 'ok' AND job = ANY($1)) ok ON true
       LEFT JOIN LATERAL (SELECT coalesce(ended_at, started_at) AS at, job, error FROM ingest_runs
                           WHERE symbol = i.symbol AND status = 'error' ORDER BY id DESC LIMIT 1) e ON true
      ORDER BY i.kind, i.symbol`,
    [PRICE_FETCH_JOBS],
  );
  const bars = await latestBarDates(
    pool,
    instruments.map((i) => i.symbol),
  );
  const none: LatestBarDates = { lastBarDate: null, lastBarProvisional: null, lastFinalBarDate: null };
  const rows: Row[] = instruments.map((i) => ({ ...i, ...(bars.get(i.symbol) ?? none) }));
  return rows.map((r) => {
    const sessions = marketForInstrument(r);
    return {
      symbol: r.symbol,
      name: r.name,
      exchange: r.exchange,
      sessions,
      tracked: r.tracked,
      lastBarDate: r.lastBarDate,
      lastBarProvisional: r.lastBarProvisional,
      lastFinalBarDate: r.lastFinalBarDate,
      lastSuccessfulFetch: r.lastOk,
      staleness: {
        sessionsMissed: sessions === null ? null : sessionsMissed(sessions, r.lastFinalBarDate, now, SESSION_GRACE_MS),
        hoursSinceLastFetch: hoursSince(r.lastOk, now),
      },
      lastError:
        r.errorAt === null
          ? null
          : { at: r.errorAt, job: r.errorJob as string, error: r.error, current: r.lastOk === null || r.errorAt > r.lastOk },
    };
  });
}

/** For the /metrics staleness gauges: tracked instruments only. */
export async function instrumentStaleness(pool: pg.Pool, now: Date): Promise<StalenessSample[]> {
  return (await instrumentStatuses(pool, now))
    .filter((s) => s.tracked)
    .map((s) => ({ symbol: s.symbol, sessionsMissed: s.staleness.sessionsMissed, hoursSinceFetch: s.staleness.hoursSinceLastFetch }));
}

export interface JobRunRow {
  job: string;
  slot: Date;
  instance: string;
  startedAt: Date;
  endedAt: Date | null;
  status: string;
  detail: string | null;
}

/** The latest run of every job that has run, and its latest successful one. */
export async function lastJobRuns(pool: pg.Pool): Promise<Map<string, { last: JobRunRow; lastOk: JobRunRow | null }>> {
  const cols = `job, slot, instance, started_at AS "startedAt", ended_at AS "endedAt", status, detail`;
  const last = await pool.query<JobRunRow>(`SELECT DISTINCT ON (job) ${cols} FROM job_runs ORDER BY job, slot DESC, id DESC`);
  const ok = await pool.query<JobRunRow>(
    `SELECT DISTINCT ON (job) ${cols} FROM job_runs WHERE status = 'ok' ORDER BY job, slot DESC, id DESC`,
  );
  const okByJob = new Map(ok.rows.map((r) => [r.job, r]));
  return new Map(last.rows.map((r) => [r.job, { last: r, lastOk: okByJob.get(r.job) ?? null }]));
}
