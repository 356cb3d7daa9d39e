// Day 0 on every exchange, with the existing rule: the first session whose close comes strictly after the
// event (date-only: that date if it is a session, else the next). From the calendar (calendarDayZero) and,
// for the 27 Jan 2025 event, from the real bars through analysis/dayZero as the history path uses it.
import fs from 'node:fs';
import path from 'node:path';
import { dayZero } from '../../src/analysis/dayZero';
import { calendarDayZero, dayZeroSessionsInCloseOrder, type MarketCode } from '../../src/markets';

const timed = (iso: string) => ({ instant: new Date(iso), dateOnly: false });
const dateOnly = (date: string) => ({ instant: new Date(`${date}T00:00:00Z`), dateOnly: true });
const day0 = (code: MarketCode, iso: string) => calendarDayZero(code, timed(iso)).date;

// 16:30 New York on Mon 27 Jan 2025, after its close (the DeepSeek sell-off day)
const AFTER_NEW_YORK_CLOSE = '2025-01-27T21:30:00Z';

describe('a timed event after New York closed on 27 Jan 2025', () => {
  it.each<[MarketCode, string]>([
    ['TSE', '2025-01-28'],
    ['PAR', '2025-01-28'],
    ['AMS', '2025-01-28'],
    ['XETRA', '2025-01-28'],
    ['HKEX', '2025-01-28'], // the half day
    ['KOSPI', '2025-01-31'],
    ['TWSE', '2025-02-03'],
    ['SSE', '2025-02-05'],
    ['SZSE', '2025-02-05'],
    ['US', '2025-01-28'],
  ])('%s: day 0 = %s', (code, expected) => {
    expect(day0(code, AFTER_NEW_YORK_CLOSE)).toBe(expected);
  });

  it('"who moved first": the markets in the order their day-0 closes came', () => {
    const order = dayZeroSessionsInCloseOrder(['SSE', 'TWSE', 'KOSPI', 'HKEX', 'PAR', 'TSE', 'US'], timed(AFTER_NEW_YORK_CLOSE));
    expect(order.map((o) => `${o.code} ${o.session.date}`)).toEqual([
      'HKEX 2025-01-28', // closes 12:00 HKT = 04:00Z on the half day
      'TSE 2025-01-28',
      'PAR 2025-01-28',
      'US 2025-01-28',
      'KOSPI 2025-01-31',
      'TWSE 2025-02-03',
      'SSE 2025-02-05',
    ]);
  });

  const dataDir = [path.join(__dirname, '../../data/global'), path.join(__dirname, '../../../shared/data/global')].find((d) =>
    fs.existsSync(path.join(d, 'SU.PA.csv')),
  );
  (dataDir ? it : it.skip)('the bars give the same day 0 through analysis/dayZero', () => {
    const dates = (file: string) =>
      fs
        .readFileSync(path.join(dataDir!, file), 'utf8')
        .trim()
        .split(/\r?\n/)
        .slice(1)
        .map((r) => r.slice(0, 10));
    const event = timed(AFTER_NEW_YORK_CLOSE);
    expect(dayZero(dates('SU.PA.csv'), event, 'PAR')).toBe('2025-01-28');
    expect(dayZero(dates('0700.HK.csv'), event, 'HKEX')).toBe('2025-01-28');
    expect(dayZero(dates('000660.KS.csv'), event, 'KOSPI')).toBe('2025-01-31');
    expect(dayZero(dates('2330.TW.csv'), event, 'TWSE')).toBe('2025-02-03');
    expect(dayZero(dates('000001.SS.csv'), event, 'SSE')).toBe('2025-02-05');
    expect(dayZero(dates('GDAXI.csv'), event, 'XETRA')).toBe('2025-01-28');
  });

  it('a date-only event on Sunday 26 Jan: the next session of each market', () => {
    expect(calendarDayZero('KOSPI', dateOnly('2025-01-26')).date).toBe('2025-01-31');
    expect(calendarDayZero('PAR', dateOnly('2025-01-26')).date).toBe('2025-01-27');
    expect(calendarDayZero('HKEX', dateOnly('2025-01-28')).date).toBe('2025-01-28'); // a half day is a session
  });
});

