// The instrument page's chart as someone from TradingView or Yahoo Finance reaches for it, in real Chromium against
// the real app with the bundled data: range buttons, % change, the benchmark overlaid, moves labelled with their %,
// the market capitalisation in the header; compared with the API's bars.
import type { Page } from 'playwright-core';
import type { RunningApp } from '../../src/app/server';
import { formatMoney, formatPercent } from '../../web/src/format';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { chartSnapshot, getJson, horizontalOverflow, launchBrowser, openPage, screenshot, type Browser } from './browserSupport';

interface Bar {
  date: string;
  close: number;
}
interface InstrumentJson {
  symbol: string;
  benchmark: string | null;
  sharesOutstanding: number | null;
}

let db: TestDatabase;
let app: RunningApp;
let browser: Browser;
let nvdaBars: Bar[];
let nvda: InstrumentJson;

const DAY = 86_400_000;
const time = (date: string) => Date.parse(`${date}T00:00:00Z`);

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp(db);
  browser = await launchBrowser();
  nvdaBars = (await getJson<{ bars: Bar[] }>(`${app.url}/api/instruments/NVDA/bars`)).bars;
  nvda = (await getJson<{ instrument: InstrumentJson }>(`${app.url}/api/instruments/NVDA`)).instrument;
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await db?.drop();
});

/** The x range the volume chart shows (its options' min and max). */
async function volumeSpan(page: Page): Promise<[number, number]> {
  return page.evaluate(() => {
    const c = (window as unknown as { __aftershockCharts: Record<string, { options: { scales: { x: { min: number; max: number } } } }> })
      .__aftershockCharts['chart-volume'];
    return [c.options.scales.x.min, c.options.scales.x.max] as [number, number];
  });
}

/** Waits until the volume chart shows the span the price chart shows. */
async function volumeFollows(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const charts = (
      window as unknown as {
        __aftershockCharts: Record<
          string,
          { scales: { x: { min: number; max: number } }; options: { scales: { x: { min: number; max: number } } } }
        >;
      }
    ).__aftershockCharts;
    const price = charts['chart-history'].scales.x;
    const volume = charts['chart-volume'].options.scales.x;
    return volume.min === price.min && volume.max === price.max;
  });
}

