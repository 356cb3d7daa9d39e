// Alert triggers end to end: a bar stored with upsertDailyBars (or an intraday bar) -> NOTIFY -> alert ->
// outbox -> real SMTP. The DeepSeek sell-off replayed: NVDA's bars from 27 Jan 2025 on are removed, then the
// 27 Jan bar is stored again as if it had just been fetched.
import request from 'supertest';
import { detectMoves } from '../../src/analysis';
import { upsertDailyBars } from '../../src/bars/dailyBarStore';
import { upsertIntradayBars } from '../../src/bars/intradayBarStore';
import { nextTradingDays, sessionOpenInstant } from '../../src/markets';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import {
  ADMIN_TOKEN,
  BASE_URL,
  alertClock,
  createSmtp,
  lastClose,
  startAlertApp,
  storeBar,
  storeBars,
  subscribeAndConfirm,
  type AlertApp,
  type TestSmtp,
} from './alertTestSupport';

let db: TestDatabase;
let smtp: TestSmtp;
let app: AlertApp;
let sessions: string[];
const nextSession = () => sessions.shift()!;
const closeAfter = async (symbol: string, pct: number) => (await lastClose(db, symbol)).close * (1 + pct / 100);
const alertsOf = async (subscriptionId: number) =>
  (
    await db.pool.query(
      'SELECT symbol, session_date AS "sessionDate", rule, email_id AS "emailId", event_id AS "eventId", move FROM alerts WHERE subscription_id = $1 ORDER BY id',
      [subscriptionId],
    )
  ).rows;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = createSmtp();
  await smtp.listen();
  app = await startAlertApp(db, { SMTP_URL: smtp.url });
  // the DeepSeek Monday becomes NVDA's newest session to come
  await db.pool.query(`DELETE FROM daily_bars WHERE symbol = 'NVDA' AND date >= '2025-01-27'`);
  // SMH's history ends there too, so that the sessions the tests store are its newest
  await db.pool.query(`DELETE FROM daily_bars WHERE symbol = 'SMH' AND date > '2025-01-27'`);
  sessions = nextTradingDays('US', '2025-01-27', 30);
});
afterAll(async () => {
  await app?.stop();
  await smtp?.close();
  await db?.drop();
});

