// The calendars against real bars: every bar date of a bundled world series is a session of its exchange, and
// every session between the file's first and last date has a bar. Data: ../shared/data/global (see its
// SOURCES.md), or data/global once the files are bundled into the repository.
import fs from 'node:fs';
import path from 'node:path';
import { addCalendarDays, isTradingDay, type MarketCode } from '../../src/markets';
import { marketForInstrument } from '../../src/marketdata/yahooMarkets';

const root = path.resolve(__dirname, '..', '..');
const dataDir = [path.join(root, 'data', 'global'), path.join(root, '..', 'shared', 'data', 'global')].find((d) =>
  fs.existsSync(path.join(d, 'SU.PA.csv')),
);

/** file -> [Yahoo symbol, calendar it must follow] */
const FILES: readonly [string, string, MarketCode][] = [
  ['000660.KS.csv', '000660.KS', 'KOSPI'],
  ['2330.TW.csv', '2330.TW', 'TWSE'],
  ['TWII.csv', '^TWII', 'TWSE'],
  ['0700.HK.csv', '0700.HK', 'HKEX'],
  ['9988.HK.csv', '9988.HK', 'HKEX'],
  ['HSI.csv', '^HSI', 'HKEX'],
  ['000001.SS.csv', '000001.SS', 'SSE'],
  ['600519.SS.csv', '600519.SS', 'SSE'],
  ['SU.PA.csv', 'SU.PA', 'PAR'],
  ['FCHI.csv', '^FCHI', 'PAR'],
  ['GDAXI.csv', '^GDAXI', 'XETRA'],
  // EURO STOXX 50 is calculated on the Eurex/Xetra calendar (no 24 and 31 Dec)
  ['STOXX50E.csv', '^STOXX50E', 'XETRA'],
];

/** Known differences between a file and its calendar, each with the reason given in SOURCES.md. */
const KNOWN_EXCEPTIONS: Readonly<Record<string, { missingBars?: string[]; barsOnClosedDays?: string[]; reason: string }>> = {
  'STOXX50E.csv': {
    missingBars: ['2025-01-02'],
    reason: 'SOURCES.md: the 2 Jan row is missing in the source although Paris and Frankfurt traded that day',
  },
};

function barDates(file: string): string[] {
  const [, ...rows] = fs.readFileSync(path.join(dataDir!, file), 'utf8').trim().split(/\r?\n/);
  return rows.map((r) => r.slice(0, 10));
}

const describeData = dataDir ? describe : describe.skip;

describeData(`bundled world bars vs. the exchange calendars (${dataDir ?? 'data not found'})`, () => {
  it.each(FILES)('%s: every bar is a session and every session has a bar', (file, symbol, code) => {
    // the symbol finds its calendar by itself (an index through the benchmark table); EURO STOXX 50 is no benchmark here
    if (symbol !== '^STOXX50E') expect(marketForInstrument({ symbol, exchange: '', timeZone: '', kind: 'equity' })).toBe(code);
    const dates = barDates(file);
    const present = new Set(dates);
    const barsOnClosedDays = dates.filter((d) => !isTradingDay(code, d));
    const missingBars: string[] = [];
    for (let d = dates[0]; d <= dates[dates.length - 1]; d = addCalendarDays(d, 1)) {
      if (isTradingDay(code, d) && !present.has(d)) missingBars.push(d);
    }
    const known = KNOWN_EXCEPTIONS[file] ?? { reason: '' };
    expect({ barsOnClosedDays, missingBars }).toEqual({
      barsOnClosedDays: known.barsOnClosedDays ?? [],
      missingBars: known.missingBars ?? [],
    });
  });

  it('the files span the event: 2024-10 to 2025-03', () => {
    for (const [file] of FILES) {
      const dates = barDates(file);
      expect(dates[0] <= '2024-10-08').toBe(true);
      expect(dates[dates.length - 1]).toBe('2025-03-31');
    }
  });
});
