// /api/openapi.json and /api/docs: generated from the route registry and checked against what Express serves.
import request from 'supertest';
import { z } from 'zod';
import type { RunningApp } from '../../src/app/server';
import { escapeHtml } from '../../src/openapi/docsPage';
import { mountedRoutes } from '../../src/openapi/mountedRoutes';
import { buildOpenApiDocument, describeRoute, toOpenApiPath } from '../../src/openapi/registry';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

let db: TestDatabase;
let app: RunningApp;
let doc: {
  openapi: string;
  info: { title: string };
  paths: Record<string, Record<string, { summary: string; parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[]; requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[] } }> }; responses: Record<string, unknown>; security?: unknown[]; 'x-undocumented'?: boolean }>>;
};

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp(db);
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
    const undescribed = served.filter((r) => doc.paths[toOpenApiPath(r.path)]?.[r.method]?.['x-undocumented']).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(undescribed).toEqual([]);
    // and nothing that Express does not serve
    const servedKeys = new Set(served.map((r) => `${r.method} ${toOpenApiPath(r.path)}`));
    for (const [path, operations] of Object.entries(doc.paths)) for (const method of Object.keys(operations)) expect(servedKeys).toContain(`${method} ${path}`);
  });

  it('describes the impact query from the schema that validates it', () => {
    const op = doc.paths['/api/events/{slug}/impact'].get;
    const byName = Object.fromEntries(op.parameters.map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual(['benchmark', 'cars', 'estimation', 'minObs', 'slug', 'symbols', 'window']);
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
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['title', 'occurredAt', 'date', 'dateOnly', 'timeZone', 'kind', 'newsUrls']));
    expect(body.required).toEqual(['title']);
    expect(doc.paths['/api/moves/{id}/links/{eventSlug}'].delete.security).toEqual([{ adminToken: [] }]);
    expect(doc.paths['/api/events'].get.security).toBeUndefined();
  });

  it('a route nobody described still appears, marked x-undocumented', () => {
    const built = buildOpenApiDocument({ title: 't', version: '1' }, [{ method: 'get', path: '/api/zz-test-undescribed/:thing' }]) as typeof doc;
    const op = built.paths['/api/zz-test-undescribed/{thing}'].get;
    expect(op['x-undocumented']).toBe(true);
    expect(op.parameters).toEqual([expect.objectContaining({ name: 'thing', in: 'path', required: true })]);
  });
});

describe('/api/docs', () => {
  it('renders every operation as HTML without any script', async () => {
    const res = await request(app.url).get('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).not.toMatch(/<script/i);
    expect(res.text).not.toMatch(/ on[a-z]+=/i);
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const method of Object.keys(operations)) expect(res.text).toContain(`${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code>`);
    }
    expect(res.text).toContain('<link rel="stylesheet" href="/api/docs/docs.css">');
    const css = await request(app.url).get('/api/docs/docs.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
  });

  it('escapes every text it shows', async () => {
    describeRoute({
      method: 'get',
      path: '/api/zz-test-escaping',
      summary: '<script>alert(1)</script> & "quotes"',
      query: z.object({ q: z.string().describe('<img src=x onerror=alert(1)>') }),
      responses: { 200: '<b>bold</b>' },
    });
    const { renderDocsPage } = await import('../../src/openapi/docsPage');
    const html = renderDocsPage(buildOpenApiDocument({ title: 'T<i>', version: '1' }));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('T&lt;i&gt;');
  });
});
