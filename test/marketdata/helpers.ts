import { FakeYahoo, type FakeYahooOptions } from '../support/fakeYahoo';
import { YahooProvider, type YahooProviderOptions } from '../../src/marketdata/yahooProvider';
import type { MarketDataEvent } from '../../src/marketdata/resilience';

// Safety net: in these tests nothing may leave the machine. Any fetch to a host other than 127.0.0.1
// (e.g. a request that escaped the provider's baseUrl seam) fails loudly instead.
const realFetch = globalThis.fetch;
globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  if (url.hostname !== '127.0.0.1') return Promise.reject(new Error(`test tried to reach ${url.href}: only 127.0.0.1 is allowed`));
  return realFetch(input, init);
}) as typeof fetch;

/** Retries fast enough for tests, still exponential with jitter. */
export const FAST_RETRY = { attempts: 4, baseMs: 5, capMs: 20 };

export interface Harness {
  fake: FakeYahoo;
  provider: YahooProvider;
  events: MarketDataEvent[];
}

export async function startHarness(
  opts: { fake?: FakeYahooOptions; provider?: YahooProviderOptions; symbols?: string[] } = {},
): Promise<Harness> {
  const fake = await FakeYahoo.start(opts.fake);
  for (const s of opts.symbols ?? []) fake.addBundled(s);
  const events: MarketDataEvent[] = [];
  const provider = new YahooProvider({
    baseUrl: fake.baseUrl,
    timeoutMs: 2000,
    retry: FAST_RETRY,
    onEvent: (e) => events.push(e),
    ...opts.provider,
  });
  return { fake, provider, events };
}

/**
 * yahoo-finance2 does `console.error(url)` on every non-ok response; keep those lines (Yahoo URLs only)
 * out of the test output, let anything else through.
 */
export function quietLibraryUrlLogging(): void {
  let spy: jest.SpyInstance | undefined;
  beforeAll(() => {
    const original = console.error.bind(console);
    spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      if (args.length === 1 && typeof args[0] === 'string' && /^https:\/\/[a-z0-9.]*yahoo\.com\//.test(args[0])) return;
      original(...args);
    });
  });
  afterAll(() => spy?.mockRestore());
}

/** Awaits a promise that must reject and returns the rejection. */
export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
