// Issue 12, item 6: extreme dates. One date and instant validator for the whole API and the CLI accepts
// 1900-01-01..2100-12-31; outside it the answer is a 400 (the CLI exits with a usage error), never a 500, and
// nothing is stored on a refusal.
import request from 'supertest';
import { runCli } from '../support/appProcess';
import { useTestApp } from '../support/testApp';

const ADMIN_TOKEN = 'extreme-dates-admin-token-0123456789';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const t = useTestApp({ ADMIN_TOKEN });

const count = async (table: string) => Number((await t.db.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

describe('GET routes with a date out of range', () => {
  it.each([
    '/api/instruments/NVDA/bars?from=0000-01-01',
    '/api/instruments/NVDA/bars?to=9999-12-31',
    '/api/moves?from=0000-01-01',
    '/api/moves?to=0001-01-01',
    '/api/export/bars.csv?symbols=NVDA&from=0000-01-01',
    '/api/export/moves.csv?from=0000-01-01',
    '/api/export/events.csv?from=0000-01-01',
    '/api/instruments/NVDA/bars?from=1899-12-31',
    '/api/instruments/NVDA/bars?to=2101-01-01',
  ])('%s answers 400', async (url) => {
    const res = await request(t.app.url).get(url);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_parameter');
  });
  it('the range edges are fine', async () => {
    expect((await request(t.app.url).get('/api/instruments/NVDA/bars?from=1900-01-01&to=2100-12-31')).status).toBe(200);
  });
});

describe('writes with a date out of range store nothing', () => {
  it('POST /api/instruments from=0000-01-01 answers 400', async () => {
    const before = await count('instruments');
    const res = await request(t.app.url).post('/api/instruments').set(auth).send({ symbol: 'ZZDATE', from: '0000-01-01' });
    expect(res.status).toBe(400);
    expect(await count('instruments')).toBe(before);
  });
  it.each([
    { occurredAt: '9999-12-31T23:59:59-12:00' },
    { occurredAt: '0000-01-01T00:00:00Z' },
    { occurredAt: '2101-01-01T12:00:00+02:00' },
    { occurredAt: '1899-12-31T08:00:00', timeZone: 'Asia/Tokyo' },
    { date: '9999-12-31' },
  ])('POST /api/events %j answers 400', async (time) => {
    const before = await count('events');
    const res = await request(t.app.url)
      .post('/api/events')
      .set(auth)
      .send({ title: `Far away ${JSON.stringify(time)}`, ...time });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_parameter');
    expect(await count('events')).toBe(before);
    expect((await request(t.app.url).get('/api/events')).status).toBe(200);
  });
  it('PATCH /api/events/:slug to an out-of-range instant answers 400', async () => {
    const created = await request(t.app.url).post('/api/events').set(auth).send({ title: 'Patched far away', date: '2025-01-06' });
    expect(created.status).toBe(201);
    const res = await request(t.app.url)
      .patch(`/api/events/${created.body.event.slug}`)
      .set(auth)
      .send({ occurredAt: '9999-12-31T23:59:59-12:00' });
    expect(res.status).toBe(400);
    expect((await request(t.app.url).get('/api/events')).status).toBe(200);
  });
});

describe('the CLI', () => {
  it.each([
    ['export', 'bars', '--symbols', 'NVDA', '--from', '0000-01-01'],
    ['export', 'moves', '--from', '0000-01-01'],
    ['instruments', 'add', 'ZZDATE', '--from', '0000-01-01'],
    ['backfill', '--from', '0000-01-01'],
  ])('%s %s ... --from 0000-01-01 is a usage error', async (...args) => {
    const before = await count('instruments');
    const res = await runCli(args, { DATABASE_URL: t.db.url, LOG_LEVEL: 'warn', YAHOO_BASE_URL: 'http://127.0.0.1:9' });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/1900-01-01/);
    expect(await count('instruments')).toBe(before);
  });
});
