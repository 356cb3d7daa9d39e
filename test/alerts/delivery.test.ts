// Delivery under failure: SMTP down then up, a permanent rejection, a sender killed in the middle of the SMTP
// transaction (a real process, SIGKILL), a lease left behind by a dead sender, two app instances on one
// database, and no SMTP at all.
import { spawn } from 'node:child_process';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { enqueueEmail } from '../../src/outbox/outboxStore';
import { outboxSenderService } from '../../src/outbox/outboxSender';
import { subscriptionWantsEmails } from '../../src/subscriptions/subscriptionStore';
import { alertTriggers } from '../../src/triggers/alertTriggerService';
import { barEventsService } from '../../src/bars/barEventsBus';
import { startApp } from '../../src/app/server';
import { loadConfig } from '../../src/config/config';
import { freePort } from '../../src/db/embeddedPostgres';
import { nextTradingDays, recentSessionDates } from '../../src/markets';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import {
  BASE_URL,
  alertClock,
  createSmtp,
  lastClose,
  linkIn,
  startAlertApp,
  storeBar,
  subscribeAndConfirm,
  subscriptionIdOf,
  waitUntil,
  type AlertApp,
  type TestSmtp,
} from './alertTestSupport';

let db: TestDatabase;
const apps: { stop(): Promise<void> }[] = [];
const smtps: TestSmtp[] = [];
const sessions = nextTradingDays('US', '2025-03-31', 40);
async function moveNvda(pct: number): Promise<string> {
  const date = sessions.shift()!;
  await storeBar(db, 'NVDA', date, (await lastClose(db, 'NVDA')).close * (1 + pct / 100));
  return date;
}
async function smtpServer(port = 0): Promise<TestSmtp> {
  const smtp = createSmtp();
  await smtp.listen(port);
  smtps.push(smtp);
  return smtp;
}
async function alertApp(env: Record<string, string>): Promise<AlertApp> {
  const app = await startAlertApp(db, env);
  apps.push(app);
  return app;
}
const alertEmailOf = async (subscriptionId: number) =>
  (
    await db.pool.query(
      `SELECT id, status, attempts, last_error AS "lastError", message_id AS "messageId", locked_by AS "lockedBy" FROM outbox_emails WHERE subscription_id = $1 AND kind = 'alert'`,
      [subscriptionId],
    )
  ).rows;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
  for (const smtp of smtps.splice(0)) await smtp.close();
});
afterAll(async () => db?.drop());

it('SMTP down, then up: the alert is delivered once', async () => {
  const port = await freePort();
  const smtp = await smtpServer(port);
  const app = await alertApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
  const email = 'outage@example.com';
  const id = await subscribeAndConfirm(app, smtp, { email, symbols: ['NVDA'] });
  await smtp.close(); // nothing listens on the port now

  await moveNvda(-10);
  const retried = await waitUntil(
    async () => (await alertEmailOf(id)).find((e) => e.attempts >= 2 && e.status === 'pending'),
    'two failed attempts',
  );
  expect(retried.lastError).toMatch(/ECONNREFUSED|connect/i);

  await smtp.listen(port);
  await smtp.waitFor((s) => s.to(email).length === 2, 'the alert after the outage');
  await app.evaluateNow();
  expect(smtp.to(email)).toHaveLength(2);
  const [row] = await alertEmailOf(id);
  expect(row.status).toBe('sent');
  expect(row.attempts).toBeGreaterThanOrEqual(3);

  const metrics = (await request(app.url).get('/metrics')).text;
  expect(metrics).toMatch(/aftershock_emails_total\{kind="alert",outcome="retried"\} [1-9]/);
  expect(metrics).toMatch(/aftershock_emails_total\{kind="alert",outcome="sent"\} 1\n/);
  expect(metrics).toMatch(/aftershock_alerts_created_total\{rule="close_move"\} 1\n/);
});

