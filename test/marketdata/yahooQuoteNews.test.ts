// quote() with Yahoo's cookie + crumb flow, and news through search(), against the local fake.

import { BUNDLED_META } from '../support/fakeYahoo';
import {
  UnknownSymbolError,
  UnsupportedInstrumentError,
  UpstreamInvalidResponseError,
  UpstreamRateLimitedError,
} from '../../src/marketdata/errors';
import { quietLibraryUrlLogging, rejectionOf, startHarness, type Harness } from './helpers';

quietLibraryUrlLogging();

let h: Harness | undefined;
afterEach(async () => {
  // the library keeps its crumb in module state shared by all instances: start each test from nothing
  await h?.provider.resetSession();
  await h?.fake.close();
  h = undefined;
});

describe('quote with the crumb and cookie flow', () => {
  test('first quote: cookie page, getcrumb with that cookie, then the quote with crumb and cookie', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    const q = await h.provider.getQuote('NVDA');
    expect(q).toEqual({
      symbol: 'NVDA',
      name: 'NVIDIA Corporation',
      exchange: 'NMS',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'equity',
      price: 108.38, // last close in the bundled file
      marketCap: 2_654_000_000_000,
      sharesOutstanding: 24_490_000_000,
    });

    const log = h.fake.log;
    expect(log.map((r) => `${r.route} ${r.host} ${r.path}`)).toEqual([
      'cookie finance.yahoo.com /quote/AAPL',
      'crumb query1.finance.yahoo.com /v1/test/getcrumb',
      'quote query2.finance.yahoo.com /v7/finance/quote',
    ]);
    const [page, crumbReq, quoteReq] = log;
    expect(page.cookie).toBeUndefined();
    expect(crumbReq.cookie).toMatch(/(^|; )A3=d=/);
    expect(quoteReq.cookie).toContain(/A3=[^;]+/.exec(crumbReq.cookie ?? '')?.[0]);
    expect(quoteReq.query.symbols).toBe('NVDA');
    expect(quoteReq.query.crumb).toMatch(/^[\w-]{6,}$/);
    expect(quoteReq.status).toBe(200);
  });

  test('the crumb and cookie are reused by later quotes', async () => {
    h = await startHarness({ symbols: ['NVDA', 'SMH'] });
    await h.provider.getQuote('NVDA');
    await h.provider.getQuote('SMH');
    await h.provider.getQuote('NVDA');
    expect(h.fake.count('cookie')).toBe(1);
    expect(h.fake.count('crumb')).toBe(1);
    const quotes = h.fake.requests({ route: 'quote' });
    expect(quotes.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(quotes.map((r) => r.query.crumb)).size).toBe(1);
  });

  test('an expired crumb (HTTP 401 Invalid Crumb) makes the provider fetch a new cookie and crumb, once', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    await h.provider.getQuote('NVDA');
    await h.provider.getQuote('NVDA'); // from here on the library serves its crumb from its cache
    h.fake.invalidateCrumbs();
    await expect(h.provider.getQuote('NVDA')).resolves.toMatchObject({ symbol: 'NVDA', price: 108.38 });
    expect(h.fake.requests({ route: 'quote' }).map((r) => r.status)).toEqual([200, 200, 401, 200]);
    expect(h.fake.count('cookie')).toBe(2);
    expect(h.fake.count('crumb')).toBe(2);
    expect(h.events.map((e) => e.outcome)).toEqual(['ok', 'ok', 'retry', 'ok']);
  });

  test('a throttled crumb request (429) is UpstreamRateLimitedError and is retried', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    h.fake.fail('crumb', '*', { status: 429 });
    await expect(h.provider.getQuote('NVDA')).resolves.toMatchObject({ symbol: 'NVDA' });
    expect(h.events.map((e) => [e.outcome, e.status])).toEqual([
      ['rate_limited', 429],
      ['ok', undefined],
    ]);
    expect(h.fake.requests({ route: 'crumb' }).map((r) => r.status)).toEqual([429, 200]);
  });

  test('the crumb request throttled on every attempt surfaces as UpstreamRateLimitedError', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    h.fake.fail('crumb', '*', ...Array.from({ length: 4 }, () => ({ status: 429 })));
    await expect(h.provider.getQuote('NVDA')).rejects.toBeInstanceOf(UpstreamRateLimitedError);
    expect(h.fake.count('quote')).toBe(0);
  });

  test.each([
    ['^GSPC', 'index', 'USD', 'America/New_York', 'S&P 500'],
    ['^N225', 'index', 'JPY', 'Asia/Tokyo', 'Nikkei 225'],
    ['SMH', 'etf', 'USD', 'America/New_York', 'VanEck Semiconductor ETF'],
    ['JPY=X', 'fx', 'JPY', 'Europe/London', 'USD/JPY'],
    ['6857.T', 'equity', 'JPY', 'Asia/Tokyo', 'Advantest Corporation'],
  ] as const)('%s -> kind %s, currency %s, zone %s', async (symbol, kind, currency, timeZone, name) => {
    h = await startHarness({ symbols: [symbol] });
    const q = await h.provider.getQuote(symbol);
    expect(q).toMatchObject({ symbol, kind, currency, timeZone, name, exchange: BUNDLED_META[symbol].exchangeName });
    expect(typeof q.price).toBe('number');
  });

  test('a quote type the app does not model is UnsupportedInstrumentError', async () => {
    h = await startHarness();
    h.fake.addSymbol(
      'VFIAX',
      [{ symbol: 'VFIAX', date: '2025-01-27', open: null, high: null, low: null, close: 530.1, adjClose: 530.1, volume: 0 }],
      {
        currency: 'USD',
        exchangeName: 'NAS',
        instrumentType: 'MUTUALFUND',
        exchangeTimezoneName: 'America/New_York',
        sessionOpen: '09:30',
        sessionClose: '16:00',
        longName: 'Vanguard 500 Index Fund Admiral Shares',
      },
    );
    const err = await rejectionOf(h.provider.getQuote('VFIAX'));
    expect(err).toBeInstanceOf(UnsupportedInstrumentError);
    expect(err).toMatchObject({ upstreamType: 'MUTUALFUND', retryable: false });
  });

  test('an unknown symbol (empty quote result) is UnknownSymbolError, not retried', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    await expect(h.provider.getQuote('NOPE')).rejects.toBeInstanceOf(UnknownSymbolError);
    expect(h.fake.count('quote')).toBe(1);
  });

  test('a schema-invalid quote is UpstreamInvalidResponseError, not retried', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    h.fake.fail('quote', 'NVDA', { schemaInvalid: true });
    const err = await rejectionOf(h.provider.getQuote('NVDA'));
    expect(err).toBeInstanceOf(UpstreamInvalidResponseError);
    expect(err).toMatchObject({ retryable: false });
    expect(h.fake.count('quote')).toBe(1);
  });
});

