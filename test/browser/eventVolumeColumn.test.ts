// The event page's impact table has a day-0 abnormal volume column, cell for cell what the impact API says, and a
// dash for a series without volume; at 1280 and 390 px without console errors.
import path from 'node:path';
import type { ImpactResponse } from '../../src/impact/impactContract';
import { MISSING } from '../../web/src/format';
import { formatRatio, formatVolume } from '../../web/src/volumeFormat';
import { useTestApp } from '../support/testApp';
import { getJson, horizontalOverflow, launchBrowser, openPage, SCREENSHOT_DIR, screenshot, type Browser } from './browserSupport';

const SLUG = 'deepseek-app-store-no1';
const QUERY = '?symbols=NVDA,6857.T,8035.T,9984.T,%5EGSPC';

const t = useTestApp();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe(`/events/${SLUG}: abnormal volume on day 0`, () => {
  it("shows each instrument's day-0 volume over its estimation-window mean, and a dash without volume", async () => {
    const impact = await getJson<ImpactResponse>(`${t.app.url}/api/events/${SLUG}/impact${QUERY}`);
    const opened = await openPage(browser, `${t.app.url}/events/${SLUG}${QUERY}`);
    const { page } = opened;
    try {
      await page.waitForSelector('#impact tbody tr[data-symbol]');
      expect(await page.locator('#impact thead th').allTextContents()).toContain('Volumeday 0, × normal');
      for (const r of impact.results) {
        const cell = page.locator(`#impact tr[data-symbol="${r.symbol}"] [data-col="volume"]`);
        expect(await cell.locator('[data-field="abnormal-volume"]').textContent()).toBe(formatRatio(r.abnormalVolume));
        if (r.abnormalVolume !== null) {
          const day0 = r.days.find((d) => d.offset === 0)!;
          expect(await cell.locator('.car-stats').textContent()).toBe(
            `${formatVolume(day0.volume)} vs ${formatVolume(r.volumeBaseline.mean)}`,
          );
        }
      }
      const nvda = impact.results.find((r) => r.symbol === 'NVDA')!;
      expect(await page.locator('#impact tr[data-symbol="NVDA"] [data-field="abnormal-volume"]').textContent()).toBe('3.65×');
      expect(nvda.abnormalVolume).toBeCloseTo(3.649, 3);
      // the index reports no volume: a dash, no reason
      expect(impact.results.find((r) => r.symbol === '^GSPC')!.abnormalVolume).toBeNull();
      expect(await page.locator('#impact tr[data-symbol="^GSPC"] [data-col="volume"]').textContent()).toBe(MISSING);
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('reads at 1280 and 390 px', async () => {
    for (const width of [1280, 390]) {
      const opened = await openPage(browser, `${t.app.url}/events/${SLUG}${QUERY}`, width);
      try {
        await opened.page.waitForSelector('#impact tbody tr[data-symbol]');
        expect(await horizontalOverflow(opened.page)).toBeLessThanOrEqual(0);
        await screenshot(opened.page, `event-volume-${width}`);
        await opened.page.locator('#impact-table').screenshot({ path: path.join(SCREENSHOT_DIR, `event-volume-${width}-table.png`) });
        expect(opened.problems).toEqual([]);
      } finally {
        await opened.page.close();
      }
    }
  });
});
