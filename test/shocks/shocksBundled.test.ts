// The shock detector over the bundled history (data/market and data/global, as `npm start` loads them), through the
// real binary and the API: `aftershock shocks scan --group bundled-equities` over Oct 2024 - Mar 2025 flags 27 Jan
// 2025 alone (N = 7, Seoul and Taipei closed; z about -9; breadth 4 of 7) with the App Store news attached; a
// second scan records nothing new; the API lists it, confirms it into an event linked to its news, dismisses.
import path from 'node:path';
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import { importBundledData } from '../../src/bundled/bundledImport';
import { eventResponse } from '../../src/events/eventContract';
import { shockListResponse, shockResponse, type Shock } from '../../src/shocks/shockContract';
import { runCli } from '../support/appProcess';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

const TOKEN = 'shocks-test-admin-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };
const APP_STORE_URL = 'https://www.techedt.com/deepseek-overtakes-chatgpt-as-the-no-1-app-on-the-app-store';

let db: TestDatabase;
let app: RunningApp;

beforeAll(async () => {
  db = await createTestDatabase(); // data/market
  await importBundledData(db, path.resolve(__dirname, '../../data/global'));
  app = await startTestApp(db, { ADMIN_TOKEN: TOKEN });
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const cli = (...args: string[]) => runCli(args, { DATABASE_URL: db.url, LOG_LEVEL: 'warn' });
const SCAN = ['shocks', 'scan', '--group', 'bundled-equities', '--from', '2024-10-01', '--to', '2025-03-31'];
const get = (p: string) => request(app.url).get(p);

interface ScanJson {
  recorded: { inserted: number; updated: number; unchanged: number };
  flagged: { id: number; date: string; n: number; z: number; p: number; breadth: { count: number; share: number }; direction: string }[];
}

let shock: Shock;

describe('aftershock shocks scan over the bundled history', () => {
  it('flags 27 Jan 2025 alone: N = 7, z about -9, breadth 4 of 7, down; recorded once', async () => {
    const out = await cli(...SCAN, '--json');
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const scan = JSON.parse(out.stdout) as ScanJson;
    expect(scan.flagged.map((f) => f.date)).toEqual(['2025-01-27']);
    const [jan27] = scan.flagged;
    expect(jan27).toMatchObject({ n: 7, breadth: { count: 4 }, direction: 'down' });
    expect(jan27.z).toBeCloseTo(-9.13, 2);
    expect(jan27.p).toBeLessThan(1e-15);
    expect(scan.recorded).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
  });

  it('a second scan adds nothing (and the table says so)', async () => {
    const out = await cli(...SCAN);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/1 flagged daily shock/);
    expect(out.stdout).toMatch(/2025-01-27\s+7\s+-9\.1\d\s+\S+\s+4 of 7\s+down\s+-4\.98%\s+unchanged/);
    expect((await get('/api/shocks')).body.shocks).toHaveLength(1);
  });

  it('refuses an unknown group and bad options with exit code 2 or 1 and a message', async () => {
    const unknown = await cli('shocks', 'scan', '--group', 'nope');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/Unknown group nope/);
    const bad = await cli('shocks', 'scan', '--group', 'bundled-equities', '--from', '2025-13-01');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--from/);
  });
});

