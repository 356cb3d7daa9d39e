// The scheduler as a background service of the app: one node-cron task per enabled job, each fire run as a
// claimed slot under the job's advisory lock (./jobRunner), and a catch-up of missing days on start.
import type { ScheduledTask } from 'node-cron';
import type { AppContext } from '../context/appContext';
import type { BackgroundService, ServiceFactory } from '../context/appContext';
import type { Config } from '../config/config';
import { ingestDepsOf } from '../ingest/fetchAndStore';
import { scheduleCron, slotOf } from './cronTasks';
import { runJobSlot, type JobSlotResult } from './jobRunner';
import { jobWork, marketJobHasInstruments, type JobDeps } from './jobs';
import {
  CATCHUP_JOB,
  JOB_NAMES,
  JOB_SWITCH,
  isDue,
  isWorldMarketJob,
  jobSchedules,
  type AnyJobName,
  type JobName,
  type JobSchedule,
} from './schedules';

export interface SchedulerOptions {
  /** replace the schedule of some jobs (tests use a fast one) */
  schedules?: Partial<Record<JobName, JobSchedule>>;
  /** schedule only these jobs (still subject to their env switches); default: all */
  jobs?: readonly JobName[];
  /** catch up missing days on start (default: when the daily job is enabled) */
  catchUpOnStart?: boolean;
}

/** The jobs the config enables. */
export function enabledJobs(
  config: Pick<Config, 'SCHEDULER_ENABLED' | 'JOB_INTRADAY_ENABLED' | 'JOB_DAILY_ENABLED' | 'JOB_QUOTES_ENABLED' | 'JOB_NEWS_ENABLED'>,
): JobName[] {
  if (!config.SCHEDULER_ENABLED) return [];
  return JOB_NAMES.filter((j) => config[JOB_SWITCH[j]]);
}

export interface Scheduler extends BackgroundService {
  /** run one slot of a job now, as a fire would (tests, and the catch-up on start) */
  runSlot(job: AnyJobName, slot: Date): Promise<JobSlotResult>;
  /** settles when every run started so far has finished */
  idle(): Promise<void>;
  readonly jobs: readonly JobName[];
}

export function createScheduler(ctx: AppContext, opts: SchedulerOptions = {}): Scheduler {
  const log = ctx.logger.child({ component: 'scheduler' });
  const interval = ctx.config.INTRADAY_INTERVAL_MINUTES;
  // SCHEDULE_OVERRIDES, then the caller's (tests); a replaced schedule fires when it says, without the gate
  const overrides: Partial<Record<JobName, JobSchedule>> = { ...ctx.config.SCHEDULE_OVERRIDES, ...opts.schedules };
  const schedules = { ...jobSchedules(interval), ...overrides };
  const jobs = enabledJobs(ctx.config).filter((j) => !opts.jobs || opts.jobs.includes(j));
  const catchUp = (opts.catchUpOnStart ?? true) && ctx.config.SCHEDULER_ENABLED && ctx.config.JOB_DAILY_ENABLED;
  const tasks: ScheduledTask[] = [];
  const running = new Set<Promise<unknown>>();
  let stopping = false;
  const deps: JobDeps = { ...ingestDepsOf(ctx), config: ctx.config, isStopping: () => stopping };

  const track = <T>(p: Promise<T>): Promise<T> => {
    running.add(p);
    void p.finally(() => running.delete(p)).catch(() => {});
    return p;
  };

  const runSlot = (job: AnyJobName, slot: Date): Promise<JobSlotResult> =>
    track(
      runJobSlot({ pool: ctx.db.pool, logger: ctx.logger, instanceId: ctx.instanceId, metrics: ctx.metrics }, job, slot, () =>
        jobWork(job, deps, slot),
      ).catch((err: unknown) => {
        // the database itself failed (claiming the slot, recording): the next fire tries again
        log.error({ err, job }, 'job run could not be recorded');
        return { status: 'error', error: err instanceof Error ? err.message : String(err) } as JobSlotResult;
      }),
    );

  const fire = async (job: JobName, slot: Date): Promise<void> => {
    // a replaced schedule fires when it says; the default ones are trimmed to sessions and trading days
    if (stopping || (!overrides[job] && !isDue(job, slot, interval))) return;
    // a world market's jobs claim no slot while no tracked instrument trades there
    if (isWorldMarketJob(job) && !(await marketJobHasInstruments(deps, job).catch(() => true))) return;
    await runSlot(job, slot);
  };

  return {
    name: 'scheduler',
    jobs,
    runSlot,
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    start() {
      for (const job of jobs) tasks.push(scheduleCron(`${ctx.instanceId}:${job}`, schedules[job], (slot) => fire(job, slot), ctx.logger));
      log.info(
        { jobs, catchUp, ...(Object.keys(overrides).length ? { overrides } : {}) },
        jobs.length ? 'scheduler started' : 'scheduler started with every job switched off',
      );
      if (catchUp) void runSlot(CATCHUP_JOB, slotOf(new Date()));
    },
    async stop() {
      stopping = true;
      for (const t of tasks.splice(0)) await t.destroy();
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

/** The scheduler for startApp's services list; null (no service) when SCHEDULER_ENABLED is off. */
export function schedulerService(opts: SchedulerOptions = {}): ServiceFactory {
  return (ctx) => (ctx.config.SCHEDULER_ENABLED ? createScheduler(ctx, opts) : null);
}
