// Faults served by the fake, seen through the real yahoo-finance2: retries, timeouts, the limiter, error mapping.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { bundledBars } from '../support/fakeYahoo';
import {
  UnknownSymbolError,
  UpstreamInvalidResponseError,
  UpstreamRateLimitedError,
  UpstreamRejectedError,
  UpstreamUnavailableError,
} from '../../src/marketdata/errors';
import { ConcurrencyLimiter } from '../../src/marketdata/resilience';
import { YahooProvider } from '../../src/marketdata/yahooProvider';
import { FAST_RETRY, quietLibraryUrlLogging, rejectionOf, startHarness, type Harness } from './helpers';

quietLibraryUrlLogging();

let h: Harness | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

const JAN = { from: '2025-01-02', to: '2025-01-31' };
const nvdaJan = () => bundledBars('NVDA').filter((b) => b.date >= JAN.from && b.date <= JAN.to);

describe('rate limiting and server errors', () => {
  test('429 twice, then success: three requests, the bars of the third', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    h.fake.fail('chart', 'NVDA', { status: 429 }, { status: 429 });
    const bars = await h.provider.getDailyBars('NVDA', JAN);
    expect(bars).toEqual(nvdaJan());
    expect(h.fake.requests({ route: 'chart', symbol: 'NVDA' }).map((r) => r.status)).toEqual([429, 429, 200]);
    expect(h.events.map((e) => [e.outcome, e.status, e.attempt])).toEqual([
      ['rate_limited', 429, 1],
      ['rate_limited', 429, 2],
      ['ok', undefined, 3],
    ]);
  });

  test('429 on every attempt ends in UpstreamRateLimitedError after the bounded attempts', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    h.fake.fail('chart', 'NVDA', ...Array.from({ length: 10 }, () => ({ status: 429 })));
    const err = await rejectionOf(h.provider.getDailyBars('NVDA', JAN));
    expect(err).toBeInstanceOf(UpstreamRateLimitedError);
    expect(err).toMatchObject({ symbol: 'NVDA', status: 429, retryable: true });
    expect(h.fake.count('chart', 'NVDA')).toBe(4);
    expect(h.events.map((e) => e.outcome)).toEqual(['rate_limited', 'rate_limited', 'rate_limited', 'error']);
  });

  test('HTTP 500 is retried, then surfaces as UpstreamUnavailableError after 4 attempts', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    h.fake.fail('chart', 'NVDA', ...Array.from({ length: 10 }, () => ({ status: 500 })));
    const err = await rejectionOf(h.provider.getDailyBars('NVDA', JAN));
    expect(err).toBeInstanceOf(UpstreamUnavailableError);
    expect(err).toMatchObject({ symbol: 'NVDA', status: 500, retryable: true, reason: 'http' });
    expect((err as Error).cause).toMatchObject({ name: 'HTTPError', code: 500 });
    expect(h.fake.count('chart', 'NVDA')).toBe(4);
    expect(h.events.map((e) => e.outcome)).toEqual(['retry', 'retry', 'retry', 'error']);
  });

  test('the attempt bound is configurable', async () => {
    h = await startHarness({ symbols: ['NVDA'], provider: { retry: { ...FAST_RETRY, attempts: 2 } } });
    h.fake.fail('chart', 'NVDA', ...Array.from({ length: 10 }, () => ({ status: 503 })));
    await expect(h.provider.getDailyBars('NVDA', JAN)).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(h.fake.count('chart', 'NVDA')).toBe(2);
  });

  test('503 then success recovers', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    h.fake.fail('chart', 'NVDA', { status: 503 });
    await expect(h.provider.getDailyBars('NVDA', JAN)).resolves.toEqual(nvdaJan());
    expect(h.fake.count('chart', 'NVDA')).toBe(2);
  });

  test('a 5xx whose body is a Yahoo error object still counts as 5xx (the library drops the status; the seam keeps it)', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    const body = JSON.stringify({ chart: { result: null, error: { code: 'Internal Server Error', description: 'backend exploded' } } });
    h.fake.fail('chart', 'NVDA', ...Array.from({ length: 4 }, () => ({ status: 502, body })));
    const err = await rejectionOf(h.provider.getDailyBars('NVDA', JAN));
    expect(err).toBeInstanceOf(UpstreamUnavailableError);
    expect(err).toMatchObject({ status: 502 });
    expect((err as Error).cause).toMatchObject({ message: 'backend exploded' });
    expect(h.fake.count('chart', 'NVDA')).toBe(4);
  });

  test('a 4xx that is not 404/429 is UpstreamRejectedError, not retried', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    const body = JSON.stringify({
      chart: { result: null, error: { code: 'Unprocessable Entity', description: '5m data not available for startTime=1' } },
    });
    h.fake.fail('chart', 'NVDA', { status: 422, body });
    const err = await rejectionOf(h.provider.getDailyBars('NVDA', JAN));
    expect(err).toBeInstanceOf(UpstreamRejectedError);
    expect(err).toMatchObject({ status: 422, retryable: false });
    expect(h.fake.count('chart', 'NVDA')).toBe(1);
  });
});

