// When the jobs run, as UTC instants: the pure nextFireTimes() (cron + session gate) for Tokyo and New York in
// January and July, and the real node-cron (under jest's fake clock) firing at exactly those instants.
import { scheduleCron } from '../../src/scheduler/cronTasks';
import { SCHEDULES, cronMatches, isDue, jobSchedules, nextFireTimes, type JobName } from '../../src/scheduler/schedules';

const utc = (s: string) => new Date(s);
const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
/** every fire of `job` on one UTC day */
const firesOn = (job: JobName, day: string, opts = {}) =>
  nextFireTimes(job, new Date(Date.parse(`${day}T00:00:00Z`) - 1), 500, opts).filter((d) => d.toISOString().startsWith(day));

describe('daily jobs: 30 minutes after the close, in UTC', () => {
  test.each([
    ['daily:TSE', '2025-01-15T00:00:00Z', ['2025-01-15T07:00:00.000Z', '2025-01-16T07:00:00.000Z']], // 16:00 JST, no DST in Japan
    ['daily:TSE', '2025-07-15T00:00:00Z', ['2025-07-15T07:00:00.000Z', '2025-07-16T07:00:00.000Z']],
    ['daily:US', '2025-01-15T00:00:00Z', ['2025-01-15T21:30:00.000Z', '2025-01-16T21:30:00.000Z']], // 16:30 EST = UTC-5
    ['daily:US', '2025-07-15T00:00:00Z', ['2025-07-15T20:30:00.000Z', '2025-07-16T20:30:00.000Z']], // 16:30 EDT = UTC-4
  ] as const)('%s from %s', (job, from, expected) => {
    expect(iso(nextFireTimes(job, utc(from), 2))).toEqual(expected);
  });

  test('New York across the switch to daylight saving time (Sunday 9 March 2025)', () => {
    expect(iso(nextFireTimes('daily:US', utc('2025-03-07T00:00:00Z'), 3))).toEqual([
      '2025-03-07T21:30:00.000Z',
      '2025-03-10T20:30:00.000Z',
      '2025-03-11T20:30:00.000Z',
    ]);
  });

  test('exchange holidays are skipped: Tokyo Coming of Age Day, New York Independence Day', () => {
    // Fri 10 Jan 2025 after the run -> Mon 13 is a Tokyo holiday -> Tue 14
    expect(iso(nextFireTimes('daily:TSE', utc('2025-01-10T08:00:00Z'), 1))).toEqual(['2025-01-14T07:00:00.000Z']);
    // Thu 3 Jul 2025 after the run -> Fri 4 Jul closed -> Mon 7
    expect(iso(nextFireTimes('daily:US', utc('2025-07-03T21:00:00Z'), 1))).toEqual(['2025-07-07T20:30:00.000Z']);
  });
});

describe('intraday jobs: every 5 minutes while the exchange is in session', () => {
  test.each([
    ['2025-01-15', '2025-01-15T14:30:00.000Z', '2025-01-15T21:00:00.000Z'], // 09:30-16:00 EST
    ['2025-07-15', '2025-07-15T13:30:00.000Z', '2025-07-15T20:00:00.000Z'], // 09:30-16:00 EDT
  ])('New York on %s: first fire at the open, last at the close', (day, first, last) => {
    const fires = firesOn('intraday:US', day);
    expect(fires[0].toISOString()).toBe(first);
    expect(fires[fires.length - 1].toISOString()).toBe(last);
    expect(fires.length).toBe(6.5 * 12 + 1); // 09:30, 09:35, ... 16:00
    expect(new Set(fires.map((d) => d.getTime() % 300_000))).toEqual(new Set([0]));
  });

  test.each(['2025-01-15', '2025-07-15'])('Tokyo on %s: 09:00-15:30 JST with nothing during the lunch break', (day) => {
    const fires = iso(firesOn('intraday:TSE', day));
    expect(fires[0]).toBe(`${day}T00:00:00.000Z`); // 09:00 JST
    expect(fires[fires.length - 1]).toBe(`${day}T06:30:00.000Z`); // 15:30 JST: fetches the last bar
    // 11:30 fetches the morning's last bar; then nothing until 12:30
    expect(fires).toContain(`${day}T02:30:00.000Z`);
    expect(fires.filter((f) => f > `${day}T02:30:00.000Z` && f < `${day}T03:30:00.000Z`)).toEqual([]);
    expect(fires).toContain(`${day}T03:30:00.000Z`);
    expect(fires.length).toBe(31 + 37); // 09:00..11:30 and 12:30..15:30
  });

  test('Tokyo before 5 Nov 2024 closed at 15:00', () => {
    const fires = iso(firesOn('intraday:TSE', '2024-07-16'));
    expect(fires[fires.length - 1]).toBe('2024-07-16T06:00:00.000Z');
  });

  test('no fires on weekends or holidays', () => {
    expect(firesOn('intraday:US', '2025-07-04')).toEqual([]); // Independence Day
    expect(firesOn('intraday:TSE', '2025-01-13')).toEqual([]); // Coming of Age Day
    expect(firesOn('intraday:US', '2025-07-12')).toEqual([]); // Saturday
  });

  test('the gate: in session, or in session during the interval before', () => {
    expect(isDue('intraday:TSE', utc('2025-01-15T02:30:00Z'))).toBe(true); // 11:30 JST: the 11:25 bar is done
    expect(isDue('intraday:TSE', utc('2025-01-15T03:00:00Z'))).toBe(false); // 12:00 JST: lunch
    expect(isDue('intraday:TSE', utc('2025-01-15T06:35:00Z'))).toBe(false); // 15:35 JST: closed
    expect(isDue('intraday:US', utc('2025-01-15T14:25:00Z'))).toBe(false); // 09:25 EST: not open yet
  });

  test('INTRADAY_INTERVAL_MINUTES sets the cadence', () => {
    expect(jobSchedules(15)['intraday:US'].cron).toBe('0 */15 9-16 * * 1-5');
    expect(firesOn('intraday:US', '2025-07-15', { intervalMinutes: 15 }).length).toBe(6.5 * 4 + 1);
  });
});

