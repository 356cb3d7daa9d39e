import {
  holidayCoverageTable,
  isInSession,
  isTradingDay,
  listingFacts,
  marketCalendarCovers,
  nextTradingDay,
  previousTradingDay,
  sessionCloseInstant,
  sessionOn,
  tradingSessionOn,
  WORLD_MARKET_CODES,
  WORLD_MARKETS,
  type MarketCode,
} from '../../src/markets';
import { marketForInstrument, marketOfYahooExchange, marketOfYahooSymbol } from '../../src/marketdata/yahooMarkets';

const iso = (d: Date) => d.toISOString();

describe('Yahoo symbols and exchange names', () => {
  it.each([
    ['SU.PA', 'PAR'],
    ['ASML.AS', 'AMS'],
    ['ABI.BR', 'BRU'],
    ['ENEL.MI', 'MIL'],
    ['EDP.LS', 'LIS'],
    ['ENR.DE', 'XETRA'],
    ['NESN.SW', 'SIX'],
    ['SAN.MC', 'BME'],
    ['VOLV-B.ST', 'STO'],
    ['NOVO-B.CO', 'CPH'],
    ['NOKIA.HE', 'HEL'],
    ['EQNR.OL', 'OSL'],
    ['AZN.L', 'LSE'],
    ['SHOP.TO', 'TSX'],
    ['8035.T', 'TSE'],
    ['000660.KS', 'KOSPI'],
    ['247540.KQ', 'KOSDAQ'],
    ['2330.TW', 'TWSE'],
    ['6488.TWO', 'TPEX'],
    ['0700.HK', 'HKEX'],
    ['600519.SS', 'SSE'],
    ['000858.SZ', 'SZSE'],
    ['D05.SI', 'SGX'],
    ['RELIANCE.NS', 'NSE'],
    ['RELIANCE.BO', 'BSE'],
    ['BHP.AX', 'ASX'],
    ['^FTSE', 'LSE'],
    ['^KS11', 'KOSPI'],
    ['399001.SZ', 'SZSE'],
    ['JPY=X', 'FX'],
    ['EURUSD=X', 'FX'],
  ])('%s -> %s', (symbol, code) => {
    expect(marketOfYahooSymbol(symbol)).toBe(code);
  });

  it('a US symbol has no suffix: null, and the exchange name decides', () => {
    expect(marketOfYahooSymbol('NVDA')).toBeNull();
    expect(marketOfYahooSymbol('BRK.B')).toBeNull(); // a share-class dot is no exchange suffix
    expect(marketForInstrument({ symbol: 'NVDA', exchange: 'NMS', timeZone: 'America/New_York', kind: 'equity' })).toBe('US');
  });

  it.each([
    ['NMS', 'US'],
    ['NYQ', 'US'],
    ['NGM', 'US'],
    ['NCM', 'US'],
    ['PCX', 'US'],
    ['ASE', 'US'],
    ['BTS', 'US'],
    ['TOR', 'TSX'],
    ['LSE', 'LSE'],
    ['PAR', 'PAR'],
    ['AMS', 'AMS'],
    ['BRU', 'BRU'],
    ['MIL', 'MIL'],
    ['LIS', 'LIS'],
    ['GER', 'XETRA'],
    ['XETRA', 'XETRA'],
    ['EBS', 'SIX'],
    ['MCE', 'BME'],
    ['STO', 'STO'],
    ['CPH', 'CPH'],
    ['HEL', 'HEL'],
    ['OSL', 'OSL'],
    ['JPX', 'TSE'],
    ['KSC', 'KOSPI'],
    ['KOE', 'KOSDAQ'],
    ['TAI', 'TWSE'],
    ['TWO', 'TPEX'],
    ['HKG', 'HKEX'],
    ['SHH', 'SSE'],
    ['SHZ', 'SZSE'],
    ['SES', 'SGX'],
    ['NSI', 'NSE'],
    ['BSE', 'BSE'],
    ['ASX', 'ASX'],
  ])('exchange name %s -> %s', (name, code) => {
    expect(marketOfYahooExchange(name)).toBe(code);
  });

  it('unknown names and suffixes give null, never another market', () => {
    expect(marketOfYahooExchange('XYZ')).toBeNull();
    expect(marketOfYahooSymbol('ABC.XX')).toBeNull();
    expect(marketForInstrument({ symbol: 'ABC.XX', exchange: 'XYZ', timeZone: 'Europe/Vienna', kind: 'equity' })).toBeNull();
  });

  it('currency, minor unit and benchmark', () => {
    expect(listingFacts('LSE')).toMatchObject({ currency: 'GBP', quoteCurrency: 'GBp', benchmark: '^FTSE' });
    expect(listingFacts('US')).toMatchObject({ currency: 'USD', benchmark: '^GSPC' });
    expect(listingFacts('TSE')).toMatchObject({ currency: 'JPY', benchmark: '^N225' });
    expect(listingFacts('KOSDAQ')).toMatchObject({ currency: 'KRW', benchmark: '^KQ11' });
    expect(listingFacts('HEL')).toMatchObject({ currency: 'EUR', benchmark: '^OMXH25' });
    // every world market's benchmark maps back to that market
    for (const code of WORLD_MARKET_CODES) expect(marketOfYahooSymbol(WORLD_MARKETS[code].benchmark)).toBe(code);
  });
});

