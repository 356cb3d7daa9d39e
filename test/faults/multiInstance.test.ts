// More than one machine: three app processes (dist/main.js, as `npm start` runs it) against one database, with
// the scheduler on a fast test schedule (SCHEDULE_OVERRIDES) and an SMTP server on 127.0.0.1. Every slot of a
// job fires on every instance and runs on one; every alert is sent once.
import request from 'supertest';
import { type ConfigError, loadConfig } from '../../src/config/config';
import { FakeYahoo, type FakeBar } from '../support/fakeYahoo';
import { startAppProcess, type AppProcess } from '../support/appProcess';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { BASE_URL, createSmtp, subscribeAndConfirm, waitUntil, type TestSmtp } from '../alerts/alertTestSupport';
import { acceptedAlertEmails, fakeUsMeta, jsonLines, nextBar, pastBars, trackFakeUsInstruments } from './faultSupport';

const SYMBOLS = ['ZMIA', 'ZMIB', 'ZMIC'];
const bars = new Map<string, FakeBar[]>(SYMBOLS.map((s, i) => [s, pastBars(s, 40, 50 + 10 * i)]));
const NEWS_SYMBOLS = SYMBOLS; // all equities: the news job asks for each

let db: TestDatabase;
let fake: FakeYahoo;
let smtp: TestSmtp;
const apps: AppProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await FakeYahoo.start();
  await trackFakeUsInstruments(db.pool, fake, bars, { stored: true });
  for (const s of NEWS_SYMBOLS)
    fake.setNews(s, [
      {
        title: `Test story about ${s}`,
        link: `https://news.example.test/${s}`,
        publisher: 'Example Wire',
        publishedAt: new Date('2025-07-16T12:00:00Z'),
      },
    ]);
  smtp = createSmtp();
  await smtp.listen();
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.kill('SIGKILL')));
  await smtp?.close();
  await fake?.close();
  await db?.drop();
});

test('SCHEDULE_OVERRIDES is validated like every variable: a bad job or cron stops the app naming it', () => {
  expect(loadConfig({ SCHEDULE_OVERRIDES: 'daily:US=*/2 * * * * *; news=0 */5 * * * *' }).SCHEDULE_OVERRIDES).toEqual({
    'daily:US': { cron: '*/2 * * * * *', timeZone: 'UTC' },
    news: { cron: '0 */5 * * * *', timeZone: 'UTC' },
  });
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (e) {
      return (e as ConfigError).issues;
    }
    return [];
  };
  expect(problems({ SCHEDULE_OVERRIDES: 'daily:XX=*/2 * * * * *' })).toEqual([
    expect.stringMatching(/^SCHEDULE_OVERRIDES: unknown job "daily:XX"/),
  ]);
  expect(problems({ SCHEDULE_OVERRIDES: 'news=every minute' })).toEqual([
    expect.stringMatching(/^SCHEDULE_OVERRIDES: "every minute" for news is not a cron/),
  ]);
});