it('a permanent rejection marks the email failed, visibly, and does not retry', async () => {
  const smtp = await smtpServer();
  const app = await alertApp({ SMTP_URL: smtp.url });
  const email = 'mailbox-gone@example.com';
  const id = await subscribeAndConfirm(app, smtp, { email, symbols: ['NVDA'] });
  smtp.reject = (mail) => (mail.to.includes(email) ? 550 : null);
  await moveNvda(12);
  const failed = await waitUntil(async () => (await alertEmailOf(id)).find((e) => e.status === 'failed'), 'the failed email');
  expect(failed.attempts).toBe(1);
  expect(failed.lastError).toContain('550');
  await app.evaluateNow();
  expect(smtp.to(email)).toHaveLength(1); // the confirmation only

  const res = await request(app.url).get('/api/alerts?status=failed');
  const mine = res.body.alerts.filter((a: { subscriptionId: number }) => a.subscriptionId === id);
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({
    symbol: 'NVDA',
    status: 'failed',
    delivery: { status: 'failed', attempts: 1, lastError: expect.stringContaining('550') },
  });
  const outbox = await request(app.url).get('/api/alerts/outbox');
  expect(outbox.body).toMatchObject({ email: 'on', failed: expect.any(Number) });
  expect(outbox.body.failed).toBeGreaterThanOrEqual(1);
});

it('two app instances on one database send each email once', async () => {
  const smtp = await smtpServer();
  const first = await alertApp({ SMTP_URL: smtp.url });
  const second = await alertApp({ SMTP_URL: smtp.url });
  const addresses = ['pair1@example.com', 'pair2@example.com', 'pair3@example.com', 'pair4@example.com'];
  const ids: number[] = [];
  for (const [i, email] of addresses.entries())
    ids.push(await subscribeAndConfirm(i % 2 ? first : second, smtp, { email, symbols: ['NVDA'] }));
  const date = await moveNvda(-15);
  await smtp.waitFor((s) => addresses.every((a) => s.to(a).length === 2), 'an alert to every subscriber');
  await first.evaluateNow();
  await second.evaluateNow();
  await first.evaluateNow();
  for (const a of addresses) expect(smtp.to(a)).toHaveLength(2);
  const { rows } = await db.pool.query(
    `SELECT subscription_id, count(*)::int AS n FROM alerts WHERE session_date = $1 AND subscription_id = ANY($2) GROUP BY 1`,
    [date, ids],
  );
  expect(rows.map((r) => r.n)).toEqual(ids.map(() => 1));
});

it('a row left in sending by a dead sender is sent again after its lease, with the same Message-ID; a live lease is respected', async () => {
  const smtp = await smtpServer();
  const messageIds: string[] = [];
  const ids: number[] = [];
  for (const [i, lockedAgo] of ['1 hour', '0 seconds'].entries()) {
    const id = await enqueueEmail(db.pool, {
      dedupeKey: `test:lease:${i}`,
      kind: 'confirmation',
      subscriptionId: null,
      to: `lease${i}@example.com`,
      subject: `lease ${i}`,
      text: 'text',
      html: '<p>html</p>',
      headers: {},
    });
    const messageId = `<outbox-${id}.leftover@aftershock.local>`;
    await db.pool.query(
      `UPDATE outbox_emails SET status = 'sending', locked_by = 'dead-instance', locked_at = now() - $2::interval, attempts = 1, message_id = $3 WHERE id = $1`,
      [id, lockedAgo, messageId],
    );
    ids.push(id!);
    messageIds.push(messageId);
  }
  const app = await alertApp({ SMTP_URL: smtp.url, OUTBOX_LEASE_SECONDS: '120' });
  await smtp.waitFor((s) => s.to('lease0@example.com').length === 1, 'the re-claimed email');
  await app.evaluateNow();
  expect(smtp.to('lease0@example.com')[0].messageId).toBe(messageIds[0]);
  const { rows } = await db.pool.query(
    'SELECT id, status, attempts, locked_by AS "lockedBy" FROM outbox_emails WHERE id = ANY($1) ORDER BY id',
    [ids],
  );
  expect(rows).toEqual([
    { id: ids[0], status: 'sent', attempts: 2, lockedBy: null },
    { id: ids[1], status: 'sending', attempts: 1, lockedBy: 'dead-instance' },
  ]);
  expect(smtp.to('lease1@example.com')).toEqual([]);
  await db.pool.query(`DELETE FROM outbox_emails WHERE id = $1`, [ids[1]]);
});

