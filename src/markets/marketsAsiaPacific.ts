// Seoul, Taipei, Hong Kong, mainland China, Singapore, India and Sydney. Where a market follows its national
// public holidays, date-holidays supplies them and only the exchange's own differences are written here;
// China and India publish an exchange list of their own each year, kept as data in closureLists.ts.
import { CN_EXCHANGE_CLOSURES, IN_EXCHANGE_CLOSURES, IN_SPECIAL_SESSIONS, KRX_OWN_CLOSURES, TWSE_OWN_CLOSURES } from './closureLists';
import type { HolidayCalendar, SessionHours, WorldMarket } from './types';

/** Morning session only (12:00 close) on Christmas Eve, New Year's Eve and Lunar New Year's Eve (HKEX, SGX). */
/** Shanghai and Shenzhen: the same sessions (lunch 11:30-13:00) and the same exchange-published closures. */
function chinaMainland(code: 'SSE' | 'SZSE', name: string, mic: string, benchmark: string): WorldMarket {
  return {
    code,
    name,
    mic,
    timeZone: 'Asia/Shanghai',
    hours: [span('1900-01-01', '09:30', '15:00', [{ start: '11:30', end: '13:00' }])],
    calendar: CN_CALENDAR,
    closeChanges: [],
    specialSessions: [],
    currency: 'CNY',
    benchmark,
  };
}

const EVES_MORNING_ONLY: WorldMarket['closeChanges'] = [
  { on: '12-24', close: '12:00' },
  { on: '12-31', close: '12:00' },
  { on: 'chinese 01-0-00', close: '12:00' },
];

const span = (from: string, open: string, close: string, breaks: SessionHours['breaks'] = []): SessionHours => ({
  effectiveFrom: from,
  open,
  close,
  breaks,
  openDayOffset: 0,
});

const KRX_CALENDAR: HolidayCalendar = {
  country: { country: 'KR' },
  // date-holidays puts Seollal on the day itself and the two after (29-31 Jan 2025); the holiday is the eve, the
  // day and the day after (28-30 Jan 2025), so its rule is replaced (substitute days are in KRX_OWN_CLOSURES).
  tradesOnNational: ['Korean New Year'],
  // KRX (as published): closed on Labour Day (1 May) and on the last weekday of the year.
  rules: ['korean 01-0-00 P3D', '05-01', '12-31 if saturday then previous friday if sunday then previous friday'],
  dates: KRX_OWN_CLOSURES,
  covers: { from: '2024-01-01', to: '2026-12-31' },
  source: 'KRX market holidays, as published, over the Korean public holidays of date-holidays',
};

// KRX: regular close 15:30 since 1 Aug 2016 (15:00 before). On the college entrance exam day the session
// opens and closes an hour late (16:30), as KRX announces each year.
const KRX_HOURS = [span('1900-01-01', '09:00', '15:00'), span('2016-08-01', '09:00', '15:30')];
const KRX_EXAM_DAYS = [
  { on: '2024-11-14', close: '16:30' },
  { on: '2025-11-13', close: '16:30' },
];

const TW_CALENDAR: HolidayCalendar = {
  country: { country: 'TW' },
  dates: TWSE_OWN_CLOSURES,
  covers: { from: '2024-10-01', to: '2026-12-31' },
  source: 'TWSE market holiday schedule, as published, over the Taiwan public holidays of date-holidays',
};

const CN_CALENDAR: HolidayCalendar = {
  dates: CN_EXCHANGE_CLOSURES,
  covers: { from: '2024-01-01', to: '2026-12-31' },
  source: 'SSE/SZSE holiday notices, as published (State Council schedule; make-up weekend workdays are not trading days)',
};

const IN_CALENDAR: HolidayCalendar = {
  dates: IN_EXCHANGE_CLOSURES,
  covers: { from: '2024-01-01', to: '2025-12-31' },
  source: 'NSE/BSE trading holidays circulars, as published',
};

