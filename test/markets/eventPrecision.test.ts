// Day 0 with a time precision, worked by hand in New York (09:30-16:00 ET, UTC-5 in January) and Tokyo (09:00-15:30
// JST from 5 Nov 2024, lunch 11:30-12:30, UTC+9): the session in progress at the earliest instant t the precision
// allows (open <= t < close), or else the first to open after it.
import { dayZero } from '../../src/analysis/dayZero';
import { calendarDayZero, type MarketCode } from '../../src/markets/exchanges';
import { marketForPartsOfDay, startOfPartOfDay } from '../../src/markets/eventTiming';

const timed = (iso: string) => ({ instant: new Date(iso), dateOnly: false });
const dayZeroIn = (code: MarketCode, event: { instant: Date; dateOnly: boolean }) => calendarDayZero(code, event).date;

describe('the earliest instant of a part of the day', () => {
  it.each([
    ['2025-01-27', 'before_open', 'America/New_York', '2025-01-27T05:00:00.000Z'], // local midnight, EST
    ['2025-01-27', 'during_session', 'America/New_York', '2025-01-27T14:30:00.000Z'], // 09:30 ET
    ['2025-01-27', 'after_close', 'America/New_York', '2025-01-27T21:00:00.000Z'], // 16:00 ET
    ['2025-07-03', 'after_close', 'America/New_York', '2025-07-03T17:00:00.000Z'], // 13:00 EDT: the early close before 4 July
    ['2025-01-28', 'before_open', 'Asia/Tokyo', '2025-01-27T15:00:00.000Z'],
    ['2025-01-28', 'during_session', 'Asia/Tokyo', '2025-01-28T00:00:00.000Z'], // 09:00 JST
    ['2025-01-28', 'after_close', 'Asia/Tokyo', '2025-01-28T06:30:00.000Z'], // 15:30 JST
  ] as const)('%s %s in %s starts at %s', (date, part, zone, expected) => {
    expect(startOfPartOfDay(date, part, zone).toISOString()).toBe(expected);
  });

  it('needs a market that keeps session hours in the zone', () => {
    expect(marketForPartsOfDay('America/New_York')).toBe('US');
    expect(marketForPartsOfDay('Europe/Paris')).toBe('PAR');
    expect(marketForPartsOfDay('Pacific/Honolulu')).toBeNull();
    expect(() => startOfPartOfDay('2025-01-27', 'after_close', 'Pacific/Honolulu')).toThrow(RangeError);
  });
});

describe('day 0 from the earliest instant, in New York and Tokyo', () => {
  it.each([
    // New York events (Mon 27 Jan 2025)
    ['before the New York open', '2025-01-27T13:00:00Z', '2025-01-27', '2025-01-28'], // Tokyo had closed at 06:30 UTC
    ['during the New York session', '2025-01-27T15:00:00Z', '2025-01-27', '2025-01-28'],
    ['at the New York close (the closed session cannot contain it)', '2025-01-27T21:00:00Z', '2025-01-28', '2025-01-28'],
    ['after the New York close', '2025-01-27T23:00:00Z', '2025-01-28', '2025-01-28'],
    // Tokyo events (Tue 28 Jan 2025)
    ['before the Tokyo open', '2025-01-27T23:00:00Z', '2025-01-28', '2025-01-28'], // New York's 27 Jan closed at 21:00 UTC
    ['during the Tokyo session', '2025-01-28T01:00:00Z', '2025-01-28', '2025-01-28'],
    ['in the Tokyo lunch break (the session is in progress)', '2025-01-28T03:00:00Z', '2025-01-28', '2025-01-28'],
    ['after the Tokyo close', '2025-01-28T07:00:00Z', '2025-01-28', '2025-01-29'], // New York opens 14:30 UTC
    ['on a Saturday', '2025-01-25T15:00:00Z', '2025-01-27', '2025-01-27'],
  ])('%s (%s): New York %s, Tokyo %s', (_what, instant, newYork, tokyo) => {
    expect(dayZeroIn('US', timed(instant))).toBe(newYork);
    expect(dayZeroIn('TSE', timed(instant))).toBe(tokyo);
  });

  it('a part of the day counts from its start', () => {
    const trump = timed(startOfPartOfDay('2025-01-27', 'after_close', 'America/New_York').toISOString());
    expect([dayZeroIn('US', trump), dayZeroIn('TSE', trump)]).toEqual(['2025-01-28', '2025-01-28']);
    const beforeOpen = timed(startOfPartOfDay('2025-01-27', 'before_open', 'America/New_York').toISOString());
    // 27 Jan 00:00 ET is 14:00 JST, while Tokyo's 27 Jan session is in progress
    expect([dayZeroIn('US', beforeOpen), dayZeroIn('TSE', beforeOpen)]).toEqual(['2025-01-27', '2025-01-27']);
    const tokyoAfterClose = timed(startOfPartOfDay('2025-01-28', 'after_close', 'Asia/Tokyo').toISOString());
    expect([dayZeroIn('US', tokyoAfterClose), dayZeroIn('TSE', tokyoAfterClose)]).toEqual(['2025-01-28', '2025-01-29']);
  });

  it('an interval spanning a close counts from its start: the session in progress then', () => {
    // 15:30-17:00 ET on 27 Jan: it may have come before the New York close, so 27 Jan is day 0 there
    const newYorkInterval = timed('2025-01-27T20:30:00Z');
    expect([dayZeroIn('US', newYorkInterval), dayZeroIn('TSE', newYorkInterval)]).toEqual(['2025-01-27', '2025-01-28']);
    // 15:00-16:00 JST on 28 Jan, across Tokyo's 15:30 close
    const tokyoInterval = timed('2025-01-28T06:00:00Z');
    expect([dayZeroIn('US', tokyoInterval), dayZeroIn('TSE', tokyoInterval)]).toEqual(['2025-01-28', '2025-01-28']);
  });

  it('a date alone counts from its local midnight on each exchange, as before', () => {
    const date = { instant: new Date('2025-01-27T00:00:00Z'), dateOnly: true };
    expect([dayZeroIn('US', date), dayZeroIn('TSE', date)]).toEqual(['2025-01-27', '2025-01-27']);
  });

  it('day 0 from the bars agrees with the calendar', () => {
    const sessions = ['2025-01-24', '2025-01-27', '2025-01-28', '2025-01-29'];
    const trump = timed('2025-01-27T21:00:00Z');
    expect(dayZero(sessions, trump, 'US')).toBe('2025-01-28');
    expect(dayZero(sessions, trump, 'TSE')).toBe('2025-01-28');
    expect(dayZero(sessions, timed('2025-01-27T20:30:00Z'), 'US')).toBe('2025-01-27');
  });
});
