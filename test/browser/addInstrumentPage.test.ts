// /instruments/new in real Chromium against the real app, with FakeYahoo as Yahoo: a person with the admin token
// searches a name, sees the exchange, currency and benchmark it will get, adds it, watches its backfill and lands
// on its page with its bars and events; an unknown symbol and a failing backfill are said in words.
import path from 'node:path';
import type { RunningApp } from '../../src/app/server';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import { FAKE_TOKYO_META, madeUpBars } from '../scheduler/helpers';
import { FakeYahoo } from '../support/fakeYahoo';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import {
  getJson,
  horizontalOverflow,
  launchBrowser,
  openPage,
  SCREENSHOT_DIR,
  screenshot,
  unlabelledControls,
  type Browser,
} from './browserSupport';

quietLibraryUrlLogging();

const ADMIN_TOKEN = 'browser-test-admin-token-0123';
const NEW_META = { ...FAKE_TOKYO_META, longName: 'Kumo Robotics Corporation (test ticker)', shortName: 'KUMO ROBOTICS' };
const BROKEN_META = { ...FAKE_TOKYO_META, longName: 'Brokenchart Industries (test ticker)', shortName: 'BROKENCHART' };

let db: TestDatabase;
let fake: FakeYahoo;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  // the bundled data: the DeepSeek events, ^N225 and JPY=X are stored already
  db = await createTestDatabase();
  fake = await FakeYahoo.start();
  fake.addSymbol('7777.T', madeUpBars('7777.T', 'TSE', '2024-10-01', 120, 3100), NEW_META);
  fake.addSymbol('7778.T', madeUpBars('7778.T', 'TSE', '2024-10-01', 120, 900), BROKEN_META);
  app = await startTestApp(db, { ADMIN_TOKEN, YAHOO_BASE_URL: fake.baseUrl, YAHOO_MAX_ATTEMPTS: '2', BACKFILL_FROM: '2024-10-01' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await fake?.close();
  await db?.drop();
});

for (const width of [1280, 390]) {
  describe(`at ${width} px`, () => {
    it('search a name, see what it gets, add it, watch the backfill, land on its page with its bars and events', async () => {
      // each width adds it afresh
      await db.pool.query(`DELETE FROM instruments WHERE symbol = '7777.T'`);
      const opened = await openPage(browser, `${app.url}/instruments/new`, width);
      const { page } = opened;
      try {
        expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe('Add an instrument');
        expect(await unlabelledControls(page, '#search-form')).toEqual([]);
        await page.fill('#search-query', 'kumo');
        await page.fill('#admin-token', ADMIN_TOKEN);
        await page.click('#search-form button[type=submit]');
        const row = page.locator('#candidate-table tr[data-symbol="7777.T"]');
        await row.waitFor();
        expect(await page.locator('#candidate-table tbody tr').count()).toBe(1);
        expect(await row.locator('[data-col="name"]').textContent()).toBe(NEW_META.longName);
        expect(await row.locator('[data-col="exchange"]').textContent()).toBe('TSE');
        expect(await row.locator('[data-col="currency"]').textContent()).toBe('JPY');
        expect(await row.locator('[data-col="benchmark"]').textContent()).toBe('^N225');
        expect(await row.locator('[data-col="fx"]').textContent()).toBe('JPY=X');
        expect(await horizontalOverflow(page)).toBe(0);
        await screenshot(page, `add-instrument-search-${width}`);

        // the chart answer waits, so that the running backfill can be seen
        fake.fail('chart', '7777.T', { delayMs: 2000 });
        await page.getByRole('button', { name: 'Add 7777.T' }).click();
        await page.locator('#add-steps li[data-symbol="7777.T"][data-status="running"]').waitFor();
        expect(await page.locator('#add-summary').textContent()).toMatch(/^Adding 7777\.T: \d+ rows and \d+ sessions so far…$/);
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `add-instrument-progress-${width}.png`), fullPage: true });

        await page.waitForURL(`${app.url}/instruments/7777.T`, { timeout: 30_000 });
        await page.waitForLoadState('networkidle');
        await page.locator('#history canvas').waitFor();
        const { bars } = await getJson<{ bars: unknown[] }>(`${app.url}/api/instruments/7777.T/bars`);
        expect(bars).toHaveLength(120);
        const events = await page
          .locator('#event-markers li[data-slug]')
          .evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.slug));
        expect(events).toContain('deepseek-app-store-no1');
        expect(await page.locator('#instrument-head').textContent()).toContain(NEW_META.longName);
        expect(await horizontalOverflow(page)).toBe(0);
        await screenshot(page, `add-instrument-landed-${width}`);
        expect(opened.problems).toEqual([]);
      } finally {
        await page.close();
      }
    });

    it('an unknown symbol is an inline error naming it; a failing backfill says why in words', async () => {
      const opened = await openPage(browser, `${app.url}/instruments/new`, width);
      const { page } = opened;
      try {
        await page.fill('#admin-token', ADMIN_TOKEN);
        await page.fill('#search-query', 'zzznope.t');
        await page.click('#add-typed');
        const problem = page.locator('#query-problem');
        await problem.waitFor();
        expect(await problem.textContent()).toMatch(/^Unknown symbol ZZZNOPE\.T: /);
        expect(await page.getAttribute('#search-query', 'aria-invalid')).toBe('true');
        expect(await page.locator('#progress-section').isHidden()).toBe(true);
        await screenshot(page, `add-instrument-unknown-${width}`);

        fake.fail('chart', '7778.T', { status: 503 }, { status: 503 });
        await page.fill('#search-query', '7778.T');
        await page.click('#add-typed');
        const summary = page.locator('#add-summary.state-error');
        await summary.waitFor({ timeout: 30_000 });
        expect(await summary.textContent()).toMatch(
          /7778\.T could not be added completely: the backfill of 7778\.T failed: Yahoo answered HTTP 503/,
        );
        expect(await page.locator('#search-query').getAttribute('aria-invalid')).toBeNull();
        expect(await horizontalOverflow(page)).toBe(0);
        await screenshot(page, `add-instrument-failed-${width}`);
        // the failures are the API's answers (a 404 and a run in error), not page errors
        expect(opened.problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });
}
