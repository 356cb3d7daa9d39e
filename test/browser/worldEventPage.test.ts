// The App Store event page with the bundled world listings (data/market and data/global, as `npm start` loads
// them): "who moved first" across every exchange shown, in the order the day-0 sessions closed, with Seoul and
// Taipei shown closed until their day 0 (Shanghai still traded on 27 Jan,
// before its Spring Festival closure). Screenshots at 1280 and 390 px.
import path from 'node:path';
import type { RunningApp } from '../../src/app/server';
import { importBundledData } from '../../src/bundled/bundledImport';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import {
  chartSnapshot,
  getJson,
  horizontalOverflow,
  launchBrowser,
  openPage,
  screenshot,
  SCREENSHOT_DIR,
  type Browser,
  type OpenedPage,
} from './browserSupport';

const SLUG = 'deepseek-app-store-no1';
let db: TestDatabase;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  db = await createTestDatabase(); // data/market
  await importBundledData(db, path.resolve(__dirname, '../../data/global'));
  app = await startTestApp(db);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await db?.drop();
});

async function open(width: number): Promise<OpenedPage> {
  const opened = await openPage(browser, `${app.url}/events/${SLUG}`, width);
  await opened.page.waitForSelector('#chart-paths[data-drawn="true"]');
  return opened;
}

describe(`/events/${SLUG} with the world listings`, () => {
  let opened: OpenedPage;
  beforeAll(async () => {
    opened = await open(1280);
  });
  afterAll(async () => {
    await opened?.page.close();
  });

  it('the impact API orders the day-0 sessions by their close across Tokyo, Shanghai, Hong Kong, Paris, New York, Seoul and Taipei', async () => {
    const impact = await getJson<{
      sessions: { market: string; day0: string; closedFrom: string | null; symbols: string[] }[];
      results: { symbol: string }[];
    }>(`${app.url}/api/events/${SLUG}/impact`);
    expect(impact.results.map((r) => r.symbol).sort()).toEqual([
      '000660.KS',
      '0700.HK',
      '2330.TW',
      '600519.SS',
      '6857.T',
      '8035.T',
      '9984.T',
      '9988.HK',
      'NVDA',
      'SU.PA',
    ]);
    expect(impact.sessions.map((s) => [s.market, s.day0, s.closedFrom])).toEqual([
      ['TSE', '2025-01-27', null],
      // Shanghai's last session before the Spring Festival closure (28 Jan - 4 Feb)
      ['SSE', '2025-01-27', null],
      ['HKEX', '2025-01-27', null],
      ['PAR', '2025-01-27', null],
      ['US', '2025-01-27', null],
      ['KOSPI', '2025-01-31', '2025-01-27'],
      ['TWSE', '2025-02-03', '2025-01-27'],
    ]);
  });

  it('shows who moved first, with Seoul and Taipei closed until their day 0', async () => {
    const steps = await opened.page.locator('.sequence-step').allTextContents();
    expect(steps).toHaveLength(7);
    expect(steps[0]).toMatch(/^Tokyo session · day 0 = Mon, 27 Jan 2025/);
    expect(steps[1]).toMatch(/^Shanghai session/);
    expect(steps[1]).toContain('600519.SS');
    expect(steps[2]).toMatch(/^Hong Kong session/);
    expect(steps[2]).toContain('0700.HK');
    expect(steps[3]).toMatch(/^Paris session/);
    expect(steps[3]).toContain('SU.PA -9.48%');
    expect(steps[4]).toMatch(/^New York session/);
    expect(steps[4]).toContain('NVDA -16.97%');
    expect(steps[5]).toMatch(/^Seoul: closed until 31 Jan; day 0 = Fri 31 Jan/);
    expect(steps[5]).toContain('000660.KS -9.86%');
    expect(steps[6]).toMatch(/^Taipei: closed until 3 Feb; day 0 = Mon 3 Feb/);
    expect(steps[6]).toContain('2330.TW -5.73%');
    expect(await opened.page.locator('.sequence-closed').count()).toBe(2);
    expect(opened.problems).toEqual([]);
  });

  it('gives the ten lines ten colours, each with its own colour and dash (issue 21, item 6)', async () => {
    const chart = (await chartSnapshot(opened.page, 'chart-paths'))!;
    expect(chart.datasets).toHaveLength(10);
    // the pairs the issue saw share a colour no more
    const colourOf = (symbol: string) => chart.datasets.find((d) => d.label.startsWith(`${symbol} `))!.borderColor;
    expect(colourOf('000660.KS')).not.toBe(colourOf('9988.HK'));
    expect(colourOf('NVDA')).not.toBe(colourOf('0700.HK'));
    expect(colourOf('2330.TW')).not.toBe(colourOf('SU.PA'));
    expect(new Set(chart.datasets.map((d) => d.borderColor)).size).toBe(10);
  });

  it('at 390 px the price-path legend wraps: every entry whole and inside the screen (issue 21, item 5)', async () => {
    const phone = await open(390);
    try {
      const chart = (await chartSnapshot(phone.page, 'chart-paths'))!;
      const entries = phone.page.locator('#paths .legend-entry');
      expect(await entries.allTextContents()).toEqual(chart.datasets.map((d) => d.label));
      const tsmc = await entries.filter({ hasText: '2330.TW' }).textContent();
      expect(tsmc).toMatch(/^2330\.TW .*\(Taipei, -5\.73% on day 0\)$/);
      const boxes = await entries.evaluateAll((els) =>
        els.map((e) => ({ right: e.getBoundingClientRect().right, clipped: e.scrollWidth > e.clientWidth + 1 })),
      );
      for (const b of boxes) {
        expect(b.right).toBeLessThanOrEqual(390);
        expect(b.clipped).toBe(false);
      }
      await phone.page.locator('#paths').screenshot({ path: path.join(SCREENSHOT_DIR, 'event-world-paths-390.png') });
    } finally {
      await phone.page.close();
    }
  });

  it('looks right at 1280 and 390 px', async () => {
    await screenshot(opened.page, 'event-world-1280');
    await opened.page.locator('#sequence-section').screenshot({ path: path.join(SCREENSHOT_DIR, 'event-world-sequence-1280.png') });
    const phone = await open(390);
    try {
      expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
      await screenshot(phone.page, 'event-world-390');
      await phone.page.locator('#sequence-section').screenshot({ path: path.join(SCREENSHOT_DIR, 'event-world-sequence-390.png') });
    } finally {
      await phone.page.close();
    }
  });
});
