// Issue 12, item 2: nothing derived from a subscriber's address leaves without the admin token. A mail server
// that rejects the address with a 550 naming it (as real ones do) must not put it into the public
// GET /api/alerts (lastError), the outbox backlog, /metrics, /api/status, the CSV exports or the log.
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import type { ServiceFactory } from '../../src/context/appContext';
import { createLogger } from '../../src/logging/logger';
import { nextTradingDays } from '../../src/markets';
import { type OutboxSender, outboxSenderService } from '../../src/outbox/outboxSender';
import { subscriptionWantsEmails } from '../../src/subscriptions/subscriptionStore';
import { ADMIN_TOKEN, BASE_URL, alertTriggersOnBus, lastClose, storeBar, waitUntil } from '../alerts/alertTestSupport';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

const VICTIM = 'jane.victim@example.com';
const LOCAL_PART = 'jane.victim';
let db: TestDatabase;
let app: RunningApp;
let smtp: SMTPServer;
const triggers = alertTriggersOnBus();
let sender: OutboxSender | null = null;
let log = '';

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address === VICTIM) {
        callback(
          Object.assign(new Error(`5.1.1 <${VICTIM}>: Recipient address rejected: User unknown in virtual mailbox table (${LOCAL_PART})`), {
            responseCode: 550,
          }),
        );
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const port = (smtp.server.address() as AddressInfo).port;
  const services: ServiceFactory[] = [
    triggers.service,
    (ctx) => (sender = outboxSenderService(subscriptionWantsEmails)(ctx) as OutboxSender | null),
  ];
  const sink = new Writable({
    write(chunk, _enc, done) {
      log += chunk.toString();
      done();
    },
  });
  app = await startTestApp(
    db,
    {
      ADMIN_TOKEN,
      BASE_URL,
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      ALERT_COALESCE_MS: '300',
      ALERT_SWEEP_SECONDS: '3600',
      OUTBOX_RETRY_BASE_MS: '100',
      SUBSCRIBE_RATE_LIMIT: '1000',
    },
    services,
    { logger: createLogger('debug', sink) },
  );
});
afterAll(async () => {
  await app?.stop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  await db?.drop();
});

it('a 550 naming the address stays out of every public answer and the log', async () => {
  expect(
    (
      await request(app.url)
        .post('/api/subscriptions')
        .send({ email: VICTIM, symbols: ['NVDA'], minMovePct: 5 })
    ).status,
  ).toBe(202);
  // the confirmation fails for good (550); confirm the subscription by hand so an alert follows
  await waitUntil(
    async () => (await db.pool.query(`SELECT 1 FROM outbox_emails WHERE kind = 'confirmation' AND status = 'failed'`)).rowCount,
    'the confirmation to fail',
  );
  await db.pool.query('UPDATE subscriptions SET confirmed_at = now() WHERE email = $1', [VICTIM]);
  const { date, close } = await lastClose(db, 'NVDA');
  await storeBar(db, 'NVDA', nextTradingDays('US', date, 1)[0], close * 1.12);
  await triggers.evaluateNow();
  await waitUntil(
    async () => (await db.pool.query(`SELECT 1 FROM outbox_emails WHERE kind = 'alert' AND status = 'failed'`)).rowCount,
    'the alert email to fail',
  );
  await sender?.settled();

  const alerts = await request(app.url).get('/api/alerts');
  expect(alerts.status).toBe(200);
  expect(alerts.body.alerts.length).toBeGreaterThan(0);
  expect(alerts.body.alerts[0].delivery).toMatchObject({ status: 'failed' });
  expect(alerts.body.alerts[0].delivery.lastError).toMatch(/550|rejected/);
  const publicAnswers = [
    JSON.stringify(alerts.body),
    (await request(app.url).get('/api/alerts/outbox')).text,
    (await request(app.url).get('/api/status')).text,
    (await request(app.url).get('/metrics')).text,
    (await request(app.url).get('/api/export/events.csv')).text,
    (await request(app.url).get('/api/export/moves.csv')).text,
  ];
  for (const text of publicAnswers) {
    expect(text).not.toContain(VICTIM);
    expect(text).not.toContain(LOCAL_PART);
  }
  // the admin still sees whose email failed
  const admin = await request(app.url).get('/api/alerts').set('authorization', `Bearer ${ADMIN_TOKEN}`);
  expect(admin.body.alerts[0].email).toBe(VICTIM);
  // and the log, at every level, names no address
  expect(log).toContain('email failed for good');
  expect(log).not.toContain(VICTIM);
  expect(log).not.toContain(LOCAL_PART);
});
