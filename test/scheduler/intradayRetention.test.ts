// The retention of intraday bars (issue 22): unset (the default) every session's bars are kept; with
// INTRADAY_RETENTION_DAYS the housekeeping deletes the bars older than that, and only those.
import { upsertIntradayBars } from '../../src/bars/intradayBarStore';
import { loadConfig } from '../../src/config/config';
import { runHousekeepingService } from '../../src/scheduler/runHousekeeping';
import { waitUntil } from '../alerts/alertTestSupport';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

const DAY = 86_400_000;
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const bar = (symbol: string, ts: Date) => ({ symbol, interval: '5m', ts, open: 10, high: 10, low: 10, close: 10, volume: 1 });
const stored = async () =>
  (await db.pool.query(`SELECT symbol, ts FROM intraday_bars WHERE symbol LIKE 'ZZRET%' ORDER BY symbol, ts`)).rows.map(
    (r) => `${r.symbol} ${Math.round((Date.now() - r.ts.getTime()) / DAY)}d`,
  );

it('keeps every bar by default, and deletes only the bars older than INTRADAY_RETENTION_DAYS when set', async () => {
  const now = Date.now();
  await db.pool.query(
    `INSERT INTO instruments (symbol, name, exchange, currency, time_zone, kind) SELECT s, s, 'US', 'USD', 'America/New_York', 'equity' FROM unnest($1::text[]) s`,
    [['ZZRET1', 'ZZRET2']],
  );
  await upsertIntradayBars(
    db.pool,
    [
      bar('ZZRET1', new Date(now - 400 * DAY)),
      bar('ZZRET1', new Date(now - 31 * DAY)),
      bar('ZZRET2', new Date(now - 29 * DAY)),
      bar('ZZRET2', new Date(now - DAY)),
    ],
    { source: 'test' },
  );
  expect(loadConfig({}).INTRADAY_RETENTION_DAYS).toBeUndefined();

  // the default: housekeeping runs, nothing goes
  let app = await startTestApp(db, {}, [runHousekeepingService()]);
  await app.stop(); // stop() waits for the sweep that start() began
  expect(await stored()).toEqual(['ZZRET1 400d', 'ZZRET1 31d', 'ZZRET2 29d', 'ZZRET2 1d']);

  app = await startTestApp(db, { INTRADAY_RETENTION_DAYS: '30' }, [runHousekeepingService()]);
  await waitUntil(async () => (await stored()).length === 2, 'the old bars to be deleted');
  await app.stop();
  expect(await stored()).toEqual(['ZZRET2 29d', 'ZZRET2 1d']);
});

it('refuses a retention that is not a whole number of days', () => {
  expect(() => loadConfig({ INTRADAY_RETENTION_DAYS: '0' })).toThrow(/INTRADAY_RETENTION_DAYS/);
  expect(() => loadConfig({ INTRADAY_RETENTION_DAYS: 'a week' })).toThrow(/INTRADAY_RETENTION_DAYS/);
});
