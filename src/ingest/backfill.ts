// Backfill: bars of many symbols over a date range, resumable. A symbol whose range earlier successful runs
// already covered with final bars is skipped; one covered up to some date resumes after it; the rest is
// fetched and upserted (idempotent, so re-fetching what is stored changes nothing).
import { addCalendarDays, isKnownMarket, localDate, type MarketCode, sessionSlots, startOfLocalDate, tradingSessionOn } from '../markets';
import type { IntradayInterval } from '../marketdata/provider';
import { hasDailyBarsBetween } from '../bars/dailyBarReads';
import { intradayBarCountsBySession } from '../bars/intradayBarReads';
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
export const BACKFILL_INTERVALS: readonly BackfillInterval[] = ['1d', '1m', '5m', '15m', '1h'];

/** How far back Yahoo serves intraday bars (1m: also at most 7 days a request, see fetchAndStore). */
export const YAHOO_INTRADAY_DAYS: Readonly<Record<IntradayInterval, number>> = { '1m': 30, '5m': 60, '15m': 60, '1h': 730 };

/** The first instant Yahoo still serves `interval` bars from at `now` (ten minutes inside its limit). */
export function yahooIntradayEarliest(interval: IntradayInterval, now: Date): Date {
  return new Date(now.getTime() - YAHOO_INTRADAY_DAYS[interval] * 86_400_000 + 10 * 60_000);
}

const INTERVAL_MS: Readonly<Record<IntradayInterval, number>> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 };

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
  /** intraday: fetch only what Yahoo still serves (YAHOO_INTRADAY_DAYS back from now) */
  yahooLimit?: boolean;
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

async function hasStoredBars(deps: IngestDeps, instrument: Pick<InstrumentRow, 'symbol'>, from: string, to: string): Promise<boolean> {
  return hasDailyBarsBetween(deps.pool, instrument.symbol, from, to);
}

/**
 * The sessions of [from, to] whose intraday bars are missing or incomplete (fewer stored than the slots of its
 * grid that had ended by `now` and start at or after `earliest`); null for a market whose sessions are unknown
 * (or FX's, which run overnight): fetch the whole range then.
 */
async function intradayGaps(
  deps: IngestDeps,
  symbol: string,
  market: string | undefined,
  interval: IntradayInterval,
  range: { from: string; to: string; earliest: Date; now: Date },
): Promise<{ date: string; open: Date; close: Date }[] | null> {
  if (!market || !isKnownMarket(market) || market === 'FX') return null;
  const sessions: { date: string; open: Date; close: Date; expected: number }[] = [];
  for (let d = range.from; d <= range.to; d = addCalendarDays(d, 1)) {
    const s = tradingSessionOn(market as MarketCode, d);
    if (!s || s.open.getTime() >= range.now.getTime() || s.close.getTime() <= range.earliest.getTime()) continue;
    const expected = sessionSlots(s, INTERVAL_MS[interval]).filter(
      (t) => t.getTime() >= range.earliest.getTime() && t.getTime() + INTERVAL_MS[interval] <= range.now.getTime(),
    ).length;
    sessions.push({ date: d, open: s.open, close: s.close, expected });
  }
  const stored = await retryingDatabase(deps, 'read stored bars', () => intradayBarCountsBySession(deps.pool, symbol, interval, sessions));
  return sessions.filter((s) => s.expected === 0 || (stored.get(s.date) ?? 0) < s.expected);
}

/**
 * Intraday bars of [from, to] (exchange-local dates): only the sessions with bars missing (a gap the scheduler left,
 * a day before the instrument was added), from `earliest` on (Yahoo's limit, when the caller gives it).
 */