describe('sessions', () => {
  it.each<[MarketCode, string, string, string]>([
    ['LSE', '2025-01-15', '2025-01-15T08:00:00.000Z', '2025-01-15T16:30:00.000Z'],
    ['PAR', '2025-01-15', '2025-01-15T08:00:00.000Z', '2025-01-15T16:30:00.000Z'],
    ['LIS', '2025-01-15', '2025-01-15T08:00:00.000Z', '2025-01-15T16:30:00.000Z'], // 08:00-16:30 WET, the same instants
    ['HEL', '2025-01-15', '2025-01-15T08:00:00.000Z', '2025-01-15T16:30:00.000Z'], // 10:00-18:30 EET
    ['OSL', '2025-01-15', '2025-01-15T08:00:00.000Z', '2025-01-15T15:20:00.000Z'],
    ['TSX', '2025-01-15', '2025-01-15T14:30:00.000Z', '2025-01-15T21:00:00.000Z'],
    ['KOSPI', '2025-01-15', '2025-01-15T00:00:00.000Z', '2025-01-15T06:30:00.000Z'],
    ['TWSE', '2025-01-15', '2025-01-15T01:00:00.000Z', '2025-01-15T05:30:00.000Z'],
    ['HKEX', '2025-01-15', '2025-01-15T01:30:00.000Z', '2025-01-15T08:00:00.000Z'],
    ['SSE', '2025-01-15', '2025-01-15T01:30:00.000Z', '2025-01-15T07:00:00.000Z'],
    ['SGX', '2025-01-15', '2025-01-15T01:00:00.000Z', '2025-01-15T09:00:00.000Z'],
    ['NSE', '2025-01-15', '2025-01-15T03:45:00.000Z', '2025-01-15T10:00:00.000Z'],
    ['ASX', '2025-01-15', '2025-01-14T23:00:00.000Z', '2025-01-15T05:00:00.000Z'], // AEDT: opens the previous UTC day
  ])('%s on %s: %s - %s', (code, date, open, close) => {
    const s = sessionOn(code, date);
    expect([iso(s.open), iso(s.close)]).toEqual([open, close]);
  });

  it('lunch breaks: Hong Kong 12:00-13:00, Shanghai 11:30-13:00, Singapore 12:00-13:00', () => {
    expect(isInSession('HKEX', new Date('2025-01-15T04:30:00Z'))).toBe(false); // 12:30 HKT
    expect(isInSession('HKEX', new Date('2025-01-15T05:30:00Z'))).toBe(true); // 13:30 HKT
    expect(isInSession('SSE', new Date('2025-01-15T03:45:00Z'))).toBe(false); // 11:45 CST
    expect(isInSession('SZSE', new Date('2025-01-15T05:15:00Z'))).toBe(true); // 13:15
    expect(isInSession('SGX', new Date('2025-01-15T04:30:00Z'))).toBe(false); // 12:30 SGT
  });

  it('half days: Hong Kong 28 Jan 2025 (Lunar New Year Eve) and 24 Dec morning only; London, Euronext, Sydney, Toronto early closes', () => {
    expect(sessionOn('HKEX', '2025-01-28')).toMatchObject({ close: new Date('2025-01-28T04:00:00Z'), breaks: [] });
    expect(iso(sessionCloseInstant('HKEX', '2024-12-24'))).toBe('2024-12-24T04:00:00.000Z');
    expect(iso(sessionCloseInstant('HKEX', '2025-01-27'))).toBe('2025-01-27T08:00:00.000Z');
    expect(iso(sessionCloseInstant('LSE', '2024-12-24'))).toBe('2024-12-24T12:30:00.000Z');
    expect(iso(sessionCloseInstant('PAR', '2024-12-31'))).toBe('2024-12-31T13:05:00.000Z');
    expect(iso(sessionCloseInstant('LIS', '2024-12-31'))).toBe('2024-12-31T13:05:00.000Z');
    expect(iso(sessionCloseInstant('ASX', '2024-12-24'))).toBe('2024-12-24T03:10:00.000Z');
    expect(iso(sessionCloseInstant('TSX', '2024-12-24'))).toBe('2024-12-24T18:00:00.000Z');
    expect(isTradingDay('XETRA', '2024-12-24')).toBe(false); // Xetra closes instead
  });

  it('historical changes: Seoul closed at 15:00 before 1 Aug 2016; the exam day closes at 16:30', () => {
    expect(iso(sessionCloseInstant('KOSPI', '2016-07-29'))).toBe('2016-07-29T06:00:00.000Z');
    expect(iso(sessionCloseInstant('KOSPI', '2016-08-01'))).toBe('2016-08-01T06:30:00.000Z');
    expect(iso(sessionCloseInstant('KOSPI', '2024-11-14'))).toBe('2024-11-14T07:30:00.000Z');
    expect(sessionOn('HKEX', '2012-03-02').breaks.map((b) => iso(b.end))).toEqual(['2012-03-02T05:30:00.000Z']); // 13:30
  });

  it('India: the Saturday budget session and the Diwali Muhurat hour are sessions', () => {
    expect(isTradingDay('NSE', '2025-02-01')).toBe(true);
    expect(sessionOn('BSE', '2025-10-21')).toMatchObject({
      open: new Date('2025-10-21T08:15:00Z'),
      close: new Date('2025-10-21T09:15:00Z'),
    });
    expect(isTradingDay('NSE', '2025-02-08')).toBe(false);
  });
});

