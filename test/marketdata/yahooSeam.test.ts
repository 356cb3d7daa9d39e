// The fetch seam: where requests go, what they carry, and where the library's log lines end up.

import { Writable } from 'node:stream';
import pino from 'pino';

import { FakeYahoo } from '../support/fakeYahoo';
import { YahooProvider } from '../../src/marketdata/yahooProvider';
import type { FetchLike } from '../../src/marketdata/yahooTransport';
import { yahooProviderFromConfig } from '../../src/marketdata/yahooFromConfig';
import { loadConfig } from '../../src/config/config';
import { FAST_RETRY, quietLibraryUrlLogging } from './helpers';

quietLibraryUrlLogging();

let fake: FakeYahoo;
beforeEach(async () => {
  fake = await FakeYahoo.start();
  fake.addBundled('NVDA').addBundled('6857.T');
});
afterEach(async () => {
  await fake.close();
});

const RANGE = { from: '2025-01-27', to: '2025-01-28' };

function recordingTransport(rewrite: (url: string) => string = (u) => u) {
  const targets: string[] = [];
  const transport: FetchLike = (input, init) => {
    const url = String(input);
    targets.push(url);
    return fetch(rewrite(url), init);
  };
  return { targets, transport };
}

test("every request, crumb flow included, goes to baseUrl with Yahoo's path and query unchanged", async () => {
  const { targets, transport } = recordingTransport();
  const p = new YahooProvider({ baseUrl: fake.baseUrl, transport, retry: FAST_RETRY });
  await p.getDailyBars('NVDA', RANGE);
  await p.getQuote('NVDA');
  await p.searchNews('NVDA');
  await p.resetSession();

  expect(targets).toHaveLength(5);
  for (const t of targets) expect(t.startsWith(`${fake.baseUrl}/`)).toBe(true);
  const [chart, page, crumb, quote, search] = targets.map((t) => new URL(t));
  expect(chart.pathname).toBe('/v8/finance/chart/NVDA');
  expect(Object.fromEntries(chart.searchParams)).toEqual({
    useYfid: 'true',
    interval: '1d',
    includePrePost: 'false',
    events: 'div|split|earn',
    lang: 'en-US',
    period1: String(Date.UTC(2025, 0, 26) / 1000),
    period2: String(Date.UTC(2025, 0, 30) / 1000),
  });
  expect(page.pathname).toBe('/quote/AAPL');
  expect(crumb.pathname).toBe('/v1/test/getcrumb');
  expect(quote.pathname).toBe('/v7/finance/quote');
  expect(quote.searchParams.get('symbols')).toBe('NVDA');
  expect(search.pathname).toBe('/v1/finance/search');
  // the server saw which Yahoo host each request was meant for
  expect(fake.log.map((r) => r.host)).toEqual([
    'query2.finance.yahoo.com',
    'finance.yahoo.com',
    'query1.finance.yahoo.com',
    'query2.finance.yahoo.com',
    'query2.finance.yahoo.com',
  ]);
});

test('a symbol with ^ or = travels percent-encoded in the path and arrives intact', async () => {
  fake.addBundled('^GSPC').addBundled('JPY=X');
  const p = new YahooProvider({ baseUrl: fake.baseUrl, retry: FAST_RETRY });
  await expect(p.getDailyBars('^GSPC', RANGE)).resolves.toHaveLength(2);
  await expect(p.getDailyBars('JPY=X', RANGE)).resolves.toHaveLength(2);
  expect(fake.log.map((r) => r.symbol)).toEqual(['^GSPC', 'JPY=X']);
});

test("a baseUrl with a path prefix keeps the prefix in front of Yahoo's path", async () => {
  const { targets, transport } = recordingTransport((u) => u.replace('/yahoo-proxy/', '/'));
  const p = new YahooProvider({ baseUrl: `${fake.baseUrl}/yahoo-proxy/`, transport, retry: FAST_RETRY });
  await p.getDailyBars('NVDA', RANGE);
  expect(targets[0].startsWith(`${fake.baseUrl}/yahoo-proxy/v8/finance/chart/NVDA?`)).toBe(true);
});

