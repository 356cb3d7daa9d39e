// The routes an Express 5 app actually serves, read from its router stack (router 2.x layers keep the
// path they were mounted at in `rawPath`). The API description is checked against this list.
import type { Express } from 'express';
import type { HttpMethod, MountedRoute } from './registry';

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

const METHODS = new Set<HttpMethod>(['get', 'post', 'put', 'patch', 'delete']);

function joinPaths(prefix: string, path: string): string {
  if (path === '/' || path === '') return prefix || '/';
  return `${prefix}${path.startsWith('/') ? '' : '/'}${path}`.replace(/\/{2,}/g, '/');
}

function walk(stack: readonly Layer[], prefix: string, found: MountedRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        if (typeof path !== 'string') continue; // a RegExp route has no OpenAPI path
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && METHODS.has(method as HttpMethod)) found.push({ method: method as HttpMethod, path: joinPaths(prefix, path) });
        }
      }
    } else if (layer.handle?.stack && typeof layer.rawPath === 'string') {
      walk(layer.handle.stack, layer.rawPath === '/' ? prefix : joinPaths(prefix, layer.rawPath), found);
    }
  }
}

/** Every (method, path) the app routes, with paths as written in Express (`/api/events/:slug`). */
export function mountedRoutes(app: Express): MountedRoute[] {
  const found: MountedRoute[] = [];
  walk((app.router as unknown as { stack: Layer[] }).stack, '', found);
  const unique = new Map(found.map((r) => [`${r.method} ${r.path}`, r]));
  return [...unique.values()];
}
