// Exchange closures that no national calendar rule gives: temporary holidays, elections, typhoons, and the
// yearly exchange lists of China and India. Weekdays only (weekends are closed anyway). Every list names its
// source; extend a list (and the `covers` date of its calendar) when the exchange publishes the next year.

/** KRX (as published), beyond the Korean public holidays: substitute, temporary and election days. */
export const KRX_OWN_CLOSURES: readonly string[] = [
  '2024-02-12', // Seollal substitute holiday (Seollal 9-11 Feb included a Sunday)
  '2024-04-10', // National Assembly election
  '2024-10-01', // Armed Forces Day, temporary public holiday
  '2025-01-27', // temporary public holiday before Seollal (Seollal itself 28-30 Jan)
  '2025-06-03', // presidential election
  '2026-06-03', // local elections
];

/** TWSE/TPEx (as published), beyond the Taiwan public holidays of date-holidays. */
export const TWSE_OWN_CLOSURES: readonly string[] = [
  '2024-10-02',
  '2024-10-03', // typhoon Krathon: trading suspended (unscheduled)
  '2024-10-31', // typhoon Kong-rey: trading suspended (unscheduled)
  '2025-01-23',
  '2025-01-24', // no-trading days before the Lunar New Year (settlement only)
  '2025-01-27', // adjusted holiday bridging to the Lunar New Year
  '2025-04-03', // Children's Day observed (4 Apr is also Tomb Sweeping Day)
  '2025-05-01', // Labour Day
  '2025-05-30', // Dragon Boat Festival (31 May, Saturday) observed
  '2025-09-29', // Teachers' Day (28 Sep, Sunday) observed, a national holiday from 2025
  '2025-10-24', // Taiwan Retrocession Day (25 Oct, Saturday) observed, a national holiday from 2025
  '2025-12-25', // Constitution Day, a national holiday from 2025
  // 2026 (TWSE/TAIFEX 2026 calendar, as published)
  '2026-02-12',
  '2026-02-13', // no-trading days before the Lunar New Year (settlement only)
  '2026-02-27', // Peace Memorial Day (28 Feb, Saturday) observed
  '2026-04-03', // Children's Day observed
  '2026-05-01', // Labour Day
  '2026-09-28', // Teachers' Day
  '2026-10-09', // National Day (10 Oct, Saturday) observed
  '2026-10-26', // Taiwan Retrocession Day (25 Oct, Sunday) observed
  '2026-12-25', // Constitution Day
];

/**
 * SSE and SZSE (as published each December from the State Council schedule). The official "holiday"
 * spans include weekend make-up workdays; the exchanges do not trade on weekends, so only weekdays appear.
 */
export const CN_EXCHANGE_CLOSURES: readonly string[] = [
  // 2024
  '2024-01-01',
  '2024-02-09',
  '2024-02-12',
  '2024-02-13',
  '2024-02-14',
  '2024-02-15',
  '2024-02-16', // Spring Festival
  '2024-04-04',
  '2024-04-05', // Qingming
  '2024-05-01',
  '2024-05-02',
  '2024-05-03', // Labour Day
  '2024-06-10', // Dragon Boat
  '2024-09-16',
  '2024-09-17', // Mid-Autumn
  '2024-10-01',
  '2024-10-02',
  '2024-10-03',
  '2024-10-04',
  '2024-10-07', // National Day
  // 2025
  '2025-01-01',
  '2025-01-28',
  '2025-01-29',
  '2025-01-30',
  '2025-01-31',
  '2025-02-03',
  '2025-02-04', // Spring Festival
  '2025-04-04', // Qingming
  '2025-05-01',
  '2025-05-02',
  '2025-05-05', // Labour Day
  '2025-06-02', // Dragon Boat
  '2025-10-01',
  '2025-10-02',
  '2025-10-03',
  '2025-10-06',
  '2025-10-07',
  '2025-10-08', // National Day and Mid-Autumn
  // 2026 (SSE/SZSE notice of 22 Dec 2025)
  '2026-01-01',
  '2026-01-02',
  '2026-02-16',
  '2026-02-17',
  '2026-02-18',
  '2026-02-19',
  '2026-02-20',
  '2026-02-23', // Spring Festival, 15-23 Feb
  '2026-04-06', // Qingming
  '2026-05-01',
  '2026-05-04',
  '2026-05-05', // Labour Day
  '2026-06-19', // Dragon Boat
  '2026-09-25', // Mid-Autumn
  '2026-10-01',
  '2026-10-02',
  '2026-10-05',
  '2026-10-06',
  '2026-10-07', // National Day
];

/** NSE and BSE trading holidays (as published in the exchanges' yearly circulars). */
export const IN_EXCHANGE_CLOSURES: readonly string[] = [
  // 2024
  '2024-01-22', // special holiday (Maharashtra government)
  '2024-01-26', // Republic Day
  '2024-03-08', // Mahashivratri
  '2024-03-25', // Holi
  '2024-03-29', // Good Friday
  '2024-04-11', // Id-ul-Fitr
  '2024-04-17', // Ram Navami
  '2024-05-01', // Maharashtra Day
  '2024-05-20', // general election in Mumbai
  '2024-06-17', // Bakri Id
  '2024-07-17', // Muharram
  '2024-08-15', // Independence Day
  '2024-10-02', // Gandhi Jayanti
  '2024-11-01', // Diwali Laxmi Pujan (Muhurat session in the evening, see IN_SPECIAL_SESSIONS)
  '2024-11-15', // Gurunanak Jayanti
  '2024-11-20', // Maharashtra assembly election
  '2024-12-25', // Christmas
  // 2025
  '2025-02-26', // Mahashivratri
  '2025-03-14', // Holi
  '2025-03-31', // Id-ul-Fitr
  '2025-04-10', // Mahavir Jayanti
  '2025-04-14', // Dr. Baba Saheb Ambedkar Jayanti
  '2025-04-18', // Good Friday
  '2025-05-01', // Maharashtra Day
  '2025-08-15', // Independence Day
  '2025-08-27', // Ganesh Chaturthi
  '2025-10-02', // Gandhi Jayanti / Dussehra
  '2025-10-21', // Diwali Laxmi Pujan (Muhurat session)
  '2025-10-22', // Diwali Balipratipada
  '2025-11-05', // Prakash Gurpurb Sri Guru Nanak Dev
  '2025-12-25', // Christmas
];

/** NSE/BSE sessions on days otherwise closed: Saturday sessions and the one-hour Diwali Muhurat trading. */
export const IN_SPECIAL_SESSIONS = [
  { date: '2024-01-20', open: '09:15', close: '15:30' }, // Saturday: special live session
  { date: '2024-11-01', open: '18:00', close: '19:00' }, // Muhurat trading
  { date: '2025-02-01', open: '09:15', close: '15:30' }, // Saturday: Union Budget
  { date: '2025-10-21', open: '13:45', close: '14:45' }, // Muhurat trading
] as const;