test('three instances on one database: each slot runs once, each alert is sent once', async () => {
  const env = {
    DATABASE_URL: db.url,
    YAHOO_BASE_URL: fake.baseUrl,
    SMTP_URL: smtp.url,
    BASE_URL,
    IMPORT_BUNDLED_DATA: 'false',
    LOG_LEVEL: 'debug', // 'slot already taken by another instance' is a debug line
    SCHEDULER_ENABLED: 'true',
    JOB_INTRADAY_ENABLED: 'false',
    JOB_QUOTES_ENABLED: 'false',
    SCHEDULE_OVERRIDES: 'daily:US=*/2 * * * * *;news=*/3 * * * * *',
    ALERT_COALESCE_MS: '200',
    ALERT_SWEEP_SECONDS: '3600', // alerts come through NOTIFY, not the safety-net sweep
    SUBSCRIBE_RATE_LIMIT: '1000',
  };
  apps.push(...(await Promise.all([0, 1, 2].map(() => startAppProcess(env)))));
  for (const a of apps) expect((await fetch(`${a.url}/readyz`)).status).toBe(200);

  // subscribers, each through another instance: A follows ZMIA, B follows ZMIA and ZMIB, C follows ZMIC
  const subs = {
    a: await subscribeAndConfirm(apps[0], smtp, { email: 'a@example.com', symbols: ['ZMIA'] }),
    b: await subscribeAndConfirm(apps[1], smtp, { email: 'b@example.com', symbols: ['ZMIA', 'ZMIB'] }),
    c: await subscribeAndConfirm(apps[2], smtp, { email: 'c@example.com', symbols: ['ZMIC'] }),
  };

  // the next session: ZMIA falls 12 %, ZMIB rises 1 % (under every threshold), ZMIC has no new bar
  const finishedRuns = async (job: string) =>
    Number((await db.pool.query(`SELECT count(*)::int AS n FROM job_runs WHERE job = $1 AND ended_at IS NOT NULL`, [job])).rows[0].n);
  const runsBefore = await finishedRuns('daily:US');
  fake.addSymbol('ZMIA', [...bars.get('ZMIA')!, nextBar(bars.get('ZMIA')!, -12)], fakeUsMeta('ZMIA'));
  fake.addSymbol('ZMIB', [...bars.get('ZMIB')!, nextBar(bars.get('ZMIB')!, 1)], fakeUsMeta('ZMIB'));

  await smtp.waitFor((s) => s.to('a@example.com').length === 2 && s.to('b@example.com').length === 2, 'the alert emails to A and B');
  // a few more slots of every job on every instance: nothing more may arrive
  await waitUntil(
    async () => (await finishedRuns('daily:US')) >= runsBefore + 4 && (await finishedRuns('news')) >= 3,
    'four more daily:US runs, and three news runs',
    30_000,
  );
  for (const a of apps) expect((await request(a.url).get('/readyz')).status).toBe(200);
  // /api/status tells the schedule in force
  const daily = (await request(apps[0].url).get('/api/status')).body.jobs.find((j: { job: string }) => j.job === 'daily:US');
  expect(daily).toMatchObject({ enabled: true, schedule: { cron: '*/2 * * * * *', timeZone: 'UTC' } });
  expect(new Date(daily.nextRun).getTime() % 2000).toBe(0);
  const instances = apps.slice();
  expect(await Promise.all(apps.splice(0).map((a) => a.kill('SIGTERM')))).toEqual([0, 0, 0]);

  // --- each slot ran once ----------------------------------------------------------------------------------
  const { rows: runs } = await db.pool.query(
    `SELECT job, slot, instance, status, detail FROM job_runs WHERE job IN ('daily:US', 'news', 'catchup') ORDER BY slot`,
  );
  for (const job of ['daily:US', 'news']) {
    const mine = runs.filter((r) => r.job === job);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(new Set(mine.map((r) => r.slot.getTime())).size).toBe(mine.length); // one row per slot
    expect(mine.every((r) => r.slot.getTime() % (job === 'news' ? 3000 : 2000) === 0)).toBe(true); // slots of the test schedule
  }
  // every instance fired the jobs: a fire whose slot another instance had claimed stood back, and that slot is
  // in job_runs under the other instance
  const claimedBy = new Map(runs.map((r) => [`${r.job}|${r.slot.toISOString()}`, r.instance as string]));
  for (const job of ['daily:US', 'news']) {
    let stoodBack = 0;
    for (const app of instances) {
      const taken = jsonLines(app.output()).filter((l) => l.msg === 'slot already taken by another instance' && l.job === job);
      const ran = runs.filter((r) => r.job === job && String(r.instance).includes(`-${app.proc.pid}-`));
      expect(taken.length + ran.length).toBeGreaterThan(0);
      for (const t of taken) {
        const owner = claimedBy.get(`${job}|${t.slot}`);
        expect(owner).toBeDefined();
        expect(owner).not.toContain(`-${app.proc.pid}-`);
      }
      stoodBack += taken.length;
    }
    expect(stoodBack).toBeGreaterThan(0);
  }

  // the market-data server saw one request per symbol per run, not one per instance: chart requests are the
  // daily runs' (and the catch-ups') symbols, searches the news runs'
  const symbolsFetched = (job: string) =>
    runs
      .filter((r) => r.job === job && (r.status === 'ok' || r.status === 'error'))
      .reduce((n, r) => n + JSON.parse(r.detail).ok + JSON.parse(r.detail).failed, 0);
  expect(fake.count('chart')).toBe(symbolsFetched('daily:US') + symbolsFetched('catchup'));
  expect(fake.count('search')).toBe(symbolsFetched('news'));
  // ... and every fetch is one recorded ingest run
  const { rows: ingest } = await db.pool.query(
    `SELECT job, count(*)::int AS n FROM ingest_runs WHERE job IN ('daily', 'news') GROUP BY job ORDER BY job`,
  );
  expect(ingest).toEqual([
    { job: 'daily', n: fake.count('chart') },
    { job: 'news', n: fake.count('search') },
  ]);

  // --- each alert once -----------------------------------------------------------------------------------
  const { rows: alerts } = await db.pool.query(
    `SELECT subscription_id AS "subscriptionId", symbol, rule FROM alerts ORDER BY subscription_id`,
  );
  expect(alerts).toEqual([
    { subscriptionId: subs.a, symbol: 'ZMIA', rule: 'close_move' },
    { subscriptionId: subs.b, symbol: 'ZMIA', rule: 'close_move' },
  ]);
  const { rows: outbox } = await db.pool.query(
    `SELECT subscription_id AS "subscriptionId", status FROM outbox_emails WHERE kind = 'alert' ORDER BY subscription_id`,
  );
  expect(outbox).toEqual([
    { subscriptionId: subs.a, status: 'sent' },
    { subscriptionId: subs.b, status: 'sent' },
  ]);
  const alertEmails = await acceptedAlertEmails(db.pool, smtp.accepted);
  expect(alertEmails.map((m) => m.to)).toEqual(expect.arrayContaining([['a@example.com'], ['b@example.com']]));
  expect(alertEmails).toHaveLength(2);
  expect(new Set(alertEmails.map((m) => m.messageId)).size).toBe(2); // no Message-ID twice
  expect(smtp.to('c@example.com')).toHaveLength(1); // the confirmation only
  expect(alertEmails[0].subject).toMatch(/^ZMIA -1[12]\.\d+%/); // about -12 %
});
