import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { BARS_CSV_HEADER, CsvFormatError, CsvProvider, csvFileForSymbol, parseBarsCsv } from '../../src/marketdata/csvProvider';
import { UnknownSymbolError } from '../../src/marketdata/errors';
import { BUNDLED_DATA_DIR } from '../support/fakeYahoo';

describe('csvFileForSymbol', () => {
  test.each([
    ['NVDA', 'NVDA.csv'],
    ['6857.T', '6857.T.csv'],
    ['^GSPC', 'GSPC.csv'],
    ['^N225', 'N225.csv'],
    ['JPY=X', 'USDJPY.csv'],
    ['EURUSD=X', 'EURUSD.csv'],
    ['SMH', 'SMH.csv'],
  ])('%s -> %s', (symbol, file) => {
    expect(csvFileForSymbol(symbol)).toBe(file);
  });

  test.each(['../etc/passwd', 'a/b', '..', 'NV DA', '', 'x\\y'])('refuses %j', (symbol) => {
    expect(() => csvFileForSymbol(symbol)).toThrow(RangeError);
  });
});

describe('parseBarsCsv', () => {
  const ok = `${BARS_CSV_HEADER}\n2025-01-24,148.37,148.97,141.88,142.62,142.5889,234657600\n2025-01-27,124.8,128.4,116.7,118.42,,\n`;

  test('parses rows, empty fields as null', () => {
    expect(parseBarsCsv(ok, 'NVDA')).toEqual([
      { symbol: 'NVDA', date: '2025-01-24', open: 148.37, high: 148.97, low: 141.88, close: 142.62, adjClose: 142.5889, volume: 234657600 },
      { symbol: 'NVDA', date: '2025-01-27', open: 124.8, high: 128.4, low: 116.7, close: 118.42, adjClose: null, volume: null },
    ]);
  });

  test('accepts CRLF, a BOM and no final newline', () => {
    const crlf = `\uFEFF${ok.trimEnd().split('\n').join('\r\n')}`;
    expect(parseBarsCsv(crlf, 'NVDA').map((b) => b.close)).toEqual([142.62, 118.42]);
  });

  test('header only is an empty list', () => {
    expect(parseBarsCsv(`${BARS_CSV_HEADER}\n`, 'X')).toEqual([]);
  });

  const row = (s: string) => `${BARS_CSV_HEADER}\n2025-01-23,1,1,1,1,1,1\n${s}\n`;
  test.each([
    ['', 1, /missing header/],
    ['date,open,high,low,close,volume\n2025-01-01,1,1,1,1,1', 1, /header is/],
    ['Date,Open,High,Low,Close,Adj Close,Volume\n', 1, /header is/],
    [row('2025-01-24,1,1,1,1,1'), 3, /expected 7 fields, found 6/],
    [row('2025-01-24,1,1,1,1,1,1,1'), 3, /expected 7 fields, found 8/],
    [row('2025/01/24,1,1,1,1,1,1'), 3, /not a YYYY-MM-DD/],
    [row('2025-02-30,1,1,1,1,1,1'), 3, /not a YYYY-MM-DD/],
    [row('2025-01-22,1,1,1,1,1,1'), 3, /before 2025-01-23/],
    [row('2025-01-23,1,1,1,1,1,1'), 3, /duplicate date/],
    [row('2025-01-24,1,abc,1,1,1,1'), 3, /high "abc" is not a finite number/],
    [row('2025-01-24,1,1,1,Infinity,1,1'), 3, /close "Infinity"/],
    [row('2025-01-24,1,1,1,NaN,1,1'), 3, /close "NaN"/],
    [row('2025-01-24,1,1,1, 2,1,1'), 3, /close " 2"/],
    [row('2025-01-24,1,1,1,0x10,1,1'), 3, /close "0x10"/],
    [row('2025-01-24,1,1,1,0,1,1'), 3, /close 0 is not positive/],
    [row('2025-01-24,1,1,1,-5,1,1'), 3, /close -5 is not positive/],
    [row('2025-01-24,1,1,1,,1,1'), 3, /close is empty/],
    [row('2025-01-24,1,1,1,1,1,1.5'), 3, /volume "1.5"/],
    [row('2025-01-24,1,1,1,1,1,-3'), 3, /volume "-3"/],
    [row('2025-01-24,"1",1,1,1,1,1'), 3, /open ""1"" is not a finite number/],
    [`${BARS_CSV_HEADER}\n2025-01-23,1,1,1,1,1,1\n\n2025-01-24,1,1,1,1,1,1\n`, 3, /blank line/],
  ])('rejects %j at line %i', (text, line, message) => {
    let err: unknown;
    try {
      parseBarsCsv(text, 'SYM');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CsvFormatError);
    expect(err).toMatchObject({ line, symbol: 'SYM' });
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message.startsWith(`SYM: line ${line}: `)).toBe(true);
  });

  test('every bundled price file parses, in date order, with no null close', () => {
    const files = readdirSync(BUNDLED_DATA_DIR).filter((f) => f.endsWith('.csv') && !['events.csv', 'shares_outstanding.csv'].includes(f));
    expect(files.length).toBe(9);
    for (const f of files) {
      const bars = parseBarsCsv(readFileSync(path.join(BUNDLED_DATA_DIR, f), 'utf8'), f);
      expect(bars.length).toBeGreaterThan(70);
    }
  });
});

