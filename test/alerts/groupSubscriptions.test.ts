// Subscribing to a group (issue 15, item 1): the subscription follows the group's members as they are at each
// alert, over real HTTP and real SMTP: a member's move is emailed, a non-member's is not, a member added later is.
import request from 'supertest';
import { nextTradingDays } from '../../src/markets';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import {
  ADMIN_TOKEN,
  createSmtp,
  lastClose,
  linkIn,
  manageLinkIn,
  startAlertApp,
  storeBars,
  subscribeAndConfirm,
  type AlertApp,
  type TestSmtp,
  MOVES_KIND,
} from './alertTestSupport';

let db: TestDatabase;
let smtp: TestSmtp;
let app: AlertApp;
let sessions: string[];
const nextSession = () => sessions.shift()!;
const closeAfter = async (symbol: string, pct: number) => (await lastClose(db, symbol)).close * (1 + pct / 100);
const alertedSymbols = async (subscriptionId: number) =>
  (await db.pool.query('SELECT symbol FROM alerts WHERE subscription_id = $1 ORDER BY id', [subscriptionId])).rows.map((r) => r.symbol);
const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = createSmtp();
  await smtp.listen();
  app = await startAlertApp(db, { SMTP_URL: smtp.url });
  // the sessions the tests store become the newest of both instruments
  await db.pool.query(`DELETE FROM daily_bars WHERE symbol IN ('NVDA', 'SMH') AND date > '2025-01-27'`);
  sessions = nextTradingDays('US', '2025-01-27', 20);
  const created = await request(app.url)
    .post('/api/groups')
    .set(admin)
    .send({ slug: 'watch-list', title: 'Watch list', symbols: ['NVDA'] });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await app?.stop();
  await smtp?.close();
  await db?.drop();
});

it('an unknown group is a 404 not_found, a group with symbols a 400 invalid_parameter, each naming it', async () => {
  const unknown = await request(app.url).post('/api/subscriptions').send({ email: 'g@example.com', group: 'no-such-group' });
  expect(unknown.status).toBe(404);
  expect(unknown.body.error.code).toBe('not_found');
  expect(unknown.body.error.message).toBe('Unknown group: no-such-group');
  expect(unknown.body.error.details).toEqual([{ param: 'group', message: 'unknown group no-such-group' }]);
  const both = await request(app.url)
    .post('/api/subscriptions')
    .send({ email: 'g@example.com', group: 'watch-list', symbols: ['NVDA'] });
  expect(both.status).toBe(400);
  expect(both.body.error).toMatchObject({ code: 'invalid_parameter', details: [{ param: 'group' }] });
  const malformed = await request(app.url).post('/api/subscriptions').send({ email: 'g@example.com', group: 'Not A Slug' });
  expect(malformed.status).toBe(400);
  expect(malformed.body.error.message).toContain('group');
});

it("follows the group's members at the time of each move", async () => {
  const email = 'group-follower@example.com';
  const accepted = await request(app.url).post('/api/subscriptions').send({ email, group: 'watch-list', minMovePct: 5 });
  expect(accepted.status).toBe(202);
  expect(accepted.body.subscription).toEqual({
    symbols: [],
    group: 'watch-list',
    minMovePct: 5,
    minAbnormalZ: null,
    mode: 'instant',
    ...MOVES_KIND,
  });
  await smtp.waitFor((s) => s.to(email).length === 1, 'the confirmation email');
  const confirmation = smtp.to(email)[0];
  expect(confirmation.text).toContain('the instruments of the group watch-list: moves of 5% or more');
  const confirmed = await request(app.url).post(linkIn(confirmation.text, 'confirm'));
  expect(confirmed.body.subscription).toMatchObject({ status: 'active', symbols: [], group: 'watch-list' });
  const id: number = confirmed.body.subscription.id;

  // a member moves: one alert email, naming the group and carrying the manage link
  let date = nextSession();
  await storeBars(db, [{ symbol: 'NVDA', date, close: await closeAfter('NVDA', -9) }]);
  await smtp.waitFor((s) => s.to(email).length === 2, 'the alert for the member');
  const alert = smtp.to(email)[1];
  expect(alert.subject).toMatch(/^NVDA -9\.\d\d%/);
  expect(alert.text).toContain('alerts for the instruments of the group watch-list');
  expect(manageLinkIn(alert.text)).toMatch(/^\/subscriptions\/manage\?token=m\./);

  // a non-member moves: nothing
  date = nextSession();
  await storeBars(db, [{ symbol: 'SMH', date, close: await closeAfter('SMH', -11) }]);
  await app.evaluateNow();
  expect(await alertedSymbols(id)).toEqual(['NVDA']);
  expect(smtp.to(email)).toHaveLength(2);

  // SMH joins the group: its next move is emailed
  const added = await request(app.url)
    .patch('/api/groups/watch-list')
    .set(admin)
    .send({ add: ['SMH'] });
  expect(added.status).toBe(200);
  date = nextSession();
  await storeBars(db, [{ symbol: 'SMH', date, close: await closeAfter('SMH', 8) }]);
  await smtp.waitFor((s) => s.to(email).length === 3, 'the alert for the new member');
  expect(smtp.to(email)[2].subject).toMatch(/^SMH \+8\.\d\d%/);
  expect(await alertedSymbols(id)).toEqual(['NVDA', 'SMH']);

  // NVDA leaves the group: its move is not emailed any more
  expect(
    (
      await request(app.url)
        .patch('/api/groups/watch-list')
        .set(admin)
        .send({ remove: ['NVDA'] })
    ).status,
  ).toBe(200);
  date = nextSession();
  await storeBars(db, [{ symbol: 'NVDA', date, close: await closeAfter('NVDA', 12) }]);
  await app.evaluateNow();
  expect(await alertedSymbols(id)).toEqual(['NVDA', 'SMH']);

  const list = await request(app.url).get('/api/subscriptions').set(admin);
  expect(list.body.subscriptions.find((s: { id: number }) => s.id === id)).toMatchObject({ symbols: [], group: 'watch-list' });
});

it('a deleted group alerts nobody (it does not turn into "every instrument")', async () => {
  const email = 'deleted-group@example.com';
  expect(
    (
      await request(app.url)
        .post('/api/groups')
        .set(admin)
        .send({ slug: 'short-lived', title: 'Short-lived', symbols: ['NVDA', 'SMH'] })
    ).status,
  ).toBe(201);
  const id = await subscribeAndConfirm(app, smtp, { email, group: 'short-lived', minMovePct: 5 });
  expect((await request(app.url).delete('/api/groups/short-lived').set(admin)).status).toBe(204);
  const date = nextSession();
  await storeBars(db, [
    { symbol: 'NVDA', date, close: await closeAfter('NVDA', -10) },
    { symbol: 'SMH', date, close: await closeAfter('SMH', -10) },
  ]);
  await app.evaluateNow();
  expect(await alertedSymbols(id)).toEqual([]);
  expect(smtp.to(email)).toHaveLength(1);
});
