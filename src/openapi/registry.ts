// The API description: every route registers itself here, next to its handler, with the same zod schemas
// that validate its requests; /api/openapi.json and /api/docs are generated from this registry.
//
//   describeRoute({ method: 'get', path: '/api/events/:slug', summary: 'One event', params: slugParams,
//                   responses: { 200: { description: 'The event with its news and moves', schema: eventResponse } } });
//   router.get('/:slug', async (req, res) => { const { slug } = parseParams(req, slugParams); ... });
import { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteDescription {
  method: HttpMethod;
  /** the full Express path as mounted, e.g. '/api/events/:slug/impact' */
  path: string;
  summary: string;
  description?: string;
  /** defaults to the first path segment after /api */
  tag?: string;
  /** path parameters: a z.object whose keys are the :names in the path */
  params?: z.ZodType;
  /** query parameters: a z.object (refinements and transforms allowed) */
  query?: z.ZodType;
  /** JSON request body */
  body?: z.ZodType;
  /**
   * status -> what the response is: a 2xx JSON response with its zod schema (the wire shape, from the
   * capability's *Contract.ts); a plain string for errors and non-JSON bodies. 400 (bad input), 401/403
   * (admin) and 404 (path params) are added.
   */
  responses: Partial<Record<number, string | ResponseDescription>>;
  /** media type of the success response; default application/json */
  produces?: string;
  /** needs `Authorization: Bearer <ADMIN_TOKEN>` */
  admin?: boolean;
}

interface ResponseDescription {
  description: string;
  /** the body as sent (dates as ISO strings); z.toJSONSchema of its output side goes into the document */
  schema?: z.ZodType;
}

const routes = new Map<string, RouteDescription>();

const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** Register a route's description; registering the same method and path again replaces it. */
export function describeRoute(route: RouteDescription): RouteDescription {
  if (!route.path.startsWith('/')) throw new Error(`describeRoute: path must be the full mounted path, got ${route.path}`);
  routes.set(routeKey(route.method, route.path), route);
  return route;
}

function describedRoutes(): RouteDescription[] {
  return [...routes.values()];
}

function findRouteDescription(method: string, path: string): RouteDescription | undefined {
  return routes.get(routeKey(method, path));
}

/** '/api/events/:slug/impact' -> '/api/events/{slug}/impact' */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function pathParameterNames(expressPath: string): string[] {
  return [...expressPath.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
}

type JsonSchema = Record<string, unknown>;

/** JSON Schema (2020-12, the dialect of OpenAPI 3.1) of what a client sends: the input side of transforms. */
function requestJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** JSON Schema of what the server answers: the output side of transforms. */
function responseJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

interface ParameterObject {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): ParameterObject[] {
  if (!schema) return [];
  const json = requestJsonSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

const ERROR_SCHEMA_REF = { $ref: '#/components/schemas/Error' };

function operationId(method: string, path: string): string {
  const words = path
    .replace(/^\/api\//, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return method + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/** A route that Express serves but nobody described: present in the document, marked as such. */
export interface MountedRoute {
  method: HttpMethod;
  path: string;
}

/**
 * The OpenAPI 3.1 document of the described routes, plus a minimal entry (x-undocumented) for every
 * mounted route in `mounted` that has no description yet, so the document never silently omits one.
 */
export function buildOpenApiDocument(info: OpenApiInfo, mounted: readonly MountedRoute[] = []): Record<string, unknown> {
  const all: RouteDescription[] = describedRoutes();
  const undescribed = new Set<RouteDescription>();
  for (const m of mounted) {
    if (!findRouteDescription(m.method, m.path)) {
      const placeholder: RouteDescription = {
        method: m.method,
        path: m.path,
        summary: `${m.method.toUpperCase()} ${m.path} (not described yet)`,
        ...(pathParameterNames(m.path).length > 0
          ? { params: z.object(Object.fromEntries(pathParameterNames(m.path).map((n) => [n, z.string()]))) }
          : {}),
        responses: { 200: 'Not described yet' },
      };
      undescribed.add(placeholder);
      all.push(placeholder);
    }
  }
  all.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of all) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      if (response === undefined) continue;
      const { description, schema } = typeof response === 'string' ? { description: response, schema: undefined } : response;
      const ok = Number(status) < 400;
      const media = ok ? (route.produces ?? 'application/json') : 'application/json';
      // a JSON body without a schema stays {} (the document test fails on it); a text body (CSV, HTML) is a string
      const okSchema = schema ? responseJsonSchema(schema) : media === 'application/json' ? {} : { type: 'string' };
      responses[status] =
        Number(status) === 204 ? { description } : { description, content: { [media]: { schema: ok ? okSchema : ERROR_SCHEMA_REF } } };
    }
    const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ERROR_SCHEMA_REF } } });
    if ((route.params || route.query || route.body) && !responses['400'])
      responses['400'] = errorResponse('A parameter is invalid; the message names it');
    if (route.params && pathParameterNames(route.path).length > 0 && !responses['404']) responses['404'] = errorResponse('Not found');
    if (route.admin) {
      responses['401'] ??= errorResponse('Missing or wrong admin token');
      responses['403'] ??= errorResponse('Write routes are disabled (no ADMIN_TOKEN configured)');
    }

    const operation: Record<string, unknown> = {
      operationId: operationId(route.method, route.path),
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag ?? route.path.split('/')[2] ?? 'api'],
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      ...(route.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: requestJsonSchema(route.body) } } } }
        : {}),
      responses,
      ...(route.admin ? { security: [{ adminToken: [] }] } : {}),
      ...(undescribed.has(route) ? { 'x-undocumented': true } : {}),
    };
    (paths[toOpenApiPath(route.path)] ??= {})[route.method] = operation;
  }

  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'the ADMIN_TOKEN of the server' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'details'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
            },
          },
        },
      },
    },
  };
}
