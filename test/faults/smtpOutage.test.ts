// SMTP faults. Down for a while, then up: bars arrive through the real ingest path (FakeYahoo -> the app's provider ->
// backfill -> NOTIFY -> alert triggers) while no SMTP server listens; the outbox keeps retrying, the app keeps
// serving, and when a server listens again on the same port every email (alerts, and a confirmation asked for
// during the outage) is delivered exactly once. And a transaction that hangs does not hold up the next email.
import request from 'supertest';
import { enqueueEmail } from '../../src/outbox/outboxStore';
import { freePort } from '../../src/db/embeddedPostgres';
import { backfillSymbols } from '../../src/ingest/backfill';
import { ingestDepsOf } from '../../src/ingest/fetchAndStore';
import { FakeYahoo, type FakeBar } from '../support/fakeYahoo';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import {
  createSmtp,
  linkIn,
  startAlertApp,
  subscribeAndConfirm,
  waitUntil,
  type AlertApp,
  type TestSmtp,
} from '../alerts/alertTestSupport';
import { acceptedAlertEmails, fakeUsMeta, nextBar, pastBars, sleep, trackFakeUsInstruments } from './faultSupport';

quietLibraryUrlLogging();

const SYMBOLS = ['ZSOA', 'ZSOB', 'ZSOC'];
const bars = new Map<string, FakeBar[]>(SYMBOLS.map((s, i) => [s, pastBars(s, 40, 70 + 10 * i)]));
// the next session: ZSOA -12 %, ZSOB +9 %, ZSOC +0.5 %
const next = new Map<string, FakeBar>([
  ['ZSOA', nextBar(bars.get('ZSOA')!, -12)],
  ['ZSOB', nextBar(bars.get('ZSOB')!, 9)],
  ['ZSOC', nextBar(bars.get('ZSOC')!, 0.5)],
]);

let db: TestDatabase;
let fake: FakeYahoo;
let smtp: TestSmtp;
let app: AlertApp;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await FakeYahoo.start();
  await trackFakeUsInstruments(db.pool, fake, bars, { stored: true });
  smtp = createSmtp();
  await smtp.listen(await freePort());
  app = await startAlertApp(db, { SMTP_URL: smtp.url, YAHOO_BASE_URL: fake.baseUrl, OUTBOX_RETRY_BASE_MS: '100' });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.close();
  await fake?.close();
  await db?.drop();
});

const outboxRows = async () =>
  (
    await db.pool.query(
      `SELECT kind, to_address AS "to", status, attempts, message_id AS "messageId", last_error AS "lastError" FROM outbox_emails ORDER BY id`,
    )
  ).rows;

