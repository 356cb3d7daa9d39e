// Home, instrument and add-an-event pages in real Chromium against the real app; and data that looks like
// HTML staying text.
import type { RunningApp } from '../../src/app/server';
import { upsertEvent } from '../../src/news/eventStore';
import { formatDate, formatPercent, formatPrice } from '../../web/src/format';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import {
  chartSnapshot,
  getJson,
  horizontalOverflow,
  launchBrowser,
  openPage,
  screenshot,
  shippedScripts,
  unlabelledControls,
  type Browser,
} from './browserSupport';

const ADMIN_TOKEN = 'browser-test-admin-token-0123';
const XSS_TITLE = '<img src=x onerror=alert(1)>';
const XSS_SLUG = 'xss-title-check';
const JS_BUDGET_GZIP = 250 * 1024;

interface EventRow {
  slug: string;
  title: string;
  date: string;
  occurredAt: string | null;
  dateOnly: boolean;
}

let db: TestDatabase;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  db = await createTestDatabase();
  // straight into the event store: the write API would refuse nothing here, but the page must not trust it either
  await upsertEvent(db.pool, {
    slug: XSS_SLUG,
    title: XSS_TITLE,
    occurredAt: new Date('2025-01-28T00:00:00Z'),
    dateOnly: true,
    kind: 'other',
    description: '<script>alert(2)</script>',
  });
  app = await startTestApp(db, { ADMIN_TOKEN });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await db?.drop();
});

