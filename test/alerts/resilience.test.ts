// Missed notifications: a bar stored while no alert service runs, and the LISTEN connections cut (as a
// database restart does). The periodic sweep is set to an hour here, so only the catch-up paths can deliver.
import { nextTradingDays } from '../../src/markets';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import {
  createSmtp,
  lastClose,
  startAlertApp,
  storeBar,
  subscribeAndConfirm,
  waitUntil,
  type AlertApp,
  type TestSmtp,
} from './alertTestSupport';

let db: TestDatabase;
let smtp: TestSmtp;
let app: AlertApp | null = null;
const sessions = nextTradingDays('US', '2025-03-31', 10);
const moveNvda = async (pct: number) => storeBar(db, 'NVDA', sessions.shift()!, (await lastClose(db, 'NVDA')).close * (1 + pct / 100));

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = createSmtp();
  await smtp.listen();
});
afterAll(async () => {
  await app?.stop();
  await smtp?.close();
  await db?.drop();
});

it('a bar stored while the app was down alerts when it starts', async () => {
  const email = 'was-down@example.com';
  app = await startAlertApp(db, { SMTP_URL: smtp.url });
  await subscribeAndConfirm(app, smtp, { email, symbols: ['NVDA'] });
  await app.stop();
  await moveNvda(-10); // nobody listens
  app = await startAlertApp(db, { SMTP_URL: smtp.url });
  await smtp.waitFor((s) => s.to(email).length === 2, 'the alert after the start');
  await app.evaluateNow();
  expect(smtp.to(email)).toHaveLength(2);
});

it('LISTEN connections cut by the database come back, and what was stored meanwhile alerts', async () => {
  const email = 'cut@example.com';
  await subscribeAndConfirm(app!, smtp, { email, symbols: ['NVDA'] });
  const terminate = async () =>
    (
      await db.pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`,
      )
    ).rowCount;
  expect(await terminate()).toBe(2); // the alert triggers' and the sender's
  await moveNvda(9); // probably while the triggers are reconnecting
  await smtp.waitFor((s) => s.to(email).length === 2, 'the alert after the reconnect');
  // both listen again
  await waitUntil(
    async () =>
      (await db.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`))
        .rows[0].n === 2,
    'both listeners back',
  );
  // and notifications flow again: the next move arrives through NOTIFY alone
  await moveNvda(-9);
  await smtp.waitFor((s) => s.to(email).length === 3, 'the alert through the restored LISTEN');
});
