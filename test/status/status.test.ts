// When the market-data server cannot be reached: the app keeps serving what it has, /api/status says how stale
// it is and what failed, /metrics counts it, and the log gets one warning per failing run. Then it recovers.
import type { RunningApp } from '../../src/app/server';
import type { ServiceFactory } from '../../src/context/appContext';
import { YahooProvider } from '../../src/marketdata/yahooProvider';
import { createScheduler, type Scheduler } from '../../src/scheduler/schedulerService';
import { sessionsMissed, SESSION_GRACE_MS } from '../../src/status/staleness';
import { FakeYahoo } from '../support/fakeYahoo';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import { captureLogger, eventually, type CapturedLog } from '../scheduler/helpers';

quietLibraryUrlLogging();

const BUNDLED = ['NVDA', '6857.T', '8035.T', '9984.T', '^GSPC', '^IXIC', '^N225', 'SMH', 'JPY=X'];
const ATTEMPTS = 2;

let db: TestDatabase;
let fake: FakeYahoo;
let app: RunningApp;
let scheduler: Scheduler;
let log: CapturedLog;

const get = async (path: string) => {
  const res = await fetch(`${app.url}${path}`);
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? ((await res.json()) as any) : await res.text() };
};

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await FakeYahoo.start();
  for (const s of BUNDLED) fake.addBundled(s);
  // every attempt of the catch-up on start gets a 503, and nothing after that
  fake.fail('chart', '*', ...Array.from({ length: BUNDLED.length * ATTEMPTS }, () => ({ status: 503 })));
  log = captureLogger();
  const factory: ServiceFactory = (ctx) => (scheduler = createScheduler(ctx, { jobs: [], catchUpOnStart: true }));
  app = await startTestApp(db, { SCHEDULER_ENABLED: 'true' }, [factory], {
    logger: log.logger,
    provider: (onEvent) =>
      new YahooProvider({ baseUrl: fake.baseUrl, timeoutMs: 2000, retry: { attempts: ATTEMPTS, baseMs: 5, capMs: 20 }, onEvent }),
  });
});
afterAll(async () => {
  await app?.stop();
  await fake?.close();
  await db?.drop();
});

test('while the server answers 503: the app serves its data, and /api/status shows the errors and the staleness', async () => {
  const status = await eventually(
    async () => {
      const s = (await get('/api/status')).body;
      return s.jobs.find((j: any) => j.job === 'catchup')?.lastRun?.status === 'error' ? s : undefined;
    },
    30_000,
    'the catch-up run to fail',
  );

  // still serving
  expect((await get('/healthz')).status).toBe(200);
  const bars = await get('/api/instruments/NVDA/bars?from=2025-01-24&to=2025-01-27');
  expect(bars.body.bars.map((b: any) => b.close)).toEqual([142.62, 118.42]);

  const catchup = status.jobs.find((j: any) => j.job === 'catchup');
  expect(catchup.lastRun.detail).toMatchObject({ symbols: BUNDLED.length, ok: 0, failed: BUNDLED.length });
  expect(catchup.lastSuccessfulRun).toBeNull();

  const nvda = status.instruments.find((i: any) => i.symbol === 'NVDA');
  expect(nvda).toMatchObject({ sessions: 'US', lastBarDate: '2025-03-31', lastSuccessfulFetch: null });
  expect(nvda.lastError).toMatchObject({ job: 'daily', current: true, error: expect.stringMatching(/HTTP 503/) });
  expect(nvda.staleness.sessionsMissed).toBeGreaterThan(0);
  expect(nvda.staleness.sessionsMissed).toBe(sessionsMissed('US', '2025-03-31', new Date(status.now), SESSION_GRACE_MS));
  for (const symbol of BUNDLED) expect(status.instruments.find((i: any) => i.symbol === symbol).lastError.current).toBe(true);

  // one warning for the failing run: not one per symbol or per attempt
  const warnings = log.warnings();
  expect(warnings).toHaveLength(1);
  expect(warnings[0].msg).toMatch(new RegExp(`catchup: ${BUNDLED.length} of ${BUNDLED.length} symbols failed .*unreachable`));
  expect(fake.count('chart')).toBe(BUNDLED.length * ATTEMPTS);

  const metrics = (await get('/metrics')).body as string;
  expect(metrics).toContain(`aftershock_marketdata_requests_total{provider="yahoo",op="dailyBars",outcome="error"} ${BUNDLED.length}`);
  expect(metrics).toContain(
    `aftershock_marketdata_requests_total{provider="yahoo",op="dailyBars",outcome="retry"} ${BUNDLED.length * (ATTEMPTS - 1)}`,
  );
  expect(metrics).toContain('aftershock_job_runs_total{job="catchup",status="error"} 1');
  expect(metrics).toContain(`aftershock_data_staleness_sessions{symbol="NVDA"} ${nvda.staleness.sessionsMissed}`);
  expect(metrics).toMatch(/aftershock_marketdata_request_duration_seconds_count\{provider="yahoo",op="dailyBars"\} 18/);
});

test('when the server is back, the next run succeeds and the errors are no longer current', async () => {
  const r = await scheduler.runSlot('catchup', new Date(Math.floor(Date.now() / 1000) * 1000 + 1000));
  expect(r.status).toBe('ok');
  const status = (await get('/api/status')).body;
  const nvda = status.instruments.find((i: any) => i.symbol === 'NVDA');
  expect(nvda.lastError.current).toBe(false);
  expect(nvda.lastSuccessfulFetch).not.toBeNull();
  expect(nvda.staleness.hoursSinceLastFetch).toBeLessThan(1);
  const metrics = (await get('/metrics')).body as string;
  expect(metrics).toMatch(/aftershock_data_staleness_hours\{symbol="NVDA"\} \d/);
  expect(metrics).toContain('aftershock_ingest_rows_total');
});
