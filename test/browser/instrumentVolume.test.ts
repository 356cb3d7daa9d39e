// The instrument page's volume bars, abnormal-volume marks and candle switch in real Chromium against the real
// app: the charts hold what the bars and impact APIs say, the switch is a labelled radio group, and the page
// reads at 1280 and 390 px.
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { DailyBarsResponse } from '../../src/instruments/instrumentContract';
import type { ImpactResponse } from '../../src/impact/impactContract';
import { formatRatio } from '../../web/src/volumeFormat';
import { VOLUME_COLOURS } from '../../web/src/charts/volume';
import { useTestApp } from '../support/testApp';
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

const t = useTestApp();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface ChartState {
  type: string;
  datasets: { type?: string; data: Record<string, number | string>[]; backgroundColor: unknown }[];
}

/** The chart's type and raw data as the page holds it (window.__aftershockCharts, see web/src/charts/draw.ts). */
function chartState(page: Page, id: string): Promise<ChartState | null> {
  return page.evaluate((canvasId) => {
    type ChartLike = { config: { type: string }; data: { datasets: { type?: string; data: unknown[]; backgroundColor: unknown }[] } };
    const chart = (window as unknown as { __aftershockCharts?: Record<string, ChartLike> }).__aftershockCharts?.[canvasId];
    if (!chart) return null;
    return {
      type: chart.config.type,
      datasets: chart.data.datasets.map((d) => ({
        type: d.type,
        data: JSON.parse(JSON.stringify(d.data)),
        backgroundColor: Array.isArray(d.backgroundColor) ? [...d.backgroundColor] : d.backgroundColor,
      })),
    };
  }, id);
}

const at = (date: string) => Date.parse(`${date}T00:00:00Z`);

describe('/instruments/NVDA: volume and candles', () => {
  let bars: DailyBarsResponse['bars'];

  beforeAll(async () => {
    bars = (await getJson<DailyBarsResponse>(`${t.app.url}/api/instruments/NVDA/bars`)).bars;
  });

  it('draws the volume under the price chart, bar for bar as the bars API gives them, on the same time axis', async () => {
    const opened = await openPage(browser, `${t.app.url}/instruments/NVDA`);
    const { page } = opened;
    try {
      await page.waitForSelector('#chart-volume[data-marked="true"]');
      const volume = (await chartState(page, 'chart-volume'))!;
      expect(volume.type).toBe('bar');
      expect(volume.datasets[0].data.map((p) => ({ x: p.x, y: p.y }))).toEqual(bars.map((b) => ({ x: at(b.date), y: b.volume })));
      // one x range for both charts: a date sits at the same place in each, in either view
      const xAxes = () =>
        page.evaluate(() => {
          const charts = (
            window as unknown as {
              __aftershockCharts: Record<string, { scales: { x: { left: number; right: number; min: number; max: number } } }>;
            }
          ).__aftershockCharts;
          return ['chart-history', 'chart-volume'].map((id) => {
            const x = charts[id].scales.x;
            return { left: x.left, right: x.right, min: x.min, max: x.max };
          });
        });
      const [line, under] = await xAxes();
      expect(under).toEqual(line);
      await page.getByLabel('Candles (open, high, low, close)').check();
      await page.waitForSelector('#chart-history[data-view="candles"][data-drawn="true"]');
      const [candles] = await xAxes();
      expect(candles).toEqual(under);
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("marks 27 Jan 2025 as abnormal volume (the impact API's ratio, 2x or more) and says day 0's ratio by each event", async () => {
    const impact = await getJson<ImpactResponse>(`${t.app.url}/api/events/deepseek-app-store-no1/impact?symbols=NVDA&window=-1,5`);
    const nvda = impact.results[0];
    expect(nvda.abnormalVolume).toBeGreaterThan(2);
    const opened = await openPage(browser, `${t.app.url}/instruments/NVDA`);
    const { page } = opened;
    try {
      await page.waitForSelector('#chart-volume[data-marked="true"]');
      const volume = (await chartState(page, 'chart-volume'))!;
      const colours = volume.datasets[0].backgroundColor as string[];
      const index = bars.findIndex((b) => b.date === '2025-01-27');
      expect(colours[index]).toBe(VOLUME_COLOURS.marked);
      // a session far from every event is not measured
      expect(colours[bars.findIndex((b) => b.date === '2024-11-15')]).toBe(VOLUME_COLOURS.other);
      const text = await page.locator('#event-markers li[data-slug="deepseek-app-store-no1"] [data-field="day0-volume"]').textContent();
      expect(text).toBe(` · day 0 (27 Jan 2025): volume ${formatRatio(nvda.abnormalVolume)} normal`);
      expect(await page.locator('#volume-method').textContent()).toMatch(/mean daily volume over the event's estimation window/);
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('switches the price chart to candles with the open, high, low and close of every bar, and back', async () => {
    const opened = await openPage(browser, `${t.app.url}/instruments/NVDA`);
    const { page } = opened;
    try {
      await page.waitForSelector('#chart-history[data-drawn="true"]');
      expect((await chartState(page, 'chart-history'))!.type).toBe('line');
      expect(await unlabelledControls(page, '#price-view')).toEqual([]);
      await page.getByLabel('Candles (open, high, low, close)').check();
      await page.waitForSelector('#chart-history[data-view="candles"][data-drawn="true"]');
      const candles = (await chartState(page, 'chart-history'))!;
      expect(candles.type).toBe('candlestick');
      expect(candles.datasets[0].data).toEqual(bars.map((b) => ({ x: at(b.date), o: b.open, h: b.high, l: b.low, c: b.close })));
      expect(new URL(page.url()).searchParams.get('chart')).toBe('candles');
      await screenshot(page, 'instrument-candles-1280');
      await page.getByLabel('Close line').check();
      await page.waitForSelector('#chart-history[data-view="line"][data-drawn="true"]');
      expect((await chartState(page, 'chart-history'))!.type).toBe('line');
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('opens on candles from its URL, and says an index has no volume', async () => {
    const opened = await openPage(browser, `${t.app.url}/instruments/%5EGSPC?chart=candles`);
    const { page } = opened;
    try {
      await page.waitForSelector('#chart-history[data-drawn="true"]');
      expect((await chartState(page, 'chart-history'))!.type).toBe('candlestick');
      expect(await page.locator('#price-view-candles').isChecked()).toBe(true);
      expect(await page.locator('#volume').textContent()).toBe('^GSPC reports no volume (indices and FX series have none).');
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('reads at 1280 and 390 px, in both views', async () => {
    for (const width of [1280, 390]) {
      for (const view of ['', '?chart=candles']) {
        const opened = await openPage(browser, `${t.app.url}/instruments/NVDA${view}`, width);
        try {
          await opened.page.waitForSelector('#chart-volume[data-marked="true"]');
          expect(await horizontalOverflow(opened.page)).toBeLessThanOrEqual(0);
          const name = `instrument-volume${view ? '-candles' : ''}-${width}`;
          await screenshot(opened.page, name);
          // the charts alone, at full resolution: the whole phone page is too tall to look at in one image
          await opened.page
            .locator('section[aria-labelledby="history-title"]')
            .screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-charts.png`) });
          expect(opened.problems).toEqual([]);
        } finally {
          await opened.page.close();
        }
      }
    }
  });
});
