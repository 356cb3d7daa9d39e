// When each job runs: cron expressions (seconds first) in explicit time zones, the gate that decides whether
// a fire has work to do (an exchange in session, a trading day), and a pure nextFireTimes() over both.
// Pure: no clock, no database.
import { parse as parseCron } from 'node-cron';
import { DateTime } from 'luxon';
import {
  isInSession,
  isTradingDay,
  localDate,
  marketBasics,
  EXCHANGES,
  WORLD_MARKET_CODES,
  type MarketCode,
  type WorldMarketCode,
} from '../markets';
import type { IntradayInterval } from '../marketdata/provider';

export type { AnyJobName, JobName, JobSchedule } from '../config/scheduleOverrides';
export type { SessionMarketCode } from '../config/scheduleOverrides';
export { CATCHUP_JOB, JOB_NAMES, SESSION_MARKETS } from '../config/scheduleOverrides';
import { CATCHUP_JOB, type AnyJobName, type JobName, type JobSchedule, type SessionMarketCode } from '../config/scheduleOverrides';

/** The env switch of each job (SCHEDULER_ENABLED switches them all). */
type WorldJobName = `intraday:${WorldMarketCode}` | `daily:${WorldMarketCode}`;
type JobSwitch = 'JOB_INTRADAY_ENABLED' | 'JOB_DAILY_ENABLED' | 'JOB_QUOTES_ENABLED' | 'JOB_NEWS_ENABLED';
export const JOB_SWITCH: Record<AnyJobName, JobSwitch> = {
  ...(Object.fromEntries(
    WORLD_MARKET_CODES.flatMap((code) => [
      [`intraday:${code}`, 'JOB_INTRADAY_ENABLED'],
      [`daily:${code}`, 'JOB_DAILY_ENABLED'],
    ]),
  ) as Record<WorldJobName, JobSwitch>),
  'intraday:TSE': 'JOB_INTRADAY_ENABLED',
  'intraday:US': 'JOB_INTRADAY_ENABLED',
  'daily:TSE': 'JOB_DAILY_ENABLED',
  'daily:US': 'JOB_DAILY_ENABLED',
  'daily:FX': 'JOB_DAILY_ENABLED',
  'daily:other': 'JOB_DAILY_ENABLED',
  [CATCHUP_JOB]: 'JOB_DAILY_ENABLED',
  quotes: 'JOB_QUOTES_ENABLED',
  news: 'JOB_NEWS_ENABLED',
};

/** Which instruments a daily job refreshes: those on this session calendar; 'other' = sessions unknown. */
export type DailyGroup = MarketCode | 'other';

export function dailyGroupOf(job: JobName): DailyGroup | null {
  const m = /^daily:(.+)$/.exec(job);
  return m ? (m[1] as DailyGroup) : null;
}

export function intradayExchangeOf(job: JobName): SessionMarketCode | null {
  const m = /^intraday:(.+)$/.exec(job);
  return m ? (m[1] as SessionMarketCode) : null;
}

/** Whether a job is one of the per-market jobs of the world markets (run only while a tracked instrument is there). */
export function isWorldMarketJob(job: AnyJobName): boolean {
  const m = /^(?:intraday|daily):(.+)$/.exec(job);
  return m !== null && (WORLD_MARKET_CODES as readonly string[]).includes(m[1]);
}

const hhmm = (t: string) => t.split(':').map(Number) as [number, number];

/**
 * A world market's two schedules in its own zone, from its current session hours: intraday every
 * `every` minutes through the hours from the open to the close (the gate trims to the session), daily 30
 * minutes after the close, Monday to Friday (Saturday sessions, India's budget day, are not scheduled).
 */
function worldMarketSchedules(code: WorldMarketCode, every: string): [WorldJobName, JobSchedule][] {
  const { timeZone, hours } = marketBasics(code);
  const current = hours[hours.length - 1];
  const [openHour] = hhmm(current.open);
  const [closeHour, closeMinute] = hhmm(current.close);
  const dailyMinutes = closeHour * 60 + closeMinute + 30;
  return [
    [`intraday:${code}`, { cron: `0 ${every} ${openHour}-${closeHour} * * 1-5`, timeZone }],
    [`daily:${code}`, { cron: `0 ${dailyMinutes % 60} ${Math.floor(dailyMinutes / 60)} * * 1-5`, timeZone }],
  ];
}

/**
 * The cron schedules. Intraday: every `intervalMinutes` through the hours an exchange can trade (the gate
 * trims to the session: the open, the lunch break, the close, holidays). Daily: 30 minutes after the close
 * (Tokyo 15:30 -> 16:00 JST; New York 16:00 -> 16:30 ET, daylight saving included); Yahoo's FX day is the
 * London day, final after London midnight; markets whose sessions Aftershock does not know, 23:00 UTC.
 * Shares outstanding once a day; news four times a day.
 */
