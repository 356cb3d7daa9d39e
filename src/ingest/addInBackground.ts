// Adding an instrument without waiting for its bars (the dashboard's add page): the symbol is looked up at once, so
// an unknown one is refused in the request, then the add and its backfills run on in the background, recorded as
// an ingest run of job 'add' whose progress GET /api/ingest-runs/:id reports.
import { dailyBarCounts } from '../bars/dailyBarReads';
import { addInstrument, AddInstrumentError, lookUpSymbol, type AddInstrumentRequest, type AddInstrumentResult } from './addInstrument';
import type { ServiceFactory } from '../context/appContext';
import type { QuoteInfo } from '../marketdata/types';
import { summarizeBackfill } from './backfill';
import type { IngestDeps } from './fetchAndStore';
import { candidateOf } from './instrumentSearch';
import type { AddStartedResponse, IngestRunProgress } from './instrumentSearchContract';
import { finishIngestRun, getIngestRun, startIngestRun, stepsOfRun, type IngestRunRow } from './ingestRuns';

const ADD_JOB = 'add';

/** The adds this process is running, so that a stop can record that they did not finish. */
const inFlight = new Set<number>();

/** The add and its backfills, as one list (the benchmark and FX series come first when they were added). */
function addedBackfills(result: AddInstrumentResult): NonNullable<AddInstrumentResult['backfill']>[] {
  const nested = [result.benchmarkAdded, result.fxSeriesAdded].flatMap((r) => (r ? addedBackfills(r) : []));
  return result.backfill ? [...nested, result.backfill] : nested;
}

async function runAdd(deps: IngestDeps, runId: number, req: AddInstrumentRequest, quote: QuoteInfo): Promise<void> {
  inFlight.add(runId);
  try {
    const result = await addInstrument({ ...deps, parentRunId: runId }, req, quote);
    const summary = summarizeBackfill({ interval: '1d', from: req.from }, addedBackfills(result));
    await finishIngestRun(deps.pool, runId, {
      status: summary.failed > 0 ? 'error' : 'ok',
      rowsNew: summary.rowsNew,
      rowsUpdated: summary.rowsUpdated,
      rowsUnchanged: summary.rowsUnchanged,
      error: summary.failures.map((f) => `the backfill of ${f.symbol} failed: ${f.error}`).join('; ') || null,
    });
  } catch (err) {
    const message = err instanceof AddInstrumentError ? err.message : `${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message}`;
    deps.logger.warn({ err, symbol: req.symbol, runId }, 'adding an instrument in the background failed');
    await finishIngestRun(deps.pool, runId, { status: 'error', error: message }).catch((e: unknown) =>
      deps.logger.error({ err: e, runId }, 'could not record the end of an add run'),
    );
  } finally {
    inFlight.delete(runId);
  }
}

/**
 * A service with nothing to start: on a stop (Ctrl-C, SIGTERM, a deploy) it records the adds still running as
 * ended in error, so that their progress says so instead of 'running' for ever. (After a kill -9, run
 * housekeeping ends them.)
 */
export const backgroundAddsService: ServiceFactory = (ctx) => ({
  name: 'background-adds',
  start() {},
  async stop() {
    for (const runId of [...inFlight]) {
      await finishIngestRun(ctx.db.pool, runId, { status: 'error', error: 'the app stopped before the add finished: add it again' }).catch(
        (err: unknown) => ctx.logger.warn({ err: { message: (err as Error)?.message }, runId }, 'could not record an interrupted add'),
      );
    }
  },
});

/** Looks the symbol up (throws AddInstrumentError for an unknown one), records the run, and adds it in the background. */
export async function startAddInBackground(deps: IngestDeps, req: AddInstrumentRequest): Promise<AddStartedResponse> {
  const quote = await lookUpSymbol(deps, req.symbol);
  const candidate = await candidateOf(
    deps,
    { symbol: req.symbol, name: quote.name, exchange: quote.exchange, exchangeDisplay: quote.exchange, kind: quote.kind },
    quote,
  );
  if (req.benchmark !== undefined) candidate.benchmark = req.benchmark;
  const runId = await startIngestRun(deps.pool, { job: ADD_JOB, symbol: req.symbol, interval: '1d', rangeFrom: req.from });
  void runAdd(deps, runId, req, quote); // with the quote just looked up: one request to the provider, not two
  return { runId, progressUrl: `/api/ingest-runs/${runId}`, candidate };
}

function presentRun(r: IngestRunRow) {
  return {
    id: r.id,
    job: r.job,
    symbol: r.symbol,
    status: r.status,
    startedAt: r.startedAt.toISOString(),
    endedAt: r.endedAt ? r.endedAt.toISOString() : null,
    rangeFrom: r.rangeFrom,
    rangeTo: r.rangeTo,
    rowsNew: r.rowsNew,
    rowsUpdated: r.rowsUpdated,
    rowsUnchanged: r.rowsUnchanged,
    error: r.error,
  };
}

/** A run and, for an add, its backfills so far with the sessions stored; null for an unknown run id. */
export async function ingestRunProgress(deps: Pick<IngestDeps, 'pool'>, id: number): Promise<IngestRunProgress | null> {
  const run = await getIngestRun(deps.pool, id);
  if (!run) return null;
  const steps = run.job === ADD_JOB ? await stepsOfRun(deps.pool, run.id) : [];
  // the symbols of this run only: the add page polls this every half second
  const symbols = [run.symbol, ...steps.map((s) => s.symbol)].filter((s): s is string => s !== null);
  const counts = await dailyBarCounts(deps.pool, symbols);
  const sessionsOf = (symbol: string | null) => (symbol === null ? 0 : (counts.get(symbol)?.bars ?? 0));
  return {
    run: presentRun(run),
    done: run.status !== 'running',
    steps: steps.map((s) => ({ ...presentRun(s), sessions: sessionsOf(s.symbol) })),
    sessions: sessionsOf(run.symbol),
  };
}
