// Shock alerts (issue 23): a subscription follows the shocks of a group; one email per shock when the detector
// first records it, with its news, over the real app (bars bus, shock detector, outbox, sender) and a real SMTP
// server. Importing the bundled world listings (real data) stores the daily bars the group's shock of 27 Jan 2025
// is found in; the triggers' clock is the day after it, so that shock is news. Re-runs and a second app instance
// send it once; a shock of an old session (a scan of history, two months later) sends nothing.
import path from 'node:path';
import { importBundledData } from '../../src/bundled/bundledImport';
import { detectDailyShocks, shockGroup } from '../../src/shocks/shockDetection';
import { shockDetectionWithAlerts } from '../../src/triggers/shockAlerts';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { BASE_URL, type BusApp, createSmtp, startBusApp, subscribeAndConfirm, type TestSmtp } from './alertTestSupport';

const EMAIL = 'shock-watcher@example.com';
const LATE_EMAIL = 'late-watcher@example.com';
const APP_STORE_URL = 'https://www.techedt.com/deepseek-overtakes-chatgpt-as-the-no-1-app-on-the-app-store';

let db: TestDatabase;
let smtp: TestSmtp;
/** the detector's and the shock alerts' clock */
let clock = new Date('2025-01-28T12:00:00Z');

function startApp(): Promise<BusApp> {
  const now = () => clock;
  return startBusApp(db, smtp, shockDetectionWithAlerts({ detection: { debounceMs: 100, now }, now }));
}

const shockEmails = (to: string) => smtp.to(to).filter((m) => m.subject.startsWith('Shock:'));

beforeAll(async () => {
  db = await createTestDatabase(); // data/market: the group bundled-equities, 4 members (a shock needs 5)
  smtp = createSmtp();
  await smtp.listen();
});
afterAll(async () => {
  await smtp?.close();
  await db?.drop();
});

it('one email per shock when first detected, with its news; never twice', async () => {
  const app = await startApp();
  const second = await startApp();
  try {
    await subscribeAndConfirm(app, smtp, { email: EMAIL, kind: 'shocks', group: 'bundled-equities' });
    expect(smtp.to(EMAIL)[0].text).toContain('the group bundled-equities: each shock of the group, when first detected');

    // the world listings join the group and bring their bars: the detector finds 27 Jan 2025
    await importBundledData(db, path.resolve(__dirname, '../../data/global'));
    await smtp.waitFor(() => shockEmails(EMAIL).length === 1, 'the shock alert');
    const email = shockEmails(EMAIL)[0];
    expect(email.subject).toMatch(/^Shock: .+ down -\d+\.\d% · 2025-01-27/);
    expect(email.text).toMatch(/in the session of 2025-01-27: 4 of 7 members moved down, average abnormal return -\d+\.\d%, p < 0\.001/);
    expect(email.text).toContain(APP_STORE_URL);
    expect(email.text).toMatch(new RegExp(`${BASE_URL}/shocks/\\d+`));
    expect(email.text).toContain('Who moved first: TSE 2025-01-27 00:00 UTC');

    // more looks, by both instances: the same shock is not sent again
    await Promise.all([app.evaluateNow(), second.evaluateNow()]);
    await Promise.all([app.evaluateNow(), second.evaluateNow()]);
    expect(shockEmails(EMAIL)).toHaveLength(1);
    const { rows } = await db.pool.query(`SELECT dedupe_key FROM outbox_emails WHERE dedupe_key LIKE 'shock:%'`);
    expect(rows).toHaveLength(1);

    // a subscriber who comes a week later is not told of the shock detected before it confirmed
    clock = new Date('2025-02-04T12:00:00Z');
    await subscribeAndConfirm(app, smtp, { email: LATE_EMAIL, kind: 'shocks', group: 'bundled-equities' });
    await Promise.all([app.evaluateNow(), second.evaluateNow()]);
    expect(shockEmails(LATE_EMAIL)).toHaveLength(0);
    expect(shockEmails(EMAIL)).toHaveLength(1);
  } finally {
    await second.stop();
    await app.stop();
  }
});

it('a shock of an old session, recorded now (history stored late), alerts nobody', async () => {
  const old = await createTestDatabase();
  const previous = db;
  db = old;
  clock = new Date('2025-03-28T12:00:00Z');
  const app = await startApp();
  try {
    await subscribeAndConfirm(app, smtp, { email: 'history@example.com', kind: 'shocks', group: 'bundled-equities' });
    await importBundledData(db, path.resolve(__dirname, '../../data/global'));
    // a scan of the history records the 27 Jan shock (a new row, after the subscription was confirmed), as
    // `aftershock shocks scan` does ...
    const recorded = await detectDailyShocks(db.pool, await shockGroup(db.pool, 'bundled-equities'), '2025-01-01', '2025-01-31');
    expect(recorded.map((d) => [d.shock.date, d.outcome])).toEqual([['2025-01-27', 'inserted']]);
    await app.evaluateNow();
    // ... but it is two months old: no email
    expect(shockEmails('history@example.com')).toHaveLength(0);
  } finally {
    await app.stop();
    db = previous;
    await old.drop();
  }
});
