// /api/docs: Swagger UI (swagger-ui-dist, served from node_modules, no CDN) on /api/openapi.json, so a user can
// read every route and try a request from the page. Under the strict CSP: the page has no inline script or
// style; its one script of our own (init.js) starts the viewer.
import path from 'node:path';

/** The folder of swagger-ui-dist's files (its bundle, its stylesheet). */
export function swaggerUiAssetsDir(): string {
  return path.dirname(require.resolve('swagger-ui-dist/package.json'));
}

export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Aftershock API</title>
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
  <noscript><p>This page needs JavaScript. The same description is at <a href="/api/openapi.json">/api/openapi.json</a>.</p></noscript>
  <div id="swagger-ui"></div>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>
`;

// Write routes need the admin token: Swagger UI's "Authorize" button takes it (the document declares the
// bearer scheme). "Try it out" is on for every operation.
export const DOCS_INIT_JS = `window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  tryItOutEnabled: true,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
});
`;
