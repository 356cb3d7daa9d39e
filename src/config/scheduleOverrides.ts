// The names of the scheduler's jobs and the SCHEDULE_OVERRIDES variable that replaces their schedules. Kept with
// the config so that a bad override stops the app at start-up like any other bad variable.
import { validate as validateCron } from 'node-cron';
import { WORLD_MARKET_CODES, type MarketCode } from '../markets';

/** Markets with exchange sessions: an intraday job in each session and a daily job after each close. */
export type SessionMarketCode = Exclude<MarketCode, 'FX'>;
export const SESSION_MARKETS: readonly SessionMarketCode[] = ['TSE', 'US', ...WORLD_MARKET_CODES];

export type JobName = `intraday:${SessionMarketCode}` | `daily:${SessionMarketCode}` | 'daily:FX' | 'daily:other' | 'quotes' | 'news';
/** On start, once: every day missing since each instrument's last stored bar. */
export const CATCHUP_JOB = 'catchup';
export type AnyJobName = JobName | typeof CATCHUP_JOB;

/** The original jobs first, then an intraday and a daily job per world market (intraday:PAR, daily:PAR, ...). */
export const JOB_NAMES: readonly JobName[] = [
  'intraday:TSE',
  'intraday:US',
  'daily:TSE',
  'daily:US',
  'daily:FX',
  'daily:other',
  'quotes',
  'news',
  ...WORLD_MARKET_CODES.flatMap((code): JobName[] => [`intraday:${code}`, `daily:${code}`]),
];

export interface JobSchedule {
  /** node-cron expression, seconds first: 'sec min hour day-of-month month day-of-week' */
  cron: string;
  /** IANA zone the expression is read in */
  timeZone: string;
}

/**
 * SCHEDULE_OVERRIDES: `job=cron;job=cron` (cron seconds first, read in UTC), e.g. `daily:US=0,20,40 * * * * *;news=10 * * * * *`.
 * Returns the schedules it names, or the problems with it.
 */
export function parseScheduleOverrides(text: string): { schedules: Partial<Record<JobName, JobSchedule>>; errors: string[] } {
  const schedules: Partial<Record<JobName, JobSchedule>> = {};
  const errors: string[] = [];
  for (const entry of text
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    const job = (eq < 0 ? entry : entry.slice(0, eq)).trim() as JobName;
    const cron = eq < 0 ? '' : entry.slice(eq + 1).trim();
    if (!JOB_NAMES.includes(job))
      errors.push(
        `unknown job "${job}" (one of ${JOB_NAMES.slice(0, 8).join(', ')}, or intraday:/daily: with a market code of src/markets)`,
      );
    else if (!validateCron(cron)) errors.push(`"${cron}" for ${job} is not a cron expression`);
    else schedules[job] = { cron, timeZone: 'UTC' };
  }
  return { schedules, errors };
}
