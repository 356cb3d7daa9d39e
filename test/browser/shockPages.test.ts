// The Shocks pages in real Chromium against the real app, with the shocks the detector records when it scans the
// bundled history (bundled-equities, Oct 2024 - Mar 2025, daily): /shocks lists 27 Jan 2025 with its strength in
// words and its news (the App Store item), newest first; /shocks/:id shows the members' abnormal returns as the API
// gives them; the home page shows the latest shock; an admin confirms it and an event is created. 1280 and 390 px,
// no console error.
import type { Shock } from '../../src/shocks/shockContract';
import { coJumpBars, rankedMemberArs } from '../../web/src/charts/shockCharts';
import { formatPercent } from '../../web/src/format';
import { latestShock, newestFirst, strengthWords } from '../../web/src/shockWords';
import { useTestApp } from '../support/testApp';
import { chartSnapshot, getJson, horizontalOverflow, openPage, screenshot, unlabelledControls, useBrowser } from './browserSupport';
import { recordBundledShocks, recordSyntheticIntradayShock, SYNTHETIC_GROUP } from './shockFixtures';

const TOKEN = 'shock-pages-admin-token-0123456789';
const t = useTestApp({ ADMIN_TOKEN: TOKEN });
const b = useBrowser();

let shocks: Shock[];
let jan27: Shock;

beforeAll(async () => {
  await recordBundledShocks(t.db);
  shocks = (await getJson<{ shocks: Shock[] }>(`${t.app.url}/api/shocks?group=bundled-equities`)).shocks;
  const found = shocks.find((s) => s.kind === 'daily' && s.sessionDate === '2025-01-27');
  if (!found) throw new Error(`the scan recorded no daily shock on 2025-01-27: ${shocks.map((s) => s.sessionDate).join(', ')}`);
  jan27 = found;
});

describe('/shocks', () => {
  it('lists the candidates newest first, 27 Jan 2025 with its strength in words and its news linked', async () => {
    const opened = await openPage(b.browser, `${t.app.url}/shocks`);
    const { page } = opened;
    try {
      const ids = await page.locator('.shock-card').evaluateAll((cards) => cards.map((c) => Number((c as HTMLElement).dataset.shockId)));
      expect(ids).toEqual(newestFirst(shocks).map((s) => s.id));
      const card = page.locator(`.shock-card[data-shock-id="${jan27.id}"]`);
      expect(await card.locator('.shock-when-headline').textContent()).toBe('Session of Mon, 27 Jan 2025');
      const words = strengthWords(jan27);
      expect(words).toMatch(/^\d+ of \d+ members, average abnormal return -\d+\.\d%, p < 0\.001$/);
      expect(await card.locator('.shock-strength strong').textContent()).toBe(words);
      expect(await card.locator('.shock-status').textContent()).toBe('Candidate');
      // the news the API attached, each a link; the App Store item among them
      const news = await card
        .locator('.shock-news a')
        .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent })));
      expect(news).toEqual(jan27.news.map((n) => ({ href: n.url, text: n.title })));
      expect(news.some((n) => /App Store/i.test(n.text ?? ''))).toBe(true);
      // who moved first: one line per exchange, earliest first
      expect(await card.locator('.shock-first-list li').count()).toBe(jan27.firstBarByExchange.length);
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('fits 1280 and 390 px, every control labelled', async () => {
    for (const width of [1280, 390]) {
      const opened = await openPage(b.browser, `${t.app.url}/shocks`, width);
      try {
        await opened.page.click('#shock-admin summary');
        expect(await horizontalOverflow(opened.page)).toBeLessThanOrEqual(0);
        expect(await unlabelledControls(opened.page, 'main')).toEqual([]);
        await screenshot(opened.page, `shocks-${width}`);
        expect(opened.problems).toEqual([]);
      } finally {
        await opened.page.close();
      }
    }
  });
});

