// The study pages in real Chromium against the real app: /studies runs the bundled group on the App Store
// event; /studies/run and a saved /studies/:slug draw the CAAR path with its band, the AAR bars and the ranked
// CARs with the API's numbers, and their tables say what the API says; no console error; 1280 and 390 px.
import type { RunningApp } from '../../src/app/server';
import type { StudyResponse } from '../../src/studies/studyContract';
import { caarPath } from '../../web/src/charts/studyCharts';
import { formatDate, formatPercent } from '../../web/src/format';
import { L1_MEANING, MEMBER_STATUS_WORDS, statText, subgroupCarText, TEST_COLUMNS } from '../../web/src/studyTables';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import {
  chartSnapshot,
  getJson,
  horizontalOverflow,
  launchBrowser,
  openPage,
  screenshot,
  type Browser,
  type OpenedPage,
} from './browserSupport';

const TOKEN = 'study-page-admin-token-0123456789';
const QUERY = 'events=deepseek-app-store-no1&group=bundled-equities&window=-5%2C10';

let db: TestDatabase;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp(db, { ADMIN_TOKEN: TOKEN });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await db?.drop();
});

async function openStudy(path: string, width = 1280): Promise<OpenedPage> {
  const opened = await openPage(browser, `${app.url}${path}`, width);
  await opened.page.waitForSelector('#study-caar[data-drawn="true"]');
  return opened;
}

/** Saves a study through the API as the admin. */
async function saveStudy(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${app.url}/api/studies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
}

const cellTexts = (opened: OpenedPage, table: string, col: string) =>
  opened.page.$$eval(`#${table} tbody [data-col="${col}"]`, (cells) => cells.map((c) => (c.childNodes[0]?.textContent ?? '').trim()));

describe('/studies', () => {
  it('the form runs the bundled group on the App Store event, and the event page links to it', async () => {
    const event = await openPage(browser, `${app.url}/events/deepseek-app-store-no1`);
    await event.page.waitForSelector('#study-this-event');
    await event.page.click('#study-this-event');
    await event.page.waitForURL(/\/studies\?events=deepseek-app-store-no1/);
    await event.page.waitForSelector('input[name=events][value=deepseek-app-store-no1]:checked');
    await event.page.selectOption('#study-group', 'bundled-equities');
    await event.page.click('#study-form button[type=submit]');
    await event.page.waitForURL(/\/studies\/run\?/);
    await event.page.waitForSelector('#study-caar[data-drawn="true"]');
    expect(new URL(event.page.url()).searchParams.get('group')).toBe('bundled-equities');
    expect(event.problems).toEqual([]);
    await event.page.close();
  });

  it('fits 390 px and 1280 px: long event titles wrap instead of widening the page (issue 21, item 5)', async () => {
    for (const width of [1280, 390]) {
      const opened = await openPage(browser, `${app.url}/studies`, width);
      await opened.page.waitForSelector('input[name=events]');
      expect(await opened.page.evaluate(() => document.documentElement.scrollWidth)).toBe(width);
      expect(await horizontalOverflow(opened.page)).toBeLessThanOrEqual(0);
      await screenshot(opened.page, `studies-${width}`);
      expect(opened.problems).toEqual([]);
      await opened.page.close();
    }
  });
});