describe('news and shares outstanding', () => {
  test('news four times a day, shares once a weekday', () => {
    expect(iso(nextFireTimes('news', utc('2025-07-12T00:00:00Z'), 4))).toEqual([
      '2025-07-12T00:20:00.000Z',
      '2025-07-12T06:20:00.000Z',
      '2025-07-12T12:20:00.000Z',
      '2025-07-12T18:20:00.000Z',
    ]);
    expect(iso(nextFireTimes('quotes', utc('2025-07-11T08:00:00Z'), 1))).toEqual(['2025-07-14T07:00:00.000Z']);
  });

  test('cronMatches agrees with nextFireTimes', () => {
    for (const job of ['daily:US', 'intraday:TSE', 'news'] as const) {
      for (const t of nextFireTimes(job, utc('2025-07-15T00:00:00Z'), 5, { gated: false })) {
        expect(cronMatches(SCHEDULES[job], t)).toBe(true);
        expect(cronMatches(SCHEDULES[job], new Date(t.getTime() + 1000))).toBe(false);
      }
    }
  });
});

describe('the real node-cron under a fake clock', () => {
  let tasks: { destroy(): unknown }[] = [];
  beforeEach(() => {
    tasks = [];
  });
  afterEach(() => {
    for (const t of tasks) t.destroy();
    jest.useRealTimers();
  });

  const fake = (now: string) => jest.useFakeTimers({ now: new Date(now), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });

  test.each([
    ['daily:US', '2025-01-15T21:29:00Z', '2025-01-15T21:30:00.000Z'],
    ['daily:US', '2025-07-15T20:29:00Z', '2025-07-15T20:30:00.000Z'],
    ['daily:TSE', '2025-01-15T06:59:00Z', '2025-01-15T07:00:00.000Z'],
    ['daily:TSE', '2025-07-15T06:59:00Z', '2025-07-15T07:00:00.000Z'],
  ] as const)('%s fires at exactly the expected instant (clock at %s)', async (job, now, expected) => {
    fake(now);
    const fired: string[] = [];
    tasks.push(scheduleCron(`test-${job}`, SCHEDULES[job], (slot) => void fired.push(slot.toISOString())));
    await jest.advanceTimersByTimeAsync(59_000);
    expect(fired).toEqual([]);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(fired).toEqual([expected]);
    expect(nextFireTimes(job, new Date(now), 1).map((d) => d.toISOString())).toEqual(fired);
  });

  test.each([
    ['intraday:US', '2025-01-15'],
    ['intraday:TSE', '2025-07-15'],
  ] as const)('%s over a whole UTC day (%s): node-cron fires exactly where nextFireTimes says the cron matches', async (job, day) => {
    fake(new Date(Date.parse(`${day}T00:00:00Z`) - 1000).toISOString());
    const fired: string[] = [];
    tasks.push(scheduleCron(`test-${job}`, SCHEDULES[job], (slot) => void fired.push(slot.toISOString())));
    await jest.advanceTimersByTimeAsync(86_400_000);
    expect(fired.length).toBeGreaterThan(0);
    expect(fired).toEqual(iso(firesOn(job, day, { gated: false })));
  });
});
