// What each scheduled job does. Every job goes through its instruments one symbol at a time (a few at once),
// records each fetch in ingest_runs, and carries on past a failing symbol.
import type { Config } from '../config/config';
import { dailyBarCounts } from '../bars/dailyBarReads';
import { listInstruments, type InstrumentRow } from '../instruments/instrumentStore';
import { localDate, marketBasics, sessionOn, type MarketCode } from '../markets';
import { marketForInstrument } from '../marketdata/yahooMarkets';
import {
  defaultBackfillFrom,
  forEachLimited,
  ingestDailyBars,
  ingestIntradayBars,
  ingestSharesOutstanding,
  type IngestDeps,
  type SymbolIngestResult,
} from '../ingest/fetchAndStore';
import { ingestNews } from '../ingest/newsIngest';
import type { JobOutcome } from './jobRunner';
import {
  CATCHUP_JOB,
  dailyGroupOf,
  intradayBarInterval,
  intradayExchangeOf,
  type AnyJobName,
  type DailyGroup,
  type JobName,
} from './schedules';

export interface JobDeps extends IngestDeps {
  config: Pick<Config, 'BACKFILL_FROM' | 'INTRADAY_INTERVAL_MINUTES'>;
  /** true once the app is stopping: jobs stop taking new symbols */
  isStopping?: () => boolean;
}

/** Symbols a job works on at once (requests in flight are capped by the provider's limiter regardless). */
const SYMBOL_CONCURRENCY = 4;

/** The market whose sessions an instrument follows (src/markets' registry); null = unknown ('daily:other'). */
function sessionsOf(i: Pick<InstrumentRow, 'exchange' | 'timeZone' | 'kind'> & { symbol?: string }): MarketCode | null {
  return marketForInstrument(i);
}

async function trackedInstruments(deps: JobDeps, filter: (i: InstrumentRow) => boolean = () => true): Promise<InstrumentRow[]> {
  return (await listInstruments(deps.pool)).filter((i) => i.tracked && filter(i));
}

function outcomeOf(results: readonly SymbolIngestResult[][], symbols: number, note?: string): JobOutcome {
  const outcome: JobOutcome = { symbols, ok: 0, failed: [], rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0 };
  for (const perSymbol of results) {
    const failure = perSymbol.find((r) => r.status === 'error');
    if (failure) outcome.failed.push({ symbol: failure.symbol, error: failure.error ?? 'failed', unreachable: failure.unreachable });
    else outcome.ok++;
    for (const r of perSymbol) {
      outcome.rowsNew += r.rowsNew;
      outcome.rowsUpdated += r.rowsUpdated;
      outcome.rowsUnchanged += r.rowsUnchanged;
    }
  }
  if (note) outcome.note = note;
  return outcome;
}

async function lastStoredDates(deps: JobDeps): Promise<Map<string, string>> {
  return new Map([...(await dailyBarCounts(deps.pool))].map(([symbol, c]) => [symbol, c.last]));
}

/**
 * Daily bars of each instrument from its last stored bar (refetched: it may be provisional) through today in
 * its exchange's zone; an instrument without bars from BACKFILL_FROM. This is both the catch-up on start and
 * the daily job after each close.
 */
async function refreshDailyBars(deps: JobDeps, instruments: readonly InstrumentRow[], now: Date, job = 'daily'): Promise<JobOutcome> {
  const last = await lastStoredDates(deps);
  const results = await forEachLimited(
    instruments,
    SYMBOL_CONCURRENCY,
    async (i) => {
      const to = localDate(now, i.timeZone);
      const stored = last.get(i.symbol);
      const from = stored === undefined ? defaultBackfillFrom(deps.config, now) : stored < to ? stored : to;
      return [await ingestDailyBars(deps, { symbol: i.symbol, from, to, job })];
    },
    deps.isStopping,
  );
  return outcomeOf(results, instruments.length);
}

/**
 * During a session: the day's intraday bars so far (from the open: a missed run leaves no gap) and the day's
 * daily bar, which the provider flags provisional until the close.
 */
async function fetchIntraday(deps: JobDeps, exchange: MarketCode, slot: Date): Promise<JobOutcome> {
  const instruments = await trackedInstruments(deps, (i) => sessionsOf(i) === exchange);
  const interval = intradayBarInterval(deps.config.INTRADAY_INTERVAL_MINUTES);
  const results = await forEachLimited(
    instruments,
    SYMBOL_CONCURRENCY,
    async (i) => {
      const date = localDate(slot, i.timeZone);
      const session = sessionOn(exchange, localDate(slot, marketBasics(exchange).timeZone));
      const to = new Date(Math.min(slot.getTime(), session.close.getTime()));
      const out: SymbolIngestResult[] = [];
      if (to.getTime() > session.open.getTime()) {
        out.push(
          await ingestIntradayBars(deps, {
            symbol: i.symbol,
            interval,
            from: session.open,
            to,
            job: 'intraday',
            rangeFrom: date,
            rangeTo: date,
          }),
        );
      }
      out.push(await ingestDailyBars(deps, { symbol: i.symbol, from: date, to: date, job: 'intraday' }));
      return out;
    },
    deps.isStopping,
  );
  return outcomeOf(results, instruments.length);
}

const HAS_SHARES = (i: InstrumentRow) => i.kind === 'equity' || i.kind === 'etf';

/** Shares outstanding of every tracked stock and ETF, as of today in its exchange's zone. */
async function refreshSharesOutstanding(deps: JobDeps, now: Date): Promise<JobOutcome> {
  const instruments = await trackedInstruments(deps, HAS_SHARES);
  const results = await forEachLimited(
    instruments,
    SYMBOL_CONCURRENCY,
    async (i) => [await ingestSharesOutstanding(deps, { symbol: i.symbol, asOf: localDate(now, i.timeZone), job: 'quote' })],
    deps.isStopping,
  );
  return outcomeOf(results, instruments.length);
}

/** News of every tracked stock and ETF (indices and FX have no news of their own on Yahoo). */
async function fetchNews(deps: JobDeps): Promise<JobOutcome> {
  const instruments = await trackedInstruments(deps, HAS_SHARES);
  const results = await forEachLimited(
    instruments,
    SYMBOL_CONCURRENCY,
    async (i) => [await ingestNews(deps, { symbol: i.symbol })],
    deps.isStopping,
  );
  return outcomeOf(results, instruments.length);
}

function inDailyGroup(group: DailyGroup): (i: InstrumentRow) => boolean {
  return (i) => (sessionsOf(i) ?? 'other') === group;
}

/** Whether a per-market job has an instrument to work on: the world markets' jobs fire only where one is tracked. */
export async function marketJobHasInstruments(deps: JobDeps, job: AnyJobName): Promise<boolean> {
  const market = intradayExchangeOf(job as JobName) ?? dailyGroupOf(job as JobName);
  if (!market) return true;
  return (await trackedInstruments(deps, (i) => (sessionsOf(i) ?? 'other') === market)).length > 0;
}

/** The work of one fire of `job` at `slot`. */
export async function jobWork(job: AnyJobName, deps: JobDeps, slot: Date): Promise<JobOutcome> {
  if (job === CATCHUP_JOB) return refreshDailyBars(deps, await trackedInstruments(deps), slot);
  const intraday = intradayExchangeOf(job);
  if (intraday) return fetchIntraday(deps, intraday, slot);
  const group = dailyGroupOf(job);
  if (group) return refreshDailyBars(deps, await trackedInstruments(deps, inDailyGroup(group)), slot);
  if (job === 'quotes') return refreshSharesOutstanding(deps, slot);
  return fetchNews(deps);
}
