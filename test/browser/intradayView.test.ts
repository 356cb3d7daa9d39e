// The event page's Intraday view (issue 22) in real Chromium against the real app, at 1280 and 390 px: the synthetic
// group (New York in session at the event, Tokyo at its next open, a bar missing) draws every member's price and CAR path in event time (gaps kept as gaps), the
// selected member's matched time-of-day band shaded and its significant run marked, the group's CAAR with its tests
// in words, abnormal volume under it, an "as of" clock; then one more bar arrives and the view takes it from the
// stream without a reload.
import path from 'node:path';
import type { Page, Route } from 'playwright-core';
import { DEFAULT_INTRADAY_OPTIONS, intradayStudy, type IntradaySeries, type IntradayStudyResult } from '../../src/analysis/intraday';
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
  unlabelledControls,
  useBrowser,
  type OpenedPage,
} from './browserSupport';

const ADMIN_TOKEN = 'intraday-view-admin-token-0123456789';
const t = useTestApp({ ADMIN_TOKEN });
const b = useBrowser();

const FIVE_MINUTES = 300_000;

const universe = syntheticIntradayUniverse({ sessionsAfter: 2 });
const MEMBERS = universe.group.symbols.filter((sym) => !sym.startsWith('^'));
const NO_BARS = 'SYN-US9';
/** a bar SYN-US1 lacks: 45 minutes after its event bar (bar +9) */
const MISSING_BAR = new Date(Date.parse(universe.eventBars['SYN-US1']) + 9 * FIVE_MINUTES).toISOString();
/** the bars stored so far end here: Tokyo's next session after its lunch break (12:45 local), New York's closed */
const FIRST_CUTOFF = new Date('2025-02-20T03:45:00Z');

function seriesOf(symbol: string, cutoff: Date): IntradaySeries {
  return {
    symbol,
    bars: universe.bars[symbol]
      .filter((b) => b.ts.getTime() + FIVE_MINUTES <= cutoff.getTime() && b.ts.toISOString() !== MISSING_BAR)
      .map((b) => ({ t: b.ts.toISOString(), close: b.close, volume: b.volume })),
    // the closes of the sessions before the cutoff's date (both markets' sessions of that date are not over)
    dailyCloses: universe.daily[symbol]
      .filter((d) => d.date < cutoff.toISOString().slice(0, 10))
      .map((d) => ({ date: d.date, close: d.close })),
  };
}

/** The study of the synthetic group with the bars stored by `cutoff`, computed by the core the service runs. */
function studyAt(cutoff: Date): IntradayStudyResult {
  const members = MEMBERS.map((symbol) => {
    const spec = universe.instruments.find((i) => i.symbol === symbol)!;
    return { series: seriesOf(symbol, cutoff), market: spec.market, benchmark: seriesOf(spec.benchmarkSymbol!, cutoff) };
  });
  // a member with no bars stored: its status and reason are listed, it draws nothing
  members.push({ series: { symbol: NO_BARS, bars: [], dailyCloses: [] }, market: 'US', benchmark: seriesOf('^SYN-US', cutoff) });
  return intradayStudy(members, { instant: universe.event.instant, dateOnly: false, now: cutoff }, { ...DEFAULT_INTRADAY_OPTIONS });
}

/** The study as the app serves it, for the bars stored by `cutoff`; the test moves the cutoff on to add a bar. */
class StudyFixture {
  cutoff = FIRST_CUTOFF;
  constructor(private readonly event: { slug: string; title: string }) {}
  get study(): IntradayStudyResult & { event: { slug: string; title: string } } {
    return { ...studyAt(this.cutoff), event: this.event };
  }
  async serve(page: Page): Promise<void> {
    await page.route(/\/api\/events\/[^/]+\/intraday(\?.*)?$/, (route: Route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(this.study) }),
    );
    // one message per connection; EventSource reconnects after `retry` ms and gets the study as it then stands
    await page.route(/\/api\/events\/[^/]+\/intraday\/stream$/, (route: Route) => {
      const s = this.study;
      return route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' },
        body: `retry: 300\nevent: study\nid: ${s.asOf}\ndata: ${JSON.stringify(s)}\n\n`,
      });
    });
  }
}