async function backfillIntraday(
  deps: IngestDeps,
  instrument: Pick<InstrumentRow, 'symbol' | 'timeZone'> & { exchange?: string },
  req: { from: string; to: string; interval: IntradayInterval; job: string; now: Date; earliest?: Date },
  base: Omit<SymbolBackfillResult, 'status'>,
): Promise<SymbolBackfillResult> {
  const earliest = req.earliest ?? new Date(-8_640_000_000_000_000);
  const { start, end } = localDays(req.from, req.to, instrument.timeZone);
  if (end.getTime() <= earliest.getTime())
    return {
      ...base,
      status: 'skipped',
      reason: `Yahoo serves ${req.interval} bars for the last ${YAHOO_INTRADAY_DAYS[req.interval]} days only: nothing from ${req.from} to ${req.to} is still served`,
    };
  const gaps = await intradayGaps(deps, instrument.symbol, instrument.exchange, req.interval, { ...req, earliest });
  if (gaps !== null && gaps.length === 0) return { ...base, status: 'skipped', reason: `already complete from ${req.from} to ${req.to}` };
  const from = gaps ? gaps[0].date : req.from;
  const to = gaps ? gaps[gaps.length - 1].date : req.to;
  const fetchFrom = Math.max(gaps ? gaps[0].open.getTime() : start.getTime(), earliest.getTime());
  const fetchTo = Math.min(gaps ? gaps[gaps.length - 1].close.getTime() : end.getTime(), req.now.getTime());
  if (fetchFrom >= fetchTo) return { ...base, status: 'skipped', reason: `nothing has traded yet from ${req.from} to ${req.to}` };
  const result = await ingestIntradayBars(deps, {
    symbol: instrument.symbol,
    interval: req.interval,
    from: new Date(fetchFrom),
    to: new Date(fetchTo),
    job: req.job,
    rangeFrom: from,
    rangeTo: to,
  });
  const out: SymbolBackfillResult = { ...base, ...counts(result), status: result.status, from, to };
  if (result.error !== undefined) out.error = result.error;
  return out;
}

const counts = (r: SymbolIngestResult) => ({
  rowsNew: r.rowsNew,
  rowsUpdated: r.rowsUpdated,
  rowsUnchanged: r.rowsUnchanged,
  attempts: r.attempts,
});

/** Backfill one instrument; never throws for an upstream failure (it is recorded and returned). */
export async function backfillInstrument(
  deps: IngestDeps,
  instrument: Pick<InstrumentRow, 'symbol' | 'timeZone'> & { exchange?: string },
  req: {
    from: string;
    to?: string;
    interval: BackfillInterval;
    job?: string;
    now?: () => Date;
    /** intraday: fetch nothing that starts before this (Yahoo's limit, yahooIntradayEarliest) */
    earliest?: Date;
  },
): Promise<SymbolBackfillResult> {
  const now = (req.now ?? (() => new Date()))();
  const today = localDate(now, instrument.timeZone);
  const to = req.to === undefined || req.to > today ? today : req.to;
  const base = { symbol: instrument.symbol, rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0, attempts: 0 };
  if (req.from > to) return { ...base, status: 'skipped', reason: `nothing to fetch: ${req.from} is after ${to}` };
  const job = req.job ?? 'backfill';
  // intraday: the sessions with bars missing, whatever earlier runs said (bars may have been cleared since)
  if (req.interval !== '1d')
    return backfillIntraday(deps, instrument, { from: req.from, to, interval: req.interval, job, now, earliest: req.earliest }, base);

  const runs = await retryingDatabase(deps, 'read earlier runs', () => coveringRuns(deps.pool, instrument.symbol, req.interval));
  let covered = coveredUntil(runs, req.from, instrument.timeZone);
  // runs say the range was fetched; no stored bar in it says they were deleted since (or never existed): fetch again
  const until = covered;
  if (until !== null && !(await retryingDatabase(deps, 'read stored bars', () => hasStoredBars(deps, instrument, req.from, until))))
    covered = null;
  if (covered !== null && covered >= to) return { ...base, status: 'skipped', reason: `already complete from ${req.from} to ${to}` };
  const from = covered === null ? req.from : addCalendarDays(covered, 1);

  const result = await ingestDailyBars(deps, { symbol: instrument.symbol, from, to, job });
  const out: SymbolBackfillResult = { ...base, ...counts(result), status: result.status, from, to };
  if (result.error !== undefined) out.error = result.error;
  return out;
}

/** Backfill many symbols; each must be a tracked instrument (add it first: `aftershock instruments add`). */
export async function backfillSymbols(deps: IngestDeps, req: BackfillRequest): Promise<BackfillSummary> {
  const earliest =
    req.interval === '1d' || !req.yahooLimit ? undefined : yahooIntradayEarliest(req.interval, (req.now ?? (() => new Date()))());
  const results = await forEachLimited(req.symbols, req.concurrency ?? 4, async (symbol) => {
    const instrument = await retryingDatabase(deps, 'read the instrument', () => getInstrument(deps.pool, symbol));
    const result: SymbolBackfillResult = instrument
      ? await backfillInstrument(deps, instrument, { ...req, earliest })
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