export const ASIA_PACIFIC_MARKETS: readonly WorldMarket[] = [
  {
    code: 'KOSPI',
    name: 'Korea Exchange (KOSPI)',
    mic: 'XKRX',
    timeZone: 'Asia/Seoul',
    hours: KRX_HOURS,
    calendar: KRX_CALENDAR,
    closeChanges: KRX_EXAM_DAYS,
    specialSessions: [],
    currency: 'KRW',
    benchmark: '^KS11',
  },
  {
    code: 'KOSDAQ',
    name: 'Korea Exchange (KOSDAQ)',
    mic: 'XKOS',
    timeZone: 'Asia/Seoul',
    hours: KRX_HOURS,
    calendar: KRX_CALENDAR,
    closeChanges: KRX_EXAM_DAYS,
    specialSessions: [],
    currency: 'KRW',
    benchmark: '^KQ11',
  },
  {
    code: 'TWSE',
    name: 'Taiwan Stock Exchange',
    mic: 'XTAI',
    timeZone: 'Asia/Taipei',
    hours: [span('1900-01-01', '09:00', '13:30')],
    calendar: TW_CALENDAR,
    closeChanges: [],
    specialSessions: [],
    currency: 'TWD',
    benchmark: '^TWII',
  },
  {
    code: 'TPEX',
    name: 'Taipei Exchange (TPEx)',
    mic: 'ROCO',
    timeZone: 'Asia/Taipei',
    hours: [span('1900-01-01', '09:00', '13:30')],
    calendar: TW_CALENDAR,
    closeChanges: [],
    specialSessions: [],
    currency: 'TWD',
    benchmark: '^TWOII',
  },
  {
    code: 'HKEX',
    name: 'Hong Kong Stock Exchange',
    mic: 'XHKG',
    timeZone: 'Asia/Hong_Kong',
    // HKEX market-hours reform: lunch 12:00-13:30 from 7 Mar 2011, 12:00-13:00 from 5 Mar 2012.
    hours: [
      span('1900-01-01', '10:00', '16:00', [{ start: '12:30', end: '14:30' }]),
      span('2011-03-07', '09:30', '16:00', [{ start: '12:00', end: '13:30' }]),
      span('2012-03-05', '09:30', '16:00', [{ start: '12:00', end: '13:00' }]),
    ],
    calendar: {
      country: { country: 'HK' },
      covers: { from: '2020-01-01', to: '2035-12-31' },
      source: 'HKEX trading calendar, as published: the Hong Kong general holidays of date-holidays',
    },
    // HKEX: morning session only on Christmas Eve, New Year's Eve and Lunar New Year's Eve when they are weekdays.
    closeChanges: EVES_MORNING_ONLY,
    specialSessions: [],
    currency: 'HKD',
    benchmark: '^HSI',
  },
  chinaMainland('SSE', 'Shanghai Stock Exchange', 'XSHG', '000001.SS'),
  chinaMainland('SZSE', 'Shenzhen Stock Exchange', 'XSHE', '399001.SZ'),
  {
    code: 'SGX',
    name: 'Singapore Exchange',
    mic: 'XSES',
    timeZone: 'Asia/Singapore',
    hours: [span('1900-01-01', '09:00', '17:00', [{ start: '12:00', end: '13:00' }])],
    // date-holidays has Vesak Day and Deepavali as announced dates up to 2026 only.
    calendar: {
      country: { country: 'SG' },
      covers: { from: '2020-01-01', to: '2026-12-31' },
      source: 'SGX trading calendar, as published: the Singapore public holidays of date-holidays',
    },
    // SGX half days (morning only) on the eves of Christmas, New Year and Chinese New Year.
    closeChanges: EVES_MORNING_ONLY,
    specialSessions: [],
    currency: 'SGD',
    benchmark: '^STI',
  },
  {
    code: 'NSE',
    name: 'National Stock Exchange of India',
    mic: 'XNSE',
    timeZone: 'Asia/Kolkata',
    hours: [span('1900-01-01', '09:15', '15:30')],
    calendar: IN_CALENDAR,
    closeChanges: [],
    specialSessions: IN_SPECIAL_SESSIONS,
    currency: 'INR',
    benchmark: '^NSEI',
  },
  {
    code: 'BSE',
    name: 'BSE (Bombay Stock Exchange)',
    mic: 'XBOM',
    timeZone: 'Asia/Kolkata',
    hours: [span('1900-01-01', '09:15', '15:30')],
    calendar: IN_CALENDAR,
    closeChanges: [],
    specialSessions: IN_SPECIAL_SESSIONS,
    currency: 'INR',
    benchmark: '^BSESN',
  },
  {
    code: 'ASX',
    name: 'Australian Securities Exchange',
    mic: 'XASX',
    timeZone: 'Australia/Sydney',
    hours: [span('1900-01-01', '10:00', '16:00')],
    calendar: {
      country: { country: 'AU', state: 'NSW' },
      tradesOnNational: ['Labour Day'], // ASX (as published) trades on the NSW Labour Day
      covers: { from: '2020-01-01', to: '2035-12-31' },
      source: 'ASX trading calendar, as published, over the NSW public holidays of date-holidays',
    },
    closeChanges: [
      { on: '12-24', close: '14:10' },
      { on: '12-31', close: '14:10' },
    ], // ASX early close 2:10 pm
    specialSessions: [],
    currency: 'AUD',
    benchmark: '^AXJO',
  },
];
