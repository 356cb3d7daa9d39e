// The home page with Yahoo failing every request for Tokyo's symbols while New York's fetch fine: one compact banner
// for Tokyo (its per-symbol errors behind a disclosure), none for New York; then with every exchange failing, still
// one banner, the exchanges behind its disclosure; in real Chromium at 1280 and 390 px.
// And the rule behind it (exchangeOutage): every instrument of the exchange failing, never some.
import path from 'node:path';
import type { RunningApp } from '../../src/app/server';
import { ingestDailyBars, ingestDepsOf } from '../../src/ingest/fetchAndStore';
import { exchangeOutage, type ExchangeFreshness, type InstrumentFreshness } from '../../web/src/freshness';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import { FakeYahoo } from '../support/fakeYahoo';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { horizontalOverflow, launchBrowser, openPage, SCREENSHOT_DIR, screenshot, type Browser } from './browserSupport';

quietLibraryUrlLogging();

const US = ['NVDA', 'SMH', '^GSPC', '^IXIC'];
const TOKYO = ['6857.T', '8035.T', '9984.T', '^N225'];

let db: TestDatabase;
let fake: FakeYahoo;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await FakeYahoo.start();
  for (const s of [...US, ...TOKYO]) fake.addBundled(s);
  app = await startTestApp(db, { YAHOO_BASE_URL: fake.baseUrl, YAHOO_MAX_ATTEMPTS: '2' });
  // the daily job's fetch, as the scheduler runs it: New York answers, every Tokyo request fails (both attempts)
  for (const s of TOKYO) fake.fail('chart', s, { status: 503 }, { status: 503 });
  const deps = ingestDepsOf(app.ctx);
  for (const symbol of [...US, ...TOKYO]) {
    const r = await ingestDailyBars(deps, { symbol, from: '2025-03-24', to: '2025-03-31', job: 'daily' });
    expect(r.status).toBe(TOKYO.includes(symbol) ? 'error' : 'ok');
  }
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await fake?.close();
  await db?.drop();
});

