// How the Yahoo provider talks HTTP: yahoo-finance2's `fetch` option is the seam below, so every request the
// library makes (API, cookie page, crumb) passes here: the base-URL swap, a per-request timeout covering the
// body, the record of the last status, and the cookie fix. The cookie jar and the crumb reset live here too.
import type { ExtendedCookieJar as ExtendedCookieJarClass } from 'yahoo-finance2/script/src/lib/cookieJar';

// The package exports './lib/cookieJar' (package.json "exports"), which this tsconfig's node10 resolution
// cannot see; the type comes from the file, the value from the exported subpath, so it is the very class
// the library checks with instanceof.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ExtendedCookieJar } = require('yahoo-finance2/lib/cookieJar') as { ExtendedCookieJar: typeof ExtendedCookieJarClass };
// The library keeps the crumb, and the promise of fetching it, in module state shared by all instances; once
// a crumb was served from cache that promise is never reset, so a crumb Yahoo has expired would be reused
// for the life of the process. getCrumbClear resets that state (and empties the jar it is given).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getCrumbClear } = require('yahoo-finance2/lib/getCrumb') as { getCrumbClear: (jar: ExtendedCookieJarClass) => Promise<void> };

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Thrown by the fetch seam when one HTTP request exceeds its time budget. */
export class RequestTimeoutError extends Error {
  readonly url: string;
  readonly timeoutMs: number;
  constructor(url: string, timeoutMs: number) {
    super(`request timed out after ${timeoutMs} ms: ${url}`);
    this.name = 'RequestTimeoutError';
    this.url = url;
    this.timeoutMs = timeoutMs;
  }
}

/** What the fetch seam saw during one attempt; lets the error mapping recover statuses the library drops. */
export interface UpstreamCallContext {
  /** status of the last HTTP response of the attempt */
  lastStatus?: number;
}

export interface YahooTransportOptions {
  /** send every request to this origin instead, keeping Yahoo's path and query; undefined: real Yahoo */
  baseUrl: string | undefined;
  /** budget for one HTTP request, body included */
  timeoutMs: number;
  /** the transport under the seam (default: globalThis.fetch at call time) */
  transport?: FetchLike;
}

/** One HTTP session with Yahoo: its cookie jar and the fetch seam the library is given. */
export class YahooTransport {
  readonly baseUrl: string | undefined;
  readonly cookieJar: InstanceType<typeof ExtendedCookieJarClass> = new ExtendedCookieJar();
  private readonly timeoutMs: number;
  private readonly transport?: FetchLike;
  /** per-attempt records, keyed by the AbortSignal the attempt hands the library in its fetchOptions */
  private readonly attempts = new WeakMap<AbortSignal, UpstreamCallContext>();

  constructor(opts: YahooTransportOptions) {
    this.baseUrl = opts.baseUrl === undefined ? undefined : normaliseBaseUrl(opts.baseUrl);
    this.timeoutMs = opts.timeoutMs;
    if (!(this.timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${opts.timeoutMs}`);
    this.transport = opts.transport;
  }

  /** A signal for one attempt's requests, and the record the seam keeps of them. */
  beginAttempt(): { signal: AbortSignal; record: UpstreamCallContext } {
    const controller = new AbortController();
    const record: UpstreamCallContext = {};
    this.attempts.set(controller.signal, record);
    return { signal: controller.signal, record };
  }

  /** Forget Yahoo cookies and crumb; the next request that needs them fetches new ones. */
  resetSession(): Promise<void> {
    return getCrumbClear(this.cookieJar);
  }

  /** The library's `fetch` option. */
  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const original = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const target = this.rewrite(original);
    const outer = init.signal ?? undefined;
    const ctx = outer ? this.attempts.get(outer) : undefined;

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onOuterAbort = (): void => controller.abort();
    if (outer?.aborted) controller.abort();
    else outer?.addEventListener('abort', onOuterAbort, { once: true });

    const headers = new Headers(init.headers);
    if (this.baseUrl !== undefined) headers.set('x-forwarded-host', new URL(original).host);
    const transport = this.transport ?? globalThis.fetch;
    try {
      const res = await transport(target, { ...init, headers, signal: controller.signal });
      // Read the body here, under the same timer: a server that sends headers and then stalls is a timeout too.
      const body = NULL_BODY_STATUSES.has(res.status) ? null : await res.arrayBuffer();
      if (ctx) ctx.lastStatus = res.status;
      return rewrapResponse(res, body);
    } catch (err) {
      if (timedOut) throw new RequestTimeoutError(original, this.timeoutMs);
      throw err;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  };

  private rewrite(url: string): string {
    if (this.baseUrl === undefined) return url;
    const u = new URL(url);
    const b = new URL(this.baseUrl);
    return `${b.origin}${b.pathname.replace(/\/+$/, '')}${u.pathname}${u.search}`;
  }
}

function normaliseBaseUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new RangeError(`baseUrl ${JSON.stringify(raw)} is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new RangeError(`baseUrl must be http(s), got ${raw}`);
  if (u.search || u.hash) throw new RangeError(`baseUrl must not carry a query or fragment: ${raw}`);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/**
 * A Response the library can use: the body already read, and `headers.getSetCookie()` returning an array of
 * this realm. Under jest the global fetch lives in another realm, and the library's cookie jar checks
 * `instanceof Array`, so without this the cookies of the crumb flow are silently dropped.
 */
function rewrapResponse(res: Response, body: ArrayBuffer | null): Response {
  const setCookies = Array.from(typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : []);
  const out = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  Object.defineProperty(out.headers, 'getSetCookie', { value: () => setCookies.slice(), configurable: true });
  return out;
}
