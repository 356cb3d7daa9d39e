// Market holiday calendars for SCHEDULING (when to expect the next bar), not for history:
// historical analysis uses the dates of the bars themselves.
//
// Covered years: 2025, 2026, 2027. Only weekdays are listed (weekends are closed anyway).
// Sources: the published JPX (Tokyo Stock Exchange) and NYSE holiday calendars as known at
// the time of writing. The 2027 Japanese equinox days are officially fixed only in February of
// the previous year; the dates below are the astronomical predictions (Mar 21 -> substitute
// Mar 22, Sep 23). Re-check each year's list against the exchange before relying on it.

/** Years for which the holiday lists below are complete. */
export const HOLIDAY_CALENDAR_YEARS = [2025, 2026, 2027] as const;

/**
 * Tokyo Stock Exchange: Japanese national holidays (incl. substitute and "sandwiched"
 * citizens' holidays) plus the exchange's own year-end closure (Dec 31 - Jan 3).
 */
export const TOKYO_HOLIDAYS: readonly string[] = [
  // 2025
  '2025-01-01',
  '2025-01-02',
  '2025-01-03', // year-end/new-year closure
  '2025-01-13', // Coming of Age Day
  '2025-02-11', // National Foundation Day
  '2025-02-24', // Emperor's Birthday (Feb 23, Sunday) observed
  '2025-03-20', // Vernal Equinox Day
  '2025-04-29', // Showa Day
  '2025-05-05', // Children's Day (May 3/4 fall on the weekend)
  '2025-05-06', // substitute holiday for Greenery Day (May 4, Sunday)
  '2025-07-21', // Marine Day
  '2025-08-11', // Mountain Day
  '2025-09-15', // Respect for the Aged Day
  '2025-09-23', // Autumnal Equinox Day
  '2025-10-13', // Sports Day
  '2025-11-03', // Culture Day
  '2025-11-24', // Labour Thanksgiving Day (Nov 23, Sunday) observed
  '2025-12-31', // year-end closure
  // 2026
  '2026-01-01',
  '2026-01-02',
  '2026-01-12', // Coming of Age Day
  '2026-02-11', // National Foundation Day
  '2026-02-23', // Emperor's Birthday
  '2026-03-20', // Vernal Equinox Day
  '2026-04-29', // Showa Day
  '2026-05-04', // Greenery Day
  '2026-05-05', // Children's Day
  '2026-05-06', // substitute holiday for Constitution Day (May 3, Sunday)
  '2026-07-20', // Marine Day
  '2026-08-11', // Mountain Day
  '2026-09-21', // Respect for the Aged Day
  '2026-09-22', // citizens' holiday (between two holidays)
  '2026-09-23', // Autumnal Equinox Day
  '2026-10-12', // Sports Day
  '2026-11-03', // Culture Day
  '2026-11-23', // Labour Thanksgiving Day
  '2026-12-31',
  // 2027 (Jan 2/3 fall on the weekend)
  '2027-01-01',
  '2027-01-11', // Coming of Age Day
  '2027-02-11', // National Foundation Day
  '2027-02-23', // Emperor's Birthday
  '2027-03-22', // Vernal Equinox Day (Mar 21, Sunday) observed
  '2027-04-29', // Showa Day
  '2027-05-03', // Constitution Memorial Day
  '2027-05-04', // Greenery Day
  '2027-05-05', // Children's Day
  '2027-07-19', // Marine Day
  '2027-08-11', // Mountain Day
  '2027-09-20', // Respect for the Aged Day
  '2027-09-23', // Autumnal Equinox Day
  '2027-10-11', // Sports Day
  '2027-11-03', // Culture Day
  '2027-11-23', // Labour Thanksgiving Day
  '2027-12-31',
];

/** NYSE and Nasdaq full-day closures (both follow the same calendar). */
export const US_HOLIDAYS: readonly string[] = [
  // 2025
  '2025-01-01', // New Year's Day
  '2025-01-09', // National Day of Mourning for President Carter (special closure)
  '2025-01-20', // Martin Luther King Jr. Day
  '2025-02-17', // Washington's Birthday
  '2025-04-18', // Good Friday
  '2025-05-26', // Memorial Day
  '2025-06-19', // Juneteenth
  '2025-07-04', // Independence Day
  '2025-09-01', // Labor Day
  '2025-11-27', // Thanksgiving
  '2025-12-25', // Christmas
  // 2026
  '2026-01-01',
  '2026-01-19', // MLK Day
  '2026-02-16', // Washington's Birthday
  '2026-04-03', // Good Friday
  '2026-05-25', // Memorial Day
  '2026-06-19', // Juneteenth
  '2026-07-03', // Independence Day (Jul 4, Saturday) observed
  '2026-09-07', // Labor Day
  '2026-11-26', // Thanksgiving
  '2026-12-25', // Christmas
  // 2027 (New Year's Day 2028 falls on a Saturday and is NOT observed on Dec 31, 2027)
  '2027-01-01',
  '2027-01-18', // MLK Day
  '2027-02-15', // Washington's Birthday
  '2027-03-26', // Good Friday
  '2027-05-31', // Memorial Day
  '2027-06-18', // Juneteenth (Jun 19, Saturday) observed
  '2027-07-05', // Independence Day (Jul 4, Sunday) observed
  '2027-09-06', // Labor Day
  '2027-11-25', // Thanksgiving
  '2027-12-24', // Christmas (Dec 25, Saturday) observed
];

/**
 * NYSE/Nasdaq early closes (13:00 New York). 2024 is included because the bundled history
 * contains those days and a 16:00 close would misplace day 0 for afternoon news on them.
 */
export const US_EARLY_CLOSES: Readonly<Record<string, string>> = {
  '2024-07-03': '13:00',
  '2024-11-29': '13:00',
  '2024-12-24': '13:00',
  '2025-07-03': '13:00',
  '2025-11-28': '13:00',
  '2025-12-24': '13:00',
  '2026-11-27': '13:00',
  '2026-12-24': '13:00',
  '2027-11-26': '13:00',
};

/** Yahoo's USD/JPY series has no bar on New Year's Day (see data/market/USDJPY.csv); other weekdays trade. */
export const FX_HOLIDAYS: readonly string[] = ['2025-01-01', '2026-01-01', '2027-01-01'];