describe('a large move at the close', () => {
  it('gives exactly one email with the move, the abnormal return, the event and the news', async () => {
    const email = 'deepseek@example.com';
    const id = await subscribeAndConfirm(app, smtp, { email, symbols: ['NVDA'], minMovePct: 5, minAbnormalZ: 3 });
    // 27 Jan 2025 as Yahoo reports it, stored just after the close
    alertClock.afterCloseOf('2025-01-27');
    await upsertDailyBars(
      db.pool,
      [
        {
          symbol: 'NVDA',
          date: '2025-01-27',
          open: 124.8,
          high: 128.4,
          low: 116.7,
          close: 118.42,
          adjClose: 118.3942,
          volume: 818_830_900,
        },
      ],
      { source: 'test' },
    );
    await smtp.waitFor((s) => s.to(email).length === 2, 'the alert email');
    await app.evaluateNow();
    expect(smtp.to(email)).toHaveLength(2);
    const mail = smtp.to(email)[1];

    // the expected figures, from the stored bars through the analysis core
    const bars = (
      await db.pool.query(
        `SELECT date, close, adj_close AS "adjClose" FROM daily_bars WHERE symbol = 'NVDA' AND date <= '2025-01-27' ORDER BY date`,
      )
    ).rows;
    const gspc = (
      await db.pool.query(
        `SELECT date, close, adj_close AS "adjClose" FROM daily_bars WHERE symbol = '^GSPC' AND date <= '2025-01-27' ORDER BY date`,
      )
    ).rows;
    const day = detectMoves(bars, gspc, { minMovePct: 0 }).find((d) => d.date === '2025-01-27')!;
    expect(day.move).toBeCloseTo(118.42 / 142.62 - 1, 12);
    expect(day.z!).toBeLessThan(-3);
    const abnormal = `-${Math.abs(day.abnormalReturn! * 100).toFixed(1)}%`;
    const z = `-${Math.abs(day.z!).toFixed(1)}`;
    expect(mail.subject).toBe(`NVDA -16.97% (abnormal ${abnormal}, z ${z}) · DeepSeek app tops the US App Store`);
    // the figures of the issue that asked for these emails
    expect(mail.subject).toBe('NVDA -16.97% (abnormal -14.6%, z -7.1) · DeepSeek app tops the US App Store');

    expect(mail.text).toContain(
      'NVDA (NVIDIA Corporation) moved -16.97% at the close on 2025-01-27: 118.42 USD, previous close 142.62 USD.',
    );
    expect(mail.text).toContain(`Abnormal return against its market: ${abnormal} (z ${z}).`);
    expect(mail.text).toContain(`${BASE_URL}/events/deepseek-app-store-no1`);
    const { rows: news } = await db.pool.query(
      `SELECT n.url FROM news_items n JOIN event_news en ON en.news_id = n.id JOIN events e ON e.id = en.event_id WHERE e.slug = 'deepseek-app-store-no1' AND en.role = 'source'`,
    );
    expect(mail.text).toContain(news[0].url);
    expect(mail.html).toContain(`href="${BASE_URL}/events/deepseek-app-store-no1"`);
    expect(mail.html).toContain('DeepSeek app tops the US App Store');
    expect(mail.html).toContain('/api/subscriptions/unsubscribe?token=');
    expect(mail.messageId).toMatch(/^<outbox-\d+\.[0-9a-f]{12}@aftershock\.local>$/);

    // both close rules, one email, linked to the event
    const alerts = await alertsOf(id);
    expect(alerts.map((a) => a.rule)).toEqual(['close_move', 'close_abnormal']);
    expect(new Set(alerts.map((a) => a.emailId)).size).toBe(1);
    const { rows: event } = await db.pool.query(`SELECT id FROM events WHERE slug = 'deepseek-app-store-no1'`);
    expect(alerts.every((a) => a.eventId === event[0].id)).toBe(true);

    // visible in the API: without the token no address; with it, the address
    const open = await request(app.url).get('/api/alerts?symbol=NVDA&status=sent');
    expect(open.status).toBe(200);
    const mine = open.body.alerts.filter((a: { subscriptionId: number }) => a.subscriptionId === id);
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({
      symbol: 'NVDA',
      sessionDate: '2025-01-27',
      status: 'sent',
      event: { slug: 'deepseek-app-store-no1' },
      delivery: { status: 'sent', attempts: 1 },
    });
    expect(JSON.stringify(open.body)).not.toContain(email);
    const admin = await request(app.url).get(`/api/alerts?subscription=${id}`).set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(admin.body.alerts[0].email).toBe(email);
    expect(admin.body.alerts[0].delivery.messageId).toBe(mail.messageId);
    expect((await request(app.url).get('/api/alerts?status=lost')).status).toBe(400);
  });

  it('a move below the threshold gives none', async () => {
    const email = 'threshold@example.com';
    const id = await subscribeAndConfirm(app, smtp, { email, symbols: ['NVDA'], minMovePct: 10 });
    const date = nextSession();
    await storeBar(db, 'NVDA', date, await closeAfter('NVDA', 9.5));
    await app.evaluateNow();
    expect(await alertsOf(id)).toEqual([]);
    expect(smtp.to(email)).toHaveLength(1); // the confirmation
  });

  it('re-arms on the next session, and a changed bar of the same session alerts no more', async () => {
    const email = 'rearm@example.com';
    const id = await subscribeAndConfirm(app, smtp, { email, symbols: ['NVDA'], minMovePct: 5 });
    const first = nextSession();
    await storeBar(db, 'NVDA', first, await closeAfter('NVDA', -10));
    await smtp.waitFor((s) => s.to(email).length === 2, 'the first alert');
    const second = nextSession();
    await storeBar(db, 'NVDA', second, await closeAfter('NVDA', 10));
    await smtp.waitFor((s) => s.to(email).length === 3, 'the alert of the next session');
    expect(smtp.to(email)[2].subject).toMatch(/^NVDA \+10\.0\d%/);
    // the same session corrected (a vendor revision): no second alert
    await storeBar(db, 'NVDA', second, await closeAfter('NVDA', 2));
    await app.evaluateNow();
    expect((await alertsOf(id)).map((a) => [a.sessionDate, a.rule])).toEqual([
      [first, 'close_move'],
      [second, 'close_move'],
    ]);
    expect(smtp.to(email)).toHaveLength(3);
  });
});

