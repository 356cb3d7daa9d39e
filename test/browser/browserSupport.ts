// Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core against the real app: each test file
// launches one browser with a fresh profile; every page opened through openPage collects console errors,
// uncaught exceptions and dialogs, so a test can assert that none happened.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', 'test-output', 'screenshots');

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
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
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin', // not UTC: a page that formats a date in the browser's zone would show it
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** One Chromium for the test file: launched before its first test, closed after its last (as useTestApp does the app). */
export function useBrowser(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('the test browser is not up yet (use it inside a test or a hook)');
      return browser;
    },
  };
}

export interface OpenedPage {
  page: Page;
  /** console errors and uncaught exceptions so far */
  problems: string[];
  /** dialogs (alert, confirm...) the page opened: an injected script would show up here */
  dialogs: string[];
  /** the JavaScript files the page loaded, with their bodies (await them: bodies arrive after the responses) */
  scripts: Promise<[string, Buffer]>[];
}

export interface OpenPageOptions {
  /** 'load' for a page that keeps a request open (an EventSource): its network is never idle */
  waitUntil?: 'networkidle' | 'load';
  /** runs on the new page before it is opened (e.g. page.route) */
  prepare?: (page: Page) => Promise<void>;
}

/** Opens a page at `width` and waits until the network is idle (the page's API calls are done). */
export async function openPage(browser: Browser, url: string, width = 1280, opts: OpenPageOptions = {}): Promise<OpenedPage> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height: 900 });
  const problems: string[] = [];
  const dialogs: string[] = [];
  const scripts: Promise<[string, Buffer]>[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('response', (res) => {
    if (res.status() === 200 && /\/assets\/.*\.js$/.test(new URL(res.url()).pathname))
      scripts.push(res.body().then((body): [string, Buffer] => [res.url(), body]));
  });
  await opts.prepare?.(page);
  await page.goto(url, { waitUntil: opts.waitUntil ?? 'networkidle' });
  return { page, problems, dialogs, scripts };
}

/**
 * Scrolls through the page so that whatever loads as it comes into view (headline impacts, candidate news) has
 * loaded, then back to the top: a screenshot then shows the page as a reader who scrolled would see it.
 */
async function loadWholePage(page: Page): Promise<void> {
  const height = () => page.evaluate(() => document.documentElement.scrollHeight);
  // the page grows as it loads: measure it again at every step
  for (let y = 0; y < (await height()); y += 600) {
    // two frames: intersection observers are notified in the rendering step after the scroll
    await page.evaluate((top) => {
      window.scrollTo(0, top);
      return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    }, y);
    await page.waitForLoadState('networkidle');
  }
  await page
    .waitForFunction(
      () => document.querySelectorAll('.state-loading').length === 0 && !/Loading…|Measuring the impact…/.test(document.body.innerText),
      undefined,
      { timeout: 10_000 },
    )
    .catch(async (err: Error) => {
      const pending = await page.evaluate(
        () =>
          `${window.innerWidth}x${document.documentElement.scrollHeight} at ${window.scrollY}: ` +
          [...document.querySelectorAll('.state-loading, .headline')]
            .map((e) => `${e.className}: ${e.textContent} ${e.getBoundingClientRect().top}`)
            .join(' | '),
      );
      throw new Error(`${err.message}; still loading: ${pending}`);
    });
  await page.evaluate(() => window.scrollTo(0, 0));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await loadWholePage(page);
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The scripts a page loaded and their gzip sizes (level 9, what a server or CDN would send). */
export async function shippedScripts(opened: OpenedPage): Promise<{ files: string[]; gzipBytes: number }> {
  const bodies = new Map(await Promise.all(opened.scripts));
  let gzipBytes = 0;
  for (const body of bodies.values()) gzipBytes += zlib.gzipSync(body, { level: 9 }).length;
  return { files: [...bodies.keys()].map((u) => new URL(u).pathname), gzipBytes };
}

interface ChartPoint {
  x: number;
  y: number;
  date?: string;
}

export interface ChartSnapshot {
  datasets: { label: string; type?: string; data: ChartPoint[]; borderDash: number[] | null; borderColor: string | null }[];
  annotations: Record<string, { type: string; value?: number; scaleID?: string }>;
  drawn: boolean;
}

/** The data a chart of the page holds (the dashboard keeps its charts at window.__aftershockCharts[canvasId]). */
export async function chartSnapshot(page: Page, canvasId: string): Promise<ChartSnapshot | null> {
  return page.evaluate((id) => {
    type ChartLike = {
      canvas: HTMLCanvasElement;
      data: { datasets: { label?: string; type?: string; data: unknown[]; borderDash?: unknown; borderColor?: unknown }[] };
      options: { plugins?: { annotation?: { annotations?: Record<string, { type: string; value?: number; scaleID?: string }> } } };
    };
    const chart = (window as unknown as { __aftershockCharts?: Record<string, ChartLike> }).__aftershockCharts?.[id];
    if (!chart) return null;
    const annotations = chart.options.plugins?.annotation?.annotations ?? {};
    return {
      datasets: chart.data.datasets.map((d) => ({
        label: d.label ?? '',
        type: d.type,
        data: d.data as { x: number; y: number; date?: string }[],
        borderDash: Array.isArray(d.borderDash) ? (d.borderDash as number[]) : null,
        borderColor: typeof d.borderColor === 'string' ? d.borderColor : null,
      })),
      annotations: Object.fromEntries(
        Object.entries(annotations).map(([k, a]) => [k, { type: a.type, value: a.value, scaleID: a.scaleID }]),
      ),
      drawn: chart.canvas.dataset.drawn === 'true',
    };
  }, canvasId);
}

/** Width of the document beyond the viewport: > 0 means the page scrolls sideways. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Controls (inputs, selects, textareas, buttons) in `selector` that have no accessible name. */
export async function unlabelledControls(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel);
    if (!root) return [`no ${sel}`];
    const missing: string[] = [];
    for (const c of root.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | HTMLButtonElement>(
      'input, select, textarea, button',
    )) {
      if (c.type === 'hidden' || c.closest('[hidden]')) continue;
      const labelled =
        (c.labels && c.labels.length > 0) ||
        c.getAttribute('aria-label') ||
        c.getAttribute('aria-labelledby') ||
        (c.tagName === 'BUTTON' && c.textContent?.trim());
      if (!labelled) missing.push(c.outerHTML.slice(0, 120));
    }
    return missing;
  }, selector);
}

/** Fetches JSON from the app as the test's own client (to compare the page with the API). */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}
