// Issue 12, item 14: the dashboard over plain HTTP from an address that is not localhost. upgrade-insecure-requests
// and HSTS go out only over TLS (req.secure), or the browser rewrites every script and API call to https:// and
// the page stays empty. A real Chromium opens the dashboard at a non-loopback address of this machine.
import os from 'node:os';
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { type Browser, launchBrowser, openPage } from '../browser/browserSupport';

/** An IPv4 address of this machine that is not loopback, or null. */
function nonLoopbackAddress(): string | null {
  for (const list of Object.values(os.networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return null;
}

const address = nonLoopbackAddress();
let db: TestDatabase;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  if (!address) return;
  db = await createTestDatabase();
  app = await startTestApp(db, { HOST: '0.0.0.0' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await db?.drop();
});

const port = () => new URL(app.url).port;

(address ? it : it.skip)(
  `plain HTTP answers carry neither HSTS nor upgrade-insecure-requests (at ${address ?? 'no non-loopback address: skipped'})`,
  async () => {
    const res = await request(`http://${address}:${port()}`).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    // behind a TLS-terminating proxy on loopback (trust proxy), the request is secure: both are sent
    const secure = await request(app.url).get('/').set('X-Forwarded-Proto', 'https');
    expect(secure.headers['strict-transport-security']).toMatch(/max-age=/);
    expect(secure.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  },
);

(address ? it : it.skip)('the dashboard loads its events in Chromium at the non-loopback address', async () => {
  const opened = await openPage(browser, `http://${address}:${port()}/`);
  try {
    expect(opened.problems).toEqual([]);
    await opened.page.waitForSelector('a[href^="/events/deepseek"]', { timeout: 10_000 });
    expect(await opened.page.locator('a[href^="/events/deepseek"]').count()).toBeGreaterThan(0);
  } finally {
    await opened.page.close();
  }
});

if (!address)
  it('has a non-loopback address to test with', () =>
    console.warn('item 14 browser test skipped: this machine has no non-loopback IPv4 address'));
