// Housekeeping of the run tables, at start and every 6 hours: job_runs rows of a killed process (still
// "running", but no session holds the job's lock) become "abandoned", ingest_runs rows still "running" after
// STALE_INGEST_HOURS end as errors saying so, and ingest_runs / job_runs rows older than RUNS_RETENTION_DAYS are
// deleted, so neither table grows without end. With INTRADAY_RETENTION_DAYS set, intraday bars older than that go
// too (unset, the default: every session's bars are kept, as Yahoo serves 5-minute bars for 60 days only).
import type { BackgroundService, ServiceFactory } from '../context/appContext';
import { pruneIntradayBars } from '../bars/intradayBarStore';
import { endStaleIngestRuns, pruneIngestRuns } from '../ingest/ingestRuns';
import { markAbandonedRuns, pruneJobRuns } from './jobRunStore';

const EVERY_MS = 6 * 3600 * 1000;
/** An ingest run (one symbol, or one add with its backfills) takes minutes; one running this long is dead. */
const STALE_INGEST_HOURS = 1;

export function runHousekeepingService(): ServiceFactory {
  return (ctx) => {
    const log = ctx.logger.child({ component: 'run-housekeeping' });
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<void> | null = null;
    const sweep = async () => {
      try {
        const abandoned = await markAbandonedRuns(ctx.db.pool);
        if (abandoned.length)
          log.info(
            { runs: abandoned.map((r) => `${r.job}#${r.id}`) },
            'job runs of a process that ended before finishing marked abandoned',
          );
        const stale = await endStaleIngestRuns(ctx.db.pool, STALE_INGEST_HOURS);
        if (stale.length)
          log.info({ runs: stale.map((r) => `${r.job}#${r.id}`) }, 'ingest runs of a process that ended before finishing marked as errors');
        const days = ctx.config.RUNS_RETENTION_DAYS;
        const [ingest, jobs] = [await pruneIngestRuns(ctx.db.pool, days), await pruneJobRuns(ctx.db.pool, days)];
        if (ingest + jobs > 0) log.info({ ingestRuns: ingest, jobRuns: jobs, olderThanDays: days }, 'old run rows pruned');
        const keep = ctx.config.INTRADAY_RETENTION_DAYS;
        if (keep !== undefined) {
          const bars = await pruneIntradayBars(ctx.db.pool, new Date(Date.now() - keep * 86_400_000));
          if (bars > 0) log.info({ intradayBars: bars, olderThanDays: keep }, 'intraday bars past their retention deleted');
        }
      } catch (err) {
        log.warn(
          { err: { message: (err as Error)?.message, code: (err as { code?: string })?.code } },
          'run housekeeping failed; trying again later',
        );
      }
    };
    const service: BackgroundService = {
      name: 'run-housekeeping',
      start() {
        running = sweep();
        timer = setInterval(() => {
          running = sweep();
        }, EVERY_MS);
        timer.unref();
      },
      async stop() {
        if (timer) clearInterval(timer);
        await running;
      },
    };
    return service;
  };
}