test('SMTP down while alerts are raised: every email is delivered exactly once when it is back', async () => {
  const subs = {
    a: await subscribeAndConfirm(app, smtp, { email: 'a@example.com', symbols: ['ZSOA'] }),
    b: await subscribeAndConfirm(app, smtp, { email: 'b@example.com', symbols: ['ZSOB'] }),
    quiet: await subscribeAndConfirm(app, smtp, { email: 'quiet@example.com', minMovePct: 20 }), // every symbol, no move that large
    c: await subscribeAndConfirm(app, smtp, { email: 'c@example.com', symbols: ['ZSOC'] }),
  };
  const acceptedBefore = smtp.accepted.length;

  await smtp.close(); // the port is closed: connections are refused
  // the next session comes in through the app's own provider and the backfill path
  for (const [s, bar] of next) fake.addSymbol(s, [...bars.get(s)!, bar], fakeUsMeta(s));
  const summary = await backfillSymbols(ingestDepsOf(app.ctx), { symbols: SYMBOLS, from: bars.get('ZSOA')!.at(-1)!.date, interval: '1d' });
  expect(summary).toMatchObject({ ok: 3, failed: 0, rowsNew: 3 });
  // someone subscribes meanwhile: the confirmation waits in the outbox too
  expect(
    (
      await request(app.url)
        .post('/api/subscriptions')
        .send({ email: 'late@example.com', symbols: ['ZSOA'] })
    ).status,
  ).toBe(202);

  // every email fails a few times, and the app keeps serving
  const failing = await waitUntil(async () => {
    const rows = (await outboxRows()).filter((r) => r.status !== 'sent');
    return rows.length === 3 && rows.every((r) => r.attempts >= 3 && r.status === 'pending') ? rows : null;
  }, 'three failed attempts of each waiting email');
  expect(failing.map((r) => [r.kind, r.to]).sort()).toEqual([
    ['alert', 'a@example.com'],
    ['alert', 'b@example.com'],
    ['confirmation', 'late@example.com'],
  ]);
  for (const r of failing) expect(r.lastError).toMatch(/ECONNREFUSED|connect/i);
  expect(smtp.accepted.length).toBe(acceptedBefore);
  expect((await request(app.url).get('/readyz')).status).toBe(200);
  // three waiting emails: pending, or 'sending' while the sender is in one of its (failing) attempts
  const outbox = (await request(app.url).get('/api/alerts/outbox')).body;
  expect(outbox).toMatchObject({ email: 'on', failed: 0 });
  expect(outbox.pending + outbox.sending).toBe(3);
  await sleep(1000); // down a while longer

  await smtp.listen(smtp.port);
  await smtp.waitFor((s) => s.accepted.length === acceptedBefore + 3, 'the three waiting emails');
  await app.evaluateNow();
  await sleep(500); // a duplicate, if any, would come now

  // exactly once: one email per alert and per confirmation, each Message-ID once
  const rows = await outboxRows();
  expect(rows.every((r) => r.status === 'sent')).toBe(true);
  expect(smtp.accepted.map((m) => m.messageId).sort()).toEqual(rows.map((r) => r.messageId).sort());
  const alertEmails = await acceptedAlertEmails(db.pool, smtp.accepted);
  expect(alertEmails.map((m) => m.to[0]).sort()).toEqual(['a@example.com', 'b@example.com']);
  expect(smtp.to('late@example.com')).toHaveLength(1);
  expect(smtp.to('quiet@example.com')).toHaveLength(1); // its confirmation
  expect(smtp.to('c@example.com')).toHaveLength(1);

  const { rows: alerts } = await db.pool.query(
    `SELECT subscription_id AS "subscriptionId", symbol, session_date AS date, rule FROM alerts ORDER BY subscription_id`,
  );
  expect(alerts).toEqual([
    { subscriptionId: subs.a, symbol: 'ZSOA', date: next.get('ZSOA')!.date, rule: 'close_move' },
    { subscriptionId: subs.b, symbol: 'ZSOB', date: next.get('ZSOB')!.date, rule: 'close_move' },
  ]);
  const metrics = (await request(app.url).get('/metrics')).text;
  expect(metrics).toMatch(/aftershock_emails_total\{kind="alert",outcome="sent"\} 2\n/);
  expect(metrics).toMatch(/aftershock_emails_total\{kind="alert",outcome="retried"\} ([6-9]|\d\d+)\n/);

  // the late subscriber can confirm with the link it got
  expect((await request(app.url).post(linkIn(smtp.to('late@example.com')[0].text, 'confirm'))).status).toBe(200);
  expect((await request(app.url).get('/readyz')).status).toBe(200);
});

test('an SMTP transaction that hangs does not hold up an email queued after it', async () => {
  smtp.stallFor = 'slow@example.com'; // takes the message data and never answers
  const enqueue = (to: string) =>
    enqueueEmail(db.pool, {
      dedupeKey: `test:hang:${to}`,
      kind: 'confirmation',
      subscriptionId: null,
      to,
      subject: `to ${to}`,
      text: 'text',
      html: '<p>html</p>',
      headers: {},
    });
  const slow = await enqueue('slow@example.com');
  await smtp.waitFor((s) => s.dataStarted.includes('slow@example.com'), 'the hanging transaction');
  await sleep(200); // the sender's other worker has found nothing to claim and ended
  await enqueue('next@example.com');
  await smtp.waitFor((s) => s.to('next@example.com').length === 1, 'the email queued after the hanging one');
  // ... while the first is still in its transaction
  const { rows } = await db.pool.query(`SELECT status, attempts FROM outbox_emails WHERE id = $1`, [slow]);
  expect(rows[0]).toEqual({ status: 'sending', attempts: 1 });
  expect(smtp.to('slow@example.com')).toEqual([]);
  // the server goes away, cutting the hanging transaction: the sender has nothing in hand and can stop at once
  await smtp.close();
  await app.sender!.settled();
  expect((await db.pool.query(`SELECT status FROM outbox_emails WHERE id = $1`, [slow])).rows[0].status).toBe('pending');
});