let slug = '';
let fixture: StudyFixture;

beforeAll(async () => {
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
  const event = ((await res.json()) as { event: { slug: string; title: string } }).event;
  slug = event.slug;
  fixture = new StudyFixture(event);
});

async function openIntraday(width: number): Promise<OpenedPage> {
  // openPage waits for the load only: the stream keeps a request open, so the network is never idle
  const opened = await openPage(b.browser, `${t.app.url}/events/${slug}#intraday`, width, {
    waitUntil: 'load',
    prepare: (p) => fixture.serve(p),
  });
  await opened.page.waitForSelector('#chart-intraday-car[data-drawn="true"]');
  return opened;
}

for (const width of [1280, 390]) {
  describe(`the intraday view at ${width} px`, () => {
    let opened: OpenedPage;
    beforeAll(async () => {
      fixture.cutoff = FIRST_CUTOFF;
      opened = await openIntraday(width);
    });
    afterAll(async () => {
      await opened?.page.close();
    });

    it('draws every measured member’s price and CAR path in event time, a missing bar, the night and a lunch break as gaps', async () => {
      const price = await chartSnapshot(opened.page, 'chart-intraday-price');
      expect(price?.drawn).toBe(true);
      expect(price!.datasets.map((d) => d.label)).toEqual(MEMBERS);
      const study = fixture.study;
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
      const study = fixture.study;
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
      const reason = fixture.study.members.at(-1)!.reason!;
      expect(reason).toBeTruthy();
      expect(await page.locator(`#intraday-members tr[data-symbol="${NO_BARS}"]`).textContent()).toContain(reason);
      expect(await page.locator('[data-field="method"]').textContent()).toMatch(/Method: 5m bars.*20 sessions before/);
      expect(await page.locator('[data-field="method"] a').getAttribute('href')).toBeTruthy();
      expect(await unlabelledControls(page, '#intraday-section')).toEqual([]);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await page.locator('#intraday-section').screenshot({ path: path.join(SCREENSHOT_DIR, `event-intraday-${width}.png`) });
      expect(opened.problems).toEqual([]);
    });

    it('takes a new bar from the stream without a reload: the clock and the last point move on', async () => {
      const { page } = opened;
      await page.evaluate(() => {
        (window as unknown as { __notReloaded: boolean }).__notReloaded = true;
      });
      const before = fixture.study;
      const clockBefore = await page.locator('[data-field="as-of"]').getAttribute('datetime');
      expect(clockBefore).toBe(before.asOf);
      fixture.cutoff = new Date(FIRST_CUTOFF.getTime() + FIVE_MINUTES);
      const after = fixture.study;
      expect(after.asOf).not.toBe(before.asOf);
      await page.waitForFunction((asOf) => document.querySelector('[data-field="as-of"]')?.getAttribute('datetime') === asOf, after.asOf);
      expect(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true);
      // Tokyo's bar +33 is appended to its paths; the group path takes it too
      const price = await chartSnapshot(page, 'chart-intraday-price');
      const jp1 = price!.datasets[3].data;
      expect(jp1.at(-1)).toMatchObject({ x: 33 * 5, y: expect.closeTo(after.members[3].points.at(-1)!.fromPrevClose! * 100, 8) });
      const caar = await chartSnapshot(page, 'chart-intraday-caar');
      expect(caar!.datasets[0].data.filter((p) => p.y !== null).map((p) => p.y)).toEqual(
        after.aggregate.map((a) => expect.closeTo(a.caar * 100, 8)),
      );
      expect(after.aggregate.find((a) => a.k === 33)!.n).toBe(MEMBERS.length);
      expect(opened.problems).toEqual([]);
    });
  });
}

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
        expect(opened.problems).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
