// Issue 15, items 1 and 2 in real Chromium against the real app and a real SMTP server: a person subscribes from
// the home page, confirms from the email, changes the terms on the manage page and unsubscribes there, by
// clicking; the form's inline errors (a bad address, the rate limit); the page of a forged or expired link.
// Every page at 1280 and 390 px, without console errors, with screenshots.
import path from 'node:path';
import type { RunningApp } from '../../src/app/server';
import { createLinkSigner } from '../../src/notifications/linkTokens';
import type { SubscribeResponse } from '../../src/subscriptions/subscriptionContract';
import { type AlertApp, createSmtp, startAlertApp, type TestSmtp } from '../alerts/alertTestSupport';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import {
  type Browser,
  getJson,
  horizontalOverflow,
  launchBrowser,
  type OpenedPage,
  openPage,
  SCREENSHOT_DIR,
  screenshot,
  unlabelledControls,
} from './browserSupport';

let db: TestDatabase;
let smtp: TestSmtp;
let app: AlertApp;
let browser: Browser;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = createSmtp();
  await smtp.listen();
  app = await startAlertApp(db, { SMTP_URL: smtp.url });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await smtp?.close();
  await db?.drop();
});

/** A link of an email as a path of this app (the emails name BASE_URL, the test app listens elsewhere). */
function pathIn(text: string, pattern: RegExp): string {
  const m = pattern.exec(text);
  if (!m) throw new Error(`no ${pattern} in: ${text}`);
  return new URL(m[0]).pathname + new URL(m[0]).search;
}
const CONFIRM = /https?:\/\/\S+\/api\/subscriptions\/confirm\?token=[A-Za-z0-9._-]+/;
const MANAGE = /https?:\/\/\S+\/subscriptions\/manage\?token=[A-Za-z0-9._-]+/;

async function rowOf(email: string) {
  const { rows } = await db.pool.query(
    'SELECT id, symbols, min_move_pct, mode, confirmed_at, unsubscribed_at FROM subscriptions WHERE email = $1 ORDER BY id DESC LIMIT 1',
    [email],
  );
  return rows[0];
}

/**
 * Chromium logs "Failed to load resource: ... status of 400" for every 4xx answer, also one the page asked for on
 * purpose and shows (a refused address, the rate limit, a bad link). Those notices, of these statuses only, go;
 * any other console error stays and fails the test.
 */
function dropFailedRequestNotices(opened: OpenedPage, statuses: number[]): void {
  const notice = new RegExp(`^console: Failed to load resource: the server responded with a status of (${statuses.join('|')}) `);
  const rest = opened.problems.filter((p) => !notice.test(p));
  expect(rest.length).toBeLessThan(opened.problems.length); // the page did get the answer it shows
  opened.problems.splice(0, opened.problems.length, ...rest);
}