export function jobSchedules(intervalMinutes = 5): Record<JobName, JobSchedule> {
  if (!Number.isInteger(intervalMinutes) || intervalMinutes < 1 || intervalMinutes > 60)
    throw new RangeError(`intraday interval must be 1-60 minutes, got ${intervalMinutes}`);
  const every = intervalMinutes === 60 ? '0' : `*/${intervalMinutes}`;
  return {
    'intraday:TSE': { cron: `0 ${every} 9-15 * * 1-5`, timeZone: EXCHANGES.TSE.timeZone },
    'intraday:US': { cron: `0 ${every} 9-16 * * 1-5`, timeZone: EXCHANGES.US.timeZone },
    'daily:TSE': { cron: '0 0 16 * * 1-5', timeZone: EXCHANGES.TSE.timeZone },
    'daily:US': { cron: '0 30 16 * * 1-5', timeZone: EXCHANGES.US.timeZone },
    'daily:FX': { cron: '0 15 0 * * 2-6', timeZone: 'Europe/London' },
    'daily:other': { cron: '0 0 23 * * 1-5', timeZone: 'UTC' },
    quotes: { cron: '0 0 7 * * 1-5', timeZone: 'UTC' },
    news: { cron: '0 20 0,6,12,18 * * *', timeZone: 'UTC' },
    ...(Object.fromEntries(WORLD_MARKET_CODES.flatMap((code) => worldMarketSchedules(code, every))) as Record<WorldJobName, JobSchedule>),
  };
}

/** The schedules with the default intraday interval (5 minutes). */
export const SCHEDULES: Readonly<Record<JobName, JobSchedule>> = jobSchedules(5);

/** The Yahoo bar interval the intraday job fetches for a fetch cadence of `minutes`. */
export function intradayBarInterval(minutes: number): IntradayInterval {
  if (minutes < 15) return '5m';
  if (minutes < 60) return '15m';
  return '1h';
}

/**
 * Whether a fire of `job` at `slot` has work to do. Intraday: the exchange is in session at the slot or was
 * during the interval before it (the fire at the close, or at the start of the lunch break, fetches the last
 * bar). Daily for Tokyo and New York: the slot's local date is a trading day. Others: always.
 */
export function isDue(job: JobName, slot: Date, intervalMinutes = 5): boolean {
  const intraday = intradayExchangeOf(job);
  if (intraday) return isInSession(intraday, slot) || isInSession(intraday, new Date(slot.getTime() - intervalMinutes * 60_000));
  const group = dailyGroupOf(job);
  if (group === 'FX' || group === 'other' || group === null) return true;
  return isTradingDay(group, localDate(slot, marketBasics(group).timeZone));
}

interface CronFields {
  second: number[];
  minute: Set<number>;
  hour: Set<number>;
  dayOfMonth: Set<number>;
  month: Set<number>;
  dayOfWeek: Set<number>;
}

function cronFields(expression: string): CronFields {
  const f = parseCron(expression); // node-cron's own parser: the same reading of the expression as the scheduler
  const numbers = (values: (number | string)[], field: string): number[] =>
    values.map((v) => {
      if (typeof v !== 'number') throw new RangeError(`nextFireTimes does not support ${field} "${v}" in "${expression}"`);
      return v;
    });
  return {
    second: [...f.second].sort((a, b) => a - b),
    minute: new Set(f.minute),
    hour: new Set(f.hour),
    dayOfMonth: new Set(numbers(f.dayOfMonth, 'day of month')),
    month: new Set(f.month),
    dayOfWeek: new Set(numbers(f.dayOfWeek, 'day of week').map((d) => d % 7)),
  };
}

/** Whether the cron expression fires at the (whole-second) instant, read in the schedule's zone. */
export function cronMatches(schedule: JobSchedule, instant: Date): boolean {
  const f = cronFields(schedule.cron);
  const t = DateTime.fromJSDate(instant, { zone: schedule.timeZone });
  return (
    instant.getMilliseconds() === 0 &&
    f.second.includes(t.second) &&
    f.minute.has(t.minute) &&
    f.hour.has(t.hour) &&
    f.dayOfMonth.has(t.day) &&
    f.month.has(t.month) &&
    f.dayOfWeek.has(t.weekday % 7)
  );
}

export interface NextFireOptions {
  intervalMinutes?: number;
  /** a schedule other than the job's own (tests, overrides) */
  schedule?: JobSchedule;
  /** false: every cron fire, also those the gate finds nothing to do at (default true) */
  gated?: boolean;
}

const MINUTE = 60_000;
const SEARCH_LIMIT_MS = 400 * 86_400_000;

/**
 * The next `count` instants strictly after `from` at which `job` runs: cron fires of its schedule that its
 * gate finds due. Pure (the calendar is src/markets'). Searches at most about 400 days ahead.
 */
export function nextFireTimes(job: JobName, from: Date, count: number, opts: NextFireOptions = {}): Date[] {
  const intervalMinutes = opts.intervalMinutes ?? 5;
  const schedule = opts.schedule ?? jobSchedules(intervalMinutes)[job];
  const gated = opts.gated ?? true;
  const f = cronFields(schedule.cron);
  const out: Date[] = [];
  const limit = from.getTime() + SEARCH_LIMIT_MS;
  let minuteStart = Math.floor(from.getTime() / MINUTE) * MINUTE;
  while (out.length < count && minuteStart <= limit) {
    const t = DateTime.fromMillis(minuteStart, { zone: schedule.timeZone });
    if (!f.hour.has(t.hour) || !f.dayOfMonth.has(t.day) || !f.month.has(t.month) || !f.dayOfWeek.has(t.weekday % 7)) {
      // nothing this hour: jump to the next local hour boundary
      minuteStart += (60 - t.minute) * MINUTE;
      continue;
    }
    if (f.minute.has(t.minute)) {
      for (const s of f.second) {
        const at = minuteStart + s * 1000;
        if (at <= from.getTime()) continue;
        const instant = new Date(at);
        if (!gated || isDue(job, instant, intervalMinutes)) out.push(instant);
        if (out.length === count) break;
      }
    }
    minuteStart += MINUTE;
  }
  return out;
}
