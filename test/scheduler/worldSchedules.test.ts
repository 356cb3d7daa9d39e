// The scheduler and staleness on every market of the registry: an intraday job in each session, a daily job
// 30 minutes after each close (gated by the market's holidays), staleness counted in that market's sessions.
import {
  JOB_NAMES,
  SESSION_MARKETS,
  isDue,
  isWorldMarketJob,
  jobSchedules,
  nextFireTimes,
  type JobName,
} from '../../src/scheduler/schedules';
import { parseScheduleOverrides } from '../../src/config/scheduleOverrides';
import { sessionsMissed, SESSION_GRACE_MS } from '../../src/status/staleness';
import { WORLD_MARKET_CODES, isInSession } from '../../src/markets';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const AFTER_NY_CLOSE = new Date('2025-01-27T22:00:00Z');

describe('per-market jobs', () => {
  test('every market with sessions has an intraday and a daily job; FX and unknown markets a daily one', () => {
    for (const code of SESSION_MARKETS) {
      expect(JOB_NAMES).toContain(`intraday:${code}`);
      expect(JOB_NAMES).toContain(`daily:${code}`);
    }
    expect(JOB_NAMES).toEqual(expect.arrayContaining(['daily:FX', 'daily:other', 'quotes', 'news']));
    expect(JOB_NAMES.slice(0, 8)).toEqual([
      'intraday:TSE',
      'intraday:US',
      'daily:TSE',
      'daily:US',
      'daily:FX',
      'daily:other',
      'quotes',
      'news',
    ]);
    expect(WORLD_MARKET_CODES.every((c) => isWorldMarketJob(`daily:${c}` as JobName))).toBe(true);
    expect(isWorldMarketJob('daily:US')).toBe(false);
  });

  test("the daily job after each close, on that market's trading days (Lunar New Year and all)", () => {
    // Paris 17:30 CET -> 18:00 = 17:00 UTC; Seoul shut 28-30 Jan -> 31 Jan 16:00 KST; Taipei until 3 Feb; Shanghai until 5 Feb
    expect(iso(nextFireTimes('daily:PAR', AFTER_NY_CLOSE, 2))).toEqual(['2025-01-28T17:00:00.000Z', '2025-01-29T17:00:00.000Z']);
    expect(iso(nextFireTimes('daily:KOSPI', AFTER_NY_CLOSE, 1))).toEqual(['2025-01-31T07:00:00.000Z']);
    expect(iso(nextFireTimes('daily:TWSE', AFTER_NY_CLOSE, 1))).toEqual(['2025-02-03T06:00:00.000Z']);
    expect(iso(nextFireTimes('daily:SSE', AFTER_NY_CLOSE, 1))).toEqual(['2025-02-05T07:30:00.000Z']);
    // Hong Kong: 16:00 close -> 16:30 HKT; 29-31 Jan closed
    expect(iso(nextFireTimes('daily:HKEX', AFTER_NY_CLOSE, 2))).toEqual(['2025-01-28T08:30:00.000Z', '2025-02-03T08:30:00.000Z']);
    // Sydney across its DST change (AEDT +11 until 6 Apr 2025, AEST +10 after): 16:30 local both times
    expect(iso(nextFireTimes('daily:ASX', new Date('2025-04-04T00:00:00Z'), 2))).toEqual([
      '2025-04-04T05:30:00.000Z',
      '2025-04-07T06:30:00.000Z',
    ]);
  });

  test("intraday fires only in session: Hong Kong's lunch break and its half day of 28 Jan 2025", () => {
    const fires = nextFireTimes('intraday:HKEX', new Date('2025-01-28T00:00:00Z'), 100).filter((d) => d < new Date('2025-01-29T00:00:00Z'));
    // 09:30-12:00 HKT on the half day, plus the fire at 12:00 that fetches the last bar
    expect(fires[0].toISOString()).toBe('2025-01-28T01:30:00.000Z');
    expect(fires.at(-1)!.toISOString()).toBe('2025-01-28T04:00:00.000Z');
    expect(fires.every((d) => isInSession('HKEX', d) || isInSession('HKEX', new Date(d.getTime() - 5 * 60_000)))).toBe(true);
    expect(isDue('intraday:HKEX', new Date('2025-01-27T04:30:00Z'))).toBe(false); // 12:30 HKT: lunch
    expect(isDue('intraday:PAR', new Date('2025-01-27T10:00:00Z'))).toBe(true);
    expect(isDue('daily:KOSPI', new Date('2025-01-29T07:00:00Z'))).toBe(false); // Seollal
  });

  test("every world market's schedule is a cron node-cron reads in the market's zone", () => {
    const schedules = jobSchedules(15);
    for (const code of WORLD_MARKET_CODES) {
      expect(schedules[`intraday:${code}`].cron).toMatch(/^0 \*\/15 \d+-\d+ \* \* 1-5$/);
      expect(nextFireTimes(`daily:${code}`, AFTER_NY_CLOSE, 1)).toHaveLength(1);
    }
  });

  test("SCHEDULE_OVERRIDES takes the world markets' job names too", () => {
    expect(parseScheduleOverrides('daily:PAR=*/2 * * * * *;intraday:KOSPI=0 * * * * *')).toEqual({
      schedules: { 'daily:PAR': { cron: '*/2 * * * * *', timeZone: 'UTC' }, 'intraday:KOSPI': { cron: '0 * * * * *', timeZone: 'UTC' } },
      errors: [],
    });
  });
});

describe('staleness in sessions on every market', () => {
  test('Seoul: the sessions after 24 Jan 2025 are only 31 Jan, once it is closed and past the grace', () => {
    expect(sessionsMissed('KOSPI', '2025-01-24', new Date('2025-01-30T12:00:00Z'), SESSION_GRACE_MS)).toBe(0);
    expect(sessionsMissed('KOSPI', '2025-01-24', new Date('2025-01-31T08:29:00Z'), SESSION_GRACE_MS)).toBe(0);
    expect(sessionsMissed('KOSPI', '2025-01-24', new Date('2025-01-31T08:30:00Z'), SESSION_GRACE_MS)).toBe(1);
  });

  test('Paris and Taipei after the same Friday', () => {
    // Paris traded 27, 28, 29 Jan; by 30 Jan 12:00 UTC three sessions closed without a final bar
    expect(sessionsMissed('PAR', '2025-01-24', new Date('2025-01-30T12:00:00Z'), SESSION_GRACE_MS)).toBe(3);
    // Taipei's last session before the holiday was 22 Jan; nothing reopens until 3 Feb
    expect(sessionsMissed('TWSE', '2025-01-22', new Date('2025-02-02T12:00:00Z'), SESSION_GRACE_MS)).toBe(0);
  });
});
