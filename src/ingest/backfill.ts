// Backfill: bars of many symbols over a date range, resumable. A symbol whose range earlier successful runs
// already covered with final bars is skipped; one covered up to some date resumes after it; the rest is
// fetched and upserted (idempotent, so re-fetching what is stored changes nothing).
import { addCalendarDays, localDate, startOfLocalDate } from '../markets';
import type { IntradayInterval } from '../marketdata/provider';
import { hasDailyBarsBetween } from '../bars/dailyBarReads';
import { hasIntradayBarsBetween } from '../bars/intradayBarReads';
import { coveringRuns, type CoveringRun } from './ingestRuns';
import { getInstrument, type InstrumentRow } from '../instruments/instrumentStore';
import {
  forEachLimited,
  ingestDailyBars,
  ingestIntradayBars,
  retryingDatabase,
  type IngestDeps,
  type SymbolIngestResult,
} from './fetchAndStore';

export type BackfillInterval = '1d' | IntradayInterval;
export const BACKFILL_INTERVALS: readonly BackfillInterval[] = ['1d', '5m', '15m', '1h'];

export interface BackfillRequest {
  symbols: readonly string[];
  /** exchange-local dates, inclusive; `to` defaults to today in each instrument's zone */
  from: string;
  to?: string;
  interval: BackfillInterval;
  /** ingest_runs.job (default 'backfill') */
  job?: string;
  /** symbols fetched at once (the provider's limiter still caps requests in flight) */
  concurrency?: number;
  now?: () => Date;
  /** called once per symbol as it finishes */
  onSymbol?: (result: SymbolBackfillResult) => void;
}

export interface SymbolBackfillResult {
  symbol: string;
  status: 'ok' | 'skipped' | 'error';
  /** the dates actually fetched (absent when skipped before fetching) */
  from?: string;
  to?: string;
  rowsNew: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  attempts: number;
  /** why it was skipped */
  reason?: string;
  error?: string;
}

export interface BackfillSummary {
  interval: BackfillInterval;
  from: string;
  to: string | null;
  symbols: number;
  ok: number;
  skipped: number;
  failed: number;
  rowsNew: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  failures: { symbol: string; error: string }[];
}

/**
 * The last date, counting from `from`, up to which earlier successful runs of this interval fetched the
 * symbol's bars when they were already final (a run that ended on a later exchange-local date than its
 * range's end). Runs are chained: [Oct, Dec] then [Jan, Mar] cover Oct..Mar. null when `from` is not covered.
 */
export function coveredUntil(runs: readonly CoveringRun[], from: string, timeZone: string): string | null {
  const finalRuns = runs.filter((r) => r.rangeTo < localDate(r.endedAt, timeZone));
  let cursor = from;
  let covered: string | null = null;
  for (;;) {
    const next = finalRuns
      .filter((r) => r.rangeFrom <= cursor && r.rangeTo >= cursor)
      .reduce<string | null>((best, r) => (best === null || r.rangeTo > best ? r.rangeTo : best), null);
    if (next === null) return covered;
    covered = next;
    cursor = addCalendarDays(next, 1);
  }
}

/** The instants from the start of `from` to the end of `to`, exchange-local dates. */
function localDays(from: string, to: string, timeZone: string): { start: Date; end: Date } {
  return { start: startOfLocalDate(from, timeZone), end: startOfLocalDate(addCalendarDays(to, 1), timeZone) };
}

async function hasStoredBars(
  deps: IngestDeps,
  instrument: Pick<InstrumentRow, 'symbol' | 'timeZone'>,
  interval: BackfillInterval,
  from: string,
  to: string,
): Promise<boolean> {
  if (interval === '1d') {
    return hasDailyBarsBetween(deps.pool, instrument.symbol, from, to);
  }
  const { start, end } = localDays(from, to, instrument.timeZone);
  return hasIntradayBarsBetween(deps.pool, instrument.symbol, interval, start, end);
}

