// /api/openapi.json and /api/docs: generated from the route registry and checked against what Express serves.
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import { eventListResponse, eventResponse } from '../../src/events/eventContract';
import { impactResponse } from '../../src/impact/impactContract';
import { dailyBarsResponse, instrumentListResponse, instrumentResponse } from '../../src/instruments/instrumentContract';
import { moveListResponse, moveResponse } from '../../src/moves/moveContract';
import { detectAndStoreMoves } from '../../src/moves/moveDetection';
import { mountedRoutes } from '../../src/openapi/mountedRoutes';
import { enqueueEmail } from '../../src/outbox/outboxStore';
import { insertSubscription } from '../../src/subscriptions/subscriptionStore';
import { attachAlertsToEmail, insertAlerts } from '../../src/triggers/alertStore';
import { openApiDocumentSchema } from '../../src/openapi/openapiContract';
import { buildOpenApiDocument, toOpenApiPath } from '../../src/openapi/registry';
import { statusResponse } from '../../src/status/statusContract';
import { subscriptionListResponse } from '../../src/subscriptions/subscriptionContract';
import { alertListResponse, outboxResponse } from '../../src/triggers/alertContract';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { MOVES_KIND } from '../alerts/alertTestSupport';

const TOKEN = 'openapi-test-admin-token-0123456789';