async function expectClean(opened: OpenedPage, name: string): Promise<void> {
  expect(opened.problems).toEqual([]);
  expect(opened.dialogs).toEqual([]);
  expect(await horizontalOverflow(opened.page)).toBeLessThanOrEqual(0);
  await screenshot(opened.page, name);
  // the form alone too, readable at its size on the long pages
  if (await opened.page.locator('#subscribe').count())
    await opened.page.locator('#subscribe').screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-form.png`) });
}

it('subscribe on the home page, confirm from the email, change the terms and unsubscribe on the manage page', async () => {
  const email = 'clicker@example.com';
  const home = await openPage(browser, `${app.url}/`);
  const { page } = home;
  expect(await unlabelledControls(page, '#subscribe-form')).toEqual([]);
  await page.fill('#subscribe-email', email);
  await page.getByLabel('These instruments').check();
  await page.locator('#subscribe-symbols').getByLabel('NVDA').check();
  await page.getByLabel('Instant: one per alert').check();
  await page.click('#subscribe-submit');
  await page.waitForSelector('#subscribe-done');
  expect(await page.textContent('#subscribe-done')).toContain(`Check your inbox. We sent a confirmation email to ${email}`);
  expect(await page.getAttribute('#subscribe-done', 'data-confirmation')).toBe('queued');
  await expectClean(home, 'subscribe-home-done-1280');
  await page.close();

  await smtp.waitFor((s) => s.to(email).length === 1, 'the confirmation email');
  const confirmation = smtp.to(email)[0];
  expect(confirmation.text).toContain('NVDA: moves of 5% or more');
  expect((await rowOf(email)).symbols).toEqual(['NVDA']);

  // the link of the email: a page with the terms and one button; opening it changed nothing
  const confirmPage = await openPage(browser, app.url + pathIn(confirmation.text, CONFIRM));
  expect(await confirmPage.page.textContent('h1')).toBe('Confirm your subscription');
  expect(await confirmPage.page.textContent('#subscription-terms')).toContain('NVDA');
  expect((await rowOf(email)).confirmed_at).toBeNull();
  await expectClean(confirmPage, 'subscribe-confirm-1280');
  await confirmPage.page.getByRole('button', { name: 'Confirm subscription' }).click();
  await confirmPage.page.waitForSelector('text=Subscription confirmed');
  expect(await confirmPage.page.textContent('main')).toContain('Your subscription is active');
  expect(confirmPage.problems).toEqual([]);
  await screenshot(confirmPage.page, 'subscribe-confirmed-1280');
  await confirmPage.page.close();
  expect((await rowOf(email)).confirmed_at).not.toBeNull();

  // the manage link of the email: change the threshold and the mode, save
  const managePath = pathIn(confirmation.text, MANAGE);
  const manage = await openPage(browser, app.url + managePath);
  await manage.page.waitForSelector('#manage-form');
  expect(await manage.page.textContent('#manage-status')).toContain('Active');
  expect(await manage.page.inputValue('#manage-move')).toBe('5');
  expect(await manage.page.locator('#manage-symbols').getByLabel('NVDA').isChecked()).toBe(true);
  expect(await unlabelledControls(manage.page, '#manage-form')).toEqual([]);
  await expectClean(manage, 'subscribe-manage-1280');
  await manage.page.fill('#manage-move', '7.5');
  await manage.page.getByLabel('Digest: one after each market close').check();
  await manage.page.click('#manage-save');
  await manage.page.waitForSelector('#manage-saved');
  const token = new URLSearchParams(managePath.split('?')[1]).get('token')!;
  const { subscription } = await getJson<{ subscription: { minMovePct: number; mode: string; symbols: string[] } }>(
    `${app.url}/api/subscriptions/manage?token=${encodeURIComponent(token)}`,
  );
  expect(subscription).toMatchObject({ minMovePct: 7.5, mode: 'digest', symbols: ['NVDA'] });
  expect(await rowOf(email)).toMatchObject({ min_move_pct: 7.5, mode: 'digest' });
  await screenshot(manage.page, 'subscribe-manage-saved-1280');

  // the same page at 390 px before leaving
  const narrow = await openPage(browser, app.url + managePath, 390);
  await narrow.page.waitForSelector('#manage-form');
  expect(await narrow.page.inputValue('#manage-move')).toBe('7.5');
  await expectClean(narrow, 'subscribe-manage-390');
  await narrow.page.close();

  await manage.page.click('#manage-unsubscribe');
  await manage.page.waitForSelector('text=Unsubscribed: no more alerts');
  expect(manage.problems).toEqual([]);
  expect((await rowOf(email)).unsubscribed_at).not.toBeNull();
  await screenshot(manage.page, 'subscribe-manage-unsubscribed-1280');
  await manage.page.close();
});

it('the pages of the links and the form at 390 px, following a group', async () => {
  const email = 'narrow@example.com';
  const home = await openPage(browser, `${app.url}/`, 390);
  await home.page.fill('#subscribe-email', email);
  await home.page.getByLabel('A group').check();
  await home.page.selectOption('#subscribe-group', 'bundled-equities');
  await home.page.click('#subscribe-submit');
  await home.page.waitForSelector('#subscribe-done');
  expect(await db.pool.query('SELECT group_slug FROM subscriptions WHERE email = $1', [email]).then((r) => r.rows)).toEqual([
    { group_slug: 'bundled-equities' },
  ]);
  await expectClean(home, 'subscribe-home-done-390');
  await home.page.close();
  await smtp.waitFor((s) => s.to(email).length === 1, 'the confirmation email');
  const confirmPage = await openPage(browser, app.url + pathIn(smtp.to(email)[0].text, CONFIRM), 390);
  expect(await confirmPage.page.textContent('#subscription-terms')).toContain('the instruments of the group bundled-equities');
  await expectClean(confirmPage, 'subscribe-confirm-390');
  await confirmPage.page.getByRole('button', { name: 'Confirm subscription' }).click();
  await confirmPage.page.waitForSelector('text=Subscription confirmed');
  await screenshot(confirmPage.page, 'subscribe-confirmed-390');
  await confirmPage.page.close();
});

it("a group's intraday abnormal move and its shocks from the form, kept by the manage page, at 1280 and 390 px", async () => {
  for (const width of [1280, 390]) {
    const email = `intraday-${width}@example.com`;
    const home = await openPage(browser, `${app.url}/`, width);
    await home.page.fill('#subscribe-email', email);
    await home.page.getByLabel('Group intraday abnormal move').check();
    // the group kinds follow a group: no instruments to tick, no move threshold, no digest
    expect(await home.page.locator('#subscribe-move').isVisible()).toBe(false);
    expect(await home.page.getByLabel('Digest: one after each market close').isVisible()).toBe(false);
    await home.page.selectOption('#subscribe-group', 'bundled-equities');
    await home.page.getByLabel('|bmpT| (test statistic)').check();
    await home.page.fill('#subscribe-intraday', '4');
    expect(await unlabelledControls(home.page, '#subscribe')).toEqual([]);
    await home.page.click('#subscribe-submit');
    await home.page.waitForSelector('#subscribe-done');
    const { rows } = await db.pool.query(
      'SELECT kind, group_slug, intraday_caar_pct, intraday_bmp_t, mode FROM subscriptions WHERE email = $1',
      [email],
    );
    expect(rows).toEqual([
      { kind: 'intraday_move', group_slug: 'bundled-equities', intraday_caar_pct: null, intraday_bmp_t: 4, mode: 'instant' },
    ]);
    await expectClean(home, `subscribe-intraday-${width}`);
    await home.page.close();

    // the manage link shows the kind and its threshold, and switches it to the group's shocks
    await smtp.waitFor((s) => s.to(email).length === 1, 'the confirmation email');
    const manage = await openPage(browser, app.url + pathIn(smtp.to(email)[0].text, MANAGE), width);
    await manage.page.waitForSelector('#manage-form');
    expect(await manage.page.getByLabel('Group intraday abnormal move').isChecked()).toBe(true);
    expect(await manage.page.getByLabel('|bmpT| (test statistic)').isChecked()).toBe(true);
    expect(await manage.page.inputValue('#manage-intraday')).toBe('4');
    await manage.page.getByLabel('Group shocks').check();
    await manage.page.click('#manage-save');
    await manage.page.waitForSelector('#manage-saved');
    expect((await db.pool.query('SELECT kind, intraday_bmp_t FROM subscriptions WHERE email = $1', [email])).rows).toEqual([
      { kind: 'shocks', intraday_bmp_t: null },
    ]);
    await expectClean(manage, `subscribe-manage-shocks-${width}`);
    await manage.page.close();
  }
});

it('the form on the instrument and event pages ticks their instruments', async () => {
  for (const width of [1280, 390]) {
    const instrument = await openPage(browser, `${app.url}/instruments/6857.T`, width);
    await instrument.page.waitForSelector('#subscribe-symbols input[value="6857.T"]');
    expect(await instrument.page.locator('#subscribe-symbols input[value="6857.T"]').isChecked()).toBe(true);
    expect(await instrument.page.locator('#subscribe-symbols input[value="NVDA"]').isChecked()).toBe(false);
    expect(await instrument.page.getByLabel('These instruments').isChecked()).toBe(true);
    await expectClean(instrument, `subscribe-instrument-${width}`);
    await instrument.page.close();

    const event = await openPage(browser, `${app.url}/events/deepseek-app-store-no1`, width);
    await event.page.waitForFunction(() => document.querySelectorAll('#subscribe-symbols input:checked').length > 1);
    const ticked = await event.page.$$eval('#subscribe-symbols input:checked', (boxes) => boxes.map((b) => (b as HTMLInputElement).value));
    expect(ticked).toEqual(expect.arrayContaining(['NVDA', '6857.T']));
    await expectClean(event, `subscribe-event-${width}`);
    await event.page.close();
  }
});

it('shows the API errors next to the field, and the rate limit in words', async () => {
  const limited = await startAlertApp(db, { SMTP_URL: smtp.url, SUBSCRIBE_RATE_LIMIT: '2' });
  try {
    const home = await openPage(browser, `${limited.url}/`, 390);
    const { page } = home;
    await page.fill('#subscribe-email', 'not-an-email');
    await page.click('#subscribe-submit');
    await page.waitForSelector('#subscribe-email-error:not([hidden])');
    expect(await page.textContent('#subscribe-email-error')).toBe('Must be an email address.');
    expect(await page.getAttribute('#subscribe-email', 'aria-invalid')).toBe('true');
    await page.locator('#subscribe').screenshot({ path: path.join(SCREENSHOT_DIR, 'subscribe-email-error-390-form.png') });
    expect(await page.textContent('#subscribe-result')).toContain('please correct the fields marked above');

    // "these instruments" with none ticked: the API's message lands next to the list
    await page.fill('#subscribe-email', 'limited@example.com');
    await page.getByLabel('These instruments').check();
    await page.click('#subscribe-submit');
    await page.waitForSelector('#subscribe-follow-error:not([hidden])');
    expect(await page.textContent('#subscribe-follow-error')).toContain('at least one symbol');
    expect(await page.getAttribute('#subscribe-email', 'aria-invalid')).toBeNull();

    await page.getByLabel('Every instrument').check();
    await page.click('#subscribe-submit'); // the limit: 2 requests per 10 minutes, both used (the 400s count)
    await page.waitForSelector('#subscribe-result .state-error');
    expect(await page.textContent('#subscribe-result')).toMatch(
      /Not subscribed: Too many requests from this address: please try again in 5 minutes \(at \d\d:\d\d\)\./,
    );
    dropFailedRequestNotices(home, [400, 429]);
    await expectClean(home, 'subscribe-errors-390');
    await page.close();
  } finally {
    await limited.stop();
  }
});

it('a forged or expired link opens a page that says so and offers a new confirmation email', async () => {
  const { rows } = await db.pool.query(`SELECT name, value FROM app_secrets`);
  const secret = Object.fromEntries(rows.map((r) => [r.name, r.value]));
  const signer = createLinkSigner(secret.link_secret, secret.installation_id);
  const email = 'expired-link@example.com';
  const res = await fetch(`${app.url}/api/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, symbols: ['NVDA'] }),
  });
  expect(res.status).toBe(202);
  const { id } = await rowOf(email);
  const expired = signer.sign('confirm', id, new Date(Date.now() - 8 * 24 * 3600 * 1000));
  for (const width of [1280, 390]) {
    const page = await openPage(browser, `${app.url}/api/subscriptions/confirm?token=${expired}`, width);
    expect(await page.page.textContent('h1')).toBe('This link does not work');
    expect(await page.page.textContent('main')).toContain('Invalid or expired confirmation link');
    dropFailedRequestNotices(page, [400]);
    await expectClean(page, `subscribe-expired-link-${width}`);
    await page.page.fill('#resend-email', email);
    await page.page.getByRole('button', { name: 'Send a new confirmation email' }).click();
    await page.page.waitForSelector('text=Check your inbox');
    await page.page.close();

    const forged = await openPage(browser, `${app.url}/subscriptions/manage?token=m.${id}.abc.forged`, width);
    await forged.page.waitForSelector('#bad-link');
    expect(await forged.page.textContent('#bad-link')).toContain('This link does not work');
    await forged.page.fill('#resend-email', 'someone@example.com');
    await forged.page.getByRole('button', { name: 'Send a new confirmation email' }).click();
    await forged.page.waitForSelector('#resend-result .state-ok');
    expect(await forged.page.textContent('#resend-result')).toContain('Check your inbox');
    dropFailedRequestNotices(forged, [400]);
    await expectClean(forged, `subscribe-forged-manage-${width}`);
    await forged.page.close();
  }
});

