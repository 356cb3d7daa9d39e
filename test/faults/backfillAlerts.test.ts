// #12 item 8: adding an instrument stores its history, and none of it is news. Only the exchange's latest closed
// session (or the one in progress) alerts, on the system clock: a backfill whose newest bar is a year and a half
// old emails nobody, while an instrument whose newest bar is the latest US session alerts about that session.
import request from 'supertest';
import { recentSessionDates } from '../../src/markets';
import { FakeYahoo } from '../support/fakeYahoo';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import { FAKE_US_META, madeUpBars } from '../scheduler/helpers';
import { ADMIN_TOKEN, createSmtp, startAlertApp, subscribeAndConfirm, type AlertApp, type TestSmtp } from '../alerts/alertTestSupport';
import { nextBar, pastBars } from './faultSupport';

quietLibraryUrlLogging();

let db: TestDatabase;
let fake: FakeYahoo;
let smtp: TestSmtp;
let app: AlertApp;

// a ticker last traded in the spring of 2025, its last session 15 % down; and one 15 % down in the latest session
const stale = madeUpBars('ZBOLD', 'US', '2025-03-03', 40);
const staleHistory = [...stale, nextBar(stale, -15)];
const live = pastBars('ZBNEW', 40);
const liveHistory = [...live, nextBar(live, -15)];

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await FakeYahoo.start();
  fake.addSymbol('ZBOLD', staleHistory, { ...FAKE_US_META, longName: 'ZBOLD (test ticker)', shortName: 'ZBOLD' });
  fake.addSymbol('ZBNEW', liveHistory, { ...FAKE_US_META, longName: 'ZBNEW (test ticker)', shortName: 'ZBNEW' });
  smtp = createSmtp();
  await smtp.listen();
  app = await startAlertApp(db, { SMTP_URL: smtp.url, YAHOO_BASE_URL: fake.baseUrl, BACKFILL_FROM: '2025-01-01' });
  await subscribeAndConfirm(app, smtp, { email: 'all@example.com', minMovePct: 5 }); // every instrument
});
afterAll(async () => {
  await app?.stop();
  await smtp?.close();
  await fake?.close();
  await db?.drop();
});

const addInstrument = (symbol: string) =>
  request(app.url).post('/api/instruments').set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ symbol });
const alerts = async () =>
  (await db.pool.query(`SELECT symbol, session_date AS "sessionDate", rule FROM alerts ORDER BY symbol, rule`)).rows;

test('a backfilled history whose last session is 2025 alerts nobody', async () => {
  const added = await addInstrument('ZBOLD');
  expect(added.status).toBe(201);
  expect(added.body.backfill).toMatchObject({ status: 'ok', rowsNew: staleHistory.length });
  await app.evaluateNow();
  expect(await alerts()).toEqual([]);
  expect(smtp.to('all@example.com')).toHaveLength(1); // the confirmation only
});

test('the latest US session of a new instrument is news: one alert about that session', async () => {
  const latest = liveHistory.at(-1)!.date;
  expect(recentSessionDates('US', new Date())).toContain(latest);
  const added = await addInstrument('ZBNEW');
  expect(added.status).toBe(201);
  await smtp.waitFor((s) => s.to('all@example.com').length === 2, 'the alert about the latest session');
  await app.evaluateNow();
  expect(await alerts()).toEqual([{ symbol: 'ZBNEW', sessionDate: latest, rule: 'close_move' }]);
  expect(smtp.to('all@example.com')[1].subject).toMatch(/^ZBNEW -15\.00%/);
});
