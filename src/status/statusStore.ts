// Reads behind GET /api/status and the staleness gauges: per instrument its last bar, last successful fetch and
// last error (from the ingest runs).
import type pg from 'pg';
import { latestBarDates, type LatestBarDates } from '../bars/dailyBarReads';
import type { StalenessSample } from '../metrics/metrics';
import { PRICE_FETCH_JOBS } from '../ingest/fetchAndStore';
import { lastFetchOutcomes, type FetchOutcome } from '../ingest/ingestRuns';
import { listInstruments, type InstrumentRow } from '../instruments/instrumentStore';
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

type Row = InstrumentRow & LatestBarDates & FetchOutcome;

export async function instrumentStatuses(pool: pg.Pool, now: Date): Promise<InstrumentStatus[]> {
  const listed = await listInstruments(pool);
  const fetches = await lastFetchOutcomes(
    pool,
    listed.map((i) => i.symbol),
    PRICE_FETCH_JOBS,
  );
  const bars = await latestBarDates(
    pool,
    listed.map((i) => i.symbol),
  );
  const none: LatestBarDates = { lastBarDate: null, lastBarProvisional: null, lastFinalBarDate: null };
  const rows: Row[] = listed.map((i) => ({ ...i, ...fetches.get(i.symbol)!, ...(bars.get(i.symbol) ?? none) }));
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