let db: TestDatabase;
let app: RunningApp;
let doc: {
  openapi: string;
  info: { title: string };
  paths: Record<
    string,
    Record<
      string,
      {
        summary: string;
        parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
        requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[] } }> };
        responses: Record<string, unknown>;
        security?: unknown[];
        'x-undocumented'?: boolean;
      }
    >
  >;
};

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp(db, { ADMIN_TOKEN: TOKEN });
  const res = await request(app.url).get('/api/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

describe('/api/openapi.json', () => {
  it('is an OpenAPI 3.1 document', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Aftershock');
    for (const [path, operations] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\/api\//);
      expect(path).not.toContain(':');
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(operations)) {
        expect(METHODS).toContain(method);
        expect(op.summary.length).toBeGreaterThan(0);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        // every {name} in the path is a required path parameter
        const pathParams = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
        expect(pathParams.sort()).toEqual([...names].sort());
      }
    }
  });

  it('has every /api route that Express serves, each with a real description', () => {
    const served = mountedRoutes(app.server.listeners('request')[0] as never).filter((r) => r.path.startsWith('/api/'));
    expect(served.length).toBeGreaterThan(15);
    const missing = served.filter((r) => !doc.paths[toOpenApiPath(r.path)]?.[r.method]);
    expect(missing).toEqual([]);
    const undescribed = served
      .filter((r) => doc.paths[toOpenApiPath(r.path)]?.[r.method]?.['x-undocumented'])
      .map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(undescribed).toEqual([]);
    // and nothing that Express does not serve
    const servedKeys = new Set(served.map((r) => `${r.method} ${toOpenApiPath(r.path)}`));
    for (const [path, operations] of Object.entries(doc.paths))
      for (const method of Object.keys(operations)) expect(servedKeys).toContain(`${method} ${path}`);
  });

  it('describes the impact query from the schema that validates it', () => {
    const op = doc.paths['/api/events/{slug}/impact'].get;
    const byName = Object.fromEntries(op.parameters.map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual(['benchmark', 'cars', 'estimation', 'minObs', 'model', 'slug', 'symbols', 'window']);
    expect(byName.slug).toMatchObject({ in: 'path', required: true, schema: { type: 'string', pattern: expect.any(String) } });
    expect(byName.window).toMatchObject({ in: 'query', required: false });
    expect(op.responses).toHaveProperty('400');
    expect(op.responses).toHaveProperty('404');
  });

  it('describes write routes with their JSON body and the admin token', () => {
    const create = doc.paths['/api/events'].post;
    expect(create.security).toEqual([{ adminToken: [] }]);
    expect(create.responses).toHaveProperty('401');
    expect(create.responses).toHaveProperty('403');
    const body = create.requestBody!.content['application/json'].schema;
    expect(Object.keys(body.properties)).toEqual(
      expect.arrayContaining(['title', 'occurredAt', 'date', 'dateOnly', 'timeZone', 'kind', 'newsUrls']),
    );
    expect(body.required).toEqual(['title']);
    expect(doc.paths['/api/moves/{id}/links/{eventSlug}'].delete.security).toEqual([{ adminToken: [] }]);
    expect(doc.paths['/api/events'].get.security).toBeUndefined();
  });

  it('gives every 2xx response a schema: JSON ones an object schema with its properties, text ones a string', () => {
    const missing: string[] = [];
    let json = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(
          op.responses as Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>,
        )) {
          if (!/^2\d\d$/.test(status) || status === '204') continue;
          const where = `${method.toUpperCase()} ${path} ${status}`;
          const content = Object.entries(response.content ?? {});
          if (content.length === 0) missing.push(`${where}: no content`);
          for (const [media, { schema }] of content) {
            if (media === 'application/json') {
              json++;
              const properties = schema?.properties as Record<string, unknown> | undefined;
              if (schema?.type !== 'object' || !properties || Object.keys(properties).length === 0) missing.push(`${where}: no properties`);
            } else if (schema?.type !== 'string') missing.push(`${where} (${media}): not a string schema`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
    expect(json).toBeGreaterThan(20);
    // the schemas are the output side: dates as the ISO strings the server sends
    const bars = (
      doc.paths['/api/instruments/{symbol}/bars'].get.responses['200'] as {
        content: Record<string, { schema: { properties: Record<string, unknown> } }>;
      }
    ).content['application/json'].schema;
    expect(bars.properties.from).toMatchObject({ anyOf: [{ type: 'string', format: 'date' }, { type: 'null' }] });
    expect(openApiDocumentSchema.parse(doc).openapi).toBe('3.1.0');
  });

  it('a route nobody described still appears, marked x-undocumented', () => {
    const built = buildOpenApiDocument({ title: 't', version: '1' }, [
      { method: 'get', path: '/api/zz-test-undescribed/:thing' },
    ]) as typeof doc;
    const op = built.paths['/api/zz-test-undescribed/{thing}'].get;
    expect(op['x-undocumented']).toBe(true);
    expect(op.parameters).toEqual([expect.objectContaining({ name: 'thing', in: 'path', required: true })]);
  });
});

describe('/api/docs', () => {
  it('is Swagger UI served from node_modules: no inline script or style, every asset from this server', async () => {
    const res = await request(app.url).get('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const scripts = [...res.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => m[1].trim())).toEqual(['src="/api/docs/assets/swagger-ui-bundle.js"', 'src="/api/docs/init.js"']);
    expect(scripts.every((m) => m[2] === '')).toBe(true);
    expect(res.text).not.toMatch(/<style| style=| on[a-z]+=|https?:\/\//i);
    const init = await request(app.url).get('/api/docs/init.js');
    expect(init.headers['content-type']).toMatch(/javascript/);
    expect(init.text).toContain("url: '/api/openapi.json'");
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
      const r = await request(app.url).get(`/api/docs/assets/${asset}`);
      expect(r.status).toBe(200);
      expect(r.body.length ?? r.text.length).toBeGreaterThan(1000);
    }
    expect((await request(app.url).get('/api/docs/assets/../package.json')).status).toBeGreaterThanOrEqual(400);
  });
});

describe('the responses match their contract', () => {
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await request(app.url).get(url).set(headers);
    expect(res.status).toBe(200);
    return res.body as unknown;
  };

  beforeAll(async () => {
    await detectAndStoreMoves(db);
    // two alerts of one subscription: one carried by an email and naming an event, one waiting for its email
    const subscription = await insertSubscription(db.pool, {
      email: 'reader@example.com',
      symbols: [],
      group: null,
      minMovePct: 5,
      minAbnormalZ: null,
      mode: 'instant',
      ...MOVES_KIND,
    });
    const { rows } = await db.pool.query<{ id: number }>('SELECT id FROM events ORDER BY id LIMIT 1');
    const client = await db.pool.connect();
    try {
      const alert = {
        subscriptionId: subscription.id,
        symbol: 'NVDA',
        rule: 'close_move' as const,
        move: -0.17,
        abnormalReturn: -0.15,
        z: -4.2,
        price: 118.42,
      };
      const [carried] = await insertAlerts(client, [
        { ...alert, sessionDate: '2025-01-27', eventId: rows[0].id },
        { ...alert, sessionDate: '2025-01-28', eventId: null },
      ]);
      const emailId = await enqueueEmail(client, {
        dedupeKey: 'contract-check',
        kind: 'alert',
        subscriptionId: subscription.id,
        to: subscription.email,
        subject: 's',
        text: 't',
        html: 'h',
        headers: {},
      });
      await attachAlertsToEmail(client, [carried.id], emailId!);
    } finally {
      client.release();
    }
  });

  it('instruments, one instrument and its bars', async () => {
    const { instruments } = instrumentListResponse.parse(await get('/api/instruments'));
    expect(instruments.length).toBeGreaterThan(3);
    for (const { symbol } of instruments.slice(0, 4)) {
      instrumentResponse.parse(await get(`/api/instruments/${encodeURIComponent(symbol)}`));
      expect(
        dailyBarsResponse.parse(await get(`/api/instruments/${encodeURIComponent(symbol)}/bars?from=2025-01-01`)).bars.length,
      ).toBeGreaterThan(0);
    }
  });

  it('events, one event (its news and moves) and its impact', async () => {
    const { events } = eventListResponse.parse(await get('/api/events'));
    expect(events.length).toBeGreaterThan(0);
    let moves = 0;
    for (const { slug } of events) {
      moves += eventResponse.parse(await get(`/api/events/${slug}`)).event.moves.length;
    }
    expect(moves).toBeGreaterThan(0);
    const impact = impactResponse.parse(await get(`/api/events/${events[0].slug}/impact`));
    expect(impact.results.length).toBeGreaterThan(0);
    expect(impact.results.some((r) => r.status === 'ok' && r.days.length > 0)).toBe(true);
  });

  it('an event written through the API', async () => {
    const res = await request(app.url)
      .post('/api/events')
      .set({ Authorization: `Bearer ${TOKEN}` })
      .send({ title: 'Contract check', date: '2025-01-27', dateOnly: true, newsUrls: ['https://example.com/contract-check'] });
    expect(res.status).toBe(201);
    expect(eventResponse.parse(res.body).event.news).toHaveLength(1);
  });

  it('moves and one move (its candidate news)', async () => {
    const { moves } = moveListResponse.parse(await get('/api/moves'));
    expect(moves.length).toBeGreaterThan(0);
    const linked = moves.find((m) => m.events.length > 0) ?? moves[0];
    expect(moveResponse.parse(await get(`/api/moves/${linked.id}`)).move.id).toBe(linked.id);
  });

  it('status, alerts, the outbox and the subscriptions', async () => {
    const status = statusResponse.parse(await get('/api/status'));
    expect(status.instruments.length).toBeGreaterThan(0);
    expect(status.jobs.length).toBeGreaterThan(0);
    const open = alertListResponse.parse(await get('/api/alerts')).alerts;
    const admin = alertListResponse.parse(await get('/api/alerts', { Authorization: `Bearer ${TOKEN}` })).alerts;
    expect(open.map((a) => a.delivery !== null && a.event !== null).sort()).toEqual([false, true]);
    expect(admin.every((a) => a.email === 'reader@example.com')).toBe(true);
    expect(outboxResponse.parse(await get('/api/alerts/outbox')).pending).toBe(1);
    expect(
      subscriptionListResponse.parse(await get('/api/subscriptions', { Authorization: `Bearer ${TOKEN}` })).subscriptions,
    ).toHaveLength(1);
  });
});
