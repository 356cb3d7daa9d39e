// The event page's Intraday view (issue 22) in real Chromium against the real app, at 1280 and 390 px: the synthetic
// group's bars stored as the scheduler stores them (New York in session at the event, Tokyo at its next open, a bar
// missing) draw every member's price and CAR path in event time (gaps kept as gaps), the
// selected member's matched time-of-day band shaded and its significant run marked, the group's CAAR with its tests
// in words, abnormal volume under it, an "as of" clock; then one more bar arrives and the view takes it from the
// stream without a reload.
import path from 'node:path';
import type { IntradayStudyResult } from '../../src/analysis/intraday';
import { barEventsService } from '../../src/bars/barEventsBus';
import { upsertDailyBars } from '../../src/bars/dailyBarStore';
import { intradayLive } from '../../src/intraday/intradayLive';
import { saveInstrument } from '../../src/instruments/instrumentStore';
import { syntheticIntradayUniverse } from '../../src/bundled/syntheticIntraday';
import { latestTests, testSentence } from '../../web/src/event-page/intradayText';
import { upsertIntradayBars } from '../../src/bars/intradayBarStore';
import { useTestApp } from '../support/testApp';
import {
  chartSnapshot,
  getJson,
  horizontalOverflow,
  openPage,
  SCREENSHOT_DIR,
  shippedScripts,
  unlabelledControls,
  useBrowser,
  type OpenedPage,
} from './browserSupport';

const ADMIN_TOKEN = 'intraday-view-admin-token-0123456789';
// the app with the bars bus and the live intraday studies on it, as `npm start` runs them
const t = useTestApp({ ADMIN_TOKEN }, [barEventsService(intradayLive)]);
const b = useBrowser();

const FIVE_MINUTES = 300_000;

const universe = syntheticIntradayUniverse({ sessionsAfter: 2 });
const MEMBERS = universe.group.symbols.filter((sym) => !sym.startsWith('^'));
/** a synthetic member with no bars stored: its status and reason are listed, it draws nothing */
const NO_BARS = 'SYN-US9';
const SYMBOLS = [...MEMBERS, NO_BARS];
/** a bar SYN-US1 lacks: 45 minutes after its event bar (bar +9) */
const MISSING_BAR = new Date(Date.parse(universe.eventBars['SYN-US1']) + 9 * FIVE_MINUTES).toISOString();
/** the bars stored at first end here: Tokyo's session after its lunch break (12:45 local), New York's closed */
const FIRST_CUTOFF = new Date('2025-02-20T03:45:00Z');

/** The synthetic 5-minute bars (members and benchmarks) that end in (from, to]. */
function barsBetween(from: Date, to: Date) {
  return Object.values(universe.bars)
    .flat()
    .filter((bar) => {
      const end = bar.ts.getTime() + FIVE_MINUTES;
      return end > from.getTime() && end <= to.getTime() && bar.ts.toISOString() !== MISSING_BAR;
    });
}

let slug = '';
/** the bars stored so far end here */
let storedThrough = FIRST_CUTOFF;
const pageUrl = () => `${t.app.url}/events/${slug}?symbols=${SYMBOLS.join(',')}#intraday`;
const apiUrl = () => `${t.app.url}/api/events/${slug}/intraday?symbols=${SYMBOLS.join(',')}`;

