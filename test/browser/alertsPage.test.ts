// The recent-alerts page in real Chromium against the real app and a real SMTP server: three confirmed
// subscriptions follow NVDA, a stored bar moves it +12% on a day with an event, and each alert takes its real
// path (triggers, outbox, SMTP): one email is accepted, one deferred (451, queued for a retry) and one rejected for
// good (550). The page lists each with its move, event and delivery, and holds no address anywhere.
import path from 'node:path';
import request from 'supertest';
import type { AlertListResponse } from '../../src/triggers/alertContract';
import { nextTradingDays } from '../../src/markets';
import { attemptsText, deliveryWords } from '../../web/src/alertDelivery';
import { formatPercent } from '../../web/src/format';
import {
  ADMIN_TOKEN,
  createSmtp,
  lastClose,
  startAlertApp,
  storeBar,
  subscribeAndConfirm,
  waitUntil,
  type AlertApp,
  type TestSmtp,
} from '../alerts/alertTestSupport';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { horizontalOverflow, launchBrowser, openPage, SCREENSHOT_DIR, screenshot, type Browser } from './browserSupport';

const SENT = 'sent.reader@example.com';
const RETRY = 'retry.reader@example.com';
const FAILED = 'failed.reader@example.com';
const ADDRESSES = [SENT, RETRY, FAILED];
const EVENT_SLUG = 'nvda-alerts-page-check';