describe('bodies we cannot use', () => {
  test('a body that is not JSON: UpstreamInvalidResponseError, retried (such pages are transient), then fails', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    h.fake.fail('chart', 'NVDA', ...Array.from({ length: 4 }, () => ({ body: 'not json' })));
    const err = await rejectionOf(h.provider.getDailyBars('NVDA', JAN));
    expect(err).toBeInstanceOf(UpstreamInvalidResponseError);
    expect(err).toMatchObject({ retryable: true, symbol: 'NVDA' });
    expect(h.fake.requests({ route: 'chart' }).map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  test('a body that is not JSON once, then a good one: the bars', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    h.fake.fail('chart', 'NVDA', { body: '<html>Will be right back...</html>', contentType: 'text/html' });
    await expect(h.provider.getDailyBars('NVDA', JAN)).resolves.toEqual(nvdaJan());
    expect(h.fake.count('chart', 'NVDA')).toBe(2);
  });

  test('a schema-invalid body: UpstreamInvalidResponseError with the validation details, not retried', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    h.fake.fail('chart', 'NVDA', { schemaInvalid: true });
    const err = await rejectionOf(h.provider.getDailyBars('NVDA', JAN));
    expect(err).toBeInstanceOf(UpstreamInvalidResponseError);
    expect(err).toMatchObject({ retryable: false });
    expect((err as UpstreamInvalidResponseError).cause).toMatchObject({ name: 'FailedYahooValidationError' });
    expect(JSON.stringify((err as UpstreamInvalidResponseError).validationErrors)).toContain('regularMarketPrice');
    expect(h.fake.count('chart', 'NVDA')).toBe(1);
    expect(h.events.map((e) => e.outcome)).toEqual(['error']);
  });
});

describe('timeouts and the network', () => {
  test('a hanging response times out, is retried, and ends in UpstreamUnavailableError quickly', async () => {
    h = await startHarness({ symbols: ['NVDA'], provider: { timeoutMs: 150 } });
    h.fake.fail('chart', 'NVDA', ...Array.from({ length: 4 }, () => ({ hang: true as const })));
    const started = Date.now();
    const err = await rejectionOf(h.provider.getDailyBars('NVDA', JAN));
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(UpstreamUnavailableError);
    expect(err).toMatchObject({ reason: 'timeout', retryable: true });
    expect(h.fake.count('chart', 'NVDA')).toBe(4);
    expect(elapsed).toBeGreaterThanOrEqual(4 * 150 - 10); // four full timeouts (timers may round by a ms)
    expect(elapsed).toBeLessThan(3000);
    // the client gave up on each request: no socket is left open at the server
    await new Promise((r) => setTimeout(r, 50));
    expect(h.fake.inFlight).toBe(0);
  });

  test('headers then a stalled body is a timeout too, and the retry succeeds', async () => {
    // long enough that the retry's real answer (parsed and validated by yahoo-finance2) never times out on a
    // loaded machine; the stalled body still does
    h = await startHarness({ symbols: ['NVDA'], provider: { timeoutMs: 1500 } });
    h.fake.fail('chart', 'NVDA', { hangAfterHeaders: true });
    await expect(h.provider.getDailyBars('NVDA', JAN)).resolves.toEqual(nvdaJan());
    expect(h.fake.count('chart', 'NVDA')).toBe(2);
    expect(h.events.map((e) => e.outcome)).toEqual(['retry', 'ok']);
  });

  test('connection refused is UpstreamUnavailableError(network), retried', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));

    const events: string[] = [];
    const provider = new YahooProvider({ baseUrl: `http://127.0.0.1:${port}`, retry: FAST_RETRY, onEvent: (e) => events.push(e.outcome) });
    const err = await rejectionOf(provider.getDailyBars('NVDA', JAN));
    expect(err).toBeInstanceOf(UpstreamUnavailableError);
    expect(err).toMatchObject({ reason: 'network', retryable: true });
    expect(events).toEqual(['retry', 'retry', 'retry', 'error']);
  });
});

