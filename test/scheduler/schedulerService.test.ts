// The scheduler as an app service: env switches, one node-cron task per enabled job, all destroyed on stop.
import { getTasks } from 'node-cron';
import { loadConfig } from '../../src/config/config';
import type { RunningApp } from '../../src/app/server';
import type { ServiceFactory } from '../../src/context/appContext';
import { createScheduler, enabledJobs, schedulerService, type Scheduler } from '../../src/scheduler/schedulerService';
import { JOB_NAMES } from '../../src/scheduler/schedules';
import { WORLD_MARKET_CODES } from '../../src/markets';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

const config = (env: Record<string, string>) => loadConfig({ ...env });

test('env switches: the master switch and one per job', () => {
  expect(enabledJobs(config({}))).toEqual(JOB_NAMES);
  expect(enabledJobs(config({ SCHEDULER_ENABLED: 'false' }))).toEqual([]);
  // the world markets' jobs follow the same switches: daily:PAR with JOB_DAILY_ENABLED, intraday:PAR with JOB_INTRADAY_ENABLED
  const world = (kind: string) => WORLD_MARKET_CODES.map((c) => `${kind}:${c}`);
  expect(enabledJobs(config({ JOB_INTRADAY_ENABLED: 'false', JOB_NEWS_ENABLED: '0' }))).toEqual([
    'daily:TSE',
    'daily:US',
    'daily:FX',
    'daily:other',
    'quotes',
    ...world('daily'),
  ]);
  expect(enabledJobs(config({ JOB_DAILY_ENABLED: 'off', JOB_QUOTES_ENABLED: 'no' }))).toEqual([
    'intraday:TSE',
    'intraday:US',
    'news',
    ...world('intraday'),
  ]);
});

describe('in the app', () => {
  let db: TestDatabase;
  let app: RunningApp | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });
  afterAll(async () => db?.drop());

  test('no service at all when SCHEDULER_ENABLED is off', async () => {
    const before = getTasks().size;
    let made: unknown = 'not called';
    const factory: ServiceFactory = (ctx) => (made = schedulerService()(ctx));
    app = await startTestApp(db, { SCHEDULER_ENABLED: 'false' }, [factory]);
    expect(made).toBeNull();
    expect(getTasks().size).toBe(before);
  });

  test('one cron task per enabled job, every one destroyed on stop (and the catch-up switched off with the daily job)', async () => {
    const before = getTasks().size;
    let scheduler: Scheduler | undefined;
    const factory: ServiceFactory = (ctx) => (scheduler = createScheduler(ctx));
    app = await startTestApp(db, { SCHEDULER_ENABLED: 'true', JOB_DAILY_ENABLED: 'false', JOB_NEWS_ENABLED: 'false' }, [factory]);
    const worldIntraday = WORLD_MARKET_CODES.map((c) => `intraday:${c}`);
    expect(scheduler!.jobs).toEqual(['intraday:TSE', 'intraday:US', 'quotes', ...worldIntraday]);
    expect(getTasks().size).toBe(before + 3 + worldIntraday.length);
    await app.stop();
    app = undefined;
    expect(getTasks().size).toBe(before);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM job_runs WHERE job = 'catchup'`);
    expect(rows[0].n).toBe(0);
  });
});