describe('/shocks/:id', () => {
  it("shows the members' abnormal returns as the API gives them, in the chart and the table", async () => {
    for (const width of [1280, 390]) {
      const opened = await openPage(b.browser, `${t.app.url}/shocks/${jan27.id}`, width);
      const { page } = opened;
      try {
        await page.waitForSelector('#shock-ars[data-drawn="true"]');
        expect(await page.locator('h1').textContent()).toBe(`${jan27.group.name} fell together`);
        const chart = (await chartSnapshot(page, 'shock-ars'))!;
        expect(chart.datasets[0].data).toEqual(rankedMemberArs(jan27).map((r) => r.ar));
        const cells = await page
          .locator('#shock-members tbody tr')
          .evaluateAll((rows) => rows.map((r) => [(r as HTMLElement).dataset.symbol, r.querySelector('[data-col="ar"]')?.textContent]));
        expect(Object.fromEntries(cells)).toEqual(Object.fromEntries(jan27.members.map((m) => [m.symbol, formatPercent(m.ar)])));
        expect(await page.locator('#cojump-section').isHidden()).toBe(true);
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        await screenshot(page, `shock-${width}`);
        expect(opened.problems).toEqual([]);
      } finally {
        await page.close();
      }
    }
  });

  it('says so when there is no such shock', async () => {
    const opened = await openPage(b.browser, `${t.app.url}/shocks/999999`);
    try {
      expect(await opened.page.locator('#shock-head .state-error').textContent()).toMatch(/The shock could not be loaded/);
      expect(opened.problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
    } finally {
      await opened.page.close();
    }
  });
});

describe('the home page', () => {
  it('shows the latest shock, linked to its page', async () => {
    const latest = latestShock(shocks)!;
    for (const width of [1280, 390]) {
      const opened = await openPage(b.browser, `${t.app.url}/`, width);
      try {
        const card = opened.page.locator('#latest-shock .shock-card');
        expect(await card.getAttribute('data-shock-id')).toBe(String(latest.id));
        expect(await card.locator('.shock-strength strong').textContent()).toBe(strengthWords(latest));
        expect(await card.locator('.shock-title a').getAttribute('href')).toBe(`/shocks/${latest.id}`);
        // compact: the top news item, and a link to the rest on the shock's page
        expect(await card.locator('.shock-news a').allTextContents()).toEqual(latest.news.slice(0, 1).map((n) => n.title));
        if (latest.news.length > 1)
          expect(await card.locator('.shock-more-news').textContent()).toBe(`${latest.news.length - 1} more news on its page`);
        expect(await horizontalOverflow(opened.page)).toBeLessThanOrEqual(0);
        await screenshot(opened.page, `home-shock-${width}`);
        expect(opened.problems).toEqual([]);
      } finally {
        await opened.page.close();
      }
    }
  });
});

describe('confirming as the admin', () => {
  it('turns the 27 Jan candidate into an event titled after its App Store news item', async () => {
    const appStore = jan27.news.find((n) => /App Store/i.test(n.title))!;
    const opened = await openPage(b.browser, `${t.app.url}/shocks`, 390);
    const { page } = opened;
    try {
      await page.click('#shock-admin summary');
      await page.fill('#admin-token', TOKEN);
      const actions = page.locator(`.shock-actions[data-shock-id="${jan27.id}"]`);
      await actions.locator('select[name=titleChoice]').selectOption(String(appStore.id));
      await actions.locator('button[type=submit]').click();
      await page.waitForSelector(`.shock-card[data-shock-id="${jan27.id}"][data-status="confirmed"]`);
      const after = (await getJson<{ shock: Shock }>(`${t.app.url}/api/shocks/${jan27.id}`)).shock;
      expect(after.status).toBe('confirmed');
      expect(after.eventSlug).toBeTruthy();
      const { event } = await getJson<{ event: { title: string; news: { url: string }[] } }>(`${t.app.url}/api/events/${after.eventSlug}`);
      expect(event.title).toBe(appStore.title);
      expect(event.news.map((n) => n.url)).toContain(appStore.url);
      // the page links to the event it became
      expect(
        await page.locator(`.shock-item:has([data-shock-id="${jan27.id}"]) a[href="/events/${after.eventSlug}"]`).count(),
      ).toBeGreaterThan(0);
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

// last: the synthetic intraday shock is the newest of all once recorded
describe('an intraday shock (synthetic numbers, in a group titled so)', () => {
  let intraday: Shock;

  beforeAll(async () => {
    const id = await recordSyntheticIntradayShock(t.db);
    intraday = (await getJson<{ shock: Shock }>(`${t.app.url}/api/shocks/${id}`)).shock;
  });

  it('draws the co-jump bars on a UTC timeline and says who moved first, with local times', async () => {
    for (const width of [1280, 390]) {
      const opened = await openPage(b.browser, `${t.app.url}/shocks/${intraday.id}`, width);
      const { page } = opened;
      try {
        await page.waitForSelector('#shock-cojumps[data-drawn="true"]').catch(async (err: Error) => {
          // what the page said instead, for whoever reads a failure
          throw new Error(`${err.message}; problems: ${opened.problems.join(' | ')}; page: ${await page.locator('main').textContent()}`);
        });
        expect(await page.locator('h1').textContent()).toBe(`${SYNTHETIC_GROUP.title} fell together`);
        const chart = (await chartSnapshot(page, 'shock-cojumps'))!;
        const bars = coJumpBars(intraday);
        expect(bars.map((bar) => [new Date(bar.start).toISOString(), bar.symbols])).toEqual([
          ['2025-01-27T14:30:00.000Z', ['NVDA', 'SMH']],
          ['2025-01-27T14:40:00.000Z', ['SU.PA']],
        ]);
        expect(chart.datasets[0].data.map((p) => [p.x, p.y])).toEqual(bars.map((bar) => [bar.x, bar.y]));
        expect(chart.annotations.episode).toMatchObject({ type: 'box' });
        expect(await page.locator('#shock-first li').allTextContents()).toEqual([
          'New York (US) 27 Jan 2025, 09:30 GMT-5 (NVDA, SMH)',
          'Paris (PAR) 27 Jan 2025, 15:40 CET (SU.PA)',
        ]);
        expect(await page.locator('.shock-strength strong').textContent()).toBe('3 of 3 members jumped, average abnormal return -3.1%');
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        await screenshot(page, `shock-intraday-${width}`);
        expect(opened.problems).toEqual([]);
      } finally {
        await page.close();
      }
    }
  });

  it('lists it first, and the kind filter keeps it apart from the daily ones', async () => {
    const opened = await openPage(b.browser, `${t.app.url}/shocks?kind=intraday`);
    try {
      const ids = await opened.page.locator('.shock-card').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.shockId));
      expect(ids).toEqual([String(intraday.id)]);
      expect(await opened.page.locator('#shock-kind').inputValue()).toBe('intraday');
      expect(opened.problems).toEqual([]);
    } finally {
      await opened.page.close();
    }
  });

  it('an admin dismisses it from its own page: the record stays, said dismissed', async () => {
    const opened = await openPage(b.browser, `${t.app.url}/shocks/${intraday.id}`);
    const { page } = opened;
    try {
      await page.fill('#admin-token', TOKEN);
      await page.locator(`.shock-actions[data-shock-id="${intraday.id}"] button[type=button]`).click();
      await page.waitForSelector(`#shock-head .shock-card[data-status="dismissed"]`);
      expect(await page.locator('#shock-head .shock-status').textContent()).toBe('Dismissed');
      const after = (await getJson<{ shock: Shock }>(`${t.app.url}/api/shocks/${intraday.id}`)).shock;
      expect(after.status).toBe('dismissed');
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