let db: TestDatabase;
let smtp: TestSmtp;
let app: AlertApp;
let browser: Browser;
let session: string;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = createSmtp();
  await smtp.listen();
  // a deferred email waits 10 minutes for its retry: it is still queued when the page is read
  app = await startAlertApp(db, { SMTP_URL: smtp.url, OUTBOX_RETRY_BASE_MS: '600000' });
  browser = await launchBrowser();
  for (const email of ADDRESSES) await subscribeAndConfirm(app, smtp, { email, symbols: ['NVDA'], minMovePct: 5 });
  smtp.reject = (mail) => (mail.to.includes(RETRY) ? 451 : mail.to.includes(FAILED) ? 550 : null);

  const { date, close } = await lastClose(db, 'NVDA');
  session = nextTradingDays('US', date, 1)[0];
  const created = await request(app.url)
    .post('/api/events')
    .set('authorization', `Bearer ${ADMIN_TOKEN}`)
    .send({ title: 'NVDA alerts page check', slug: EVENT_SLUG, kind: 'other', date: session, dateOnly: true });
  expect(created.status).toBe(201);
  await storeBar(db, 'NVDA', session, close * 1.12);
  await app.evaluateNow();
  await waitUntil(async () => {
    const { rows } = await db.pool.query<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM outbox_emails WHERE kind = 'alert' ORDER BY id`,
    );
    const sent = rows.filter((r) => r.status === 'sent').length;
    const failed = rows.filter((r) => r.status === 'failed').length;
    const retrying = rows.filter((r) => r.status === 'pending' && r.attempts >= 1).length;
    return rows.length === 3 && sent === 1 && failed === 1 && retrying === 1;
  }, 'one alert email sent, one failed, one waiting for its retry');
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await smtp?.close();
  await db?.drop();
});

describe('/alerts', () => {
  let alerts: AlertListResponse['alerts'];

  beforeAll(async () => {
    const res = await request(app.url).get('/api/alerts?limit=50');
    expect(res.status).toBe(200);
    alerts = res.body.alerts;
  });

  it('lists every alert, newest first, with its move, event and delivery, as the API gives them', async () => {
    expect(alerts).toHaveLength(3);
    expect(alerts.map((a) => a.status).sort()).toEqual(['failed', 'pending', 'sent']);
    expect(smtp.to(SENT).some((m) => /NVDA/.test(m.subject))).toBe(true);
    const opened = await openPage(browser, `${app.url}/alerts`);
    const { page } = opened;
    try {
      const rows = page.locator('#alerts-table tbody tr[data-alert-id]');
      expect(await rows.evaluateAll((trs) => trs.map((tr) => Number((tr as HTMLElement).dataset.alertId)))).toEqual(
        alerts.map((a) => a.id),
      );
      for (const alert of alerts) {
        const row = page.locator(`#alerts-table tr[data-alert-id="${alert.id}"]`);
        expect(await row.locator('[data-col="symbol"] a').getAttribute('href')).toBe('/instruments/NVDA');
        expect(await row.locator('[data-col="move"] .car-value').textContent()).toBe(formatPercent(alert.move));
        expect(alert.move).toBeCloseTo(0.12, 6);
        expect(alert.event?.slug).toBe(EVENT_SLUG);
        expect(await row.locator('[data-col="event"] a').getAttribute('href')).toBe(`/events/${EVENT_SLUG}`);
        const words = deliveryWords(alert);
        expect(await row.locator('[data-field="delivery-status"]').textContent()).toBe(words.label);
        expect(await row.locator('[data-field="delivery-detail"]').textContent()).toBe(` ${words.detail}`);
        expect(await row.locator('[data-col="attempts"]').textContent()).toBe(attemptsText(words.attempts));
      }
      const labels = await page.locator('[data-field="delivery-status"]').allTextContents();
      expect(labels.sort()).toEqual(['failed', 'queued', 'sent']);
      const queued = alerts.find((a) => a.status === 'pending')!;
      expect(deliveryWords(queued).detail).toMatch(/^retry 1 at /);
      expect(queued.delivery?.nextAttemptAt).not.toBeNull();
      expect(deliveryWords(alerts.find((a) => a.status === 'sent')!).detail).toMatch(/^sent \d+ \w+ \d{4}, \d\d:\d\d UTC$/);
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows no address, nor the part of one before the @, anywhere in the page', async () => {
    const opened = await openPage(browser, `${app.url}/alerts`);
    try {
      await opened.page.waitForSelector('#alerts-table');
      const html = await opened.page.content();
      for (const address of ADDRESSES) {
        expect(html).not.toContain(address);
        expect(html).not.toContain(address.split('@')[0]);
      }
      expect(html).not.toContain('@example.com');
      expect(opened.problems).toEqual([]);
    } finally {
      await opened.page.close();
    }
  });

  it('filters by delivery status and pages with a limit, in its address', async () => {
    const opened = await openPage(browser, `${app.url}/alerts`);
    const { page } = opened;
    try {
      await page.selectOption('#alert-status', 'failed');
      await Promise.all([page.waitForURL(/status=failed/), page.getByRole('button', { name: 'Show' }).click()]);
      await page.waitForSelector('#alerts-table');
      expect(await page.locator('#alerts-table tbody tr[data-alert-id]').count()).toBe(1);
      expect(await page.locator('[data-field="delivery-status"]').textContent()).toBe('failed');
      expect(await page.locator('#alert-status').inputValue()).toBe('failed');

      await page.goto(`${app.url}/alerts?limit=25&status=sending`, { waitUntil: 'networkidle' });
      expect(await page.locator('#alerts').textContent()).toBe('No alert matches these filters.');

      // two pages of one: newest first, then the older through "Older alerts"
      const first = await request(app.url).get('/api/alerts?limit=1');
      expect(first.body.nextBefore).toBe(alerts[0].id);
      await page.goto(`${app.url}/alerts?limit=1`, { waitUntil: 'networkidle' });
      expect(await page.locator('#alerts-table tbody tr[data-alert-id]').getAttribute('data-alert-id')).toBe(String(alerts[0].id));
      await Promise.all([page.waitForURL(/before=/), page.getByRole('link', { name: 'Older alerts →' }).click()]);
      await page.waitForSelector('#alerts-table');
      expect(await page.locator('#alerts-table tbody tr[data-alert-id]').getAttribute('data-alert-id')).toBe(String(alerts[1].id));
      expect(await page.getByRole('link', { name: '← Newest' }).count()).toBe(1);
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('reads at 1280 and 390 px', async () => {
    for (const width of [1280, 390]) {
      const opened = await openPage(browser, `${app.url}/alerts`, width);
      try {
        await opened.page.waitForSelector('#alerts-table');
        expect(await horizontalOverflow(opened.page)).toBeLessThanOrEqual(0);
        await screenshot(opened.page, `alerts-${width}`);
        await opened.page.locator('#alerts').screenshot({ path: path.join(SCREENSHOT_DIR, `alerts-${width}-table.png`) });
        expect(opened.problems).toEqual([]);
      } finally {
        await opened.page.close();
      }
    }
  });
});