describe('CsvProvider', () => {
  let dir: string;
  let provider: CsvProvider;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'csvprov-'));
    writeFileSync(path.join(dir, 'BROKEN.csv'), `${BARS_CSV_HEADER}\n2025-01-02,1,1,1,oops,1,1\n`);
    provider = new CsvProvider({
      dir: BUNDLED_DATA_DIR,
      metadata: {
        NVDA: {
          name: 'NVIDIA Corporation',
          exchange: 'NMS',
          currency: 'USD',
          timeZone: 'America/New_York',
          kind: 'equity',
          sharesOutstanding: 24_490_000_000,
        },
        '^N225': { name: 'Nikkei 225', exchange: 'OSA', currency: 'JPY', timeZone: 'Asia/Tokyo', kind: 'index', price: 40000 },
        'NOFILE.T': { name: 'No file', exchange: 'JPX', currency: 'JPY', timeZone: 'Asia/Tokyo', kind: 'equity' },
      },
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('daily bars: inclusive range, mapped file names', async () => {
    expect(provider.name).toBe('csv');
    const n = await provider.getDailyBars('NVDA', { from: '2025-01-24', to: '2025-01-28' });
    expect(n.map((b) => [b.date, b.close])).toEqual([
      ['2025-01-24', 142.62],
      ['2025-01-27', 118.42],
      ['2025-01-28', 128.99],
    ]);
    const fx = await provider.getDailyBars('JPY=X', { from: '2025-01-27', to: '2025-01-27' });
    expect(fx).toEqual([
      { symbol: 'JPY=X', date: '2025-01-27', open: 155.744, high: 156.226, low: 153.725, close: 155.744, adjClose: null, volume: null },
    ]);
    const idx = await provider.getDailyBars('^GSPC', { from: '2025-01-27', to: '2025-01-27' });
    expect(idx.map((b) => b.close)).toEqual([6012.28]);
  });

  test('a symbol without a file is UnknownSymbolError; a malformed file is CsvFormatError', async () => {
    await expect(provider.getDailyBars('AAPL', { from: '2025-01-01', to: '2025-01-31' })).rejects.toBeInstanceOf(UnknownSymbolError);
    await expect(provider.getDailyBars('../x', { from: '2025-01-01', to: '2025-01-31' })).rejects.toBeInstanceOf(UnknownSymbolError);
    const broken = new CsvProvider({ dir });
    await expect(broken.getDailyBars('BROKEN', { from: '2025-01-01', to: '2025-01-31' })).rejects.toThrow(/BROKEN: line 2: close "oops"/);
  });

  test('quote from the metadata table; price defaults to the last close in the file', async () => {
    await expect(provider.getQuote('NVDA')).resolves.toEqual({
      symbol: 'NVDA',
      name: 'NVIDIA Corporation',
      exchange: 'NMS',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'equity',
      price: 108.38,
      marketCap: null,
      sharesOutstanding: 24_490_000_000,
    });
    await expect(provider.getQuote('^N225')).resolves.toMatchObject({ price: 40000, kind: 'index' });
    await expect(provider.getQuote('NOFILE.T')).resolves.toMatchObject({ price: null });
    await expect(provider.getQuote('SMH')).rejects.toBeInstanceOf(UnknownSymbolError);
  });

  test('no news, no intraday', async () => {
    await expect(provider.searchNews('NVDA')).resolves.toEqual([]);
    await expect(
      provider.getIntradayBars('NVDA', { interval: '1h', from: new Date('2025-01-27T00:00:00Z'), to: new Date('2025-01-28T00:00:00Z') }),
    ).resolves.toEqual([]);
  });
});
