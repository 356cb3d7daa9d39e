// Runs one job slot at most once across every app instance on the database, and never two runs of a job at
// once: the slot is claimed with a row in job_runs (unique per job and slot: the first instance to insert it
// runs it), and the run holds a session-level Postgres advisory lock on the job (a run of an earlier slot still
// going on any instance makes this one 'skipped').
import type pg from 'pg';
import type { Metrics } from '../metrics/metrics';
import type { Logger } from '../logging/logger';
import { claimSlot, finishSlot, tryLockJob, unlockJob } from './jobRunStore';

/** What a job run did, per symbol. */
export interface JobOutcome {
  symbols: number;
  ok: number;
  failed: { symbol: string; error: string; unreachable?: boolean }[];
  rowsNew: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  note?: string;
}

type JobSlotStatus = 'taken' | 'skipped' | 'ok' | 'error';

export interface JobSlotResult {
  status: JobSlotStatus;
  jobRunId?: number;
  outcome?: JobOutcome;
  error?: string;
}

export interface JobRunnerDeps {
  pool: pg.Pool;
  logger: Logger;
  instanceId: string;
  metrics?: Pick<Metrics, 'jobRuns'>;
}

function describeOutcome(o: JobOutcome): string {
  const text = JSON.stringify({
    symbols: o.symbols,
    ok: o.ok,
    failed: o.failed.length,
    rowsNew: o.rowsNew,
    rowsUpdated: o.rowsUpdated,
    rowsUnchanged: o.rowsUnchanged,
    ...(o.note ? { note: o.note } : {}),
    ...(o.failed.length ? { errors: o.failed.slice(0, 20).map((f) => `${f.symbol}: ${f.error}`) } : {}),
  });
  return text.length > 8000 ? `${text.slice(0, 7997)}...` : text;
}

/**
 * Claim `slot` of `job`, take the job's advisory lock, run `work`, record the result. A run where some
 * symbols failed is 'error' and logs ONE warning naming the failures, however many symbols and attempts
 * failed (an unreachable provider must not flood the log).
 */
export async function runJobSlot(deps: JobRunnerDeps, job: string, slot: Date, work: () => Promise<JobOutcome>): Promise<JobSlotResult> {
  const log = deps.logger.child({ component: 'scheduler', job, slot: slot.toISOString() });
  const id = await claimSlot(deps.pool, job, slot, deps.instanceId);
  if (id === null) {
    log.debug('slot already taken by another instance');
    return { status: 'taken' };
  }
  const lockClient = await deps.pool.connect();
  let locked = false;
  try {
    locked = await tryLockJob(lockClient, job);
    if (!locked) {
      await finishSlot(deps.pool, id, 'skipped', 'a run of an earlier slot is still going');
      deps.metrics?.jobRuns.inc({ job, status: 'skipped' });
      log.info('skipped: a run of an earlier slot is still going');
      return { status: 'skipped', jobRunId: id };
    }
    let outcome: JobOutcome;
    try {
      outcome = await work();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await finishSlot(deps.pool, id, 'error', message);
      deps.metrics?.jobRuns.inc({ job, status: 'error' });
      log.warn({ err }, `job run failed: ${message}`);
      return { status: 'error', jobRunId: id, error: message };
    }
    const status = outcome.failed.length > 0 ? 'error' : 'ok';
    await finishSlot(deps.pool, id, status, describeOutcome(outcome));
    deps.metrics?.jobRuns.inc({ job, status });
    if (status === 'error') {
      const unreachable = outcome.failed.every((f) => f.unreachable);
      log.warn(
        { failed: outcome.failed.length, of: outcome.symbols, errors: outcome.failed.slice(0, 5).map((f) => `${f.symbol}: ${f.error}`) },
        `${job}: ${outcome.failed.length} of ${outcome.symbols} symbols failed${unreachable ? ' (market data provider unreachable; serving stored data)' : ''}`,
      );
    } else {
      log.info({ symbols: outcome.symbols, rowsNew: outcome.rowsNew, rowsUpdated: outcome.rowsUpdated }, `${job} done`);
    }
    return { status, jobRunId: id, outcome };
  } finally {
    if (locked) await unlockJob(lockClient, job).catch(() => {});
    lockClient.release();
  }
}