/** Backfill one instrument; never throws for an upstream failure (it is recorded and returned). */
export async function backfillInstrument(
  deps: IngestDeps,
  instrument: Pick<InstrumentRow, 'symbol' | 'timeZone'>,
  req: { from: string; to?: string; interval: BackfillInterval; job?: string; now?: () => Date },
): Promise<SymbolBackfillResult> {
  const now = (req.now ?? (() => new Date()))();
  const today = localDate(now, instrument.timeZone);
  const to = req.to === undefined || req.to > today ? today : req.to;
  const base = { symbol: instrument.symbol, rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0, attempts: 0 };
  if (req.from > to) return { ...base, status: 'skipped', reason: `nothing to fetch: ${req.from} is after ${to}` };

  const runs = await retryingDatabase(deps, 'read earlier runs', () => coveringRuns(deps.pool, instrument.symbol, req.interval));
  let covered = coveredUntil(runs, req.from, instrument.timeZone);
  // runs say the range was fetched; no stored bar in it says they were deleted since (or never existed): fetch again
  const until = covered;
  if (
    until !== null &&
    !(await retryingDatabase(deps, 'read stored bars', () => hasStoredBars(deps, instrument, req.interval, req.from, until)))
  )
    covered = null;
  if (covered !== null && covered >= to) return { ...base, status: 'skipped', reason: `already complete from ${req.from} to ${to}` };
  const from = covered === null ? req.from : addCalendarDays(covered, 1);

  const job = req.job ?? 'backfill';
  let result: SymbolIngestResult;
  if (req.interval === '1d') {
    result = await ingestDailyBars(deps, { symbol: instrument.symbol, from, to, job });
  } else {
    const { start, end } = localDays(from, to, instrument.timeZone);
    result = await ingestIntradayBars(deps, {
      symbol: instrument.symbol,
      interval: req.interval,
      from: start,
      to: end > now ? now : end,
      job,
      rangeFrom: from,
      rangeTo: to,
    });
  }
  const out: SymbolBackfillResult = {
    ...base,
    status: result.status,
    from,
    to,
    rowsNew: result.rowsNew,
    rowsUpdated: result.rowsUpdated,
    rowsUnchanged: result.rowsUnchanged,
    attempts: result.attempts,
  };
  if (result.error !== undefined) out.error = result.error;
  return out;
}

/** Backfill many symbols; each must be a tracked instrument (add it first: `aftershock instruments add`). */
export async function backfillSymbols(deps: IngestDeps, req: BackfillRequest): Promise<BackfillSummary> {
  const results = await forEachLimited(req.symbols, req.concurrency ?? 4, async (symbol) => {
    const instrument = await retryingDatabase(deps, 'read the instrument', () => getInstrument(deps.pool, symbol));
    const result: SymbolBackfillResult = instrument
      ? await backfillInstrument(deps, instrument, req)
      : {
          symbol,
          status: 'error',
          rowsNew: 0,
          rowsUpdated: 0,
          rowsUnchanged: 0,
          attempts: 0,
          error: `${symbol} is not a tracked instrument (add it with \`aftershock instruments add ${symbol}\`)`,
        };
    req.onSymbol?.(result);
    return result;
  });
  return summarizeBackfill(req, results);
}

/** The totals and failures of a set of symbol backfills (also an add's, with its benchmark and FX series). */
export function summarizeBackfill(
  req: Pick<BackfillRequest, 'interval' | 'from' | 'to'>,
  results: readonly SymbolBackfillResult[],
): BackfillSummary {
  const sum = (k: 'rowsNew' | 'rowsUpdated' | 'rowsUnchanged') => results.reduce((s, r) => s + r[k], 0);
  return {
    interval: req.interval,
    from: req.from,
    to: req.to ?? null,
    symbols: results.length,
    ok: results.filter((r) => r.status === 'ok').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
    failed: results.filter((r) => r.status === 'error').length,
    rowsNew: sum('rowsNew'),
    rowsUpdated: sum('rowsUpdated'),
    rowsUnchanged: sum('rowsUnchanged'),
    failures: results.filter((r) => r.status === 'error').map((r) => ({ symbol: r.symbol, error: r.error ?? 'unknown error' })),
  };
}