describe('limiter', () => {
  async function burst(provider: YahooProvider, n: number): Promise<void> {
    const syms = ['NVDA', '6857.T', 'SMH'];
    await Promise.all(Array.from({ length: n }, (_, i) => provider.getDailyBars(syms[i % syms.length], JAN)));
  }

  test('never more than 2 requests in flight, measured at the server', async () => {
    h = await startHarness({ symbols: ['NVDA', '6857.T', 'SMH'], fake: { latencyMs: 60 } });
    await burst(h.provider, 8);
    expect(h.fake.count('chart')).toBe(8);
    expect(h.fake.maxInFlight).toBe(2);
    expect(h.provider.limiter.peak).toBe(2);
  });

  test('control: with a limit of 4 the server does see 4 at once (the measurement works)', async () => {
    h = await startHarness({ symbols: ['NVDA', '6857.T', 'SMH'], fake: { latencyMs: 60 }, provider: { maxConcurrency: 4 } });
    await burst(h.provider, 8);
    expect(h.fake.maxInFlight).toBe(4);
  });

  test('retries and the crumb flow stay inside the limit; a limiter can be shared by providers', async () => {
    h = await startHarness({ symbols: ['NVDA', '6857.T', 'SMH'], fake: { latencyMs: 40 } });
    const shared = new ConcurrencyLimiter(2);
    const a = new YahooProvider({ baseUrl: h.fake.baseUrl, retry: FAST_RETRY, limiter: shared });
    const b = new YahooProvider({ baseUrl: h.fake.baseUrl, retry: FAST_RETRY, limiter: shared });
    h.fake.fail('chart', '*', { status: 429 }, { status: 500 }, { status: 429 });
    await Promise.all([burst(a, 4), burst(b, 4), a.getQuote('NVDA'), b.searchNews('SMH')]);
    expect(h.fake.maxInFlight).toBe(2);
    expect(h.fake.count('chart')).toBe(8 + 3);
  });
});

describe('events', () => {
  test('each attempt reports provider, symbol, op, outcome, status and duration', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    h.fake.fail('chart', 'NVDA', { status: 500 });
    await h.provider.getDailyBars('NVDA', JAN);
    await rejectionOf(h.provider.getDailyBars('XXXX', JAN));
    expect(h.events).toEqual([
      {
        provider: 'yahoo',
        symbol: 'NVDA',
        op: 'dailyBars',
        outcome: 'retry',
        status: 500,
        attempt: 1,
        ms: expect.any(Number),
        error: 'UpstreamUnavailableError',
      },
      { provider: 'yahoo', symbol: 'NVDA', op: 'dailyBars', outcome: 'ok', attempt: 2, ms: expect.any(Number) },
      {
        provider: 'yahoo',
        symbol: 'XXXX',
        op: 'dailyBars',
        outcome: 'error',
        status: 404,
        attempt: 1,
        ms: expect.any(Number),
        error: 'UnknownSymbolError',
      },
    ]);
    expect(h.events.every((e) => e.ms >= 0 && e.ms < 2000)).toBe(true);
  });

  test('a throwing onEvent hook does not break fetching', async () => {
    h = await startHarness({
      symbols: ['NVDA'],
      provider: {
        onEvent: () => {
          throw new Error('metrics down');
        },
      },
    });
    await expect(h.provider.getDailyBars('NVDA', JAN)).resolves.toHaveLength(nvdaJan().length);
  });

  test('unknown symbol is not retried even with attempts to spare', async () => {
    h = await startHarness({ symbols: ['NVDA'], provider: { retry: { ...FAST_RETRY, attempts: 6 } } });
    await expect(h.provider.getDailyBars('ZZZ', JAN)).rejects.toBeInstanceOf(UnknownSymbolError);
    expect(h.fake.count('chart', 'ZZZ')).toBe(1);
  });
});
