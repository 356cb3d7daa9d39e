// HTTP: /api/openapi.json (OpenAPI 3.1 from the route registry) and /api/docs (Swagger UI on it).
import express, { Router, type Express } from 'express';
import { DOCS_INIT_JS, DOCS_PAGE, swaggerUiAssetsDir } from './docsPage';
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

describeRoute({
  method: 'get',
  path: '/api/openapi.json',
  summary: 'This API as an OpenAPI 3.1 document',
  responses: { 200: { description: 'The OpenAPI document', schema: openApiDocumentSchema } },
});
describeRoute({
  method: 'get',
  path: '/api/docs',
  summary: 'This API in Swagger UI: every operation, its parameters and responses, and "Try it out"',
  produces: 'text/html',
  responses: { 200: 'HTML page' },
});
describeRoute({
  method: 'get',
  path: '/api/docs/init.js',
  summary: 'The script that starts Swagger UI on /api/openapi.json',
  produces: 'text/javascript',
  responses: { 200: 'JavaScript' },
});

export function openapiRoutes(): Router {
  const router = Router();
  // built on first request, when every router is mounted; the routes do not change afterwards
  const documents = new WeakMap<Express, Record<string, unknown>>();
  const documentOf = (app: Express) => {
    let doc = documents.get(app);
    if (!doc) {
      doc = buildOpenApiDocument(
        INFO,
        mountedRoutes(app).filter((r) => r.path.startsWith('/api/')),
      );
      documents.set(app, doc);
    }
    return doc;
  };

  router.get('/openapi.json', (req, res) => {
    res.json(documentOf(req.app as Express));
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('text/javascript').send(DOCS_INIT_JS);
  });
  router.use('/docs/assets', express.static(swaggerUiAssetsDir(), { index: false, fallthrough: false }));
  return router;
}
