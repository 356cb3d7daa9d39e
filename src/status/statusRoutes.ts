// HTTP: GET /api/status: how fresh the data is, per instrument, and how the scheduled jobs went.
import { Router } from 'express';
import type { AppContext } from '../context/appContext';
import { describeRoute } from '../openapi/registry';
import { enabledJobs } from '../scheduler/schedulerService';
import {
  CATCHUP_JOB,
  JOB_NAMES,
  isWorldMarketJob,
  jobSchedules,
  nextFireTimes,
  type JobName,
  type JobSchedule,
} from '../scheduler/schedules';
import { statusResponse, type InstrumentStatusJson, type JobStatus, type StatusResponse } from './statusContract';
import { lastJobRuns, type JobRunRow } from '../scheduler/jobRunStore';
import { instrumentStatuses, type InstrumentStatus } from './statusStore';

describeRoute({
  method: 'get',
  path: '/api/status',
  summary:
    'Data freshness per instrument (last bar, last successful fetch, sessions missed, last error) and the last run of each scheduled job',
  responses: { 200: { description: 'Freshness per instrument and the runs of every job', schema: statusResponse } },
});

function presentRun(r: JobRunRow | null | undefined): JobStatus['lastRun'] {
  if (!r) return null;
  let detail: unknown = r.detail;
  try {
    detail = r.detail === null ? null : JSON.parse(r.detail);
  } catch {
    // a plain message (a run that threw)
  }
  return {
    slot: r.slot.toISOString(),
    instance: r.instance,
    startedAt: r.startedAt.toISOString(),
    endedAt: r.endedAt?.toISOString() ?? null,
    status: r.status,
    detail,
  };
}

const presentInstrumentStatus = (s: InstrumentStatus): InstrumentStatusJson => ({
  ...s,
  lastSuccessfulFetch: s.lastSuccessfulFetch?.toISOString() ?? null,
  lastError: s.lastError && { ...s.lastError, at: s.lastError.at.toISOString() },
});

export function statusRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const now = new Date();
    const [instruments, runs] = await Promise.all([instrumentStatuses(ctx.db.pool, now), lastJobRuns(ctx.db.pool)]);
    const enabled = new Set<string>(enabledJobs(ctx.config));
    const overrides: Partial<Record<JobName, JobSchedule>> = ctx.config.SCHEDULE_OVERRIDES ?? {};
    const schedules = { ...jobSchedules(ctx.config.INTRADAY_INTERVAL_MINUTES), ...overrides };
    // a world market's jobs fire only while a tracked instrument trades there (schedulerService)
    const marketsInUse = new Set<string>(instruments.filter((i) => i.tracked && i.sessions).map((i) => i.sessions as string));
    const idle = (job: string) => isWorldMarketJob(job as JobName) && !marketsInUse.has(job.slice(job.indexOf(':') + 1));
    const jobs = [...JOB_NAMES, CATCHUP_JOB].map((job): JobStatus => {
      const schedule = job === CATCHUP_JOB ? null : schedules[job as JobName];
      const isEnabled = job === CATCHUP_JOB ? ctx.config.SCHEDULER_ENABLED && ctx.config.JOB_DAILY_ENABLED : enabled.has(job) && !idle(job);
      const overridden = overrides[job as JobName] !== undefined; // a replaced schedule runs at every match, ungated
      const next =
        schedule && isEnabled
          ? (nextFireTimes(job as JobName, now, 1, {
              intervalMinutes: ctx.config.INTRADAY_INTERVAL_MINUTES,
              schedule,
              gated: !overridden,
            })[0] ?? null)
          : null;
      const r = runs.get(job);
      return {
        job,
        enabled: isEnabled,
        schedule,
        nextRun: next?.toISOString() ?? null,
        lastRun: presentRun(r?.last),
        lastSuccessfulRun: presentRun(r?.lastOk),
      };
    });
    const body: StatusResponse = {
      now: now.toISOString(),
      provider: ctx.provider.name,
      scheduler: { enabled: ctx.config.SCHEDULER_ENABLED },
      adminWrites: { enabled: ctx.config.ADMIN_TOKEN !== undefined },
      instruments: instruments.map(presentInstrumentStatus),
      jobs,
    };
    res.json(body);
  });
  return router;
}
