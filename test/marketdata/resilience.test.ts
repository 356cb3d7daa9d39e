import {
  UnknownSymbolError,
  UpstreamInvalidResponseError,
  UpstreamRateLimitedError,
  UpstreamRejectedError,
  UpstreamUnavailableError,
} from '../../src/marketdata/errors';
import {
  ConcurrencyLimiter,
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  resolveRetryPolicy,
  withRetry,
  type MarketDataEvent,
} from '../../src/marketdata/resilience';
import { mapYahooError } from '../../src/marketdata/yahooMapping';
import { RequestTimeoutError } from '../../src/marketdata/yahooTransport';

function named(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  const e = new Error(message);
  e.name = name;
  return Object.assign(e, extra);
}

describe('ConcurrencyLimiter', () => {
  test('runs at most N at once, in FIFO order, and frees slots on failure', async () => {
    const limiter = new ConcurrencyLimiter(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      if (i % 3 === 0) throw new Error(`task ${i} failed`);
      return i;
    };
    const results = await Promise.allSettled(Array.from({ length: 7 }, (_, i) => limiter.run(task(i))));
    expect(peak).toBe(2);
    expect(limiter.peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(3);
    expect(limiter.inFlight).toBe(0);
    expect(limiter.queued).toBe(0);
  });

  test('refuses a size below 1', () => {
    expect(() => new ConcurrencyLimiter(0)).toThrow(RangeError);
    expect(() => new ConcurrencyLimiter(1.5)).toThrow(RangeError);
  });
});

describe('backoff', () => {
  const policy = { attempts: 4, baseMs: 500, capMs: 8000 };
  test('defaults: 4 attempts, 500 ms base, 8 s cap', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual(policy);
    expect(resolveRetryPolicy({ baseMs: 5 })).toEqual({ ...policy, baseMs: 5 });
    expect(() => resolveRetryPolicy({ attempts: 0 })).toThrow(RangeError);
  });

  test('full jitter: uniform in [0, min(cap, base*2^(n-1)))', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, () => 0.999999))).toEqual([499, 999, 1999, 3999, 7999, 7999]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(500);
  });
});

