// Property-based fuzz of every API route: random paths built from the OpenAPI description, random query
// strings, bodies, headers and sizes. The server must never answer 5xx nor leave a promise rejection unhandled.
import fc from 'fast-check';
import http from 'node:http';
import type { RunningApp } from '../../src/app/server';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { FakeYahoo } from '../support/fakeYahoo';

const ADMIN_TOKEN = 'fuzz-admin-token-0123456789';
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);

let db: TestDatabase;
let app: RunningApp;
let yahoo: FakeYahoo;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  yahoo = await FakeYahoo.start(); // knows no symbols: adding one is a clean 4xx, and nothing reaches the internet
  db = await createTestDatabase();
  app = await startTestApp(db, { ADMIN_TOKEN, YAHOO_BASE_URL: yahoo.baseUrl, YAHOO_MAX_ATTEMPTS: '1' });
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await app?.stop();
  await db?.drop();
  await yahoo?.close();
});

interface Answer {
  status: number;
  body: string;
}

/** A raw request (supertest and fetch would normalise away the malformed parts we want to send). */
function send(method: string, path: string, headers: Record<string, string>, body: Buffer | null): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${app.url}${path}`,
      { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const segment = fc.oneof(
  fc.constantFrom(
    'NVDA',
    '6857.T',
    '^GSPC',
    'JPY=X',
    'deepseek-app-store-no1',
    'deepseek-r1-release',
    'NOPE',
    '1',
    '0',
    '-1',
    '99999999999999999999',
    '',
    '..',
    '%00',
    '%2e%2e',
    "'; DROP TABLE daily_bars;--",
    '<script>',
    '=1+1',
    '%F0%9F%92%A5',
    'a'.repeat(300),
  ),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
);
const queryValue = fc.oneof(
  fc.constantFrom(
    '2025-01-27',
    '2025-02-30',
    'yesterday',
    '-5,10',
    '10,-5',
    '-120,-11',
    '-5,-20',
    'NVDA,6857.T',
    'NOPE',
    '1',
    '-1',
    '1e309',
    'NaN',
    '',
    'true',
    '5m',
    '1d',
    "' OR 1=1 --",
    '=HYPERLINK("x")',
  ),
  fc.string({ maxLength: 40 }),
);
const queryName = fc.constantFrom(
  'from',
  'to',
  'symbols',
  'symbol',
  'window',
  'estimation',
  'minObs',
  'benchmark',
  'min',
  'interval',
  'bom',
  'status',
  'token',
  'url',
  'limit',
  'x',
);
const query = fc
  .array(fc.tuple(queryName, queryValue), { maxLength: 5 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` : ''));
const jsonish = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        symbol: segment,
        title: fc.string(),
        email: fc.oneof(fc.emailAddress(), fc.string()),
        occurredAt: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string(),
        ),
        minMovePct: fc.oneof(fc.double(), fc.string()),
        symbols: fc.array(segment, { maxLength: 3 }),
        newsUrls: fc.array(fc.webUrl(), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '{"a":', 'null', '[]', '"x"', '{"__proto__":{"polluted":1}}'),
);
const body = fc.oneof(
  fc.constant(null),
  jsonish.map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)),
  fc.constant(Buffer.alloc(200_000, 'a')),
);
const headers = fc
  .record(
    {
      'content-type': fc.constantFrom(
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        '',
      ),
      authorization: fc.constantFrom(`Bearer ${ADMIN_TOKEN}`, 'Bearer wrong', 'Basic abc', 'Bearer ', ''),
      accept: fc.constantFrom('application/json', 'text/csv', '*/*', 'text/html'),
      'x-request-id': fc.string({ maxLength: 80 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
    },
    { requiredKeys: [] },
  )
  .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== '')));

/** /api/events/{slug}/impact -> a path with each {param} replaced by a random segment. */
function fill(template: string, segments: string[]): string {
  let i = 0;
  return template.replace(/\{[^}]+\}/g, () => segments[i++ % segments.length] || 'x');
}

describe('fuzz of every API route', () => {
  it(`answers ${RUNS} random requests without a 5xx or an unhandled rejection`, async () => {
    const spec = JSON.parse((await send('GET', '/api/openapi.json', {}, null)).body);
    const templates: Array<{ method: string; path: string }> = [];
    for (const [p, ops] of Object.entries(spec.paths as Record<string, Record<string, unknown>>))
      for (const m of Object.keys(ops)) templates.push({ method: m.toUpperCase(), path: p });
    expect(templates.length).toBeGreaterThan(10);

    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...templates),
        fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'),
        fc.boolean(),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        query,
        headers,
        body,
        async (route, otherMethod, useRouteMethod, segs, q, h, b) => {
          const method = useRouteMethod ? route.method : otherMethod;
          const res = await send(method, fill(route.path, segs) + q, h, method === 'GET' || method === 'HEAD' ? null : b);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) serverErrors.push(`${method} ${fill(route.path, segs)}${q} -> ${res.status} ${res.body.slice(0, 200)}`);
          return res.status < 500;
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
    console.log(`fuzz: ${RUNS} requests over ${templates.length} routes; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(serverErrors).toEqual([]);
    expect(unhandled).toEqual([]);
    // the app is still healthy afterwards
    expect((await send('GET', '/readyz', {}, null)).status).toBe(200);
  });

  it('refuses an oversized body with 413 and the JSON error', async () => {
    const res = await send(
      'POST',
      '/api/events',
      { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      Buffer.from(JSON.stringify({ title: 'x'.repeat(300_000) })),
    );
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('payload_too_large');
  });
});
