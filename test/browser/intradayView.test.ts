// The event page's Intraday view (issue 22) in real Chromium against the real app, at 1280 and 390 px: a synthetic
// group with an event in session draws every member's price and CAR path in event time (gaps kept as gaps), the
// selected member's matched time-of-day band shaded and its significant run marked, the group's CAAR with its tests
// in words, abnormal volume under it, an "as of" clock; then one more bar arrives and the view takes it from the
// stream without a reload.
import path from 'node:path';
import type { Page, Route } from 'playwright-core';
import type {
  IntradayAggregatePoint,
  IntradayMemberResult,
  IntradayPoint,
  IntradayStudyResult,
} from '../../src/analysis/intraday/intradayTypes';
import { DEFAULT_INTRADAY_OPTIONS } from '../../src/analysis/intraday/intradayTypes';
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

/** A synthetic member: its event bar, how many bars so far, a bar it lacks, the slot its lunch break follows. */
interface MemberPlan {
  symbol: string;
  eventBar: Date;
  eventSlot: number;
  /** the reaction per bar from the event bar on (AR) */
  reaction: number;
  missingK?: number;
  lunchAfterSlot?: number;
}

const round = (x: number) => Math.round(x * 1e8) / 1e8;

/**
 * The study answer of the contract for a synthetic group, through offset `lastK`: a fixture standing in for
 * GET /api/events/:slug/intraday until the service lands. Numbers are made up but consistent (CAR = sum of AR,
 * CAR0 from the event bar, the band around zero widening with k, the run where CAR0 leaves it).
 */
function syntheticStudy(instant: Date, plans: MemberPlan[], lastK: number): IntradayStudyResult {
  const options = { ...DEFAULT_INTRADAY_OPTIONS, window: [-12, 78] as [number, number] };
  const members: IntradayMemberResult[] = plans.map((plan) => {
    const points: IntradayPoint[] = [];
    let car = 0;
    let car0 = 0;
    for (let k = -12; k <= lastK; k++) {
      const slot = plan.eventSlot + k;
      if (slot < 0 || k === plan.missingK) continue;
      const lunch = plan.lunchAfterSlot !== undefined && slot > plan.lunchAfterSlot ? 12 * FIVE_MINUTES : 0;
      const ts = new Date(plan.eventBar.getTime() + k * FIVE_MINUTES + lunch);
      const ar = k < 0 ? 0.0004 * Math.sin(k + plan.symbol.length) : plan.reaction * (k < 6 ? 1 : 0.3);
      car += ar;
      if (k >= 0) car0 += ar;
      const half = k >= 0 ? 0.003 * Math.sqrt(k + 1) : null;
      const outside = half !== null && Math.abs(car0) > half;
      points.push({
        k,
        t: ts.toISOString(),
        session: plan.eventBar.toISOString().slice(0, 10),
        slot,
        close: round(100 * (1 + car)),
        fromPrevClose: round(0.002 + car),
        ret: round(ar),
        ar: round(ar),
        sar: round(ar / 0.0015),
        car: round(car),
        car0: k >= 0 ? round(car0) : null,
        z: k >= 0 ? round(car0 / (0.0015 * Math.sqrt(k + 1))) : null,
        p: k >= 0 ? 0.01 : null,
        lower: half === null ? null : -half,
        upper: half,
        outside,
        av: round(k >= 0 && k < 6 ? 3.1 - k * 0.3 : 0.9 + 0.05 * (k % 3)),
      });
    }
    const outsideKs = points.filter((p) => p.outside && p.k >= options.initialBars).map((p) => p.k);
    let through = outsideKs[0] ?? null;
    while (through !== null && outsideKs.includes(through + 1)) through++;
    const last = points.at(-1)!;
    return {
      symbol: plan.symbol,
      benchmark: 'SYNIDX',
      market: 'XNYS' as IntradayMemberResult['market'],
      status: 'ok',
      reason: null,
      eventSession: plan.eventBar.toISOString().slice(0, 10),
      eventBar: plan.eventBar.toISOString(),
      eventSlot: plan.eventSlot,
      model: { kind: 'market', alpha: 0, beta: 1, s2: 2e-6, L1: 1500, sessions: [] },
      sigma: [],
      offGrid: 0,
      points,
      significantFrom: outsideKs[0] ?? null,
      significantThrough: through,
      direction: outsideKs.length ? (Math.sign(plan.reaction) as -1 | 1) : null,
      asOf: new Date(Date.parse(last.t) + FIVE_MINUTES).toISOString(),
      notes: [],
    };
  });
  const aggregate: IntradayAggregatePoint[] = [];
  let caar = 0;
  let caar0 = 0;
  for (let k = -12; k <= lastK; k++) {
    const ars = members.flatMap((m) => m.points.filter((p) => p.k === k).map((p) => p.ar!));
    if (ars.length === 0) continue;
    const aar = ars.reduce((s, v) => s + v, 0) / ars.length;
    caar += aar;
    if (k >= 0) caar0 += aar;
    const test = k >= 0 ? { stat: round(caar0 / 0.002), p: 0.004 } : null;
    aggregate.push({
      k,
      n: ars.length,
      aar: round(aar),
      caar: round(caar),
      caar0: k >= 0 ? round(caar0) : null,
      csectT: test,
      stoufferZ: test,
      bmpT: test,
      nZ: ars.length,
    });
  }
  const asOf = members
    .map((m) => m.asOf!)
    .sort()
    .at(-1)!;
  return { instant: instant.toISOString(), options, members: [...members, pendingMember()], aggregate, asOf };
}