describe.each([
  ['ad hoc', `/studies/run?${QUERY}`],
  ['saved', '/studies/app-store-shock'],
])('the %s study page', (_name, path) => {
  let opened: OpenedPage;
  let study: StudyResponse;

  beforeAll(async () => {
    if (path.includes('app-store-shock')) {
      await saveStudy({
        slug: 'app-store-shock',
        title: 'The App Store shock',
        group: 'bundled-equities',
        events: ['deepseek-app-store-no1'],
        parameters: { window: '-5,10' },
      });
    }
    study = await getJson<StudyResponse>(`${app.url}${path.replace('/studies/', '/api/studies/')}`);
    opened = await openStudy(path);
  });
  afterAll(async () => {
    await opened?.page.close();
  });

  it("the CAAR path and its band are the API's, day 0 marked", async () => {
    const chart = (await chartSnapshot(opened.page, 'study-caar'))!;
    const want = caarPath(study.aggregate);
    expect(chart.datasets[0].data.map((p) => [p.x, p.y])).toEqual(study.aggregate.days.map((d) => [d.offset, d.caar! * 100]));
    expect(chart.datasets[1].data).toEqual(want.upper);
    expect(chart.annotations.dayZero).toMatchObject({ value: 0, scaleID: 'x' });
  });

  it("the AAR bars and the ranked CARs are the API's", async () => {
    const aar = (await chartSnapshot(opened.page, 'study-aar'))!;
    expect(aar.datasets[0].data.map((p) => [p.x, p.y])).toEqual(study.aggregate.days.map((d) => [d.offset, d.aar! * 100]));
    const ranked = (await chartSnapshot(opened.page, 'study-ranked'))!;
    const cars = study.members
      .filter((m) => m.status === 'ok')
      .map((m) => m.cars[0].car! * 100)
      .sort((a, b) => a - b);
    expect(ranked.datasets[0].data).toEqual(cars);
  });

  it('the tests table says what the API says', async () => {
    expect(await cellTexts(opened, 'study-tests', 'caar')).toEqual(study.aggregate.cars.map((c) => formatPercent(c.caar)));
    for (const [key] of TEST_COLUMNS) {
      expect(await cellTexts(opened, 'study-tests', key)).toEqual(study.aggregate.cars.map((c) => statText(c.tests[key])));
    }
  });

  it('lists every member with its status, sortable by CAR', async () => {
    const statuses = await opened.page.$$eval('#study-members tbody tr', (rows) =>
      rows.map((r) => `${(r as HTMLElement).dataset.symbol}:${(r as HTMLElement).dataset.status}`),
    );
    expect(statuses.sort()).toEqual(study.members.map((m) => `${m.symbol}:${m.status}`).sort());
    const ascending = await cellTexts(opened, 'study-members', 'car-0');
    const want = [...study.members]
      .sort((a, b) => (a.cars[0]?.car ?? Infinity) - (b.cars[0]?.car ?? Infinity))
      .map((m) => formatPercent(m.cars[0]?.car ?? null));
    expect(ascending).toEqual(want);
    await opened.page.selectOption('#member-sort', 'car-desc');
    const descending = await cellTexts(opened, 'study-members', 'car-0');
    expect(descending.filter((t) => t !== '–')).toEqual(want.filter((t) => t !== '–').reverse());
  });

  it('sets the tests apart in styled columns, with the statuses in words, L1 explained and dates on one line (issue 21, item 7)', async () => {
    const page = opened.page;
    const style = await page
      .locator('#study-tests tbody td[data-col="patellZ"]')
      .first()
      .evaluate((td) => {
        const c = getComputedStyle(td);
        return {
          padLeft: parseFloat(c.paddingLeft),
          padRight: parseFloat(c.paddingRight),
          align: c.textAlign,
          border: c.borderBottomStyle,
        };
      });
    expect(style.padLeft + style.padRight).toBeGreaterThanOrEqual(12);
    expect(style.align).toBe('right');
    expect(style.border).toBe('solid');
    // neighbouring headings do not touch
    const heads = await page.locator('#study-tests thead th').evaluateAll((ths) => ths.map((th) => th.getBoundingClientRect()));
    for (let k = 1; k < heads.length; k++) expect(heads[k].left).toBeGreaterThanOrEqual(heads[k - 1].right - 0.5);
    // statuses in words, never the API's codes
    const statuses = await page.locator('#study-members [data-field="status"]').allTextContents();
    expect(statuses.sort()).toEqual(study.members.map((m) => MEMBER_STATUS_WORDS[m.status]).sort());
    expect(statuses.join(' ')).not.toMatch(/_/);
    expect(statuses).toContain('too little history: excluded');
    // L1 says what it is
    expect(await page.locator('#study-members thead th', { hasText: 'L1' }).textContent()).toBe('L1sessions');
    expect(await page.textContent('#l1-meaning')).toBe(L1_MEANING);
    // day 0 as a date in words, on one line
    const day0 = page.locator('#study-members tbody [data-col="day0"]').first();
    expect(await day0.textContent()).toBe(formatDate(study.members.find((m) => m.day0)!.day0!));
    const { height, lineHeight } = await day0.evaluate((td) => ({
      height: td.getBoundingClientRect().height,
      lineHeight: parseFloat(getComputedStyle(td).lineHeight) || 20,
    }));
    expect(height).toBeLessThan(2 * lineHeight + 14);
    // one event: the ranked chart names each member by its ticker, which a phone keeps whole
    const labels = await page.evaluate(
      () =>
        (window as unknown as { __aftershockCharts: Record<string, { data: { labels: string[] } }> }).__aftershockCharts['study-ranked']
          .data.labels,
    );
    expect([...labels].sort()).toEqual(
      study.members
        .filter((m) => m.status === 'ok')
        .map((m) => m.symbol)
        .sort(),
    );
    // no subgroups in this study: no subgroup section
    expect(study.subgroups).toEqual([]);
    expect(await page.locator('#subgroups-section').isHidden()).toBe(true);
  });

  it('logs no console error, and reads at 1280 and 390 px', async () => {
    expect(opened.problems).toEqual([]);
    const slug = path.includes('run') ? 'study-run' : 'study-saved';
    await screenshot(opened.page, `${slug}-1280`);
    const phone = await openStudy(path, 390);
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    // a status and its reason fit their cell (nothing cut at the card's edge on a phone)
    const cut = await phone.page.locator('#study-members tbody [data-col="status"]').evaluateAll((tds) => {
      const box = tds[0].closest('.table-scroll')!.getBoundingClientRect();
      return tds.filter((td) => td.getBoundingClientRect().right > box.right + 1).map((td) => td.textContent);
    });
    expect(cut).toEqual([]);
    await screenshot(phone.page, `${slug}-390`);
    expect(phone.problems).toEqual([]);
    await phone.page.close();
  });
});

