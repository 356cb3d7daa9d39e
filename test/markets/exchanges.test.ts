import {
  holidayCalendarCovers,
  isInSession,
  isTradingDay,
  localDate,
  nextTradingDays,
  recentSessionDates,
  sessionCloseInstant,
  sessionOn,
  sessionOpenInstant,
} from '../../src/markets/exchanges';
import { marketForInstrument } from '../../src/marketdata/yahooMarkets';

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('session open and close instants', () => {
  it('New York: 09:30-16:00 local, i.e. 14:30-21:00Z in January (EST) and 13:30-20:00Z in July (EDT)', () => {
    expect(iso(sessionOpenInstant('US', '2025-01-15'))).toBe('2025-01-15T14:30:00.000Z');
    expect(iso(sessionCloseInstant('US', '2025-01-15'))).toBe('2025-01-15T21:00:00.000Z');
    expect(iso(sessionOpenInstant('US', '2025-07-15'))).toBe('2025-07-15T13:30:00.000Z');
    expect(iso(sessionCloseInstant('US', '2025-07-15'))).toBe('2025-07-15T20:00:00.000Z');
  });

  it('New York early close at 13:00 on the day after Thanksgiving', () => {
    expect(iso(sessionCloseInstant('US', '2025-11-28'))).toBe('2025-11-28T18:00:00.000Z');
    expect(iso(sessionCloseInstant('US', '2024-12-24'))).toBe('2024-12-24T18:00:00.000Z');
  });

  it('Tokyo closes at 15:00 JST until 2024-11-01 and at 15:30 JST from 2024-11-05 (no DST in Japan)', () => {
    expect(iso(sessionOpenInstant('TSE', '2024-11-01'))).toBe('2024-11-01T00:00:00.000Z');
    expect(iso(sessionCloseInstant('TSE', '2024-11-01'))).toBe('2024-11-01T06:00:00.000Z');
    expect(iso(sessionCloseInstant('TSE', '2024-11-05'))).toBe('2024-11-05T06:30:00.000Z');
    expect(iso(sessionCloseInstant('TSE', '2025-01-15'))).toBe('2025-01-15T06:30:00.000Z');
    expect(iso(sessionCloseInstant('TSE', '2025-07-15'))).toBe('2025-07-15T06:30:00.000Z');
  });

  it('Tokyo lunch break 11:30-12:30 JST', () => {
    const [lunch] = sessionOn('TSE', '2025-01-15').breaks;
    expect(iso(lunch.start)).toBe('2025-01-15T02:30:00.000Z');
    expect(iso(lunch.end)).toBe('2025-01-15T03:30:00.000Z');
  });

  it('FX: the bar date is the session, closing 17:00 New York and opening 17:00 the evening before', () => {
    expect(iso(sessionCloseInstant('FX', '2025-01-15'))).toBe('2025-01-15T22:00:00.000Z');
    expect(iso(sessionOpenInstant('FX', '2025-01-15'))).toBe('2025-01-14T22:00:00.000Z');
    expect(iso(sessionCloseInstant('FX', '2025-07-15'))).toBe('2025-07-15T21:00:00.000Z');
  });

  it('rejects malformed dates', () => {
    expect(() => sessionCloseInstant('US', '2025-1-5')).toThrow(RangeError);
    expect(() => sessionCloseInstant('US', '2025-02-30')).toThrow(RangeError);
  });
});

describe('isInSession', () => {
  it.each([
    ['2025-01-15T14:29:59Z', false],
    ['2025-01-15T14:30:00Z', true],
    ['2025-01-15T20:59:59Z', true],
    ['2025-01-15T21:00:00Z', false],
    ['2025-07-15T13:29:59Z', false],
    ['2025-07-15T13:30:00Z', true],
    ['2025-07-15T19:59:59Z', true],
    ['2025-07-15T20:00:00Z', false],
    ['2025-11-28T17:59:00Z', true], // early close day, 12:59 EST
    ['2025-11-28T18:30:00Z', false], // 13:30 EST, already closed
    ['2025-01-20T16:00:00Z', false], // MLK Day
    ['2025-01-18T16:00:00Z', false], // Saturday
  ])('US at %s -> %s', (instant, expected) => {
    expect(isInSession('US', at(instant))).toBe(expected);
  });

  it.each([
    ['2025-01-15T00:00:00Z', true], // 09:00 JST
    ['2025-01-15T02:29:00Z', true], // 11:29
    ['2025-01-15T03:00:00Z', false], // 12:00, lunch
    ['2025-01-15T03:30:00Z', true], // 12:30
    ['2025-01-15T06:15:00Z', true], // 15:15 (after the 2024 extension)
    ['2025-01-15T06:30:00Z', false], // 15:30 close
    ['2024-10-31T06:15:00Z', false], // 15:15 before the extension: closed at 15:00
    ['2025-07-15T06:29:00Z', true],
    ['2025-01-13T01:00:00Z', false], // Coming of Age Day
    ['2025-01-14T23:59:00Z', false], // 08:59 JST
  ])('TSE at %s -> %s', (instant, expected) => {
    expect(isInSession('TSE', at(instant))).toBe(expected);
  });

  it.each([
    ['2025-01-19T22:30:00Z', true], // Sunday 17:30 EST: Monday's session is open (FX trades on MLK Day)
    ['2025-01-19T21:30:00Z', false], // Sunday 16:30 EST: weekend
    ['2025-01-17T21:59:00Z', true], // Friday 16:59 EST
    ['2025-01-17T22:00:00Z', false], // Friday 17:00 EST: closed for the weekend
    ['2025-01-18T12:00:00Z', false], // Saturday
    ['2025-07-13T21:30:00Z', true], // Sunday 17:30 EDT
    ['2025-07-13T20:30:00Z', false], // Sunday 16:30 EDT
  ])('FX at %s -> %s', (instant, expected) => {
    expect(isInSession('FX', at(instant))).toBe(expected);
  });
});