describe('news', () => {
  test('search(symbol).news becomes NewsInput', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    h.fake.setNews('NVDA', [
      {
        title: 'Nvidia sheds almost $600 billion in market cap',
        link: 'https://finance.yahoo.com/news/nvidia-sheds-600-billion.html',
        publisher: 'Reuters',
        publishedAt: new Date('2025-01-27T21:05:00Z'),
        relatedTickers: ['NVDA', '^IXIC'],
      },
      {
        title: 'DeepSeek rattles chip stocks',
        link: 'https://finance.yahoo.com/news/deepseek-rattles.html',
        publisher: 'Bloomberg',
        publishedAt: new Date('2025-01-27T13:00:00Z'),
      },
    ]);
    const news = await h.provider.searchNews('NVDA');
    expect(news).toEqual([
      {
        url: 'https://finance.yahoo.com/news/nvidia-sheds-600-billion.html',
        title: 'Nvidia sheds almost $600 billion in market cap',
        publisher: 'Reuters',
        publishedAt: new Date('2025-01-27T21:05:00Z'),
        dateOnly: false,
        symbols: ['NVDA', '^IXIC'],
      },
      {
        url: 'https://finance.yahoo.com/news/deepseek-rattles.html',
        title: 'DeepSeek rattles chip stocks',
        publisher: 'Bloomberg',
        publishedAt: new Date('2025-01-27T13:00:00Z'),
        dateOnly: false,
        symbols: ['NVDA'],
      },
    ]);
    const req = h.fake.requests({ route: 'search' })[0];
    expect(req.query).toMatchObject({ q: 'NVDA', newsCount: '10', quotesCount: '0' });
  });

  test('news only: the quotes part of the answer, whose schema has drifted at Yahoo, is not asked for', async () => {
    // The fake answers quote entries the way Yahoo did in 2026 (typeDisp 'equity'), which yahoo-finance2
    // 3.15's schema rejects; asking for news alone keeps searchNews working.
    h = await startHarness({ symbols: ['NVDA'] });
    h.fake.setNews('NVDA', [
      { title: 't', link: 'https://example.invalid/a', publisher: 'p', publishedAt: new Date('2025-01-27T00:00:00Z') },
    ]);
    await expect(h.provider.searchNews('NVDA')).resolves.toHaveLength(1);
    expect(h.fake.requests({ route: 'search' })[0].query.quotesCount).toBe('0');
  });

  test('no news is an empty list; a schema-invalid answer is UpstreamInvalidResponseError', async () => {
    h = await startHarness({ symbols: ['NVDA'] });
    await expect(h.provider.searchNews('NVDA')).resolves.toEqual([]);
    h.fake.fail('search', 'NVDA', { schemaInvalid: true });
    await expect(h.provider.searchNews('NVDA')).rejects.toBeInstanceOf(UpstreamInvalidResponseError);
  });
});