// Each row: an instant half an hour around the local close on the trading days either side of a clock change.
// The UTC instant is the same in both rows; the close moved by an hour under it.
describe.each<[string, MarketCode, [string, string][]]>([
  [
    'Europe, spring (Sun 30 Mar 2025): Paris closes 16:30Z, then 15:30Z',
    'PAR',
    [
      ['2025-03-28T16:00:00Z', '2025-03-28'], // 17:00 CET, before the close
      ['2025-03-31T16:00:00Z', '2025-04-01'], // 18:00 CEST, after it
    ],
  ],
  [
    'Europe, spring: London 16:30 GMT, then 16:30 BST',
    'LSE',
    [
      ['2025-03-28T16:00:00Z', '2025-03-28'],
      ['2025-03-31T16:00:00Z', '2025-04-01'],
    ],
  ],
  [
    'Europe, autumn (Sun 26 Oct 2025): Xetra closes 15:30Z, then 16:30Z',
    'XETRA',
    [
      ['2025-10-24T16:00:00Z', '2025-10-27'], // 18:00 CEST, after Friday's close
      ['2025-10-27T16:00:00Z', '2025-10-27'], // 17:00 CET, before Monday's
    ],
  ],
  [
    'US, spring (Sun 9 Mar 2025): New York closes 21:00Z, then 20:00Z',
    'US',
    [
      ['2025-03-07T20:30:00Z', '2025-03-07'], // 15:30 EST
      ['2025-03-10T20:30:00Z', '2025-03-11'], // 16:30 EDT
    ],
  ],
  [
    'US, autumn (Sun 2 Nov 2025): New York closes 20:00Z, then 21:00Z',
    'US',
    [
      ['2025-10-31T20:30:00Z', '2025-11-03'], // 16:30 EDT
      ['2025-11-03T20:30:00Z', '2025-11-03'], // 15:30 EST
    ],
  ],
  [
    'US spring for Toronto too',
    'TSX',
    [
      ['2025-03-07T20:30:00Z', '2025-03-07'],
      ['2025-03-10T20:30:00Z', '2025-03-11'],
    ],
  ],
  [
    'Sydney, autumn (Sun 6 Apr 2025): ASX closes 05:00Z, then 06:00Z',
    'ASX',
    [
      ['2025-04-04T05:30:00Z', '2025-04-07'], // 16:30 AEDT, after the close
      ['2025-04-07T05:30:00Z', '2025-04-07'], // 15:30 AEST, before it
    ],
  ],
  [
    'Sydney, spring (Sun 5 Oct 2025): ASX closes 06:00Z, then 05:00Z (Mon 6 Oct is NSW Labour Day, ASX trades)',
    'ASX',
    [
      ['2025-10-03T05:30:00Z', '2025-10-03'], // 15:30 AEST
      ['2025-10-06T05:30:00Z', '2025-10-07'], // 16:30 AEDT
    ],
  ],
  [
    'Tokyo does not change its clocks: the same instant keeps its side of the close',
    'TSE',
    [
      ['2025-03-07T06:00:00Z', '2025-03-07'],
      ['2025-03-10T06:00:00Z', '2025-03-10'],
    ],
  ],
])('%s', (_title, code, rows) => {
  it.each(rows)(`${code} event at %s -> day 0 %s`, (instant, expected) => {
    expect(day0(code, instant)).toBe(expected);
  });
});

describe('the close itself', () => {
  it('an event exactly at the close belongs to the next session; a minute before, to this one', () => {
    expect(day0('HKEX', '2025-01-27T08:00:00Z')).toBe('2025-01-28');
    expect(day0('HKEX', '2025-01-27T07:59:00Z')).toBe('2025-01-27');
    expect(day0('HKEX', '2025-01-28T04:00:00Z')).toBe('2025-02-03'); // after the half-day close
  });
});
