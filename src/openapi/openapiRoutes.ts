// HTTP: /api/openapi.json (OpenAPI 3.1 from the route registry) and /api/docs (the same, as an HTML page).
import { Router, type Express } from 'express';
import { DOCS_CSS, renderDocsPage } from './docsPage';
import { mountedRoutes } from './mountedRoutes';
import { openApiDocumentSchema } from './openapiContract';
import { buildOpenApiDocument, describeRoute } from './registry';

const INFO = {
  title: 'Aftershock',
  version: '0.1.0',
  description:
    'When news hits, how hard did it move the market, and is that move unusual? Daily bars, news events, ' +
    'detected price moves and event studies (abnormal returns, CARs with t-tests, BHAR, market value changes).',
};

describeRoute({ method: 'get', path: '/api/openapi.json', summary: 'This API as an OpenAPI 3.1 document', responses: { 200: { description: 'The OpenAPI document', schema: openApiDocumentSchema } } });
describeRoute({ method: 'get', path: '/api/docs', summary: 'This API as a human-readable page', produces: 'text/html', responses: { 200: 'HTML page: every operation with its parameters and responses' } });
describeRoute({ method: 'get', path: '/api/docs/docs.css', summary: 'Stylesheet of the docs page', produces: 'text/css', responses: { 200: 'CSS' } });

export function openapiRoutes(): Router {
  const router = Router();
  // built on first request, when every router is mounted; the routes do not change afterwards
  const documents = new WeakMap<Express, { json: Record<string, unknown>; html: string }>();
  const documentOf = (app: Express) => {
    let doc = documents.get(app);
    if (!doc) {
      const json = buildOpenApiDocument(INFO, mountedRoutes(app).filter((r) => r.path.startsWith('/api/')));
      doc = { json, html: renderDocsPage(json) };
      documents.set(app, doc);
    }
    return doc;
  };

  router.get('/openapi.json', (req, res) => {
    res.json(documentOf(req.app as Express).json);
  });
  router.get('/docs', (req, res) => {
    res.type('html').send(documentOf(req.app as Express).html);
  });
  router.get('/docs/docs.css', (_req, res) => {
    res.type('css').send(DOCS_CSS);
  });
  return router;
}
