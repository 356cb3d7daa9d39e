// A small in-memory token bucket per client IP. Per process: with several instances behind a balancer each
// allows its own share, which is enough to stop one client from flooding the subscription form or the heavy
// analysis routes.
import type { RequestHandler } from 'express';
import { AppError } from '../errors/appError';

export interface TokenBucketOptions {
  /** requests allowed at once */
  capacity: number;
  /** how long an empty bucket takes to fill up again */
  refillMs: number;
  /** what the requests are, in the 429's message: "subscription requests" */
  what: string;
  now?: () => number;
}

/** Buckets kept at most; full buckets are dropped first when it is reached (a full bucket is the default). */
const MAX_BUCKETS = 10_000;

export function tokenBucket(opts: TokenBucketOptions): RequestHandler {
  const now = opts.now ?? Date.now;
  const perMs = opts.capacity / opts.refillMs;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const level = (b: { tokens: number; at: number }, t: number) => Math.min(opts.capacity, b.tokens + (t - b.at) * perMs);

  return (req, res, next) => {
    const t = now();
    const key = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    if (buckets.size >= MAX_BUCKETS) {
      for (const [k, b] of buckets) if (level(b, t) >= opts.capacity) buckets.delete(k);
      if (buckets.size >= MAX_BUCKETS) buckets.delete(buckets.keys().next().value!);
    }
    const bucket = buckets.get(key) ?? { tokens: opts.capacity, at: t };
    bucket.tokens = level(bucket, t);
    bucket.at = t;
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      next();
      return;
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    res.setHeader('Retry-After', String(retryAfterSeconds));
    next(
      new AppError(429, 'rate_limited', `Too many ${opts.what} from this address; try again in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      }),
    );
  };
}
