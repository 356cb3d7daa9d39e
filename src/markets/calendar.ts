// Turns a HolidayCalendar (national public holidays from date-holidays, plus the exchange's own rules and
// dates) into the set of weekday closures of one year. Pure and deterministic: no clock; results are
// cached per calendar and year because date-holidays evaluates its rules on every call.
import Holidays from 'date-holidays';
import type { HolidayCalendar } from './types';

const DAY_MS = 86_400_000;

interface CompiledCalendar {
  national: Holidays | null;
  own: Holidays;
  byYear: Map<number, ReadonlySet<string>>;
}

const compiled = new WeakMap<HolidayCalendar, CompiledCalendar>();
const ruleInstances = new Map<string, Holidays>();
const ruleDates = new Map<string, readonly string[]>();

function instanceOfRules(rules: readonly string[]): Holidays {
  const hd = new Holidays();
  for (const rule of rules) {
    // a rule date-holidays cannot parse is a bug in our data, not something to skip quietly
    if (!hd.setHoliday(rule, { name: rule, type: 'public' })) throw new Error(`date-holidays cannot parse the rule "${rule}"`);
  }
  return hd;
}

function compile(calendar: HolidayCalendar): CompiledCalendar {
  let c = compiled.get(calendar);
  if (!c) {
    const options = { types: ['public' as const], languages: ['en'] };
    const national = calendar.country
      ? calendar.country.state
        ? new Holidays(calendar.country.country, calendar.country.state, options)
        : new Holidays(calendar.country.country, options)
      : null;
    c = { national, own: instanceOfRules(calendar.rules ?? []), byYear: new Map() };
    compiled.set(calendar, c);
  }
  return c;
}

/** Every calendar date a holiday covers (multi-day holidays such as Seollal's 'P3D' included). */
function datesOf(holiday: { date: string; start: Date; end: Date }): string[] {
  const first = holiday.date.slice(0, 10);
  const days = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
  const t0 = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => new Date(t0 + i * DAY_MS).toISOString().slice(0, 10));
}

function isWeekday(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
}

/** The weekdays of `year` on which the calendar's exchange is closed. */
export function closuresInYear(calendar: HolidayCalendar, year: number): ReadonlySet<string> {
  const c = compile(calendar);
  const cached = c.byYear.get(year);
  if (cached) return cached;
  const skip = calendar.tradesOnNational ?? [];
  const dates = new Set<string>();
  const add = (date: string) => {
    if (date.startsWith(`${year}-`) && isWeekday(date)) dates.add(date);
  };
  // the year before too: a holiday that starts on 31 Dec can run into the new year
  for (const y of [year - 1, year]) {
    for (const h of c.national?.getHolidays(y) ?? []) {
      if (!skip.some((name) => h.name.startsWith(name))) datesOf(h).forEach(add);
    }
    for (const h of c.own.getHolidays(y)) datesOf(h).forEach(add);
  }
  for (const d of calendar.dates ?? []) add(d);
  c.byYear.set(year, dates);
  return dates;
}

/** The dates in `year` a rule ('12-24', 'chinese 01-0-00', or a plain YYYY-MM-DD) falls on. */
export function datesOfRuleInYear(rule: string, year: number): readonly string[] {
  if (/^\d{4}-\d{2}-\d{2}$/.test(rule)) return rule.startsWith(`${year}-`) ? [rule] : [];
  const key = `${rule}|${year}`;
  let dates = ruleDates.get(key);
  if (!dates) {
    let hd = ruleInstances.get(rule);
    if (!hd) {
      hd = instanceOfRules([rule]);
      ruleInstances.set(rule, hd);
    }
    dates = hd
      .getHolidays(year)
      .flatMap(datesOf)
      .filter((d) => d.startsWith(`${year}-`));
    ruleDates.set(key, dates);
  }
  return dates;
}
