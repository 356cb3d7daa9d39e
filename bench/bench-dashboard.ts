// Dashboard: time to the first chart paint of the DeepSeek event page in Chromium (navigation start to the
// chart wrapper's performance.mark), median over several loads with the browser cache off, against the same
// page's time to DOMContentLoaded in the same loads; and the JavaScript the page ships (gzip) against the
// 250 KB budget.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { projectRoot } from '../src/config/config';
import { importBundledData } from '../src/bundled/bundledImport';
import { FIRST_CHART_PAINT } from '../web/src/marks';
import { benchDatabase, startBenchApp, report } from './benchSupport';

const LOADS = Number(process.env.BENCH_LOADS ?? 9);
const SLUG = 'deepseek-app-store-no1';
const JS_BUDGET_GZIP = 250 * 1024;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface LoadTiming {
  firstChartPaint: number;
  domContentLoaded: number;
  impactRequest: number | null;
}

async function main() {
  const { db, cleanup } = await benchDatabase();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-bench-chromium-'));
  let stopApp: (() => Promise<void>) | null = null;
  try {
    await importBundledData(db, path.join(projectRoot, 'data', 'market'));
    const app = await startBenchApp(db);
    stopApp = app.stop;
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
      viewport: { width: 1280, height: 900 },
    });
    try {
      const url = `${app.url}/events/${SLUG}`;
      const timings: LoadTiming[] = [];
      const scripts = new Map<string, Buffer>();
      for (let i = 0; i <= LOADS; i++) {
        const page = await context.newPage();
        // every load fetches its scripts again, as a first visit would
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        const bodies: Promise<void>[] = [];
        page.on('response', (res) => {
          if (res.status() === 200 && /\/assets\/.*\.js$/.test(new URL(res.url()).pathname))
            bodies.push(res.body().then((b) => void scripts.set(new URL(res.url()).pathname, b)));
        });
        await page.goto(url, { waitUntil: 'domcontentloaded' });
        await page.waitForFunction((mark) => performance.getEntriesByName(mark, 'mark').length > 0, FIRST_CHART_PAINT, { timeout: 60_000 });
        const timing = await page.evaluate((mark) => {
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          const impact = performance.getEntriesByType('resource').find((r) => r.name.includes('/impact'));
          return {
            firstChartPaint: performance.getEntriesByName(mark, 'mark')[0].startTime,
            domContentLoaded: nav.domContentLoadedEventEnd,
            impactRequest: impact ? impact.duration : null,
          };
        }, FIRST_CHART_PAINT);
        await Promise.all(bodies);
        await page.close();
        if (i > 0) timings.push(timing); // the first load warms the server (JIT, pool, Postgres caches)
      }
      const paint = median(timings.map((t) => t.firstChartPaint));
      const dcl = median(timings.map((t) => t.domContentLoaded));
      const impactTimes = timings.map((t) => t.impactRequest).filter((t): t is number => t !== null);
      let gzipBytes = 0;
      for (const body of scripts.values()) gzipBytes += zlib.gzipSync(body, { level: 9 }).length;
      report(
        'dashboard',
        [
          {
            name: `first chart paint, /events/${SLUG} (median of ${LOADS})`,
            value: paint,
            unit: 'ms',
            limit: { name: 'DOMContentLoaded', value: dcl, ratio: paint / dcl },
          },
          {
            name: 'JavaScript shipped by the page (gzip)',
            value: gzipBytes / 1024,
            unit: 'KB',
            limit: { name: 'budget', value: JS_BUDGET_GZIP / 1024, ratio: gzipBytes / JS_BUDGET_GZIP },
            goal: '<= 1.00x',
          },
        ],
        {
          loads: LOADS,
          firstChartPaintMs: timings.map((t) => Math.round(t.firstChartPaint)),
          domContentLoadedMs: timings.map((t) => Math.round(t.domContentLoaded)),
          impactRequestMedianMs: impactTimes.length ? Math.round(median(impactTimes)) : null,
          scripts: [...scripts.keys()],
        },
      );
      if (impactTimes.length) console.log(`  (impact API request inside those loads: median ${median(impactTimes).toFixed(0)} ms)`);
    } finally {
      await context.close();
    }
  } finally {
    await stopApp?.();
    await cleanup();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