describe('calendar around the 2025 Lunar New Year', () => {
  it.each<[MarketCode, string, string]>([
    ['KOSPI', '2025-01-24', '2025-01-31'], // 27 Jan temporary holiday, Seollal 28-30 Jan
    ['KOSDAQ', '2025-01-24', '2025-01-31'],
    ['TWSE', '2025-01-22', '2025-02-03'], // 23-24 Jan no-trading days, 27-31 Jan Lunar New Year
    ['HKEX', '2025-01-28', '2025-02-03'], // 29-31 Jan
    ['SSE', '2025-01-27', '2025-02-05'], // 28 Jan - 4 Feb
    ['SZSE', '2025-01-27', '2025-02-05'],
    ['SGX', '2025-01-28', '2025-01-31'], // 29-30 Jan
  ])('%s: last session %s, then %s', (code, before, after) => {
    expect(nextTradingDay(code, before)).toBe(after);
    expect(previousTradingDay(code, after)).toBe(before);
  });

  it('Shanghai does not trade on the weekend make-up workdays (Sun 26 Jan, Sat 8 Feb 2025)', () => {
    expect(tradingSessionOn('SSE', '2025-01-26')).toBeNull();
    expect(tradingSessionOn('SSE', '2025-02-08')).toBeNull();
  });

  it('Europe and Sydney: own closures, not the national holidays', () => {
    expect(isTradingDay('PAR', '2025-07-14')).toBe(true); // Bastille Day: Euronext trades
    expect(isTradingDay('XETRA', '2025-06-09')).toBe(true); // Whit Monday
    expect(isTradingDay('SIX', '2025-06-09')).toBe(false);
    expect(isTradingDay('LSE', '2025-08-25')).toBe(false); // summer bank holiday
    expect(isTradingDay('ASX', '2025-10-06')).toBe(true); // NSW Labour Day
    expect(isTradingDay('ASX', '2025-01-27')).toBe(false); // Australia Day observed
    expect(isTradingDay('TSX', '2025-08-04')).toBe(false); // Civic Holiday
    expect(isTradingDay('TSX', '2025-04-21')).toBe(true); // Easter Monday
  });
});

