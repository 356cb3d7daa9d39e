// Two app instances on one database, both with the scheduler on and a fast test schedule: every slot of the
// job runs once (one job_runs row, one round of requests to the market-data server), not once per instance.
import type { RunningApp } from '../../src/app/server';
import type { ServiceFactory } from '../../src/context/appContext';
import { createScheduler } from '../../src/scheduler/schedulerService';
import { FakeYahoo } from '../support/fakeYahoo';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import { eventually, FAST_RETRY } from './helpers';
import { YahooProvider } from '../../src/marketdata/yahooProvider';

quietLibraryUrlLogging();

let db: TestDatabase;
let fake: FakeYahoo;
const apps: RunningApp[] = [];
const NEWS_SYMBOLS = ['NVDA', 'SMH'];

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`UPDATE instruments SET tracked = (symbol = ANY($1))`, [NEWS_SYMBOLS]);
  fake = await FakeYahoo.start();
  for (const s of NEWS_SYMBOLS) {
    fake.addBundled(s);
    // made-up headlines; one story is found under both symbols
    fake.setNews(s, [
      {
        title: `Test story about ${s}`,
        link: `https://news.example.test/${s}`,
        publisher: 'Example Wire',
        publishedAt: new Date('2025-07-16T12:00:00Z'),
      },
      {
        title: 'Test story about both',
        link: 'https://news.example.test/both',
        publisher: 'Example Wire',
        publishedAt: new Date('2025-07-16T13:00:00Z'),
      },
    ]);
  }
});
afterAll(async () => {
  for (const a of apps) await a.stop();
  await fake?.close();
  await db?.drop();
});

test('each slot of a job runs on one instance only', async () => {
  const scheduler: ServiceFactory = (ctx) => {
    return createScheduler(ctx, { jobs: ['news'], schedules: { news: { cron: '*/2 * * * * *', timeZone: 'UTC' } }, catchUpOnStart: false });
  };
  for (let i = 0; i < 2; i++) {
    apps.push(
      await startTestApp(db, { SCHEDULER_ENABLED: 'true' }, [scheduler], {
        provider: (onEvent) => new YahooProvider({ baseUrl: fake.baseUrl, timeoutMs: 2000, retry: FAST_RETRY, onEvent }),
      }),
    );
  }
  const ran = async () =>
    Number((await db.pool.query(`SELECT count(*)::int AS n FROM job_runs WHERE job = 'news' AND status IN ('ok', 'error')`)).rows[0].n);
  await eventually(async () => ((await ran()) >= 4 ? true : undefined), 60_000, 'four news slots');
  const instances = apps.map((a) => a.ctx.instanceId);
  for (const a of apps.splice(0)) await a.stop();

  const { rows } = await db.pool.query(`SELECT slot, instance, status FROM job_runs WHERE job = 'news' ORDER BY slot`);
  // one row per slot (the unique key), each slot an even second of the test schedule
  expect(new Set(rows.map((r) => r.slot.getTime())).size).toBe(rows.length);
  expect(rows.every((r) => r.slot.getTime() % 2000 === 0)).toBe(true);
  for (const r of rows) {
    expect(['ok', 'error', 'skipped']).toContain(r.status);
    expect(instances).toContain(r.instance);
  }

  // the server saw one search per symbol per slot that ran: not one per instance
  const runs = rows.filter((r) => r.status === 'ok' || r.status === 'error').length;
  expect(runs).toBeGreaterThanOrEqual(4);
  expect(fake.count('search')).toBe(runs * NEWS_SYMBOLS.length);
  for (const s of NEWS_SYMBOLS) expect(fake.count('search', s)).toBe(runs);

  // and the news is stored once per URL
  const news = await db.pool.query(`SELECT url, symbols FROM news_items WHERE source = 'yahoo' ORDER BY url`);
  expect(news.rows).toEqual([
    { url: 'https://news.example.test/NVDA', symbols: ['NVDA'] },
    { url: 'https://news.example.test/SMH', symbols: ['SMH'] },
    { url: 'https://news.example.test/both', symbols: ['NVDA', 'SMH'] },
  ]);
});
