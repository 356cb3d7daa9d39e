// Bad addresses and refused writes as a new user meets them, in real Chromium against the real app (no ADMIN_TOKEN,
// Yahoo out of reach): one error per page, in words, with the way forward; a styled page for unknown addresses;
// symbols in any case; where the stored prices cut a window short; writes said to be off before anything is typed;
// the nav's search box and its link to the API documentation.
import { useTestApp } from '../support/testApp';
import { getJson, horizontalOverflow, openPage, screenshot, useBrowser } from './browserSupport';

const SLUG = 'deepseek-app-store-no1';

// no ADMIN_TOKEN: writes are off; the test app's Yahoo address refuses every connection
const t = useTestApp();
const b = useBrowser();

/** The error boxes in the page's main part, as text. */
async function errorsOf(page: import('playwright-core').Page): Promise<string[]> {
  return page.locator('main .state-error').allTextContents();
}

for (const width of [1280, 390]) {
  describe(`at ${width} px`, () => {
    it('an unknown address gets a styled page with status 404 and the ways on', async () => {
      const opened = await openPage(b.browser, `${t.app.url}/nonexistent`, width);
      const { page } = opened;
      try {
        expect(await page.locator('h1').textContent()).toBe('No page at this address');
        expect(await page.locator('#not-found-path').textContent()).toBe('/nonexistent');
        const links = await page.locator('.not-found-ways a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        expect(links).toEqual(['/', '/search', '/instruments/new', '/api/docs']);
        expect(await page.locator('link[rel=stylesheet]').count()).toBe(1);
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        await screenshot(page, `not-found-${width}`);
        expect(opened.problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
      } finally {
        await page.close();
      }
    });

    it('/instruments/NVDAA says once that no such instrument is tracked, with the way on, and nothing else', async () => {
      const opened = await openPage(b.browser, `${t.app.url}/instruments/NVDAA`, width);
      const { page } = opened;
      try {
        const errors = await errorsOf(page);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toContain('No instrument NVDAA is tracked');
        expect(errors[0]).not.toMatch(/HTTP|not_found/);
        expect(await page.locator('#instrument-head .state-error a[href="/search?q=NVDAA"]').count()).toBe(1);
        expect(await page.locator('#instrument-head .state-error a[href="/instruments/new"]').count()).toBe(1);
        for (const hidden of ['#history-section', '#moves-section', '#subscribe']) expect(await page.locator(hidden).isHidden()).toBe(true);
        // the API calls for the symbol fail (404 or 400) as they must; nothing else may
        expect(opened.problems.filter((p) => !/status of 40[04]/.test(p))).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });
}

describe('addresses', () => {
  it('/instruments/nvda is sent on to /instruments/NVDA, the query kept', async () => {
    const res = await fetch(`${t.app.url}/instruments/nvda?chart=candles`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/instruments/NVDA?chart=candles');
    const opened = await openPage(b.browser, `${t.app.url}/instruments/nvda`);
    try {
      expect(new URL(opened.page.url()).pathname).toBe('/instruments/NVDA');
      expect(await opened.page.locator('h1').textContent()).toMatch(/^NVDA /);
      expect(opened.problems).toEqual([]);
    } finally {
      await opened.page.close();
    }
  });

  it('answers an unknown address with 404: a page for a browser, the API error shape for a client', async () => {
    const page = await fetch(`${t.app.url}/nonexistent`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('No page at this address');
    const json = await fetch(`${t.app.url}/nonexistent`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
    expect(await json.json()).toEqual({ error: { code: 'no_route', message: 'No page or route GET /nonexistent', details: null } });
  });
});

describe('the event page with a bad address or window', () => {
  it('/events/no-such-event says it once, with the way on; the form and the empty sections go', async () => {
    const opened = await openPage(b.browser, `${t.app.url}/events/no-such-event`);
    const { page } = opened;
    try {
      const errors = await errorsOf(page);
      expect(errors).toEqual(['No such event: no event has the address no-such-eventSee the list of events or search.']);
      expect(await page.locator('#view-form').isHidden()).toBe(true);
      expect(await page.locator('#sequence-section').isHidden()).toBe(true);
      expect(opened.problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('?window=-500,500 gives one error under the form, which keeps what was asked', async () => {
    const opened = await openPage(b.browser, `${t.app.url}/events/${SLUG}?window=-500,500`);
    const { page } = opened;
    try {
      const errors = await errorsOf(page);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^The impact could not be measured: .*window/);
      expect(errors[0]).toContain('Change the settings above and press Apply');
      expect(errors[0]).not.toMatch(/HTTP 400|bad_request|invalid_parameter/);
      expect(await page.locator('#view-form-message .state-error').count()).toBe(1);
      expect(await page.inputValue('#window-from')).toBe('-500');
      expect(await page.inputValue('#window-to')).toBe('500');
      expect(await page.locator('#sequence-section').isHidden()).toBe(true);
      // the event itself is still shown
      expect(await page.locator('#event-head h1').count()).toBe(1);
      expect(opened.problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('?window=-5,500 says where the stored prices end and why BHAR is missing, as the API does', async () => {
    const impact = await getJson<{
      results: { symbol: string; bhar: number | null; windowNote: string | null; days: { offset: number }[] }[];
    }>(`${t.app.url}/api/events/${SLUG}/impact?window=-5,500`);
    const nvda = impact.results.find((r) => r.symbol === 'NVDA')!;
    const last = nvda.days.at(-1)!.offset;
    expect(nvda.bhar).toBeNull();
    expect(nvda.windowNote).toBe(
      `NVDA's stored prices end on 2025-03-31 (day +${last}), so days +${last + 1} to +500 are not measured: BHAR [-5, +500] and any CAR reaching those days are missing`,
    );
    const covered = await getJson<{ results: { windowNote: string | null }[] }>(`${t.app.url}/api/events/${SLUG}/impact?window=-5,5`);
    expect(covered.results.map((r) => r.windowNote)).toEqual(covered.results.map(() => null));

    const opened = await openPage(b.browser, `${t.app.url}/events/${SLUG}?window=-5,500`);
    try {
      const note = await opened.page.locator('#window-notes li[data-symbol="NVDA"]').textContent();
      expect(note).toBe(`${nvda.windowNote}.`);
      expect(opened.problems).toEqual([]);
    } finally {
      await opened.page.close();
    }
  });
});

describe('writes off (no ADMIN_TOKEN on the server)', () => {
  it('the status API says so', async () => {
    const status = await getJson<{ adminWrites: { enabled: boolean } }>(`${t.app.url}/api/status`);
    expect(status.adminWrites).toEqual({ enabled: false });
  });

  it('/events/new says writes are off before anything is typed, its token field and button disabled', async () => {
    const opened = await openPage(b.browser, `${t.app.url}/events/new`);
    try {
      expect(await opened.page.locator('#writes-off').textContent()).toMatch(/^Writes are off on this server: .*ADMIN_TOKEN/);
      expect(await opened.page.locator('#admin-token').isDisabled()).toBe(true);
      expect(await opened.page.locator('#event-form button[type=submit]').isDisabled()).toBe(true);
      expect(opened.problems).toEqual([]);
    } finally {
      await opened.page.close();
    }
  });

  it('/instruments/new says it too, and a search with Yahoo out of reach says so in words', async () => {
    const opened = await openPage(b.browser, `${t.app.url}/instruments/new`, 390);
    const { page } = opened;
    try {
      expect(await page.locator('#writes-off').textContent()).toMatch(/^Writes are off on this server/);
      expect(await page.locator('#admin-token').isDisabled()).toBe(true);
      expect(await page.locator('#add-typed').isDisabled()).toBe(true);
      await page.fill('#search-query', 'schneider');
      await page.click('#search-form button[type=submit]');
      const box = page.locator('#candidates .state-error');
      await box.waitFor();
      expect(await box.locator('strong').textContent()).toBe('The search failed: ');
      expect(await box.evaluate((b) => b.childNodes[1].textContent)).toBe('Yahoo cannot be reached from this machine; try again later.');
      expect(await box.getAttribute('data-code')).toBe('upstream_unavailable');
      // the technical cause only behind the disclosure
      expect(await box.locator('details').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      expect(await box.locator('details p').textContent()).toMatch(/symbol search failed/);
      expect(opened.problems.filter((p) => !/status of 503/.test(p))).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('the nav', () => {
  it('links to the API documentation and searches symbols (in any case) and events', async () => {
    const opened = await openPage(b.browser, `${t.app.url}/`, 390);
    const { page } = opened;
    try {
      expect(await page.locator('nav a[href="/api/docs"]').textContent()).toBe('API');
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await page.fill('#nav-search', 'nvda');
      await Promise.all([page.waitForURL(`${t.app.url}/instruments/NVDA`), page.press('#nav-search', 'Enter')]);
      await page.locator('#instrument-head h1').waitFor();

      await page.fill('#nav-search', 'deepseek app store');
      await Promise.all([page.waitForURL(/\/search\?q=/), page.press('#nav-search', 'Enter')]);
      await page.locator('#found-events').waitFor();
      const hrefs = await page.locator('#found-events a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(hrefs).toContain(`/events/${SLUG}`);
      expect(await page.inputValue('#nav-search')).toBe('deepseek app store');

      await page.goto(`${t.app.url}/search?q=nvidia`, { waitUntil: 'networkidle' });
      expect(await page.locator('#found-instruments a').allTextContents()).toEqual(['NVDA']);

      await page.goto(`${t.app.url}/search?q=zzzz-nothing`, { waitUntil: 'networkidle' });
      expect(await page.locator('#search-results .state-empty').textContent()).toBe('Nothing stored matches “zzzz-nothing”.');
      expect(opened.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