function pendingMember(): IntradayMemberResult {
  return {
    symbol: 'SYNT',
    benchmark: null,
    market: null,
    status: 'no_intraday_bars',
    reason: 'no 5m bars stored in the event window',
    eventSession: null,
    eventBar: null,
    eventSlot: null,
    model: null,
    sigma: [],
    offGrid: 0,
    points: [],
    significantFrom: null,
    significantThrough: null,
    direction: null,
    asOf: null,
    notes: [],
  };
}

/** The fixture's study as the app would serve it, at `lastK` bars; the test moves lastK on to add a bar. */
class StudyFixture {
  lastK = 14;
  constructor(
    private readonly instant: Date,
    private readonly plans: MemberPlan[],
    private readonly event: { slug: string; title: string },
  ) {}
  get study(): IntradayStudyResult & { event: { slug: string; title: string } } {
    return { ...syntheticStudy(this.instant, this.plans, this.lastK), event: this.event };
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
  // an event in session an hour ago (recent: the view opens by itself and follows the stream)
  const instant = new Date(Math.floor((Date.now() - 3_600_000) / FIVE_MINUTES) * FIVE_MINUTES + 60_000);
  const res = await fetch(`${t.app.url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ title: 'Synthetic intraday shock', kind: 'synthetic', occurredAt: instant.toISOString() }),
  });
  expect(res.status).toBe(201);
  const event = ((await res.json()) as { event: { slug: string; title: string } }).event;
  slug = event.slug;
  const bar = new Date(instant.getTime() - 60_000);
  fixture = new StudyFixture(
    instant,
    [
      { symbol: 'SYNA', eventBar: bar, eventSlot: 30, reaction: -0.004, missingK: 9 },
      { symbol: 'SYNB', eventBar: bar, eventSlot: 30, reaction: -0.0025 },
      // a Tokyo-like member: its lunch break follows slot 34, four bars after its event bar
      { symbol: 'SYNC', eventBar: new Date(bar.getTime() + 10 * FIVE_MINUTES), eventSlot: 30, reaction: -0.002, lunchAfterSlot: 34 },
    ],
    event,
  );
});

async function openIntraday(width: number): Promise<OpenedPage> {
  // openPage waits for the load only: the stream keeps a request open, so the network is never idle
  const opened = await openPage(b.browser, `${t.app.url}/events/${slug}`, width, { waitUntil: 'load', prepare: (p) => fixture.serve(p) });
  await opened.page.waitForSelector('#chart-intraday-car[data-drawn="true"]');
  return opened;
}

for (const width of [1280, 390]) {
  describe(`the intraday view at ${width} px`, () => {
    let opened: OpenedPage;
    beforeAll(async () => {
      fixture.lastK = 14;
      opened = await openIntraday(width);
    });
    afterAll(async () => {
      await opened?.page.close();
    });

    it('draws every measured member’s price and CAR path in event time, a missing bar and a lunch break as gaps', async () => {
      const price = await chartSnapshot(opened.page, 'chart-intraday-price');
      expect(price?.drawn).toBe(true);
      expect(price!.datasets.map((d) => d.label)).toEqual(['SYNA', 'SYNB', 'SYNC']);
      const study = fixture.study;
      const a = price!.datasets[0].data;
      // x = k × 5 minutes; y = fromPrevClose in %
      const first = study.members[0].points[0];
      expect(a[0]).toMatchObject({ x: first.k * 5, y: expect.closeTo(first.fromPrevClose! * 100, 8) });
      // SYNA lacks bar 9: a null point sits between bars 8 and 10, no value is made up for it
      const gap = a.findIndex((p) => p.y === null);
      expect(a[gap - 1].x).toBe(40);
      expect(a[gap + 1].x).toBe(50);
      expect(a.some((p) => p.x === 45 && p.y !== null)).toBe(false);
      // SYNC's lunch break after its slot 34 (bar +4): a gap between bars 4 and 5 although no bar is missing
      const c = price!.datasets[2].data;
      const lunch = c.findIndex((p) => p.y === null);
      expect([c[lunch - 1].x, c[lunch + 1].x]).toEqual([20, 25]);
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
      expect(caar!.datasets[0].data.map((p) => p.y)).toEqual(study.aggregate.map((a) => expect.closeTo(a.caar * 100, 8)));
      const tests = await opened.page.locator('[data-field="tests"]').textContent();
      expect(tests).toBe(testSentence(latestTests(study.aggregate), 5, 3));
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
      expect(statuses).toEqual([
        ['SYNA', 'ok'],
        ['SYNB', 'ok'],
        ['SYNC', 'ok'],
        ['SYNT', 'no_intraday_bars'],
      ]);
      expect(await page.locator('#intraday-members tr[data-symbol="SYNT"]').textContent()).toMatch(/no 5m bars stored in the event window/);
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
      fixture.lastK = 15;
      const after = fixture.study;
      await page.waitForFunction((asOf) => document.querySelector('[data-field="as-of"]')?.getAttribute('datetime') === asOf, after.asOf);
      expect(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true);
      const price = await chartSnapshot(page, 'chart-intraday-price');
      expect(price!.datasets[0].data.at(-1)!.x).toBe(15 * 5);
      const caar = await chartSnapshot(page, 'chart-intraday-caar');
      expect(caar!.datasets[0].data.at(-1)!.y).toBeCloseTo(after.aggregate.at(-1)!.caar * 100, 8);
      expect(await page.locator('[data-field="tests"]').textContent()).toMatch(/^At \+1 h 15 min \(bar 15\)/);
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