describe('with email off (no SMTP_URL)', () => {
  let offDb: TestDatabase;
  let offApp: RunningApp;
  beforeAll(async () => {
    offDb = await createTestDatabase();
    offApp = await startTestApp(offDb, { SUBSCRIBE_RATE_LIMIT: '1000' });
  });
  afterAll(async () => {
    await offApp?.stop();
    await offDb?.drop();
  });

  it('the API says no confirmation was sent', async () => {
    const res = await fetch(`${offApp.url}/api/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'api-off@example.com', symbols: ['NVDA'] }),
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as SubscribeResponse;
    expect(body.confirmation).toBe('not_sent');
    expect(body.message).toMatch(/^Recorded; no email server is configured, so no confirmation email was sent/);
    expect(await getJson<{ email: string }>(`${offApp.url}/api/alerts/outbox`)).toMatchObject({ email: 'off' });
  });

  for (const width of [1280, 390]) {
    it(`at ${width} px the form says the subscription was recorded and no email was sent, not "check your inbox"`, async () => {
      const email = `off-${width}@example.com`;
      const home = await openPage(browser, `${offApp.url}/`, width);
      const { page } = home;
      await page.fill('#subscribe-email', email);
      await page.click('#subscribe-submit');
      await page.waitForSelector('#subscribe-done');
      const said = await page.textContent('#subscribe-done');
      expect(said).toContain(`Recorded. No email server is configured, so no confirmation email was sent to ${email}`);
      expect(said).not.toMatch(/inbox|We sent/);
      expect(await page.getAttribute('#subscribe-done', 'data-confirmation')).toBe('not_sent');
      const { rows } = await offDb.pool.query('SELECT confirmed_at FROM subscriptions WHERE email = $1', [email]);
      expect(rows).toEqual([{ confirmed_at: null }]);
      await expectClean(home, `subscribe-home-email-off-${width}`);
      await page.close();
    });
  }
});