describe('localDate', () => {
  it('gives the calendar date in the zone, including across DST', () => {
    expect(localDate(at('2025-01-20T15:30:00Z'), 'Asia/Tokyo')).toBe('2025-01-21');
    expect(localDate(at('2025-01-20T15:30:00Z'), 'America/New_York')).toBe('2025-01-20');
    expect(localDate(at('2025-01-15T04:30:00Z'), 'America/New_York')).toBe('2025-01-14'); // 23:30 EST
    expect(localDate(at('2025-01-15T05:30:00Z'), 'America/New_York')).toBe('2025-01-15'); // 00:30 EST
    expect(localDate(at('2025-07-15T03:30:00Z'), 'America/New_York')).toBe('2025-07-14'); // 23:30 EDT
    expect(localDate(at('2025-07-15T04:30:00Z'), 'America/New_York')).toBe('2025-07-15'); // 00:30 EDT
  });

  it('rejects unknown zones and invalid instants', () => {
    expect(() => localDate(at('2025-01-15T00:00:00Z'), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => localDate(new Date('nonsense'), 'UTC')).toThrow(RangeError);
  });
});

describe('marketForInstrument', () => {
  it.each([
    [{ exchange: 'NMS', timeZone: 'America/New_York', kind: 'equity' }, 'US'],
    [{ exchange: 'SNP', timeZone: 'America/New_York', kind: 'index' }, 'US'],
    [{ exchange: 'NYQ', timeZone: 'UTC', kind: 'equity' }, 'US'], // falls back to the exchange name
    [{ exchange: 'JPX', timeZone: 'Asia/Tokyo', kind: 'equity' }, 'TSE'],
    [{ exchange: 'OSA', timeZone: 'Asia/Tokyo', kind: 'index' }, 'TSE'],
    [{ exchange: 'CCY', timeZone: 'Europe/London', kind: 'fx' }, 'FX'],
    [{ exchange: 'LSE', timeZone: 'Europe/London', kind: 'equity' }, 'LSE'],
    [{ exchange: 'TLV', timeZone: 'Asia/Jerusalem', kind: 'equity' }, null],
  ])('%o -> %s', (instrument, expected) => {
    expect(marketForInstrument(instrument)).toBe(expected);
  });
});

describe('scheduling calendar', () => {
  it('weekends and listed holidays are not trading days', () => {
    expect(isTradingDay('US', '2025-01-20')).toBe(false); // MLK
    expect(isTradingDay('US', '2025-01-21')).toBe(true);
    expect(isTradingDay('US', '2025-01-25')).toBe(false); // Saturday
    expect(isTradingDay('TSE', '2025-01-20')).toBe(true); // MLK is no holiday in Tokyo
    expect(isTradingDay('TSE', '2025-01-13')).toBe(false);
    expect(isTradingDay('FX', '2025-01-20')).toBe(true);
    expect(isTradingDay('FX', '2025-01-01')).toBe(false);
  });

  it('nextTradingDays skips the Tokyo year-end closure and the US Independence Day', () => {
    expect(nextTradingDays('TSE', '2025-12-30', 3)).toEqual(['2026-01-05', '2026-01-06', '2026-01-07']);
    expect(nextTradingDays('US', '2025-07-02', 2)).toEqual(['2025-07-03', '2025-07-07']);
    expect(nextTradingDays('US', '2026-07-02', 1)).toEqual(['2026-07-06']); // Jul 3 observed
    expect(nextTradingDays('TSE', '2026-09-18', 1)).toEqual(['2026-09-24']); // 2026 silver week
    expect(nextTradingDays('US', '2025-07-02', 0)).toEqual([]);
  });

  it('says which years the holiday lists cover', () => {
    expect(holidayCalendarCovers('2025-06-01')).toBe(true);
    expect(holidayCalendarCovers('2027-12-31')).toBe(true);
    expect(holidayCalendarCovers('2024-12-31')).toBe(false);
    expect(holidayCalendarCovers('2028-01-03')).toBe(false);
  });
});

describe('recentSessionDates: the sessions an alert may be about', () => {
  it('during a session: the previous session and this one', () => {
    // Monday 27 Jan 2025, 15:00 New York: Friday 24 Jan closed last
    expect(recentSessionDates('US', at('2025-01-27T20:00:00Z'))).toEqual(['2025-01-24', '2025-01-27']);
  });
  it('after the close: that session only, until the next one opens', () => {
    expect(recentSessionDates('US', at('2025-01-27T21:00:00Z'))).toEqual(['2025-01-27']); // 16:00 exactly
    expect(recentSessionDates('US', at('2025-01-28T14:29:00Z'))).toEqual(['2025-01-27']); // 09:29 the next day
  });
  it('over a weekend and a holiday: the last session before them', () => {
    expect(recentSessionDates('US', at('2025-02-01T12:00:00Z'))).toEqual(['2025-01-31']); // Saturday
    expect(recentSessionDates('US', at('2025-01-20T17:00:00Z'))).toEqual(['2025-01-17']); // Martin Luther King Jr. Day
  });
  it("Tokyo's lunch break is part of the session in progress", () => {
    expect(recentSessionDates('TSE', at('2025-01-28T03:00:00Z'))).toEqual(['2025-01-27', '2025-01-28']); // 12:00 JST
  });
});