beforeAll(async () => {
  const { pool } = t.db;
  for (const spec of universe.instruments) await saveInstrument(pool, spec);
  const us1 = universe.instruments.find((i) => i.symbol === 'SYN-US1')!;
  await saveInstrument(pool, { ...us1, symbol: NO_BARS, name: 'Synthetic US member without bars (synthetic data)' });
  // the sessions closed before the cutoff's date, and the 5-minute bars stored by the cutoff, as the scheduler stores them
  const daily = Object.values(universe.daily)
    .flat()
    .filter((d) => d.date < FIRST_CUTOFF.toISOString().slice(0, 10));
  await upsertDailyBars(pool, daily, { source: 'synthetic' });
  await upsertIntradayBars(pool, barsBetween(new Date(0), FIRST_CUTOFF), { source: 'synthetic' });
  const res = await fetch(`${t.app.url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({
      slug: universe.event.slug,
      title: universe.event.title,
      kind: universe.event.kind,
      occurredAt: universe.event.instant.toISOString(),
    }),
  });
  expect(res.status).toBe(201);
  slug = ((await res.json()) as { event: { slug: string } }).event.slug;
});

async function openIntraday(width: number): Promise<OpenedPage> {
  // the page keeps its stream open: the network is never idle, so wait for the load and then the charts
  const opened = await openPage(b.browser, pageUrl(), width, { waitUntil: 'load' });
  await opened.page.waitForSelector('#chart-intraday-car[data-drawn="true"]', { timeout: 30_000 });
  return opened;
}

for (const width of [1280, 390]) {
  describe(`the intraday view at ${width} px`, () => {
    let opened: OpenedPage;
    /** the API's answer for the bars stored when the page opened */
    let study: IntradayStudyResult;
    beforeAll(async () => {
      opened = await openIntraday(width);
      study = await getJson<IntradayStudyResult>(apiUrl());
    });
    afterAll(async () => {
      await opened?.page.close();
    });

    it('draws every measured member’s price and CAR path in event time, a missing bar, the night and a lunch break as gaps', async () => {
      const price = await chartSnapshot(opened.page, 'chart-intraday-price');
      expect(price?.drawn).toBe(true);
      expect(price!.datasets.map((d) => d.label)).toEqual(MEMBERS);
      const us1 = price!.datasets[0].data;
      // x = k × 5 minutes; y = fromPrevClose in %
      const first = study.members[0].points[0];
      expect(us1[0]).toMatchObject({ x: first.k * 5, y: expect.closeTo(first.fromPrevClose! * 100, 8) });
      // SYN-US1 lacks bar +9: one null point between bars +8 and +10, no value made up for it
      const gaps = us1.flatMap((p, i) => (p.y === null ? [[us1[i - 1].x, us1[i + 1].x]] : []));
      expect(gaps).toEqual([[40, 50]]);
      // SYN-JP1 reacts at Tokyo's next open: the night before its event bar and its lunch break (after bar +29) are gaps
      const jp1 = price!.datasets[3].data;
      const jpGaps = jp1.flatMap((p, i) => (p.y === null ? [[jp1[i - 1].x, jp1[i + 1].x]] : []));
      expect(jpGaps).toEqual([
        [-5, 0],
        [145, 150],
      ]);
      const car = await chartSnapshot(opened.page, 'chart-intraday-car');
      const jpCar = car!.datasets.find((d) => d.label === 'SYN-JP1')!.data.filter((p) => p.y !== null);
      expect(jpCar.map((p) => p.y)).toEqual(study.members[3].points.map((p) => expect.closeTo(p.car! * 100, 8)));
    });

    it('shades the selected member’s band, marks its significant run, and shows the group path with its tests', async () => {
      const car = await chartSnapshot(opened.page, 'chart-intraday-car');
      const chosen = study.members.find((m) => m.significantFrom !== null)!;
      expect(await opened.page.locator('#intraday-member').inputValue()).toBe(chosen.symbol);
      const upper = car!.datasets.find((d) => d.label === `${chosen.symbol} matched time-of-day band`);
      const lower = car!.datasets.find((d) => d.label === `${chosen.symbol} matched time-of-day band (lower)`);
      expect(upper?.data.length).toBeGreaterThan(5);
      expect(lower?.data.length).toBe(upper?.data.length);
      // the band on the CAR scale: CAR0's band + the CAR before the event bar
      const p5 = chosen.points.find((p) => p.k === 5)!;
      const shift = p5.car! - p5.car0!;
      expect(upper!.data.find((p) => p.x === 25)?.y).toBeCloseTo((p5.upper! + shift) * 100, 8);
      expect(lower!.data.find((p) => p.x === 25)?.y).toBeCloseTo((p5.lower! + shift) * 100, 8);
      const run = car!.annotations.significantRun;
      expect(run?.type).toBe('box');
      const box = await opened.page.evaluate(
        () =>
          (
            window as unknown as {
              __aftershockCharts: Record<
                string,
                { options: { plugins: { annotation: { annotations: Record<string, { xMin: number; xMax: number }> } } } }
              >;
            }
          ).__aftershockCharts['chart-intraday-car'].options.plugins.annotation.annotations.significantRun,
      );
      expect(box.xMin).toBe(chosen.significantFrom! * 5 - 2.5);
      expect(box.xMax).toBe(chosen.significantThrough! * 5 + 2.5);
      const caar = await chartSnapshot(opened.page, 'chart-intraday-caar');
      expect(caar!.datasets[0].data.filter((p) => p.y !== null).map((p) => p.y)).toEqual(
        study.aggregate.map((a) => expect.closeTo(a.caar * 100, 8)),
      );
      const tests = await opened.page.locator('[data-field="tests"]').textContent();
      expect(tests).toBe(testSentence(latestTests(study.aggregate), 5, MEMBERS.length));
      expect(tests).toMatch(/cross-sectional t = .*Stouffer Z = .*BMP t = .*significant at 5% by all three/);
      const volume = await chartSnapshot(opened.page, 'chart-intraday-volume');
      expect(volume!.datasets[0].data.length).toBeGreaterThan(20);
    });

    it('says it is synthetic, the as-of clock, every member’s status and the method; no overflow, no console errors', async () => {
      const { page } = opened;
      expect(await page.locator('.synthetic-label').textContent()).toMatch(/Synthetic data/);
      expect(await page.locator('#chart-intraday-price').getAttribute('aria-label')).toMatch(/^synthetic /);
      const clock = await page.locator('[data-field="as-of"]').textContent();
      expect(clock).toMatch(/UTC\)$/);
      const statuses = await page
        .locator('#intraday-members tbody tr')
        .evaluateAll((rows) => rows.map((r) => [(r as HTMLElement).dataset.symbol, (r as HTMLElement).dataset.status]));
      expect(statuses).toEqual([...MEMBERS.map((sym) => [sym, 'ok']), [NO_BARS, 'no_intraday_bars']]);
      const reason = study.members.at(-1)!.reason!;
      expect(reason).toBeTruthy();
      expect(await page.locator(`#intraday-members tr[data-symbol="${NO_BARS}"]`).textContent()).toContain(reason);
      expect(await page.locator('[data-field="method"]').textContent()).toMatch(/Method: 5m bars.*20 sessions before/);
      expect(await page.locator('[data-field="method"] a').getAttribute('href')).toBeTruthy();
      expect(await unlabelledControls(page, '#intraday-section')).toEqual([]);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await page.locator('#intraday-section').screenshot({ path: path.join(SCREENSHOT_DIR, `event-intraday-${width}.png`) });
      // what a reader sees of it on one screen, the CAR chart and its band in view
      await page.locator('#chart-intraday-car').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `event-intraday-screen-${width}.png`) });
      // the view's code within the dashboard's budget of 250 KB of JavaScript a page, gzip
      const { gzipBytes } = await shippedScripts(opened);
      if (process.env.REPORT_SIZES) process.stdout.write(`event page with the intraday view: ${gzipBytes} bytes of JavaScript, gzip\n`);
      expect(gzipBytes).toBeLessThan(250 * 1024);
      expect(opened.problems).toEqual([]);
    });

    it('takes a new bar from the stream without a reload: the clock and the last point move on', async () => {
      const { page } = opened;
      await page.evaluate(() => {
        (window as unknown as { __notReloaded: boolean }).__notReloaded = true;
      });
      expect(await page.locator('[data-field="as-of"]').getAttribute('datetime')).toBe(study.asOf);
      // one more bar for every member and benchmark, through the store (its NOTIFY reaches the bars bus)
      const next = new Date(storedThrough.getTime() + FIVE_MINUTES);
      await upsertIntradayBars(t.db.pool, barsBetween(storedThrough, next), { source: 'synthetic' });
      storedThrough = next;
      await page.waitForFunction(
        (asOf) => document.querySelector('[data-field="as-of"]')?.getAttribute('datetime') === asOf,
        next.toISOString(),
        { timeout: 20_000 },
      );
      const after = await getJson<IntradayStudyResult>(apiUrl());
      expect(after.asOf).toBe(next.toISOString());
      expect(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true);
      // Tokyo's next bar is appended to its paths; the group path takes it too
      const lastK = after.members[3].points.at(-1)!.k;
      expect(lastK).toBe(study.members[3].points.at(-1)!.k + 1);
      const price = await chartSnapshot(page, 'chart-intraday-price');
      const jp1 = price!.datasets[3].data;
      expect(jp1.at(-1)).toMatchObject({ x: lastK * 5, y: expect.closeTo(after.members[3].points.at(-1)!.fromPrevClose! * 100, 8) });
      const caar = await chartSnapshot(page, 'chart-intraday-caar');
      expect(caar!.datasets[0].data.filter((p) => p.y !== null).map((p) => p.y)).toEqual(
        after.aggregate.map((a) => expect.closeTo(a.caar * 100, 8)),
      );
      expect(after.aggregate.find((a) => a.k === lastK)!.n).toBe(MEMBERS.length);
      // it came as a bars message (the new points only), and every path drawn is the new study's
      expect(await page.locator('#intraday-section [data-live-message]').getAttribute('data-live-message')).toBe('bars');
      const car = await chartSnapshot(page, 'chart-intraday-car');
      for (const m of after.members.filter((x) => x.status === 'ok')) {
        const drawn = car!.datasets.find((d) => d.label === m.symbol)!.data.filter((p) => p.y !== null);
        expect(drawn.map((p) => p.y)).toEqual(m.points.filter((p) => p.car !== null).map((p) => expect.closeTo(p.car! * 100, 8)));
      }
      expect(opened.problems).toEqual([]);
    });
  });
}

