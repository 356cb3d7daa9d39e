// FakeYahoo's metadata for the world listings of data/global (and the FX series that convert them), as Yahoo
// describes them: exchange code, full exchange name, time zone, currency and regular session per exchange.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DailyBarInput } from '../../src/marketdata/types';
import { csvFileForSymbol, parseBarsCsv } from '../../src/marketdata/csvProvider';
import type { FakeSymbolMeta, FakeYahoo } from './fakeYahoo';

const GLOBAL_DATA_DIR = path.resolve(__dirname, '../../data/global');

type Exchange = Pick<
  FakeSymbolMeta,
  'currency' | 'exchangeName' | 'fullExchangeName' | 'exchangeTimezoneName' | 'timezoneShort' | 'sessionOpen' | 'sessionClose' | 'market'
>;

/** Per exchange, what Yahoo's chart meta and quote say (exchange codes as Yahoo sends them). */
const FAKE_EXCHANGES = {
  paris: {
    currency: 'EUR',
    exchangeName: 'PAR',
    fullExchangeName: 'Paris',
    exchangeTimezoneName: 'Europe/Paris',
    timezoneShort: 'CET',
    sessionOpen: '09:00',
    sessionClose: '17:30',
    market: 'fr_market',
  },
  seoul: {
    currency: 'KRW',
    exchangeName: 'KSC',
    fullExchangeName: 'KSE',
    exchangeTimezoneName: 'Asia/Seoul',
    timezoneShort: 'KST',
    sessionOpen: '09:00',
    sessionClose: '15:30',
    market: 'kr_market',
  },
  taipei: {
    currency: 'TWD',
    exchangeName: 'TAI',
    fullExchangeName: 'Taiwan',
    exchangeTimezoneName: 'Asia/Taipei',
    timezoneShort: 'CST',
    sessionOpen: '09:00',
    sessionClose: '13:30',
    market: 'tw_market',
  },
  hongKong: {
    currency: 'HKD',
    exchangeName: 'HKG',
    fullExchangeName: 'HKSE',
    exchangeTimezoneName: 'Asia/Hong_Kong',
    timezoneShort: 'HKT',
    sessionOpen: '09:30',
    sessionClose: '16:00',
    market: 'hk_market',
  },
  shanghai: {
    currency: 'CNY',
    exchangeName: 'SHH',
    fullExchangeName: 'Shanghai',
    exchangeTimezoneName: 'Asia/Shanghai',
    timezoneShort: 'CST',
    sessionOpen: '09:30',
    sessionClose: '15:00',
    market: 'cn_market',
  },
  london: {
    currency: 'GBp',
    exchangeName: 'LSE',
    fullExchangeName: 'LSE',
    exchangeTimezoneName: 'Europe/London',
    timezoneShort: 'GMT',
    sessionOpen: '08:00',
    sessionClose: '16:30',
    market: 'gb_market',
  },
} as const satisfies Record<string, Exchange>;

const equity = (ex: Exchange, longName: string, shortName: string, extra: Partial<FakeSymbolMeta> = {}): FakeSymbolMeta => ({
  ...ex,
  instrumentType: 'EQUITY',
  longName,
  shortName,
  ...extra,
});
const index = (ex: Exchange, name: string): FakeSymbolMeta => ({ ...ex, instrumentType: 'INDEX', longName: name, shortName: name });
const fx = (currency: string, name: string): FakeSymbolMeta => ({
  currency,
  exchangeName: 'CCY',
  fullExchangeName: 'CCY',
  instrumentType: 'CURRENCY',
  exchangeTimezoneName: 'Europe/London',
  sessionOpen: '00:00',
  sessionClose: '23:59',
  longName: name,
  shortName: name,
  priceHint: 4,
  market: 'ccy_market',
});

/** Meta of the data/global symbols. No shares outstanding: none were found for the bundle (see its SOURCES.md). */
const GLOBAL_META: Record<string, FakeSymbolMeta> = {
  'SU.PA': equity(FAKE_EXCHANGES.paris, 'Schneider Electric S.E.', 'SCHNEIDER ELEC'),
  '000660.KS': equity(FAKE_EXCHANGES.seoul, 'SK hynix Inc.', 'SKHynix'),
  '2330.TW': equity(FAKE_EXCHANGES.taipei, 'Taiwan Semiconductor Manufacturing Company Limited', 'TAIWAN SEMICONDUCTOR MANUFACTU'),
  '0700.HK': equity(FAKE_EXCHANGES.hongKong, 'Tencent Holdings Limited', 'TENCENT'),
  '9988.HK': equity(FAKE_EXCHANGES.hongKong, 'Alibaba Group Holding Limited', 'BABA-W'),
  '600519.SS': equity(FAKE_EXCHANGES.shanghai, 'Kweichow Moutai Co., Ltd.', 'KWEICHOW MOUTAI'),
  '^FCHI': index(FAKE_EXCHANGES.paris, 'CAC 40'),
  '^TWII': index(FAKE_EXCHANGES.taipei, 'TSEC CAPITALIZATION WEIGHTED STOCK INDEX'),
  '^HSI': index(FAKE_EXCHANGES.hongKong, 'HANG SENG INDEX'),
  '000001.SS': index(FAKE_EXCHANGES.shanghai, 'SSE Composite Index'),
  'EURUSD=X': fx('USD', 'EUR/USD'),
  'KRW=X': fx('KRW', 'USD/KRW'),
  'HKD=X': fx('HKD', 'USD/HKD'),
  'CNY=X': fx('CNY', 'USD/CNY'),
};

/** KOSPI's meta: no bundled ^KS11 series exists, so a test serving it must bring its own (made-up) bars. */
export const KOSPI_INDEX_META = index(FAKE_EXCHANGES.seoul, 'KOSPI Composite Index');

/** Bars of a data/global file, parsed with the project's strict parser. */
export function globalBars(symbol: string): DailyBarInput[] {
  return parseBarsCsv(readFileSync(path.join(GLOBAL_DATA_DIR, csvFileForSymbol(symbol)), 'utf8'), symbol);
}

/** Serve a data/global symbol with its bundled bars and GLOBAL_META. */
export function addGlobal(fake: FakeYahoo, symbol: string, extra: Partial<FakeSymbolMeta> = {}): FakeYahoo {
  const meta = GLOBAL_META[symbol];
  if (!meta) throw new Error(`no GLOBAL_META for ${symbol}`);
  return fake.addSymbol(symbol, globalBars(symbol), { ...meta, ...extra });
}
