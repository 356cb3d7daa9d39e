// The one config module: every environment variable the app reads is parsed and validated here.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseScheduleOverrides } from './scheduleOverrides';

/** The project folder (where package.json is), whether we run from src/ under jest or from the dist/ bundle. */
export const projectRoot = (() => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'prisma'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
})();

const bool = z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off']).transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  );

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** external base URL of the dashboard, used in email links */
  BASE_URL: url(['http:', 'https:']).optional(),
  /** a Postgres server; unset = embedded Postgres in DATA_DIR */
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATA_DIR: z.string().min(1).default(path.join(projectRoot, '.data')),
  /** port for the embedded Postgres; 0 = any free port */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** load data/market on start when the database holds no bars yet */
  IMPORT_BUNDLED_DATA: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** bearer token for write routes; unset = write routes disabled */
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Yahoo Finance origin override (a mirror or a test server), path and query unchanged */
  YAHOO_BASE_URL: url(['http:', 'https:']).optional(),
  YAHOO_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  YAHOO_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(4),
  YAHOO_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(2),
  /** scheduler master switch and per-job switches */
  SCHEDULER_ENABLED: bool.default(true),
  JOB_INTRADAY_ENABLED: bool.default(true),
  JOB_DAILY_ENABLED: bool.default(true),
  JOB_QUOTES_ENABLED: bool.default(true),
  JOB_NEWS_ENABLED: bool.default(true),
  JOB_ALERTS_ENABLED: bool.default(true),
  INTRADAY_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(60).default(5),
  /** replace job schedules (tests, demos of several instances): `job=cron;job=cron`, cron seconds first, in UTC */
  SCHEDULE_OVERRIDES: z
    .string()
    .transform((text, ctx) => {
      const { schedules, errors } = parseScheduleOverrides(text);
      for (const message of errors) ctx.addIssue({ code: 'custom', message });
      return schedules;
    })
    .optional(),
  /** first date of a backfill when none is given (instruments add, catch-up of an instrument without bars) */
  BACKFILL_FROM: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
    .refine(
      (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
      'is not a real calendar date',
    )
    .optional(),
  /** SMTP server for alert emails; unset = alerts are recorded but not emailed */
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().min(3).default('Aftershock <alerts@aftershock.local>'),
  /** secret for unsubscribe and confirmation links; defaults to one derived per database */
  LINK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** alerts of one subscription found within this window go out as one email */
  ALERT_COALESCE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** safety-net sweep of the alert triggers (a missed NOTIFY delays an alert by this much at most) */
  ALERT_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** CSV export streams served at once over HTTP (each holds a pool connection); beyond it a 429 with Retry-After */
  EXPORT_MAX_STREAMS: z.coerce.number().int().min(1).max(100).default(4),
  /** an export whose client has read nothing for this long is ended (its connection goes back to the pool) */
  EXPORT_STALL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /**
   * intraday bars older than this many days are deleted (at start and every 6 hours); unset = kept for ever: Yahoo
   * serves 5-minute bars for 60 days only, so what is deleted cannot be fetched again
   */
  INTRADAY_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).optional(),
  /** ingest_runs and job_runs rows older than this many days are deleted (checked at start and every 6 hours) */
  RUNS_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(90),
  /** how long a sender may hold an email in 'sending' before another instance may claim it again */
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  /** first retry delay after a transient SMTP failure; doubles per attempt (jittered, at most 15 min) */
  OUTBOX_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(5000),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  /** subscription requests per client IP: a bucket of this many, refilled over 10 minutes */
  SUBSCRIBE_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(5),
  /** worker threads of the heavy analysis (studies, impact); unset = one fewer than the cores, 1 to 4 */
  COMPUTE_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  /** heavy requests that may wait for a thread; beyond them a 429 with Retry-After */
  COMPUTE_QUEUE: z.coerce.number().int().min(0).max(10_000).default(64),
  /** heavy requests (studies, impact) per client IP: a bucket of this many, refilled over a minute */
  HEAVY_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(120),
  /** the result cache of impact and study answers (off: every request computes) */
  RESULT_CACHE: bool.default(true),
  /** its size: answers beyond it go, least recently used first */
  RESULT_CACHE_MB: z.coerce.number().int().min(1).max(65_536).default(64),
  /** members of one study */
  STUDY_MAX_MEMBERS: z.coerce.number().int().min(1).max(20_000).default(5_000),
  /** members x (window + estimation) sessions of one study or impact request */
  ANALYSIS_MAX_MEMBER_SESSIONS: z.coerce.number().int().min(1).max(100_000_000).default(1_000_000),
  /** members x window sessions: the day rows of one answer */
  ANALYSIS_MAX_ANSWER_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parse the environment; an invalid value throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // empty strings mean "unset", as in most .env tooling
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}