describe('an older event', () => {
  it('keeps its intraday view behind a button, which opens it with each member’s status', async () => {
    const events = (await getJson<{ events: { slug: string; dateOnly: boolean; kind: string }[] }>(`${t.app.url}/api/events`)).events;
    const timed = events.find((e) => !e.dateOnly && e.kind !== 'synthetic')!;
    const opened = await openPage(b.browser, `${t.app.url}/events/${timed.slug}`, 390);
    const { page } = opened;
    try {
      // no study is asked for until the reader wants one
      const button = page.locator('#intraday-open');
      await button.waitFor();
      await button.click();
      await page.waitForSelector('#intraday-members tbody tr');
      const statuses = await page
        .locator('#intraday-members tbody tr')
        .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.status));
      // the bundled data has daily bars only: every member says why it has no intraday path
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.every((status) => status !== 'ok')).toBe(true);
      expect(await page.locator('.intraday-view').textContent()).toContain('No member has intraday bars in the event window yet');
      expect(page.url()).toMatch(/#intraday$/);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('the instrument page’s latest session in 5-minute bars', () => {
  const SYMBOL = '6857.T';
  let session = '';
  let stored: { ts: Date; close: number }[] = [];

  beforeAll(async () => {
    const daily = await getJson<{ bars: { date: string; close: number }[] }>(`${t.app.url}/api/instruments/${SYMBOL}/bars`);
    session = daily.bars.at(-1)!.date;
    // Tokyo: 09:00-11:30 and 12:30-15:30 local (00:00-02:30 and 03:30-06:30 UTC); synthetic closes, bar 10:00 missing
    const open = Date.parse(`${session}T00:00:00Z`);
    const starts = [
      ...Array.from({ length: 30 }, (_, i) => open + i * FIVE_MINUTES),
      ...Array.from({ length: 36 }, (_, i) => open + 3.5 * 3_600_000 + i * FIVE_MINUTES),
    ].filter((ts) => ts !== open + 3_600_000);
    stored = starts.map((ts, i) => ({ ts: new Date(ts), close: 10_000 + 10 * Math.sin(i / 4) }));
    await upsertIntradayBars(
      t.db.pool,
      stored.map((b) => ({
        symbol: SYMBOL,
        interval: '5m',
        ts: b.ts,
        open: b.close,
        high: b.close,
        low: b.close,
        close: b.close,
        volume: 1000,
      })),
      { source: 'synthetic:intradayView.test' },
    );
  });

  for (const width of [1280, 390]) {
    it(`shows the latest session's closes beside the daily chart, the lunch break and the missing bar as gaps, at ${width} px`, async () => {
      const opened = await openPage(b.browser, `${t.app.url}/instruments/${SYMBOL}`, width);
      const { page } = opened;
      try {
        await page.waitForSelector('#chart-session[data-drawn="true"]');
        const chart = await chartSnapshot(page, 'chart-session');
        const data = chart!.datasets[0].data;
        expect(data.filter((p) => p.y !== null).map((p) => p.y)).toEqual(stored.map((b) => expect.closeTo(b.close, 8)));
        // two gaps: the missing 10:00 bar and the lunch break, nothing drawn inside either
        expect(data.filter((p) => p.y === null)).toHaveLength(2);
        expect(await page.locator('[data-field="session"]').textContent()).toMatch(/65 bars stored/);
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        await page.locator('#session-section').screenshot({ path: path.join(SCREENSHOT_DIR, `instrument-session-${width}.png`) });
        const { gzipBytes } = await shippedScripts(opened);
        if (process.env.REPORT_SIZES) process.stdout.write(`instrument page: ${gzipBytes} bytes of JavaScript, gzip\n`);
        expect(gzipBytes).toBeLessThan(250 * 1024);
        expect(opened.problems).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
