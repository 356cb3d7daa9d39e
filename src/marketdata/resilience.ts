// Concurrency limit, bounded retries with full-jitter backoff, and the mapping of yahoo-finance2's
// errors to the domain errors of ./errors.

import {
  MarketDataError,
  UnknownSymbolError,
  UpstreamInvalidResponseError,
  UpstreamRateLimitedError,
  UpstreamRejectedError,
  UpstreamUnavailableError,
  isMarketDataError,
} from './errors';

// ---------------------------------------------------------------------------------------------
// Limiter

/** At most `max` tasks run at once; the rest wait in FIFO order. */
export class ConcurrencyLimiter {
  readonly max: number;
  private active = 0;
  private highWater = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`limiter size must be a positive integer, got ${max}`);
    this.max = max;
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** the most tasks that ever ran at once */
  get peak(): number {
    return this.highWater;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      this.highWater = Math.max(this.highWater, this.active);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next(); // the slot passes straight to the next waiter: `active` is unchanged
    else this.active--;
  }
}

// ---------------------------------------------------------------------------------------------
// Retry

export interface RetryPolicy {
  /** total attempts including the first one */
  attempts: number;
  /** backoff base: the ceiling of the delay after attempt n is min(capMs, baseMs * 2^(n-1)) */
  baseMs: number;
  capMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({ attempts: 4, baseMs: 500, capMs: 8000 });

export function resolveRetryPolicy(p: Partial<RetryPolicy> = {}): RetryPolicy {
  const r = { ...DEFAULT_RETRY_POLICY, ...p };
  if (!Number.isInteger(r.attempts) || r.attempts < 1) throw new RangeError(`retry attempts must be a positive integer, got ${r.attempts}`);
  if (!(r.baseMs >= 0) || !(r.capMs >= 0)) throw new RangeError('retry delays must be non-negative');
  return r;
}

/** Full jitter: a uniform delay in [0, min(cap, base * 2^(attempt-1))). `attempt` is the attempt that just failed (1-based). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

export type MarketDataOp = 'dailyBars' | 'intradayBars' | 'quote' | 'news';
export type MarketDataOutcome = 'ok' | 'retry' | 'rate_limited' | 'error';

/**
 * One event per attempt. 'ok': the attempt succeeded. 'rate_limited': it got HTTP 429 and will be retried.
 * 'retry': another retryable failure that will be retried. 'error': the operation fails with this attempt
 * (not retryable, or attempts used up; `status` then says why, e.g. 429).
 */
export interface MarketDataEvent {
  provider: string;
  symbol: string;
  op: MarketDataOp;
  outcome: MarketDataOutcome;
  /** HTTP status of the failing response, when known */
  status?: number;
  /** duration of this attempt, excluding time spent waiting for a limiter slot or backing off */
  ms: number;
  attempt: number;
  /** class name of the domain error, for failed attempts */
  error?: string;
}

export type MarketDataEventHook = (event: MarketDataEvent) => void;

export interface WithRetryOptions {
  provider: string;
  symbol: string;
  op: MarketDataOp;
  policy: RetryPolicy;
  /** turns whatever the attempt threw into what withRetry decides on (a MarketDataError to retry on) */
  classify: (err: unknown) => unknown;
  limiter?: ConcurrencyLimiter;
  onEvent?: MarketDataEventHook;
  /** called before sleeping ahead of a retry (e.g. to drop a rejected crumb) */
  beforeRetry?: (err: MarketDataError, attempt: number) => void | Promise<void>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `task` (each attempt inside a limiter slot when a limiter is given), retrying errors whose
 * classification is a retryable MarketDataError, with full-jitter exponential backoff, at most
 * `policy.attempts` attempts. Throws the classified error of the last attempt.
 */
export async function withRetry<T>(task: (attempt: number) => Promise<T>, o: WithRetryOptions): Promise<T> {
  const pause = o.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    let started = performance.now();
    const runAttempt = (): Promise<T> => {
      started = performance.now();
      return task(attempt);
    };
    try {
      const value = await (o.limiter ? o.limiter.run(runAttempt) : runAttempt());
      emit(o, { outcome: 'ok', attempt, ms: performance.now() - started });
      return value;
    } catch (raw) {
      const ms = performance.now() - started;
      const err = o.classify(raw);
      const domain = isMarketDataError(err) ? err : undefined;
      const willRetry = domain !== undefined && domain.retryable && attempt < o.policy.attempts;
      const base = { attempt, ms, status: domain?.status, error: domain ? domain.name : errorName(err) };
      if (!willRetry || !domain) {
        emit(o, { ...base, outcome: 'error' });
        throw err;
      }
      emit(o, { ...base, outcome: domain instanceof UpstreamRateLimitedError ? 'rate_limited' : 'retry' });
      if (o.beforeRetry) await o.beforeRetry(domain, attempt);
      await pause(backoffDelay(attempt, o.policy, o.random));
    }
  }
}

function emit(o: WithRetryOptions, e: Omit<MarketDataEvent, 'provider' | 'symbol' | 'op'>): void {
  if (!o.onEvent) return;
  const event: MarketDataEvent = { provider: o.provider, symbol: o.symbol, op: o.op, outcome: e.outcome, ms: Math.round(e.ms), attempt: e.attempt };
  if (e.status !== undefined) event.status = e.status;
  if (e.error !== undefined) event.error = e.error;
  try {
    o.onEvent(event);
  } catch {
    // a broken metrics hook must not break data fetching
  }
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

// ---------------------------------------------------------------------------------------------
// Mapping yahoo-finance2's errors

/** Thrown by the provider's fetch seam when one HTTP request exceeds its time budget. */
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

/** What the fetch seam saw during one attempt; lets the mapping recover statuses the library drops. */
export interface UpstreamCallContext {
  /** status of the last HTTP response of the attempt */
  lastStatus?: number;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

function isErrorLike(err: unknown): err is Error {
  return typeof err === 'object' && err !== null && typeof (err as { name?: unknown }).name === 'string' && 'message' in err;
}

function causeCode(err: Error): string | undefined {
  const c = (err as { cause?: unknown }).cause;
  if (c && typeof c === 'object' && 'code' in c && typeof (c as { code: unknown }).code === 'string') return (c as { code: string }).code;
  return undefined;
}

/**
 * Maps an error thrown by a yahoo-finance2 call (3.x; its error classes are not exported, so this goes by
 * `err.name` and message) to a domain error. Errors that signal a bug on our side (InvalidOptionsError)
 * are returned unchanged.
 */
export function mapYahooError(err: unknown, symbol: string, ctx: UpstreamCallContext = {}): unknown {
  if (err instanceof MarketDataError) return err;
  // Duck-typed, not `instanceof Error`: errors from fetch can come from another realm (e.g. under jest).
  if (!isErrorLike(err)) {
    return new UpstreamInvalidResponseError(symbol, `yahoo-finance2 threw a non-error value: ${String(err)}`, { cause: err });
  }
  const name = err.name;
  const msg = typeof err.message === 'string' ? err.message : '';

  if (name === 'RequestTimeoutError') return new UpstreamUnavailableError(symbol, 'timeout', msg, { cause: err });
  if (name === 'TimeoutError') return new UpstreamUnavailableError(symbol, 'timeout', `request timed out: ${msg}`, { cause: err });
  if (name === 'AbortError') return new UpstreamUnavailableError(symbol, 'aborted', `request aborted: ${msg}`, { cause: err });
  if (name === 'InvalidOptionsError') return err;
  if (name === 'FailedYahooValidationError') {
    return new UpstreamInvalidResponseError(symbol, `Yahoo response for ${symbol} failed schema validation`, {
      cause: err,
      retryable: false,
      validationErrors: (err as { errors?: unknown }).errors,
    });
  }

  // The library throws HTTPError (with .code) for a non-ok response whose body is not a Yahoo error object,
  // but a plain Error(description) when the body is one ({"chart":{"error":{...}}}), losing the status;
  // the fetch seam's record of the last status fills that gap.
  let status: number | undefined;
  const code = (err as { code?: unknown }).code;
  if (name === 'HTTPError' && typeof code === 'number') status = code;
  const crumbFail = /Failed to get crumb, status (\d{3})/.exec(msg);
  if (crumbFail) status = Number(crumbFail[1]);
  if (status === undefined && ctx.lastStatus !== undefined && ctx.lastStatus >= 400) status = ctx.lastStatus;

  if (/No data found, symbol may be delisted/i.test(msg)) {
    return new UnknownSymbolError(symbol, `Yahoo does not know ${symbol}: ${msg}`, { status: status ?? 404, cause: err });
  }
  if (status === 429) return new UpstreamRateLimitedError(symbol, `Yahoo rate limited the request for ${symbol} (HTTP 429)`, { cause: err });
  if (status !== undefined && status >= 500) {
    return new UpstreamUnavailableError(symbol, 'http', `Yahoo answered HTTP ${status} for ${symbol}`, { status, cause: err });
  }
  if (status === 401 || status === 403) {
    return new UpstreamRejectedError(symbol, `Yahoo rejected the request for ${symbol} (HTTP ${status}: ${truncate(msg)})`, { status, cause: err, retryable: true });
  }
  if (status !== undefined && status >= 400) {
    return new UpstreamRejectedError(symbol, `Yahoo rejected the request for ${symbol} (HTTP ${status}: ${truncate(msg)})`, { status, cause: err });
  }

  const cc = causeCode(err);
  if ((name === 'TypeError' && /fetch failed|terminated|other side closed/i.test(msg)) || (cc !== undefined && NETWORK_CODES.has(cc))) {
    return new UpstreamUnavailableError(symbol, 'network', `network error talking to Yahoo for ${symbol}: ${msg}${cc ? ` (${cc})` : ''}`, { cause: err });
  }
  if (/where we expect JSON, but the response was not parsable/.test(msg)) {
    return new UpstreamInvalidResponseError(symbol, `Yahoo sent a body that is not JSON for ${symbol}`, { cause: err, retryable: true });
  }
  return new UpstreamInvalidResponseError(symbol, `unexpected response from Yahoo for ${symbol}: ${truncate(msg)}`, { cause: err, retryable: false });
}

function truncate(s: string, n = 200): string {
  return s.length > n ? `${s.slice(0, n)}...` : s;
}
