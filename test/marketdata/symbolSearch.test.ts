// searchSymbols: Yahoo's search through the provider (against FakeYahoo, quote entries in Yahoo's 2026 drift), the
// mapping that keeps only instruments the app models, and the CSV provider answering from what it has.
import { CsvProvider } from '../../src/marketdata/csvProvider';
import { UpstreamUnavailableError } from '../../src/marketdata/errors';
import { symbolMatchesFromSearch } from '../../src/marketdata/yahooMapping';
import { BUNDLED_DATA_DIR } from '../support/fakeYahoo';
import { type Harness, quietLibraryUrlLogging, rejectionOf, startHarness } from './helpers';

quietLibraryUrlLogging();

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ symbols: ['NVDA', '6857.T', '8035.T', '^N225'] });
});
afterAll(async () => {
  await h?.fake.close();
});

test('a name finds its symbols, ticker first, with exchange and kind (lower-case typeDisp does not fail it)', async () => {
  expect(await h.provider.searchSymbols('tokyo')).toEqual([
    { symbol: '8035.T', name: 'Tokyo Electron Limited', exchange: 'JPX', exchangeDisplay: 'Tokyo', kind: 'equity' },
  ]);
  expect((await h.provider.searchSymbols('nvda')).map((m) => [m.symbol, m.exchangeDisplay, m.kind])).toEqual([
    ['NVDA', 'NasdaqGS', 'equity'],
  ]);
  expect(await h.provider.searchSymbols('nothing like it')).toEqual([]);
});

test('retried like every Yahoo call, then an UpstreamUnavailableError', async () => {
  h.fake.fail('search', '*', { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
  const err = await rejectionOf(h.provider.searchSymbols('advantest'));
  expect(err).toBeInstanceOf(UpstreamUnavailableError);
  h.fake.fail('search', '*', { status: 502 });
  expect((await h.provider.searchSymbols('advantest')).map((m) => m.symbol)).toEqual(['6857.T']);
});

test('the mapping keeps equities, ETFs, indices and FX, drops funds, options, entries without a symbol and repeats', () => {
  const quotes = [
    { symbol: 'AAA', quoteType: 'EQUITY', exchange: 'NMS', exchDisp: 'NASDAQ', longname: 'Triple A Inc.', shortname: 'AAA' },
    { symbol: 'FUNDX', quoteType: 'MUTUALFUND', exchange: 'NAS' },
    { symbol: 'AAA250117C00010000', quoteType: 'OPTION', exchange: 'OPR' },
    { quoteType: 'EQUITY', exchange: 'NMS' },
    { symbol: 'AAA', quoteType: 'EQUITY', exchange: 'NMS' },
    { symbol: '^XYZ', quoteType: 'index', exchange: 'SNP', shortname: 'XYZ Index' },
    { name: 'a news entity', index: 'entities' },
  ];
  expect(symbolMatchesFromSearch(quotes)).toEqual([
    { symbol: 'AAA', name: 'Triple A Inc.', exchange: 'NMS', exchangeDisplay: 'NASDAQ', kind: 'equity' },
    { symbol: '^XYZ', name: 'XYZ Index', exchange: 'SNP', exchangeDisplay: 'SNP', kind: 'index' },
  ]);
  expect(symbolMatchesFromSearch(undefined)).toEqual([]);
});

test('the CSV provider answers from its metadata, by ticker or name, any case', async () => {
  const csv = new CsvProvider({
    dir: BUNDLED_DATA_DIR,
    metadata: {
      NVDA: { name: 'NVIDIA Corporation', exchange: 'NMS', currency: 'USD', timeZone: 'America/New_York', kind: 'equity' },
      '6857.T': { name: 'Advantest Corporation', exchange: 'JPX', currency: 'JPY', timeZone: 'Asia/Tokyo', kind: 'equity' },
    },
  });
  expect((await csv.searchSymbols('advan')).map((m) => m.symbol)).toEqual(['6857.T']);
  expect((await csv.searchSymbols('nvda')).map((m) => m.symbol)).toEqual(['NVDA']);
  expect(await csv.searchSymbols('  ')).toEqual([]);
  expect(await new CsvProvider({ dir: BUNDLED_DATA_DIR }).searchSymbols('nvidia')).toEqual([]);
});