describe('/instruments/NVDA chart controls', () => {
  it('range buttons show the last month, a year or everything, the volume bars following, kept in the URL', async () => {
    const opened = await openPage(browser, `${app.url}/instruments/NVDA`);
    const { page } = opened;
    try {
      expect(await page.locator('#price-range button').allTextContents()).toEqual(['1M', '3M', '6M', '1Y', 'Max']);
      expect(await page.getAttribute('#price-range [data-range="max"]', 'aria-pressed')).toBe('true');
      const all = await chartSnapshot(page, 'chart-history');
      expect(all!.datasets[0].data).toHaveLength(nvdaBars.length);

      await page.click('#price-range [data-range="1M"]');
      const month = await chartSnapshot(page, 'chart-history');
      const last = time(nvdaBars.at(-1)!.date);
      const shown = month!.datasets[0].data;
      const expected = nvdaBars.filter((b) => b.date >= '2025-02-28'); // one month before the last bar, 31 Mar 2025
      expect(nvdaBars.at(-1)!.date).toBe('2025-03-31');
      expect(shown.map((p) => p.x)).toEqual(expected.map((b) => time(b.date)));
      expect(await page.getAttribute('#price-range [data-range="1M"]', 'aria-pressed')).toBe('true');
      expect(new URL(page.url()).searchParams.get('range')).toBe('1M');
      const [min, max] = await volumeSpan(page);
      expect(min).toBe(time(expected[0].date) - DAY / 2);
      expect(max).toBe(last + DAY / 2);

      await page.click('#price-range [data-range="max"]');
      expect((await chartSnapshot(page, 'chart-history'))!.datasets[0].data).toHaveLength(nvdaBars.length);
      expect(new URL(page.url()).searchParams.get('range')).toBeNull();
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('% change draws the change since the first bar shown; the benchmark overlaid the same way', async () => {
    const opened = await openPage(browser, `${app.url}/instruments/NVDA?range=3M`);
    const { page } = opened;
    try {
      await page.check('#price-percent');
      const snap = await chartSnapshot(page, 'chart-history');
      const line = snap!.datasets[0].data;
      const base = nvdaBars.find((b) => time(b.date) === line[0].x)!.close;
      expect(line[0].y).toBe(0);
      expect(line.at(-1)!.y).toBeCloseTo(nvdaBars.at(-1)!.close / base - 1, 12);
      expect(new URL(page.url()).searchParams.get('scale')).toBe('percent');
      expect(await page.getAttribute('#chart-history', 'data-scale')).toBe('percent');

      await page.uncheck('#price-percent');
      expect(nvda.benchmark).not.toBeNull();
      await page.check('#price-compare');
      await page.waitForFunction(() => document.querySelector('#chart-history')?.getAttribute('data-scale') === 'percent');
      const compared = await chartSnapshot(page, 'chart-history');
      const bench = compared!.datasets.find((d) => d.label === `${nvda.benchmark} (benchmark) change`);
      expect(bench).toBeDefined();
      const benchBars = (await getJson<{ bars: Bar[] }>(`${app.url}/api/instruments/${encodeURIComponent(nvda.benchmark!)}/bars`)).bars;
      const first = compared!.datasets[0].data[0].x;
      const benchBase = [...benchBars].reverse().find((b) => time(b.date) <= first)!.close;
      const lastBench = benchBars.filter((b) => time(b.date) <= time(nvdaBars.at(-1)!.date)).at(-1)!;
      expect(bench!.data.at(-1)!.y).toBeCloseTo(lastBench.close / benchBase - 1, 12);
      // overlaid, the price itself would be in other units: % change is on and cannot be switched off
      expect(await page.isChecked('#price-percent')).toBe(true);
      expect(await page.isDisabled('#price-percent')).toBe(true);
      expect(new URL(page.url()).searchParams.get('compare')).toBe('benchmark');
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('labels each detected move with its %, and keeps the event numbers of the list under the chart in a range', async () => {
    const { moves } = await getJson<{ moves: { date: string; move: number }[] }>(`${app.url}/api/moves?symbol=NVDA`);
    const opened = await openPage(browser, `${app.url}/instruments/NVDA`);
    const { page } = opened;
    try {
      const labels = await page.evaluate(() => {
        const chart = (
          window as unknown as {
            __aftershockCharts: Record<
              string,
              { options: { plugins: { annotation: { annotations: Record<string, { type: string; content?: unknown }> } } } }
            >;
          }
        ).__aftershockCharts['chart-history'];
        return Object.entries(chart.options.plugins.annotation.annotations)
          .filter(([k]) => k.startsWith('move-'))
          .map(([, a]) => a.content);
      });
      const stored = new Set(nvdaBars.map((b) => b.date));
      const onChart = moves.filter((m) => stored.has(m.date));
      expect(onChart.length).toBeGreaterThan(0);
      expect(labels.sort()).toEqual(onChart.map((m) => formatPercent(m.move, 1)).sort());

      // the list numbers events 1..n over all the stored prices; a range keeps each event's number
      const listed = await page
        .locator('#event-markers li[data-slug]')
        .evaluateAll((li) => li.map((l) => (l as HTMLElement).dataset.slug!));
      await page.click('#price-range [data-range="1M"]');
      const numbers = await page.evaluate(() => {
        const chart = (
          window as unknown as {
            __aftershockCharts: Record<
              string,
              { options: { plugins: { annotation: { annotations: Record<string, { label?: { content?: unknown } }> } } } }
            >;
          }
        ).__aftershockCharts['chart-history'];
        return Object.entries(chart.options.plugins.annotation.annotations)
          .filter(([k]) => k.startsWith('event-'))
          .map(([k, a]) => [k.slice('event-'.length), a.label?.content] as [string, unknown]);
      });
      for (const [slug, content] of numbers) expect(content).toBe(String(listed.indexOf(slug) + 1));
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('zooms with Ctrl + wheel and pans by dragging, the volume bars following; Reset zoom shows the range again', async () => {
    const opened = await openPage(browser, `${app.url}/instruments/NVDA`);
    const { page } = opened;
    try {
      const xSpan = () =>
        page.evaluate(() => {
          const c = (window as unknown as { __aftershockCharts: Record<string, { scales: { x: { min: number; max: number } } }> })
            .__aftershockCharts['chart-history'];
          return [c.scales.x.min, c.scales.x.max] as [number, number];
        });
      const [min0, max0] = await xSpan();
      const box = (await page.locator('#chart-history').boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
      // a plain wheel scrolls the page and leaves the chart alone
      await page.mouse.wheel(0, -200);
      expect(await xSpan()).toEqual([min0, max0]);
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, -400);
      await page.keyboard.up('Control');
      await page.waitForFunction((w) => {
        const c = (window as unknown as { __aftershockCharts: Record<string, { scales: { x: { min: number; max: number } } }> })
          .__aftershockCharts['chart-history'];
        return c.scales.x.max - c.scales.x.min < w;
      }, max0 - min0);
      const [min1, max1] = await xSpan();
      expect(min1).toBeGreaterThan(min0);
      expect(max1).toBeLessThanOrEqual(max0);
      await volumeFollows(page); // the plugin reports a wheel zoom once the wheel has stopped
      expect(await volumeSpan(page)).toEqual([min1, max1]);

      // drag to the right: earlier dates come into view
      await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      await page.waitForFunction((m) => {
        const c = (window as unknown as { __aftershockCharts: Record<string, { scales: { x: { min: number } } }> }).__aftershockCharts[
          'chart-history'
        ];
        return c.scales.x.min < m;
      }, min1);
      const [min2, max2] = await xSpan();
      expect(max2 - min2).toBeCloseTo(max1 - min1, -3);
      await volumeFollows(page);
      expect(await volumeSpan(page)).toEqual([min2, max2]);

      await page.click('#zoom-reset');
      expect(await xSpan()).toEqual([min0, max0]);
      expect(await volumeSpan(page)).toEqual([min0, max0]);
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows the market capitalisation in the header: shares outstanding × the last close', async () => {
    const opened = await openPage(browser, `${app.url}/instruments/NVDA`);
    try {
      expect(nvda.sharesOutstanding).not.toBeNull();
      const last = nvdaBars.at(-1)!;
      expect(await opened.page.locator('[data-figure="market-cap"]').textContent()).toBe(
        formatMoney(nvda.sharesOutstanding! * last.close, 'USD'),
      );
      expect(await opened.page.locator('.market-cap').textContent()).toMatch(/shares outstanding .*× the close of 31 Mar 2025/);
      expect(opened.problems).toEqual([]);
    } finally {
      await opened.page.close();
    }
  });

  it('is written as screenshots at 1280 and 390 px (a year, the benchmark overlaid), nothing sideways', async () => {
    for (const width of [1280, 390]) {
      const opened = await openPage(browser, `${app.url}/instruments/NVDA?range=1Y&compare=benchmark`, width);
      try {
        await opened.page.waitForFunction(() => document.querySelector('#chart-history')?.getAttribute('data-scale') === 'percent');
        expect(await horizontalOverflow(opened.page)).toBeLessThanOrEqual(0);
        await screenshot(opened.page, `instrument-controls-${width}`);
        expect(opened.problems).toEqual([]);
      } finally {
        await opened.page.close();
      }
    }
  });
});

describe('the small abnormal-return charts of an event page', () => {
  it('share one y scale, which holds every bar, CAR and band of them', async () => {
    const opened = await openPage(browser, `${app.url}/events/deepseek-app-store-no1`, 390);
    const { page } = opened;
    try {
      await page.locator('#ar-charts canvas').first().waitFor();
      const scales = await page.evaluate(() => {
        type C = { scales: { y: { min: number; max: number } }; data: { datasets: { data: { y: number }[] }[] } };
        const charts = (window as unknown as { __aftershockCharts: Record<string, C> }).__aftershockCharts;
        return Object.entries(charts)
          .filter(([id]) => id.startsWith('chart-ar-'))
          .map(([, c]) => ({ min: c.scales.y.min, max: c.scales.y.max, ys: c.data.datasets.flatMap((d) => d.data.map((p) => p.y)) }));
      });
      expect(scales.length).toBeGreaterThan(1);
      for (const s of scales) {
        expect([s.min, s.max]).toEqual([scales[0].min, scales[0].max]);
        for (const y of s.ys) {
          expect(y).toBeGreaterThanOrEqual(s.min);
          expect(y).toBeLessThanOrEqual(s.max);
        }
      }
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