it('the app killed in the middle of an SMTP transaction and restarted sends the alert once', async () => {
  const smtp = await smtpServer();
  const email = 'killed@example.com';
  const setup = await alertApp({ SMTP_URL: smtp.url });
  const id = await subscribeAndConfirm(setup, smtp, { email, symbols: ['NVDA'] });
  await setup.stop();
  apps.splice(0);

  // the built server as `npm start` runs it, against this database; the SMTP server takes the data and stalls
  smtp.stallFor = email;
  const attemptsTo = () => smtp.dataStarted.filter((a) => a === email).length;
  const before = attemptsTo();
  let output = '';
  const child = spawn(process.execPath, [path.join(__dirname, '../../dist/main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      SMTP_URL: smtp.url,
      BASE_URL,
      IMPORT_BUNDLED_DATA: 'false',
      SCHEDULER_ENABLED: 'false',
      YAHOO_BASE_URL: 'http://127.0.0.1:9',
      LOG_LEVEL: 'info',
      ALERT_COALESCE_MS: '100',
      OUTBOX_LEASE_SECONDS: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise((r) => child.once('exit', r));
  // this app runs on the system clock: the move is of the latest US session
  const [latest] = recentSessionDates('US', new Date());
  try {
    await waitUntil(async () => /Aftershock is up/.test(output) || child.exitCode !== null, 'the server process to start');
    expect(child.exitCode).toBeNull();
    await storeBar(db, 'NVDA', latest, (await lastClose(db, 'NVDA')).close * 0.8);
    await smtp.waitFor(() => attemptsTo() > before, `the server process to start sending; its output: ${output}`);
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  const [claimed] = await alertEmailOf(id);
  expect(claimed).toMatchObject({ status: 'sending', attempts: 1 });
  expect(claimed.messageId).toMatch(/^<outbox-\d+\./);

  // restarted: the row is claimed again once the dead process's lease has run out
  smtp.stallFor = null;
  const restarted = await alertApp({ SMTP_URL: smtp.url, OUTBOX_LEASE_SECONDS: '2' });
  await smtp.waitFor((s) => s.to(email).length === 2, 'the alert after the restart');
  await restarted.evaluateNow();
  expect(smtp.to(email)).toHaveLength(2);
  expect(smtp.to(email)[1].messageId).toBe(claimed.messageId);
  expect(attemptsTo()).toBe(before + 2); // the killed attempt, the delivery
  const [row] = await alertEmailOf(id);
  expect(row).toMatchObject({ status: 'sent', attempts: 2 });
  const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM alerts WHERE subscription_id = $1', [id]);
  expect(rows[0].n).toBe(1);
  // the tests after this one store the sessions after the bundled data again
  await db.pool.query(`DELETE FROM daily_bars WHERE symbol = 'NVDA' AND date = $1`, [latest]);
});

it('without SMTP_URL alerts are recorded and shown, and the log says once that email is off', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    IMPORT_BUNDLED_DATA: 'false',
    SCHEDULER_ENABLED: 'false',
    BASE_URL,
    ALERT_COALESCE_MS: '100',
    SUBSCRIBE_RATE_LIMIT: '100',
  });
  const app = await startApp({
    config,
    db,
    logger,
    services: [barEventsService(alertTriggers({ now: alertClock.now })), outboxSenderService(subscriptionWantsEmails)],
  });
  apps.push(app);
  const email = 'no-smtp@example.com';
  const res = await request(app.url)
    .post('/api/subscriptions')
    .send({ email, symbols: ['NVDA'] });
  expect(res.status).toBe(202);
  const { rows: queued } = await db.pool.query(`SELECT text, status FROM outbox_emails WHERE to_address = $1`, [email]);
  expect(queued).toHaveLength(1);
  expect(queued[0].status).toBe('pending');
  expect((await request(app.url).post(linkIn(queued[0].text, 'confirm'))).status).toBe(200);

  const date = await moveNvda(-11);
  const alerts = await waitUntil(async () => {
    const r = await request(app.url).get(`/api/alerts?subscription=${await subscriptionIdOf(db, email)}`);
    return r.body.alerts.length ? r.body : null;
  }, 'the recorded alert');
  expect(alerts.email).toBe('off');
  expect(alerts.alerts[0]).toMatchObject({
    symbol: 'NVDA',
    sessionDate: date,
    rule: 'close_move',
    status: 'pending',
    delivery: { status: 'pending', attempts: 0 },
  });
  expect(lines.filter((l) => l.includes('email is off'))).toHaveLength(1);
  // what waits in the outbox is not sent by anyone here
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM outbox_emails WHERE to_address = $1 AND status = 'pending'`, [
    email,
  ]);
  expect(rows[0].n).toBe(2);
  await db.pool.query(`DELETE FROM outbox_emails WHERE to_address = $1`, [email]);
});
