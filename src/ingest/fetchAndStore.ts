// Fetch from the provider and store, one symbol at a time, every fetch recorded in ingest_runs. A failure is
// recorded and returned, never thrown: one bad symbol (unknown, schema-invalid, unreachable) must not stop the
// others. Database writes ride out a restart of the database (bounded retries of transient errors, the bars
// already fetched are kept); only a database gone for longer throws.
import type pg from 'pg';
import type { AppContext } from '../context/appContext';
import type { Metrics } from '../metrics/metrics';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import { withDatabaseRetry } from '../db/retry';
import { addCalendarDays, localDate } from '../markets';
import { isMarketDataError, UpstreamInvalidResponseError } from '../marketdata/errors';
import type { IntradayInterval, MarketDataProvider } from '../marketdata/provider';
import type { MarketDataOp } from '../marketdata/resilience';
import { getInstrument, saveSharesOutstanding } from '../instruments/instrumentStore';
import type { UpsertCounts } from '../db/copyMerge';
import { upsertDailyBars } from '../bars/dailyBarStore';
import { upsertIntradayBars } from '../bars/intradayBarStore';
import { finishIngestRun, startIngestRun, type IngestRunStart } from './ingestRuns';
import type { MarketDataEventBus } from '../marketdata/eventBus';

export interface IngestDeps {
  pool: pg.Pool;
  provider: MarketDataProvider;
  logger: Logger;
  /** the provider's per-attempt events: ingest runs record how many attempts a fetch took */
  events?: MarketDataEventBus;
  metrics?: Pick<Metrics, 'ingestRows'>;
  /** record every ingest run as a step of this run (an add in the background) */
  parentRunId?: number;
}

export function ingestDepsOf(ctx: AppContext): IngestDeps {
  return { pool: ctx.db.pool, provider: ctx.provider, logger: ctx.logger, events: ctx.marketDataEvents, metrics: ctx.metrics };
}

/** ingest_runs.job values of runs that fetch prices from the provider (the bundled import is not a fetch). */
export const PRICE_FETCH_JOBS = ['backfill', 'daily', 'intraday'] as const;

/** Where a backfill starts when none is given: BACKFILL_FROM, else the earlier of 2024-10-01 (the bundled case) and a year ago. */
export function defaultBackfillFrom(config: Pick<Config, 'BACKFILL_FROM'>, now: Date = new Date()): string {
  if (config.BACKFILL_FROM) return config.BACKFILL_FROM;
  const yearAgo = addCalendarDays(localDate(now, 'UTC'), -365);
  return yearAgo < '2024-10-01' ? yearAgo : '2024-10-01';
}

export interface SymbolIngestResult extends UpsertCounts {
  symbol: string;
  status: 'ok' | 'error';
  /** bars (or quotes, news items) the provider returned */
  fetched: number;
  attempts: number;
  error?: string;
  /** class name of the failure: UnknownSymbolError, UpstreamUnavailableError, ... */
  errorKind?: string;
  /** the failure was the upstream being unreachable or throttling (as opposed to a bad symbol or answer) */
  unreachable?: boolean;
}

const NO_ROWS: UpsertCounts = { rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0 };

/** A database step of ingest, retried while the database restarts (each step is one statement or one transaction). */
export function retryingDatabase<T>(deps: Pick<IngestDeps, 'logger'>, what: string, work: () => Promise<T>): Promise<T> {
  return withDatabaseRetry(work, { logger: deps.logger, what });
}

/**
 * Runs `fetchAndStore` as one recorded ingest run: start row, attempt count from the provider's events, end
 * row with counts or the error.
 */
export async function recordedIngest(
  deps: IngestDeps,
  run: IngestRunStart & { symbol: string },
  op: MarketDataOp,
  fetchAndStore: () => Promise<UpsertCounts & { fetched: number }>,
): Promise<SymbolIngestResult> {
  const id = await retryingDatabase(deps, 'record the ingest run', () =>
    startIngestRun(deps.pool, { parentRunId: deps.parentRunId, ...run }),
  );
  const attempts = deps.events?.countAttempts(run.symbol, op);
  try {
    const counts = await fetchAndStore();
    const n = attempts?.count() ?? 1;
    await retryingDatabase(deps, 'record the ingest run', () => finishIngestRun(deps.pool, id, { status: 'ok', ...counts, attempts: n }));
    if (deps.metrics && run.interval) {
      deps.metrics.ingestRows.inc({ interval: run.interval, change: 'new' }, counts.rowsNew);
      deps.metrics.ingestRows.inc({ interval: run.interval, change: 'updated' }, counts.rowsUpdated);
    }
    return {
      symbol: run.symbol,
      status: 'ok',
      fetched: counts.fetched,
      rowsNew: counts.rowsNew,
      rowsUpdated: counts.rowsUpdated,
      rowsUnchanged: counts.rowsUnchanged,
      attempts: n,
    };
  } catch (err) {
    const n = attempts?.count() ?? 1;
    const e = err as Error;
    const message = isMarketDataError(err) ? err.message : `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`;
    await retryingDatabase(deps, 'record the ingest run', () =>
      finishIngestRun(deps.pool, id, { status: 'error', error: message, attempts: n }),
    );
    const unreachable = isMarketDataError(err) && err.retryable && !(err instanceof UpstreamInvalidResponseError);
    return {
      symbol: run.symbol,
      status: 'error',
      fetched: 0,
      ...NO_ROWS,
      attempts: n,
      error: message,
      errorKind: e?.name ?? 'Error',
      unreachable,
    };
  } finally {
    attempts?.stop();
  }
}