describe('home', () => {
  it('lists every event as a timeline with its headline impact, loaded as it comes into view', async () => {
    const { events } = await getJson<{ events: EventRow[] }>(`${app.url}/api/events`);
    const opened = await openPage(browser, `${app.url}/`);
    const { page } = opened;
    try {
      const slugs = await page.locator('.timeline-item').evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.slug));
      expect(slugs).toEqual(events.map((e) => e.slug));
      const appStore = page.locator('.timeline-item[data-slug="deepseek-app-store-no1"]');
      await appStore.scrollIntoViewIfNeeded();
      await appStore.locator('[data-figure="largest-move"]').waitFor();
      // the largest day-0 move of the App Store event is Nvidia's record drop
      expect(await appStore.locator('[data-figure="largest-move"]').textContent()).toBe('Largest move NVDA -16.97% on 27 Jan 2025');
      expect(await appStore.locator('[data-figure="basket"]').textContent()).toMatch(
        /^Basket -\$\d+(\.\d)?bn on day 0 \(\d of 4 instruments\)$/,
      );
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows each tracked instrument with its last price, last move and a sparkline', async () => {
    const opened = await openPage(browser, `${app.url}/`);
    const { page } = opened;
    try {
      const { instruments } = await getJson<{ instruments: { symbol: string; currency: string; kind: string; tracked: boolean }[] }>(
        `${app.url}/api/instruments`,
      );
      const tracked = instruments.filter((i) => i.tracked);
      expect(await page.locator('.instrument-card').count()).toBe(tracked.length);
      const nvda = await getJson<{ bars: { date: string; close: number }[] }>(`${app.url}/api/instruments/NVDA/bars`);
      const [previous, last] = nvda.bars.slice(-2);
      const card = page.locator('.instrument-card[data-symbol="NVDA"]');
      expect(await card.locator('[data-figure="last-price"]').textContent()).toBe(formatPrice(last.close, 'USD'));
      expect(await card.locator('[data-figure="last-move"]').textContent()).toBe(formatPercent(last.close / previous.close - 1));
      const spark = await chartSnapshot(page, 'spark-NVDA');
      expect(spark?.drawn).toBe(true);
      expect((spark!.datasets[0].data as unknown as number[]).at(-1)).toBe(last.close);
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows a freshness badge per exchange, with a stale warning when the last bar is old', async () => {
    const opened = await openPage(browser, `${app.url}/`);
    const { page } = opened;
    try {
      const badges = await page
        .locator('.freshness-badge')
        .evaluateAll((els) =>
          els.map((e) => ({ exchange: (e as HTMLElement).dataset.exchange, stale: (e as HTMLElement).dataset.stale, text: e.textContent })),
        );
      expect(badges.map((b) => b.exchange).sort()).toEqual(['FX', 'TSE', 'US']);
      // the bundled bars end on 2025-03-31; by the machine's clock that is either stale or not, and the badge must agree
      const ageDays = (Date.now() - Date.parse('2025-03-31T00:00:00Z')) / 86_400_000;
      for (const b of badges) {
        expect(b.text).toContain(`last bar ${formatDate('2025-03-31')}`);
        if (ageDays > 6) {
          expect(b.stale).toBe('true');
          expect(b.text).toMatch(/Warning: data may be out of date/);
        }
      }
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('ships at most 250 KB of JavaScript (gzip) and is written as screenshots at 1280 and 390 px', async () => {
    for (const width of [1280, 390]) {
      const opened = await openPage(browser, `${app.url}/`, width);
      try {
        await opened.page.locator('.timeline-item [data-figure="largest-move"]').first().waitFor();
        await opened.page.waitForLoadState('networkidle');
        const { gzipBytes, files } = await shippedScripts(opened);
        expect(files).toContain('/assets/main.js');
        expect(gzipBytes).toBeLessThanOrEqual(JS_BUDGET_GZIP);
        expect(await horizontalOverflow(opened.page)).toBeLessThanOrEqual(0);
        await screenshot(opened.page, `home-${width}`);
        expect(opened.problems).toEqual([]);
      } finally {
        await opened.page.close();
      }
    }
  });
});

describe('/instruments/NVDA', () => {
  it('draws the daily closes with a marker per event that leads to the event', async () => {
    const { events } = await getJson<{ events: EventRow[] }>(`${app.url}/api/events`);
    const { bars } = await getJson<{ bars: { date: string; close: number }[] }>(`${app.url}/api/instruments/NVDA/bars`);
    const opened = await openPage(browser, `${app.url}/instruments/NVDA`);
    const { page } = opened;
    try {
      await page.waitForSelector('#chart-history[data-drawn="true"]');
      const chart = (await chartSnapshot(page, 'chart-history'))!;
      expect(chart.datasets[0].data).toHaveLength(bars.length);
      expect(chart.datasets[0].data.at(-1)?.y).toBe(bars.at(-1)!.close);
      // every event within the stored prices has its marker, at its instant (or its date when only that is known)
      const first = Date.parse(`${bars[0].date}T00:00:00Z`);
      const last = Date.parse(`${bars.at(-1)!.date}T00:00:00Z`) + 86_400_000;
      const at = (e: EventRow) => (e.occurredAt && !e.dateOnly ? Date.parse(e.occurredAt) : Date.parse(`${e.date}T00:00:00Z`));
      const inRange = events.filter((e) => at(e) >= first && at(e) <= last);
      expect(inRange.map((e) => e.slug)).toContain('deepseek-app-store-no1');
      for (const e of inRange) expect(chart.annotations[`event-${e.slug}`]).toMatchObject({ type: 'line', value: at(e) });
      // besides the events, only the labels of the detected moves (their %)
      expect(Object.keys(chart.annotations).filter((k) => !k.startsWith('move-'))).toHaveLength(inRange.length);

      const markers = await page
        .locator('#event-markers a')
        .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent })));
      expect(markers).toEqual(inRange.map((e) => ({ href: `/events/${e.slug}`, text: e.title })));
      await page.locator('#event-markers a[href="/events/deepseek-app-store-no1"]').click();
      await page.waitForURL(`${app.url}/events/deepseek-app-store-no1`);
      await page.waitForSelector('#chart-paths[data-drawn="true"]');
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('lists the detected moves with their linked events and candidate news, as the moves API gives them', async () => {
    const { moves } = await getJson<{ moves: { id: number; date: string; move: number; events: { slug: string; title: string }[] }[] }>(
      `${app.url}/api/moves?symbol=NVDA`,
    );
    const opened = await openPage(browser, `${app.url}/instruments/NVDA`);
    const { page } = opened;
    try {
      const rows = page.locator('#moves-table tbody tr');
      expect(await rows.count()).toBe(moves.length);
      const record = moves.find((m) => m.date === '2025-01-27');
      expect(record).toBeDefined();
      const row = page.locator('#moves-table tr[data-date="2025-01-27"]');
      expect(await row.locator('td').nth(1).textContent()).toBe(formatPercent(record!.move));
      const linked = await row.locator('[data-col="events"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(linked).toEqual(record!.events.map((e) => `/events/${e.slug}`));
      // candidate news comes per move from /api/moves/:id, once the row is in view
      await row.scrollIntoViewIfNeeded();
      await page.waitForFunction(
        () => !document.querySelector('#moves-table tr[data-date="2025-01-27"] [data-col="news"]')?.textContent?.includes('Loading'),
      );
      const detail = await getJson<{ move: { candidateNews: { url: string; title: string }[] } }>(`${app.url}/api/moves/${record!.id}`);
      const news = await row
        .locator('[data-col="news"] a')
        .evaluateAll((as) => as.map((a) => ({ text: a.textContent, rel: a.getAttribute('rel') })));
      expect(news).toEqual(detail.move.candidateNews.map((n) => ({ text: n.title, rel: 'noopener noreferrer' })));
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('is written as screenshots at 1280 and 390 px within the JavaScript budget', async () => {
    for (const width of [1280, 390]) {
      const opened = await openPage(browser, `${app.url}/instruments/NVDA`, width);
      try {
        await opened.page.waitForSelector('#chart-history[data-drawn="true"]');
        await opened.page.waitForLoadState('networkidle');
        expect(await horizontalOverflow(opened.page)).toBeLessThanOrEqual(0);
        expect((await shippedScripts(opened)).gzipBytes).toBeLessThanOrEqual(JS_BUDGET_GZIP);
        await screenshot(opened.page, `instrument-${width}`);
        expect(opened.problems).toEqual([]);
      } finally {
        await opened.page.close();
      }
    }
  });
});

describe('data that looks like HTML', () => {
  it(`shows an event titled ${XSS_TITLE} as text on the home page and its own page, and no dialog fires`, async () => {
    for (const url of [`${app.url}/`, `${app.url}/events/${XSS_SLUG}`]) {
      const opened = await openPage(browser, url);
      const { page } = opened;
      try {
        const title = url.endsWith('/')
          ? page.locator(`.timeline-item[data-slug="${XSS_SLUG}"] .timeline-title`)
          : page.locator('#event-title');
        await title.waitFor();
        expect(await title.textContent()).toBe(XSS_TITLE);
        expect(await title.locator('img').count()).toBe(0);
        expect(await page.locator('main img, main script').count()).toBe(0);
        if (!url.endsWith('/')) expect(await page.locator('.event-description').textContent()).toBe('<script>alert(2)</script>');
        // an onerror handler would have fired by now: the image src "x" fails at once
        await page.waitForTimeout(300);
        expect(opened.dialogs).toEqual([]);
        expect(opened.problems).toEqual([]);
      } finally {
        await page.close();
      }
    }
  });
});

describe('/events/new', () => {
  it('adds an event with the admin token the user types, and shows the API error for a wrong one', async () => {
    const opened = await openPage(browser, `${app.url}/events/new`);
    const { page } = opened;
    try {
      expect(await unlabelledControls(page, '#event-form')).toEqual([]);
      await page.fill('#title', 'DeepSeek R1 paper on arXiv');
      await page.fill('#date', '2025-01-22');
      await page.fill('#time', '18:30');
      await page.fill('#time-zone', 'Asia/Shanghai');
      await page.fill('#kind', 'model_release');
      await page.fill('#description', 'The R1 technical report (browser test)');
      await page.fill('#news-urls', 'https://arxiv.org/abs/2501.12948');
      expect(await page.locator('#instant-preview').textContent()).toContain('22 Jan 2025, 10:30 UTC');

      await page.fill('#admin-token', 'not-the-token');
      await page.click('button[type=submit]');
      await page.locator('#form-result .state-error').waitFor();
      expect(await page.locator('#form-result .state-error').textContent()).toContain('Invalid admin token');

      await page.fill('#admin-token', ADMIN_TOKEN);
      await page.focus('#admin-token');
      await page.keyboard.press('Enter');
      await page.locator('#created-event-link').waitFor();
      const href = await page.locator('#created-event-link').getAttribute('href');
      expect(href).toMatch(/^\/events\/[a-z0-9-]+$/);

      const { event } = await getJson<{ event: EventRow & { kind: string; news: { url: string }[] } }>(`${app.url}/api${href}`);
      expect(event).toMatchObject({
        title: 'DeepSeek R1 paper on arXiv',
        occurredAt: '2025-01-22T10:30:00.000Z',
        dateOnly: false,
        kind: 'model_release',
      });
      expect(event.news.map((n) => n.url)).toEqual(['https://arxiv.org/abs/2501.12948']);
      // the token stays in this tab's session storage, nowhere else
      expect(await page.evaluate(() => sessionStorage.getItem('aftershock.adminToken'))).toBe(ADMIN_TOKEN);
      expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
      expect(opened.problems.filter((p) => !/status of 401/.test(p))).toEqual([]);

      await page.click('#created-event-link');
      await page.waitForURL(`${app.url}${href}`);
      await page.locator('#event-title').waitFor();
      expect(await page.locator('#event-title').textContent()).toBe('DeepSeek R1 paper on arXiv');
    } finally {
      await page.close();
    }
  });

  it('adds a date-only event, and shows what the API refuses', async () => {
    const opened = await openPage(browser, `${app.url}/events/new`);
    const { page } = opened;
    try {
      await page.check('input[name=when][value=date]');
      expect(await page.isHidden('#time')).toBe(true);
      expect(await page.isHidden('#time-zone')).toBe(true);
      await page.fill('#title', 'Browser test: a date-only event');
      await page.fill('#date', '2025-01-26');
      await page.fill('#kind', 'app_ranking');
      await page.fill('#admin-token', ADMIN_TOKEN);
      await page.click('button[type=submit]');
      await page.locator('#created-event-link').waitFor();
      const href = await page.locator('#created-event-link').getAttribute('href');
      const { event } = await getJson<{ event: EventRow }>(`${app.url}/api${href}`);
      expect(event).toMatchObject({ title: 'Browser test: a date-only event', date: '2025-01-26', dateOnly: true, occurredAt: null });

      // 02:30 on 9 Mar 2025 never happened in New York (the clocks jumped from 2:00 to 3:00): the API says so
      await page.check('input[name=when][value=instant]');
      await page.fill('#title', 'Browser test: a time that never was');
      await page.fill('#date', '2025-03-09');
      await page.fill('#time', '02:30');
      await page.fill('#time-zone', 'America/New_York');
      await page.click('button[type=submit]');
      await page.locator('#form-result .state-error').waitFor();
      const refusal = await page.locator('#form-result .state-error').textContent();
      expect(await page.getAttribute('#form-result .state-error', 'data-status')).toBe('400');
      expect(refusal).toMatch(/occurredAt/);
      expect(refusal).toMatch(/does not exist in America\/New_York/);

      // a missing title is caught before anything is sent
      await page.fill('#title', '');
      await page.click('button[type=submit]');
      expect(await page.locator('#form-result .state-error').textContent()).toContain('Give the title.');
      expect(await page.getAttribute('#title', 'aria-invalid')).toBe('true');
      expect(opened.problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('adds an event known to a part of the day or an interval, and its page says the precision in words', async () => {
    const opened = await openPage(browser, `${app.url}/events/new`);
    const { page } = opened;
    try {
      await page.check('input[name=when][value=part]');
      expect(await page.isHidden('#time')).toBe(true);
      expect(await page.isVisible('#part-of-day')).toBe(true);
      await page.fill('#title', 'Browser test: remarks in the evening');
      await page.fill('#date', '2025-01-27');
      await page.selectOption('#part-of-day', 'after_close');
      await page.fill('#time-zone', 'America/New_York');
      await page.fill('#kind', 'policy_statement');
      await page.fill('#admin-token', ADMIN_TOKEN);
      await page.click('button[type=submit]');
      await page.locator('#created-event-link').waitFor();
      const href = await page.locator('#created-event-link').getAttribute('href');
      const { event } = await getJson<{ event: EventRow & { precision: string; timeZone: string } }>(`${app.url}/api${href}`);
      expect(event).toMatchObject({ occurredAt: '2025-01-27T21:00:00.000Z', precision: 'after_close', timeZone: 'America/New_York' });

      await page.check('input[name=when][value=interval]');
      expect(await page.isVisible('#until')).toBe(true);
      await page.fill('#title', 'Browser test: across the close');
      await page.fill('#time', '15:30');
      await page.fill('#until', '2025-01-27T17:00');
      await page.click('button[type=submit]');
      await page.locator('#created-event-link').waitFor();
      const intervalHref = await page.locator('#created-event-link').getAttribute('href');
      const interval = await getJson<{ event: EventRow & { occurredUntil: string } }>(`${app.url}/api${intervalHref}`);
      expect(interval.event).toMatchObject({ occurredAt: '2025-01-27T20:30:00.000Z', occurredUntil: '2025-01-27T22:00:00.000Z' });

      await page.goto(`${app.url}${href}`);
      await page.locator('.event-meta time').waitFor();
      expect(await page.locator('.event-meta time').textContent()).toBe(
        `${formatDate('2025-01-27', true)}, evening, after the close, New York time (America/New_York); exact time not known`,
      );
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('is written as screenshots at 1280 and 390 px', async () => {
    for (const width of [1280, 390]) {
      const opened = await openPage(browser, `${app.url}/events/new`, width);
      try {
        expect(await horizontalOverflow(opened.page)).toBeLessThanOrEqual(0);
        await screenshot(opened.page, `new-event-${width}`);
        expect(opened.problems).toEqual([]);
      } finally {
        await opened.page.close();
      }
    }
  });
});
