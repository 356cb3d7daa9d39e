// /api/docs in real Chromium: Swagger UI renders every operation of /api/openapi.json under the strict CSP, and
// "Try it out" on GET /api/instruments gets the instruments.
import { useTestApp } from '../support/testApp';
import { getJson, openPage, screenshot, useBrowser } from './browserSupport';

const t = useTestApp();
const b = useBrowser();

test('Swagger UI shows every operation and runs a request, with no console error or CSP violation', async () => {
  const doc = await getJson<{ paths: Record<string, Record<string, unknown>> }>(`${t.app.url}/api/openapi.json`);
  const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
  const { page, problems } = await openPage(b.browser, `${t.app.url}/api/docs`);
  await page.waitForSelector('.opblock', { timeout: 30_000 });
  expect(await page.locator('.opblock').count()).toBe(operations);
  await screenshot(page, 'api-docs-1280');

  const instruments = page.locator('#operations-instruments-getInstruments');
  await instruments.locator('.opblock-summary').click();
  await instruments.locator('button.execute').click();
  const status = instruments.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor({ timeout: 15_000 });
  expect((await status.textContent())?.trim()).toBe('200');
  expect(await instruments.locator('.live-responses-table .microlight').first().textContent()).toContain('"NVDA"');
  expect(problems).toEqual([]);
  await page.close();
});