for (const width of [1280, 390]) {
  it(`at ${width} px: one banner for Tokyo with the errors behind a disclosure, none for New York`, async () => {
    const opened = await openPage(browser, `${app.url}/`, width);
    const { page } = opened;
    try {
      const banners = page.locator('#freshness [data-offline="true"]');
      expect(await banners.count()).toBe(1);
      const banner = banners.first();
      expect(await banner.getAttribute('data-exchanges')).toBe('TSE');
      expect(await banner.locator('.offline-summary').textContent()).toMatch(
        /^Live updates unavailable since \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC: Yahoo unreachable; stored data through 31 Mar 2025\.$/,
      );
      // said once: the per-symbol errors are closed away, one per symbol
      const details = banner.locator('details');
      expect(await details.getAttribute('open')).toBeNull();
      expect(await page.locator('.freshness-error:visible').count()).toBe(0);
      expect(await details.locator('summary').textContent()).toBe('Tokyo (TSE), 4 fetch errors: every instrument fails');
      await screenshot(page, `home-offline-closed-${width}`);
      await details.locator('summary').click();
      const errors = await details.locator('.freshness-error').allTextContents();
      expect(errors.map((e) => e.split(':')[0]).sort()).toEqual([...TOKYO].sort());
      for (const e of errors) expect(e).toContain('Yahoo answered HTTP 503');

      // New York fetches: its badge, no banner and no error
      const us = page.locator('#freshness > ul > li[data-exchange="US"]');
      expect(await us.getAttribute('data-offline')).toBeNull();
      expect(await us.locator('.freshness-error').count()).toBe(0);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, `home-offline-open-${width}`);
      await page.locator('#freshness').screenshot({ path: path.join(SCREENSHOT_DIR, `home-offline-banner-${width}.png`) });
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
}

describe('every exchange offline (a fresh clone without internet)', () => {
  beforeAll(async () => {
    // New York fails as well now: every exchange is offline
    for (const s of US) fake.fail('chart', s, { status: 503 }, { status: 503 });
    const deps = ingestDepsOf(app.ctx);
    for (const symbol of US) {
      const r = await ingestDailyBars(deps, { symbol, from: '2025-03-24', to: '2025-03-31', job: 'daily' });
      expect(r.status).toBe('error');
    }
  });

  for (const width of [1280, 390]) {
    it(`at ${width} px: one banner says it once, the exchanges and their errors behind the disclosure`, async () => {
      const opened = await openPage(browser, `${app.url}/`, width);
      const { page } = opened;
      try {
        // one banner for both; no badge of its own for either (the FX rate, never fetched here, keeps its badge)
        expect(await page.locator('#freshness [data-offline="true"]').count()).toBe(1);
        const badges = await page
          .locator('#freshness > ul > li:not([data-offline])')
          .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-exchange')));
        expect(badges).not.toContain('US');
        expect(badges).not.toContain('TSE');
        const banner = page.locator('#freshness [data-offline="true"]');
        expect((await banner.getAttribute('data-exchanges'))?.split(' ').sort()).toEqual(['TSE', 'US']);
        expect(await page.locator('.offline-summary').count()).toBe(1);
        expect(await banner.locator('.offline-summary').textContent()).toMatch(
          /^Live updates unavailable since .+ UTC: Yahoo unreachable; stored data through 31 Mar 2025\.$/,
        );
        expect(await banner.locator('summary').textContent()).toBe('2 exchanges, 8 fetch errors: every instrument fails');
        // closed, the banner is short: one line of text and the disclosure
        const closedHeight = (await banner.boundingBox())!.height;
        expect(closedHeight).toBeLessThan(width === 390 ? 160 : 110);
        await banner.locator('summary').click();
        const exchanges = await banner
          .locator('.offline-exchanges > li')
          .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-exchange')));
        expect(exchanges.sort()).toEqual(['TSE', 'US']);
        expect(await banner.locator('.freshness-error').count()).toBe(8);
        expect(await horizontalOverflow(page)).toBe(0);
        await page.locator('#freshness').screenshot({ path: path.join(SCREENSHOT_DIR, `home-all-offline-banner-${width}.png`) });
        expect(opened.problems).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});

describe('exchangeOutage', () => {
  const group = (symbols: string[], failing: string[]): ExchangeFreshness => ({
    exchange: 'TSE',
    timeZone: 'Asia/Tokyo',
    symbols,
    lastBar: '2025-03-31',
    ageDays: 600,
    stale: true,
    staleness: null,
    errors: failing.map((symbol, k) => ({ symbol, message: 'Yahoo answered HTTP 503', at: `2026-12-02T0${k + 1}:00:00.000Z` })),
    source: 'status',
  });
  const fresh = (symbol: string, lastSuccessAt: string | null): InstrumentFreshness => ({
    symbol,
    lastBar: '2025-03-31',
    stale: true,
    staleness: null,
    lastError: null,
    lastErrorAt: null,
    lastSuccessAt,
  });

  it('every instrument failing: since the last success of any, else the earliest failure', () => {
    const g = group(['A', 'B'], ['A', 'B']);
    expect(exchangeOutage(g, [fresh('A', null), fresh('B', null)])).toEqual({
      since: '2026-12-02T01:00:00.000Z',
      through: '2025-03-31',
      errors: g.errors,
    });
    const withSuccess = exchangeOutage(g, [
      fresh('A', '2026-12-01T22:00:00.000Z'),
      fresh('B', '2026-12-01T23:30:00.000Z'),
      fresh('X', '2026-12-02T05:00:00.000Z'),
    ]);
    expect(withSuccess?.since).toBe('2026-12-01T23:30:00.000Z');
  });

  it('partial failure, or none: no outage (the per-symbol notes stay)', () => {
    expect(exchangeOutage(group(['A', 'B'], ['A']), [])).toBeNull();
    expect(exchangeOutage(group(['A', 'B'], []), [])).toBeNull();
    expect(exchangeOutage(group([], []), [])).toBeNull();
  });
});