describe('a saved study with subgroups (issue 21, item 7)', () => {
  let study: StudyResponse;
  beforeAll(async () => {
    const event = 'deepseek-app-store-no1';
    await saveStudy({
      slug: 'app-store-by-market',
      title: 'The App Store shock by market',
      members: [
        { symbol: '6857.T', event, subgroup: 'Tokyo' },
        { symbol: '8035.T', event, subgroup: 'Tokyo' },
        { symbol: '9984.T', event, subgroup: 'Tokyo' },
        { symbol: 'NVDA', event, subgroup: 'New York' },
        { symbol: 'SMH', event, subgroup: 'New York' },
      ],
      parameters: { window: '-5,10' },
    });
    study = await getJson<StudyResponse>(`${app.url}/api/studies/app-store-by-market`);
  });

  for (const width of [1280, 390]) {
    it(`at ${width} px shows the subgroup results the API returns, and each member's subgroup`, async () => {
      expect(study.subgroups.map((g) => g.subgroup).sort()).toEqual(['New York', 'Tokyo']);
      const opened = await openStudy('/studies/app-store-by-market', width);
      const { page } = opened;
      expect(await page.locator('#subgroups-section').isVisible()).toBe(true);
      const rows = await page
        .locator('#study-subgroups tbody tr')
        .evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.subgroup));
      expect(rows).toEqual(study.subgroups.map((g) => g.subgroup));
      for (const g of study.subgroups) {
        const row = page.locator(`#study-subgroups tr[data-subgroup="${g.subgroup}"]`);
        expect(await row.locator('[data-col="n"]').textContent()).toBe(String(g.aggregate.n));
        for (const [k, [from, to]] of study.options.cars.entries()) {
          const car = g.aggregate.cars.find((c) => c.from === from && c.to === to);
          expect(await row.locator(`[data-col="caar-${k}"]`).textContent()).toBe(subgroupCarText(car));
        }
      }
      expect(await cellTexts(opened, 'study-members', 'subgroup')).toEqual(expect.arrayContaining(['Tokyo', 'New York']));
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, `study-subgroups-${width}`);
      expect(opened.problems).toEqual([]);
      await page.close();
    });
  }
});
