import { dayZero, dayZeroIndex } from '../../src/analysis/dayZero';
import { loadBars } from './helpers';

const timed = (iso: string) => ({ instant: new Date(iso), dateOnly: false });
const dateOnly = (date: string) => ({ instant: new Date(`${date}T00:00:00Z`), dateOnly: true });

const tokyoDates = loadBars('N225.csv').map((b) => b.date);
const newYorkDates = loadBars('NVDA.csv').map((b) => b.date);

describe('day 0 on the bundled sessions', () => {
  it('bundled data: Tokyo had no session on 2024-11-04, New York none on 2025-01-20', () => {
    // preconditions of the cases below
    expect(tokyoDates).toEqual(expect.arrayContaining(['2024-11-01', '2024-11-05', '2025-01-20', '2025-01-21']));
    expect(tokyoDates).not.toContain('2024-11-04');
    expect(newYorkDates).toContain('2025-01-17');
    expect(newYorkDates).not.toContain('2025-01-20');
  });

  it('R1 (2025-01-20T12:19:44Z): Tokyo had closed at 06:30Z, so day 0 is 21 Jan; 27 Jan is day +4', () => {
    const index = dayZeroIndex(tokyoDates, timed('2025-01-20T12:19:44Z'), 'TSE')!;
    expect(tokyoDates[index]).toBe('2025-01-21');
    expect(tokyoDates.indexOf('2025-01-27') - index).toBe(4);
  });

  it('R1 in New York: 20 Jan was MLK Day (no bar), so day 0 is 21 Jan; 27 Jan is day +4', () => {
    const index = dayZeroIndex(newYorkDates, timed('2025-01-20T12:19:44Z'), 'US')!;
    expect(newYorkDates[index]).toBe('2025-01-21');
    expect(newYorkDates.indexOf('2025-01-27') - index).toBe(4);
  });

  it('date-only Sunday 2025-01-26 (App Store No. 1): day 0 is Monday 27 Jan in both markets', () => {
    expect(dayZero(newYorkDates, dateOnly('2025-01-26'), 'US')).toBe('2025-01-27');
    expect(dayZero(tokyoDates, dateOnly('2025-01-26'), 'TSE')).toBe('2025-01-27');
  });

  it('a date-only event on a session day is that day, whatever the hour of the news', () => {
    expect(dayZero(tokyoDates, dateOnly('2025-01-27'), 'TSE')).toBe('2025-01-27');
  });

  it('Tokyo close moved from 15:00 to 15:30 JST on 2024-11-05', () => {
    // 15:15 JST on Thu 31 Oct: after that day's 15:00 close -> Fri 1 Nov
    expect(dayZero(tokyoDates, timed('2024-10-31T06:15:00Z'), 'TSE')).toBe('2024-11-01');
    // 15:15 JST on Fri 1 Nov: after the 15:00 close -> next session, Tue 5 Nov (4 Nov was a holiday)
    expect(dayZero(tokyoDates, timed('2024-11-01T06:15:00Z'), 'TSE')).toBe('2024-11-05');
    // 15:15 JST on Tue 5 Nov: before the new 15:30 close -> same day
    expect(dayZero(tokyoDates, timed('2024-11-05T06:15:00Z'), 'TSE')).toBe('2024-11-05');
    // exactly at the close: the closing price cannot contain it
    expect(dayZero(tokyoDates, timed('2024-11-05T06:30:00Z'), 'TSE')).toBe('2024-11-06');
  });

  it('New York close is 21:00Z in winter and 20:00Z in summer', () => {
    const dates = ['2025-01-15', '2025-01-16', '2025-07-15', '2025-07-16'];
    expect(dayZero(dates, timed('2025-01-15T20:30:00Z'), 'US')).toBe('2025-01-15'); // 15:30 EST
    expect(dayZero(dates, timed('2025-07-15T20:30:00Z'), 'US')).toBe('2025-07-16'); // 16:30 EDT
  });

  it('news before the open counts for that day; news on a weekend for the next session', () => {
    expect(dayZero(newYorkDates, timed('2025-01-27T11:00:00Z'), 'US')).toBe('2025-01-27');
    expect(dayZero(newYorkDates, timed('2025-01-25T15:00:00Z'), 'US')).toBe('2025-01-27');
  });

  it('null when no session after the event is in the data yet', () => {
    expect(dayZeroIndex(newYorkDates, timed('2025-03-31T20:30:00Z'), 'US')).toBeNull();
    expect(dayZeroIndex(newYorkDates, dateOnly('2025-04-01'), 'US')).toBeNull();
    expect(dayZeroIndex([], dateOnly('2025-04-01'), 'US')).toBeNull();
  });
});
