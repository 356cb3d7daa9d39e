// The holiday tables are typed in by hand; here they are re-derived from the statutory rules,
// so a typo (or a wrong weekday) in either shows up as a difference.
import { HOLIDAY_CALENDAR_YEARS, TOKYO_HOLIDAYS, US_EARLY_CLOSES, US_HOLIDAYS } from '../../src/markets/holidays';

const ymd = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
const fmt = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);
const weekday = (d: Date) => d.getUTCDay(); // 0 Sunday .. 6 Saturday

function nthWeekday(year: number, month: number, dow: number, n: number): Date {
  const first = ymd(year, month, 1);
  return addDays(first, ((dow - weekday(first) + 7) % 7) + 7 * (n - 1));
}

function lastWeekday(year: number, month: number, dow: number): Date {
  const last = addDays(ymd(year, month + 1, 1), -1);
  return addDays(last, -((weekday(last) - dow + 7) % 7));
}

/** Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

/** NYSE rule: Saturday holidays move to Friday, Sunday ones to Monday. */
function observed(d: Date): Date {
  if (weekday(d) === 6) return addDays(d, -1);
  if (weekday(d) === 0) return addDays(d, 1);
  return d;
}

function usHolidaysByRule(year: number): string[] {
  const days = [
    weekday(ymd(year, 1, 1)) === 6 ? null : observed(ymd(year, 1, 1)), // a Saturday New Year is not moved into the old year
    nthWeekday(year, 1, 1, 3), // MLK
    nthWeekday(year, 2, 1, 3), // Washington's Birthday
    addDays(easterSunday(year), -2), // Good Friday
    lastWeekday(year, 5, 1), // Memorial Day
    observed(ymd(year, 6, 19)),
    observed(ymd(year, 7, 4)),
    nthWeekday(year, 9, 1, 1), // Labor Day
    nthWeekday(year, 11, 4, 4), // Thanksgiving
    observed(ymd(year, 12, 25)),
  ];
  const special = year === 2025 ? ['2025-01-09'] : []; // national day of mourning (President Carter)
  return [...days.filter((d): d is Date => d !== null).map(fmt), ...special].sort();
}

/** Equinox day estimates valid 1980-2099 (the formula the Japanese almanac predictions follow). */
function equinoxDay(year: number, base: number): number {
  return Math.floor(base + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4));
}

function japanHolidaysByRule(year: number): Set<string> {
  const national = new Set<string>([
    ...[
      [1, 1],
      [2, 11],
      [2, 23],
      [4, 29],
      [5, 3],
      [5, 4],
      [5, 5],
      [8, 11],
      [11, 3],
      [11, 23],
    ].map(([m, d]) => fmt(ymd(year, m, d))),
    fmt(nthWeekday(year, 1, 1, 2)), // Coming of Age Day
    fmt(nthWeekday(year, 7, 1, 3)), // Marine Day
    fmt(nthWeekday(year, 9, 1, 3)), // Respect for the Aged Day
    fmt(nthWeekday(year, 10, 1, 2)), // Sports Day
    fmt(ymd(year, 3, equinoxDay(year, 20.8431))),
    fmt(ymd(year, 9, equinoxDay(year, 23.2488))),
  ]);
  const holidays = new Set(national);
  // Substitute holiday: a holiday on Sunday moves to the next day that is not a holiday.
  for (const day of national) {
    const date = new Date(`${day}T00:00:00Z`);
    if (weekday(date) !== 0) continue;
    let next = addDays(date, 1);
    while (holidays.has(fmt(next))) next = addDays(next, 1);
    holidays.add(fmt(next));
  }
  // Citizens' holiday: an ordinary day between two national holidays.
  for (let d = ymd(year, 1, 2); d.getUTCFullYear() === year; d = addDays(d, 1)) {
    if (weekday(d) !== 0 && holidays.has(fmt(addDays(d, -1))) && holidays.has(fmt(addDays(d, 1)))) holidays.add(fmt(d));
  }
  // The exchange's own year-end closure.
  for (const [m, d] of [
    [1, 2],
    [1, 3],
    [12, 31],
  ])
    holidays.add(fmt(ymd(year, m, d)));
  return holidays;
}

const weekdaysOnly = (dates: Iterable<string>) => [...dates].filter((d) => ![0, 6].includes(weekday(new Date(`${d}T00:00:00Z`)))).sort();

describe.each(HOLIDAY_CALENDAR_YEARS.map((y) => [y]))('holiday tables for %i', (year) => {
  const inYear = (dates: readonly string[]) => dates.filter((d) => d.startsWith(`${year}-`)).sort();

  it('US table equals the NYSE rules', () => {
    expect(inYear(US_HOLIDAYS)).toEqual(usHolidaysByRule(year));
  });

  it('Tokyo table equals the Japanese holiday law plus the Dec 31 - Jan 3 closure (weekdays only)', () => {
    expect(inYear(TOKYO_HOLIDAYS)).toEqual(weekdaysOnly(japanHolidaysByRule(year)));
  });

  it('US early closes are the Friday after Thanksgiving and weekday Christmas Eves / July 3rds that are not holidays', () => {
    const expected = [fmt(addDays(nthWeekday(year, 11, 4, 4), 1))];
    for (const [m, d] of [
      [7, 3],
      [12, 24],
    ]) {
      const day = ymd(year, m, d);
      // Only when the holiday itself falls on a weekday after it (no early close before an observed Friday/Monday holiday).
      const holiday = addDays(day, 1);
      if (![0, 6].includes(weekday(day)) && ![0, 6].includes(weekday(holiday)) && !US_HOLIDAYS.includes(fmt(day))) {
        expected.push(fmt(day));
      }
    }
    expect(
      Object.keys(US_EARLY_CLOSES)
        .filter((d) => d.startsWith(`${year}-`))
        .sort(),
    ).toEqual(expected.sort());
  });
});

it('the rule helpers themselves are right on known dates', () => {
  expect(fmt(easterSunday(2024))).toBe('2024-03-31');
  expect(fmt(easterSunday(2025))).toBe('2025-04-20');
  expect(fmt(nthWeekday(2025, 1, 1, 3))).toBe('2025-01-20'); // MLK 2025, closed in the bundled NVDA data
  expect(equinoxDay(2025, 20.8431)).toBe(20);
  expect(japanHolidaysByRule(2024).has('2024-11-04')).toBe(true); // Culture Day substitute, absent from N225.csv
});
