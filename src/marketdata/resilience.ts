// Concurrency limit and bounded retries with full-jitter backoff, for any provider (the mapping of a provider's
// errors to the domain errors of ./errors is the provider's: ./yahooMapping for Yahoo).

import { UpstreamRateLimitedError, isMarketDataError, type MarketDataError } from './errors';

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
    if (next)
      next(); // the slot passes straight to the next waiter: `active` is unchanged
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

export type MarketDataOp = 'dailyBars' | 'intradayBars' | 'quote' | 'news' | 'symbolSearch';
type MarketDataOutcome = 'ok' | 'retry' | 'rate_limited' | 'error';

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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
  const event: MarketDataEvent = {
    provider: o.provider,
    symbol: o.symbol,
    op: o.op,
    outcome: e.outcome,
    ms: Math.round(e.ms),
    attempt: e.attempt,
  };
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