describe('the 2026 Lunar New Year and other 2026 closures', () => {
  it.each<[MarketCode, string, string]>([
    ['SSE', '2026-02-13', '2026-02-24'], // closed 15-23 Feb (SSE notice of 22 Dec 2025)
    ['TWSE', '2026-02-11', '2026-02-23'], // 12-13 Feb no-trading days, then the holiday
    ['KOSPI', '2026-02-13', '2026-02-19'], // Seollal 16-18 Feb
    ['HKEX', '2026-02-16', '2026-02-20'], // half day 16 Feb (eve), closed 17-19 Feb
  ])('%s: last session %s, then %s', (code, before, after) => {
    expect(nextTradingDay(code, before)).toBe(after);
  });

  it('Seoul: local elections (3 Jun) and the restored Constitution Day (17 Jul) close the market', () => {
    expect(isTradingDay('KOSPI', '2026-06-03')).toBe(false);
    expect(isTradingDay('KOSPI', '2026-07-17')).toBe(false);
  });
});

describe('holiday coverage', () => {
  it('lists every market with a date range and a source', () => {
    const table = holidayCoverageTable();
    expect(table.map((r) => r.code).sort()).toEqual([...WORLD_MARKET_CODES, 'TSE', 'US', 'FX'].sort());
    for (const row of table) expect(row.from < row.to && row.source.length > 0).toBe(true);
    expect(marketCalendarCovers('SSE', '2025-10-08')).toBe(true);
    expect(marketCalendarCovers('SSE', '2026-02-17')).toBe(true);
    expect(marketCalendarCovers('SSE', '2027-02-08')).toBe(false);
    expect(marketCalendarCovers('NSE', '2026-01-26')).toBe(false); // India's 2026 list is not in yet
    expect(marketCalendarCovers('TSE', '2025-01-01')).toBe(true);
  });
});

describe('Nordic calendars', () => {
  it('Stockholm half days and closures; Copenhagen trades on 1 May, Stockholm and Oslo do not', () => {
    expect(iso(sessionCloseInstant('STO', '2024-11-01'))).toBe('2024-11-01T12:00:00.000Z'); // All Saints' Eve, 13:00 CET
    expect(iso(sessionCloseInstant('STO', '2025-05-28'))).toBe('2025-05-28T11:00:00.000Z'); // Ascension Eve, 13:00 CEST
    expect(isTradingDay('STO', '2025-06-20')).toBe(false); // Midsummer Eve
    expect(isTradingDay('STO', '2025-06-09')).toBe(true); // Whit Monday trades in Stockholm
    expect(isTradingDay('CPH', '2025-06-09')).toBe(false);
    expect(isTradingDay('CPH', '2025-05-01')).toBe(true);
    expect(isTradingDay('OSL', '2025-05-01')).toBe(false);
    expect(isTradingDay('CPH', '2025-05-30')).toBe(false); // day after Ascension
  });
});
