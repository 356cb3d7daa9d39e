// Which market a Yahoo symbol or exchange name belongs to: Yahoo's symbol suffixes ('SU.PA') and its exchange
// codes ('PAR', 'NMS') for every market of src/markets, which knows sessions and currencies but no provider's names.
import { marketOfBenchmark, marketOfTimeZone, type MarketCode } from '../markets';

interface YahooListingNames {
  /** symbol suffixes ('.PA'); none for New York */
  suffixes: readonly string[];
  /** `exchange` / `exchangeName` codes, and `fullExchangeName` strings; the first market to name one keeps it */
  exchangeNames: readonly string[];
}

const YAHOO_LISTING_NAMES: Readonly<Record<MarketCode, YahooListingNames>> = {
  // Nasdaq tiers (NMS, NGM, NCM), NYSE (NYQ), NYSE Arca (PCX), NYSE American (ASE), Cboe BZX (BTS), index feeds
  US: {
    suffixes: [],
    exchangeNames: [
      'NMS',
      'NGM',
      'NCM',
      'NYQ',
      'NYS',
      'NYSE',
      'NASDAQ',
      'NAS',
      'PCX',
      'ASE',
      'BTS',
      'BATS',
      'NIM',
      'SNP',
      'DJI',
      'CBT',
      'WCB',
      'NasdaqGS',
      'NasdaqGM',
      'NasdaqCM',
      'NYSEArca',
      'NYSE American',
      'Cboe US',
    ],
  },
  TSE: { suffixes: ['.T'], exchangeNames: ['JPX', 'TYO', 'TSE', 'OSA', 'JPN', 'Tokyo', 'Osaka'] },
  FX: { suffixes: ['=X'], exchangeNames: ['CCY'] },
  TSX: { suffixes: ['.TO', '.V'], exchangeNames: ['TOR', 'VAN', 'Toronto', 'TSX', 'TSXV'] },
  LSE: { suffixes: ['.L'], exchangeNames: ['LSE', 'FGI', 'London'] },
  PAR: { suffixes: ['.PA'], exchangeNames: ['PAR', 'Paris', 'ENX'] },
  AMS: { suffixes: ['.AS'], exchangeNames: ['AMS', 'Amsterdam'] },
  BRU: { suffixes: ['.BR'], exchangeNames: ['BRU', 'Brussels'] },
  LIS: { suffixes: ['.LS'], exchangeNames: ['LIS', 'Lisbon'] },
  MIL: { suffixes: ['.MI'], exchangeNames: ['MIL', 'Milan'] },
  XETRA: { suffixes: ['.DE'], exchangeNames: ['GER', 'XETRA', 'Xetra'] },
  SIX: { suffixes: ['.SW'], exchangeNames: ['EBS', 'VTX', 'Swiss'] },
  BME: { suffixes: ['.MC'], exchangeNames: ['MCE', 'Madrid'] },
  STO: { suffixes: ['.ST'], exchangeNames: ['STO', 'Stockholm'] },
  CPH: { suffixes: ['.CO'], exchangeNames: ['CPH', 'Copenhagen'] },
  HEL: { suffixes: ['.HE'], exchangeNames: ['HEL', 'Helsinki'] },
  OSL: { suffixes: ['.OL'], exchangeNames: ['OSL', 'Oslo'] },
  KOSPI: { suffixes: ['.KS'], exchangeNames: ['KSC', 'KSE', 'KOSPI'] },
  KOSDAQ: { suffixes: ['.KQ'], exchangeNames: ['KOE', 'KOSDAQ', 'KOSDAQ Global'] },
  TWSE: { suffixes: ['.TW'], exchangeNames: ['TAI', 'Taiwan'] },
  TPEX: { suffixes: ['.TWO'], exchangeNames: ['TWO', 'Taipei Exchange'] },
  HKEX: { suffixes: ['.HK'], exchangeNames: ['HKG', 'HKSE'] },
  SSE: { suffixes: ['.SS'], exchangeNames: ['SHH', 'Shanghai'] },
  SZSE: { suffixes: ['.SZ'], exchangeNames: ['SHZ', 'Shenzhen'] },
  SGX: { suffixes: ['.SI'], exchangeNames: ['SES', 'SGX'] },
  NSE: { suffixes: ['.NS'], exchangeNames: ['NSI', 'NSE'] },
  BSE: { suffixes: ['.BO'], exchangeNames: ['BSE', 'BOM'] },
  ASX: { suffixes: ['.AX'], exchangeNames: ['ASX'] },
};

const BY_SUFFIX = new Map<string, MarketCode>();
const BY_EXCHANGE_NAME = new Map<string, MarketCode>();
for (const [code, names] of Object.entries(YAHOO_LISTING_NAMES) as [MarketCode, YahooListingNames][]) {
  for (const s of names.suffixes) BY_SUFFIX.set(s.toUpperCase(), code);
  for (const n of names.exchangeNames) if (!BY_EXCHANGE_NAME.has(n.toUpperCase())) BY_EXCHANGE_NAME.set(n.toUpperCase(), code);
}

/**
 * The market of a Yahoo symbol from its suffix ('SU.PA' -> PAR, '2330.TW' -> TWSE, '8035.T' -> TSE) or, for
 * an index ('^FCHI'), from the benchmark table. A symbol with neither (e.g. 'NVDA') gives null: New York has
 * no suffix, so pair this with marketOfYahooExchange for US listings.
 */
export function marketOfYahooSymbol(symbol: string): MarketCode | null {
  const upper = symbol.trim().toUpperCase();
  const benchmark = marketOfBenchmark(upper);
  if (benchmark) return benchmark;
  if (upper.endsWith('=X')) return 'FX';
  const dot = upper.lastIndexOf('.');
  if (dot <= 0) return null;
  return BY_SUFFIX.get(upper.slice(dot)) ?? null;
}

/** The market of a Yahoo `exchange`/`exchangeName` code ('NMS', 'PAR', 'KSC') or `fullExchangeName` ('XETRA'). */
export function marketOfYahooExchange(exchangeName: string): MarketCode | null {
  return BY_EXCHANGE_NAME.get(exchangeName.trim().toUpperCase()) ?? null;
}

/**
 * Which session calendar an instrument follows, for every market in the registry: the Yahoo symbol's suffix decides first
 * ('SU.PA'), then the Yahoo exchange name ('PAR', 'NMS'), then the time zone for New York and Tokyo.
 */
export function marketForInstrument(instrument: { symbol?: string; exchange: string; timeZone: string; kind: string }): MarketCode | null {
  if (instrument.kind === 'fx') return 'FX';
  const bySymbol = instrument.symbol ? marketOfYahooSymbol(instrument.symbol) : null;
  return bySymbol ?? marketOfYahooExchange(instrument.exchange) ?? marketOfTimeZone(instrument.timeZone);
}
