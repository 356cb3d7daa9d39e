// Issue 12, item 13: the bundled data is imported on the first start even when the CLI stored bars first
// (`aftershock instruments add AVGO`, then `npm start`): whether it ran is recorded, not guessed from "no bars".
// It runs once: a second start imports nothing, and run housekeeping keeps the record.
import type { RunningApp } from '../../src/app/server';
import { upsertDailyBars } from '../../src/bars/dailyBarStore';
import { saveInstrument } from '../../src/instruments/instrumentStore';
import { startIngestRun, finishIngestRun } from '../../src/ingest/ingestRuns';
import { pruneIngestRuns } from '../../src/ingest/ingestRuns';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

let db: TestDatabase;
let app: RunningApp | null = null;

beforeAll(async () => {
  db = await createTestDatabase({ empty: true });
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const count = async (sql: string) => Number((await db.pool.query(sql)).rows[0].n);

it('imports the bundled data after the CLI added an instrument, once', async () => {
  // what `aftershock instruments add AVGO` leaves behind: the instrument, its bars, a backfill run
  await saveInstrument(db.pool, {
    symbol: 'AVGO',
    name: 'Broadcom',
    exchange: 'US',
    currency: 'USD',
    timeZone: 'America/New_York',
    kind: 'equity',
    benchmarkSymbol: null,
  });
  const run = await startIngestRun(db.pool, { job: 'backfill', symbol: 'AVGO', interval: '1d' });
  const counts = await upsertDailyBars(
    db.pool,
    [{ symbol: 'AVGO', date: '2025-01-02', open: 230, high: 232, low: 228, close: 231, adjClose: 231, volume: 1_000_000 }],
    { source: 'yahoo' },
  );
  await finishIngestRun(db.pool, run, { status: 'ok', ...counts, attempts: 1 });

  app = await startTestApp(db, { IMPORT_BUNDLED_DATA: 'true' });
  await app.stop();
  app = null;
  expect(await count(`SELECT count(*) AS n FROM daily_bars WHERE symbol = 'NVDA'`)).toBeGreaterThan(100);
  expect(await count(`SELECT count(*) AS n FROM events WHERE slug = 'deepseek-r1-release'`)).toBe(1);
  expect(await count(`SELECT count(*) AS n FROM daily_bars WHERE symbol = 'AVGO'`)).toBe(1);

  // the record outlives run housekeeping, and a second start does not import again
  await db.pool.query(`UPDATE ingest_runs SET started_at = started_at - interval '400 days'`);
  await pruneIngestRuns(db.pool, 30);
  const importsBefore = await count(`SELECT count(*) AS n FROM ingest_runs WHERE job = 'import'`);
  expect(importsBefore).toBeGreaterThan(0);
  await db.pool.query(`DELETE FROM events WHERE slug = 'deepseek-r1-release'`);
  app = await startTestApp(db, { IMPORT_BUNDLED_DATA: 'true' });
  expect(await count(`SELECT count(*) AS n FROM ingest_runs WHERE job = 'import'`)).toBe(importsBefore);
  expect(await count(`SELECT count(*) AS n FROM events WHERE slug = 'deepseek-r1-release'`)).toBe(0);
});
