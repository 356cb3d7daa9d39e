// The model selectors of the studies and event pages in real Chromium (issue 24): the factor models are offered,
// a choice reaches the API's query, and the page says the model with its factors' region and file vintage.
import path from 'node:path';
import { importFactorFolder } from '../../src/factors/factorImport';
import { useTestApp } from '../support/testApp';
import { openPage, useBrowser } from './browserSupport';

const t = useTestApp();
const b = useBrowser();

beforeAll(async () => {
  await importFactorFolder(t.db, path.join(__dirname, '..', '..', 'data', 'factors'));
});

const optionsOf = (page: import('playwright-core').Page, select: string) =>
  page.$$eval(`${select} option`, (options) => options.map((o) => (o as HTMLOptionElement).value));

it('/studies: model ff3 and excludeEvents=all reach the study, whose head names the model, region and vintage', async () => {
  const opened = await openPage(b.browser, `${t.app.url}/studies?events=deepseek-app-store-no1`);
  const { page } = opened;
  await page.waitForSelector('input[name=events][value=deepseek-app-store-no1]:checked');
  expect(await optionsOf(page, '#study-model')).toEqual(['market', 'market_adjusted', 'constant_mean', 'ff3', 'carhart', 'ff5']);
  await page.selectOption('#study-group', 'bundled-equities');
  await page.selectOption('#study-model', 'ff3');
  await page.selectOption('#study-exclude', 'all');
  await page.click('#study-form button[type=submit]');
  await page.waitForURL(/\/studies\/run\?/);
  await page.waitForSelector('#study-caar[data-drawn="true"]');
  const query = new URL(page.url()).searchParams;
  expect([query.get('model'), query.get('excludeEvents')]).toEqual(['ff3', 'all']);
  const head = await page.textContent('#study-head');
  expect(head).toContain('Fama-French 3-factor model');
  expect(head).toContain('us factors CRSP 202604 (1), 3 without factors');
  expect(opened.problems).toEqual([]);
  await page.close();
});

it('the event page: model ff5 reaches the impact, and each result says its factors and vintage', async () => {
  const opened = await openPage(b.browser, `${t.app.url}/events/deepseek-app-store-no1`);
  const { page } = opened;
  await page.waitForSelector('[data-field=status]');
  expect(await optionsOf(page, '#impact-model')).toEqual(['market', 'ff3', 'carhart', 'ff5']);
  await page.selectOption('#impact-model', 'ff5');
  await page.click('#view-form button[type=submit]');
  await page.waitForURL(/model=ff5/);
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-field=status]')].some((s) => s.textContent?.includes('Fama-French 5')),
  );
  const labels = await page.$$eval('[data-field=status]', (spans) => spans.map((s) => s.textContent));
  expect(labels).toContain('Fama-French 5 factors: us factors, CRSP 202603');
  expect(labels).toContain('Fama-French 5 factors: developed_ex_us factors, Bloomberg 202603');
  // the form keeps the choice when the page is opened at that address
  expect(await page.$eval('#impact-model', (s) => (s as HTMLSelectElement).value)).toBe('ff5');
  expect(opened.problems).toEqual([]);
  await page.close();
});