/** Daily bars of `symbol` for exchange-local dates from..to, upserted (a provisional bar is stored as such). */
export function ingestDailyBars(
  deps: IngestDeps,
  req: { symbol: string; from: string; to: string; job: string },
): Promise<SymbolIngestResult> {
  return recordedIngest(
    deps,
    { job: req.job, symbol: req.symbol, interval: '1d', rangeFrom: req.from, rangeTo: req.to },
    'dailyBars',
    async () => {
      const bars = await deps.provider.getDailyBars(req.symbol, { from: req.from, to: req.to });
      const counts = await retryingDatabase(deps, 'store daily bars', () =>
        upsertDailyBars(deps.pool, bars, { source: deps.provider.name }),
      );
      return { ...counts, fetched: bars.length };
    },
  );
}

/** Longest window asked for in one intraday request (Yahoo serves 1m bars 7 days a request, 5m/15m bars in windows of at most 60 days). */
const INTRADAY_WINDOW_DAYS: Record<IntradayInterval, number> = { '1m': 7, '5m': 30, '15m': 30, '1h': 180 };

/**
 * Intraday bars of `symbol` starting in [from, to), in windows Yahoo accepts, upserted window by window.
 * rangeFrom/rangeTo: the exchange-local dates this covers, for the run record.
 */
export function ingestIntradayBars(
  deps: IngestDeps,
  req: { symbol: string; interval: IntradayInterval; from: Date; to: Date; job: string; rangeFrom?: string; rangeTo?: string },
): Promise<SymbolIngestResult> {
  const run = { job: req.job, symbol: req.symbol, interval: req.interval, rangeFrom: req.rangeFrom ?? null, rangeTo: req.rangeTo ?? null };
  return recordedIngest(deps, run, 'intradayBars', async () => {
    const total = { rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0, fetched: 0 };
    const windowMs = INTRADAY_WINDOW_DAYS[req.interval] * 86_400_000;
    for (let start = req.from.getTime(); start < req.to.getTime(); start += windowMs) {
      const end = Math.min(start + windowMs, req.to.getTime());
      const bars = await deps.provider.getIntradayBars(req.symbol, { interval: req.interval, from: new Date(start), to: new Date(end) });
      const counts = await retryingDatabase(deps, 'store intraday bars', () =>
        upsertIntradayBars(deps.pool, bars, { source: deps.provider.name }),
      );
      total.fetched += bars.length;
      total.rowsNew += counts.rowsNew;
      total.rowsUpdated += counts.rowsUpdated;
      total.rowsUnchanged += counts.rowsUnchanged;
    }
    return total;
  });
}

export const SHARES_SOURCE = 'yahoo quote';

/** Shares outstanding from a quote, stored with as-of `asOf` (the exchange-local date) and source 'yahoo quote'. */
export function ingestSharesOutstanding(deps: IngestDeps, req: { symbol: string; asOf: string; job: string }): Promise<SymbolIngestResult> {
  return recordedIngest(deps, { job: req.job, symbol: req.symbol, interval: null }, 'quote', async () => {
    const quote = await deps.provider.getQuote(req.symbol);
    if (quote.sharesOutstanding === null) return { ...NO_ROWS, fetched: 1 };
    const shares = quote.sharesOutstanding;
    const rows = await retryingDatabase(deps, 'store shares outstanding', async () => {
      const before = await getInstrument(deps.pool, req.symbol);
      await saveSharesOutstanding(deps.pool, req.symbol, shares, req.asOf, SHARES_SOURCE);
      return before;
    });
    return rows?.sharesOutstanding === shares
      ? { rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 1, fetched: 1 }
      : { rowsNew: 0, rowsUpdated: 1, rowsUnchanged: 0, fetched: 1 };
  });
}

/** Runs `task` over `items` with at most `concurrency` at once (the provider's limiter caps requests anyway). */
export async function forEachLimited<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<R>,
  shouldStop: () => boolean = () => false,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !shouldStop()) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results.filter((r) => r !== undefined);
}