describe('withRetry', () => {
  const base = {
    provider: 'test',
    symbol: 'SYM',
    op: 'dailyBars' as const,
    policy: { attempts: 4, baseMs: 100, capMs: 250 },
    classify: (e: unknown) => e,
  };

  test('retries retryable errors with growing, capped delays, then returns', async () => {
    const delays: number[] = [];
    const events: MarketDataEvent[] = [];
    let calls = 0;
    const result = await withRetry(
      async (attempt) => {
        calls++;
        if (attempt === 1) throw new UpstreamRateLimitedError('SYM');
        if (attempt < 4) throw new UpstreamUnavailableError('SYM', 'http', 'boom', { status: 503 });
        return 'done';
      },
      { ...base, sleep: async (ms) => void delays.push(ms), random: () => 0.999999, onEvent: (e) => events.push(e) },
    );
    expect(result).toBe('done');
    expect(calls).toBe(4);
    expect(delays).toEqual([99, 199, 249]);
    expect(events.map((e) => [e.outcome, e.status, e.attempt])).toEqual([
      ['rate_limited', 429, 1],
      ['retry', 503, 2],
      ['retry', 503, 3],
      ['ok', undefined, 4],
    ]);
  });

  test('stops at the attempt bound and throws the last error', async () => {
    let calls = 0;
    const last = new UpstreamUnavailableError('SYM', 'timeout', 'slow');
    await expect(
      withRetry(
        async () => {
          calls++;
          throw calls === 3 ? last : new UpstreamUnavailableError('SYM', 'timeout', 'slow');
        },
        { ...base, policy: { ...base.policy, attempts: 3 }, sleep: async () => {} },
      ),
    ).rejects.toBe(last);
    expect(calls).toBe(3);
  });

  test.each([
    ['UnknownSymbolError', new UnknownSymbolError('SYM')],
    ['schema-invalid', new UpstreamInvalidResponseError('SYM', 'bad', { retryable: false })],
    ['a 4xx', new UpstreamRejectedError('SYM', 'no', { status: 422 })],
    ['a plain bug', new TypeError('x is undefined')],
  ])('does not retry %s', async (_label, err) => {
    let calls = 0;
    const sleep = jest.fn(async () => {});
    await expect(
      withRetry(
        async () => {
          calls++;
          throw err;
        },
        { ...base, sleep },
      ),
    ).rejects.toBe(err);
    expect(calls).toBe(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  test('the classify hook decides what is retried', async () => {
    let calls = 0;
    const out = await withRetry(
      async () => {
        if (++calls < 2) throw named('HTTPError', 'Too Many Requests', { code: 429 });
        return calls;
      },
      { ...base, classify: (e) => mapYahooError(e, 'SYM'), sleep: async () => {} },
    );
    expect(out).toBe(2);
  });

  test('waits for a limiter slot; backoff happens outside the slot', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const order: string[] = [];
    const a = withRetry(
      async (attempt) => {
        order.push(`a${attempt}`);
        if (attempt === 1) throw new UpstreamRateLimitedError('A');
        return 'a';
      },
      { ...base, limiter, sleep: () => new Promise((r) => setTimeout(r, 30)) },
    );
    const b = withRetry(
      async () => {
        order.push('b');
        return 'b';
      },
      { ...base, limiter },
    );
    await Promise.all([a, b]);
    // b ran while a was backing off
    expect(order).toEqual(['a1', 'b', 'a2']);
  });
});

describe('mapYahooError', () => {
  test.each<[string, unknown, { status?: number }, new (...a: never[]) => Error, Record<string, unknown>]>([
    [
      'HTTPError 429',
      named('HTTPError', 'Too Many Requests', { code: 429 }),
      {},
      UpstreamRateLimitedError,
      { status: 429, retryable: true },
    ],
    [
      'HTTPError 500',
      named('HTTPError', 'oops', { code: 500 }),
      {},
      UpstreamUnavailableError,
      { status: 500, reason: 'http', retryable: true },
    ],
    ['HTTPError 503', named('HTTPError', 'oops', { code: 503 }), {}, UpstreamUnavailableError, { status: 503 }],
    [
      "HTTPError 404 (not Yahoo's not-found body)",
      named('HTTPError', 'Not Found', { code: 404 }),
      {},
      UpstreamRejectedError,
      { status: 404, retryable: false },
    ],
    ['HTTPError 401', named('HTTPError', 'Unauthorized', { code: 401 }), {}, UpstreamRejectedError, { status: 401, retryable: true }],
    [
      'unknown symbol',
      new Error('No data found, symbol may be delisted'),
      { status: 404 },
      UnknownSymbolError,
      { status: 404, retryable: false },
    ],
    ['Yahoo error object on a 500', new Error('Internal error'), { status: 500 }, UpstreamUnavailableError, { status: 500 }],
    [
      'Invalid Crumb (401 error object)',
      new Error('Invalid Crumb'),
      { status: 401 },
      UpstreamRejectedError,
      { status: 401, retryable: true },
    ],
    [
      'crumb request throttled',
      new Error('Failed to get crumb, status 429, statusText: Too Many Requests'),
      {},
      UpstreamRateLimitedError,
      { status: 429 },
    ],
    [
      'crumb request 502',
      new Error('Failed to get crumb, status 502, statusText: Bad Gateway'),
      {},
      UpstreamUnavailableError,
      { status: 502 },
    ],
    [
      'fetch failed',
      Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
      {},
      UpstreamUnavailableError,
      { reason: 'network', retryable: true },
    ],
    [
      'ENOTFOUND cause',
      Object.assign(new Error('getaddrinfo'), { cause: { code: 'ENOTFOUND' } }),
      {},
      UpstreamUnavailableError,
      { reason: 'network' },
    ],
    ['our timeout', new RequestTimeoutError('https://x', 100), {}, UpstreamUnavailableError, { reason: 'timeout' }],
    ['AbortError', named('AbortError', 'This operation was aborted'), {}, UpstreamUnavailableError, { reason: 'aborted', retryable: true }],
    [
      'TimeoutError',
      named('TimeoutError', 'The operation was aborted due to timeout'),
      {},
      UpstreamUnavailableError,
      { reason: 'timeout' },
    ],
    [
      'schema',
      named('FailedYahooValidationError', 'Failed Yahoo Schema validation', { errors: [{ instancePath: '/x' }] }),
      {},
      UpstreamInvalidResponseError,
      { retryable: false, validationErrors: [{ instancePath: '/x' }] },
    ],
    [
      'not JSON',
      new Error('Response.ok where we expect JSON, but the response was not parsable.  Response: "x"'),
      { status: 200 },
      UpstreamInvalidResponseError,
      { retryable: true },
    ],
    ['anything else', new Error('Unexpected result: {}'), {}, UpstreamInvalidResponseError, { retryable: false }],
  ])('%s', (_label, err, ctx, cls, props) => {
    const mapped = mapYahooError(err, 'SYM', { lastStatus: ctx.status });
    expect(mapped).toBeInstanceOf(cls);
    expect(mapped).toMatchObject({ symbol: 'SYM', ...props });
    expect((mapped as { cause?: unknown }).cause).toBe(err);
  });

  test('InvalidOptionsError (a bug on our side) passes through unchanged', () => {
    const e = named('InvalidOptionsError', 'yahooFinance.chart called with invalid options.');
    expect(mapYahooError(e, 'SYM')).toBe(e);
  });
});