describe('during the session', () => {
  it('alerts once per session on intraday prices, and once more at the close', async () => {
    const email = 'intraday@example.com';
    const id = await subscribeAndConfirm(app, smtp, { email, symbols: ['NVDA'], minMovePct: 6 });
    const previous = await lastClose(db, 'NVDA');
    const date = nextSession();
    // a provisional daily bar fetched while the session runs
    await storeBar(db, 'NVDA', date, previous.close * 0.93, { provisional: true });
    await smtp.waitFor((s) => s.to(email).length === 2, 'the intraday alert');
    expect(smtp.to(email)[1].subject).toMatch(/^NVDA -7\.\d\d% intraday/);
    expect(smtp.to(email)[1].text).toContain(`intraday in the session of ${date}`);
    // the price moves further: the same rule in the same session does not alert again
    await storeBar(db, 'NVDA', date, previous.close * 0.92, { provisional: true });
    await app.evaluateNow();
    expect(smtp.to(email)).toHaveLength(2);
    // the final bar: the close rule
    await storeBar(db, 'NVDA', date, previous.close * 0.925);
    await smtp.waitFor((s) => s.to(email).length === 3, 'the close alert');
    expect(smtp.to(email)[2].subject).toMatch(/^NVDA -7\.50%/);

    // intraday bars of the next session (the intraday ingest's store and its NOTIFY)
    const next = nextSession();
    const open = sessionOpenInstant('US', next);
    const finalClose = (await lastClose(db, 'NVDA')).close;
    alertClock.at = new Date(open.getTime() + 11 * 60_000); // the session is in progress
    await upsertIntradayBars(
      db.pool,
      [0, 5, 10].map((m, i) => ({
        symbol: 'NVDA',
        interval: '5m',
        ts: new Date(open.getTime() + m * 60_000),
        open: null,
        high: null,
        low: null,
        close: finalClose * (1 + (0.03 * (i + 1) ** 2) / 3),
        volume: 1000,
      })),
      { source: 'test' },
    );
    await smtp.waitFor((s) => s.to(email).length === 4, 'the alert from intraday bars');
    expect(smtp.to(email)[3].subject).toMatch(/^NVDA \+9\.00% intraday/);
    await app.evaluateNow();
    expect((await alertsOf(id)).map((a) => [a.sessionDate, a.rule])).toEqual([
      [date, 'intraday_move'],
      [date, 'close_move'],
      [next, 'intraday_move'],
    ]);
  });
});

describe('coalescing and digests', () => {
  it('moves of one store go out as one email', async () => {
    const email = 'together@example.com';
    const id = await subscribeAndConfirm(app, smtp, { email, symbols: ['NVDA', 'SMH'], minMovePct: 5 });
    const date = nextSession();
    await storeBars(db, [
      { symbol: 'SMH', date, close: await closeAfter('SMH', -6) },
      { symbol: 'NVDA', date, close: await closeAfter('NVDA', -12) },
    ]);
    await smtp.waitFor((s) => s.to(email).length === 2, 'the alert email');
    await app.evaluateNow();
    expect(smtp.to(email)).toHaveLength(2);
    const subject = smtp.to(email)[1].subject;
    expect(subject).toMatch(/^NVDA -12\.\d\d%.*, SMH -6\.\d\d%/); // biggest move first
    const alerts = await alertsOf(id);
    expect(alerts.map((a) => a.symbol).sort()).toEqual(['NVDA', 'SMH']);
    expect(new Set(alerts.map((a) => a.emailId)).size).toBe(1);
  });

  it('a digest subscriber gets one email summing up the session after the close', async () => {
    const email = 'digest@example.com';
    const id = await subscribeAndConfirm(app, smtp, { email, symbols: ['NVDA', 'SMH'], minMovePct: 5, mode: 'digest' });
    const date = nextSession();
    await storeBars(db, [
      { symbol: 'NVDA', date, close: await closeAfter('NVDA', 8) },
      { symbol: 'SMH', date, close: await closeAfter('SMH', 5.5) },
    ]);
    await smtp.waitFor((s) => s.to(email).length === 2, 'the digest');
    await app.evaluateNow();
    expect(smtp.to(email)).toHaveLength(2);
    const digest = smtp.to(email)[1];
    expect(digest.subject).toMatch(
      new RegExp(`^Aftershock digest ${date} · New York \\(NYSE / Nasdaq\\) · 2 moves: NVDA \\+8\\.\\d\\d%.*, SMH \\+5\\.\\d\\d%`),
    );
    expect(digest.text).toContain('NVDA (NVIDIA Corporation) moved +8.');
    expect(digest.text).toContain('SMH (VanEck Semiconductor ETF) moved +5.');
    const alerts = await alertsOf(id);
    expect(alerts).toHaveLength(2);
    const { rows } = await db.pool.query('SELECT dedupe_key, kind FROM outbox_emails WHERE id = $1', [alerts[0].emailId]);
    expect(rows[0]).toEqual({ dedupe_key: `digest:${id}:US:${date}`, kind: 'digest' });
    expect(alerts[1].emailId).toBe(alerts[0].emailId);
  });
});