describe('YAHOO_BASE_URL', () => {
  const saved = process.env.YAHOO_BASE_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.YAHOO_BASE_URL;
    else process.env.YAHOO_BASE_URL = saved;
  });

  test("the config's YAHOO_BASE_URL is the baseUrl of the provider the app makes", async () => {
    const config = loadConfig({ YAHOO_BASE_URL: fake.baseUrl });
    const p = yahooProviderFromConfig(config, pino({ level: 'silent' }), undefined, { retry: FAST_RETRY });
    expect(p.baseUrl).toBe(fake.baseUrl);
    await expect(p.getDailyBars('6857.T', RANGE)).resolves.toHaveLength(2);
    expect(fake.count('chart', '6857.T')).toBe(1);
  });

  test('without a baseUrl, requests go to Yahoo itself, whatever the environment says (here: to a stub transport)', async () => {
    process.env.YAHOO_BASE_URL = fake.baseUrl; // the provider reads no environment variable: only its options
    const targets: string[] = [];
    const transport: FetchLike = async (input) => {
      targets.push(String(input));
      return new Response('Too Many Requests', { status: 429 });
    };
    const p = new YahooProvider({ transport, retry: { ...FAST_RETRY, attempts: 1 } });
    expect(p.baseUrl).toBeUndefined();
    await expect(p.getDailyBars('NVDA', RANGE)).rejects.toMatchObject({ name: 'UpstreamRateLimitedError' });
    expect(targets).toHaveLength(1);
    expect(new URL(targets[0]).host).toBe('query2.finance.yahoo.com');
    expect(fake.count('chart', 'NVDA')).toBe(0);
  });

  test('a baseUrl that is not an http(s) origin is refused', () => {
    expect(() => new YahooProvider({ baseUrl: 'not a url' })).toThrow(RangeError);
    expect(() => new YahooProvider({ baseUrl: 'ftp://127.0.0.1:21' })).toThrow(RangeError);
    expect(() => new YahooProvider({ baseUrl: 'http://127.0.0.1:1/?x=1' })).toThrow(RangeError);
  });
});

test('one cookie jar per provider: two providers get and send their own cookies', async () => {
  const a = new YahooProvider({ baseUrl: fake.baseUrl, retry: FAST_RETRY });
  const b = new YahooProvider({ baseUrl: fake.baseUrl, retry: FAST_RETRY });
  await a.getQuote('NVDA');
  await b.getQuote('NVDA');
  await b.resetSession();
  const pages = fake.requests({ route: 'cookie' });
  expect(pages).toHaveLength(2);
  const quotes = fake.requests({ route: 'quote' }).filter((r) => r.status === 200);
  const cookieOf = (s?: string) => /A3=([^;]+)/.exec(s ?? '')?.[1];
  expect(quotes).toHaveLength(2);
  expect(cookieOf(quotes[0].cookie)).toBeDefined();
  expect(cookieOf(quotes[1].cookie)).toBeDefined();
  expect(cookieOf(quotes[0].cookie)).not.toBe(cookieOf(quotes[1].cookie));
});

test("the library's messages go to the given logger; its Node < 22 notice only at debug", async () => {
  const lines: Array<{ level: number; msg: string; lib?: string }> = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const p = new YahooProvider({ baseUrl: fake.baseUrl, logger, retry: FAST_RETRY });
  await p.getQuote('NVDA');
  await p.resetSession();
  await new Promise((r) => setImmediate(r));

  const fromLib = lines.filter((l) => l.lib === 'yahoo-finance2');
  // the crumb flow logs through the library's logger.debug
  expect(fromLib.some((l) => l.level === 20 && /crumb/i.test(l.msg))).toBe(true);
  // nothing from the library at warn or above in a clean run
  expect(fromLib.filter((l) => l.level >= 40)).toEqual([]);
  if (Number(process.versions.node.split('.')[0]) < 22) {
    expect(fromLib.some((l) => l.level === 20 && /Requires Node >= 22/.test(l.msg))).toBe(true);
  }
});