describe('GET /api/shocks', () => {
  it('lists the shock with its members, first opens per exchange and the App Store news', async () => {
    const res = await get('/api/shocks?group=bundled-equities&kind=daily&from=2025-01-01&to=2025-01-31');
    expect(res.status).toBe(200);
    const body = shockListResponse.parse(res.body);
    expect(body.shocks).toHaveLength(1);
    shock = body.shocks[0];
    // 2330.TW and 000660.KS: Taipei and Seoul closed; 8035.T: its bundled bars start 2024-12-06 (fewer than 30 estimation returns)
    expect(shock).toMatchObject({ kind: 'daily', sessionDate: '2025-01-27', direction: 'down', status: 'candidate', eventSlug: null });
    expect(shock.group.slug).toBe('bundled-equities');
    expect(shock.statistic.n).toBe(7);
    expect(shock.breadth).toEqual({ count: 4, share: 4 / 7 });
    // NVDA alone lost about $590 billion of market value that day; the sum over the members (in USD) is below it
    expect(shock.size.valueChangeUsd).toBeLessThan(-5.5e11);
    expect(shock.size.valueChangeUsd).toBeGreaterThan(-7e11);
    expect(shock.size.aar).toBeCloseTo(-0.0498, 4);
    expect(shock.members.map((m) => m.symbol).sort()).toEqual(['0700.HK', '600519.SS', '6857.T', '9984.T', '9988.HK', 'NVDA', 'SU.PA']);
    // Tokyo opened first on 27 Jan (00:00 UTC); New York last
    expect(shock.firstBarByExchange[0]).toEqual({ market: 'TSE', t: '2025-01-27T00:00:00.000Z' });
    expect(shock.firstBarByExchange.at(-1)?.market).toBe('US');
    expect(shock.news.map((n) => n.url)).toContain(APP_STORE_URL);
    expect(shock.news.length).toBeLessThanOrEqual(5);
  });

  it('answers one shock, and 4xx JSON naming what was wrong', async () => {
    expect(shockResponse.parse((await get(`/api/shocks/${shock.id}`)).body).shock.id).toBe(shock.id);
    const missing = await get('/api/shocks/999999');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/Unknown shock 999999/);
    expect((await get('/api/shocks/abc')).status).toBe(400);
    const kind = await get('/api/shocks?kind=weekly');
    expect(kind.status).toBe(400);
    expect(JSON.stringify(kind.body)).toMatch(/kind/);
    expect((await get('/api/shocks?group=nope')).status).toBe(404);
    expect((await get('/api/shocks?from=2025-02-01&to=2025-01-01')).status).toBe(400);
    expect((await get('/api/shocks?from=2025-02-01')).body.shocks).toEqual([]);
  });
});

describe('confirm and dismiss', () => {
  it('need the admin token', async () => {
    expect((await request(app.url).post(`/api/shocks/${shock.id}/confirm`).send({ title: 'x' })).status).toBe(401);
    expect((await request(app.url).post(`/api/shocks/${shock.id}/dismiss`)).status).toBe(401);
  });

  it('refuse a body without title or newsId, and a news item not attached', async () => {
    const none = await request(app.url).post(`/api/shocks/${shock.id}/confirm`).set(auth).send({});
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body)).toMatch(/title/);
    const other = await request(app.url).post(`/api/shocks/${shock.id}/confirm`).set(auth).send({ newsId: 987654 });
    expect(other.status).toBe(400);
    expect(other.body.error.message).toMatch(/not attached/);
  });

  it('confirm makes one event (two admins at once: one 201, one 409) titled by the chosen news item, at its publication, linked to the shock news', async () => {
    const appStore = shock.news.find((n) => n.url === APP_STORE_URL)!;
    const confirm = () =>
      request(app.url).post(`/api/shocks/${shock.id}/confirm`).set(auth).send({ newsId: appStore.id, kind: 'market_shock' });
    const both = await Promise.all([confirm(), confirm()]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const res = both.find((r) => r.status === 201)!;
    expect((await get('/api/events')).body.events.filter((e: { kind: string }) => e.kind === 'market_shock')).toHaveLength(1);
    const { event } = eventResponse.parse(res.body);
    expect(event.title).toBe(appStore.title);
    expect(event.kind).toBe('market_shock');
    expect(event.occurredAt).toBe(appStore.publishedAt);
    expect(event.news.map((n) => n.url).sort()).toEqual(shock.news.map((n) => n.url).sort());
    const after = shockResponse.parse((await get(`/api/shocks/${shock.id}`)).body).shock;
    expect(after).toMatchObject({ status: 'confirmed', eventSlug: event.slug });
    const again = await request(app.url).post(`/api/shocks/${shock.id}/confirm`).set(auth).send({ title: 'again' });
    expect(again.status).toBe(409);
  });

  it('dismiss keeps the record (and a scan does not bring it back as a candidate)', async () => {
    const res = await request(app.url).post(`/api/shocks/${shock.id}/dismiss`).set(auth);
    expect(res.status).toBe(200);
    expect(shockResponse.parse(res.body).shock.status).toBe('dismissed');
    const scan = JSON.parse((await cli(...SCAN, '--json')).stdout) as ScanJson;
    expect(scan.recorded).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    expect((await get(`/api/shocks/${shock.id}`)).body.shock.status).toBe('dismissed');
    expect((await request(app.url).post('/api/shocks/999999/dismiss').set(auth)).status).toBe(404);
  });
});
