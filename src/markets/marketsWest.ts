// Toronto and the European exchanges: hours, holiday rules, early closes, currency, benchmark.
// Each exchange's rules are its own published trading calendar ("as published" on the exchange's site).
// European exchanges do not follow their national holidays (Euronext Paris trades on 14 July), so their
// closures are written as rules in date-holidays syntax rather than taken from a national calendar.
import type { SessionHours, WorldMarket } from './types';

const hours = (open: string, close: string): SessionHours[] => [{ effectiveFrom: '1900-01-01', open, close, breaks: [], openDayOffset: 0 }];

/** Rules are stable; one-off closures are not known to them, so coverage is stated for the recent years. */
const RULE_YEARS = { from: '2020-01-01', to: '2035-12-31' };

// Euronext's harmonised calendar (Paris, Amsterdam, Brussels, Lisbon), as published by Euronext.
const EURONEXT_RULES = ['01-01', 'easter -2', 'easter 1', '05-01', '12-25', '12-26'];
// Euronext (as published): 24 and 31 Dec close early, at 14:05 CET (13:05 in Lisbon).
const EURONEXT_HALF_DAYS = [
  { on: '12-24', close: '14:05' },
  { on: '12-31', close: '14:05' },
];
// TARGET2-style closures shared by Xetra, SIX, Madrid, Milan.
const EASTER_AND_MAY_DAY = ['01-01', 'easter -2', 'easter 1', '05-01'];

export const WEST_MARKETS: readonly WorldMarket[] = [
  {
    code: 'TSX',
    name: 'Toronto Stock Exchange',
    mic: 'XTSE',
    timeZone: 'America/Toronto',
    hours: hours('09:30', '16:00'),
    calendar: {
      country: { country: 'CA', state: 'ON' },
      // TSX (as published) trades on Easter Monday but closes on the Civic Holiday, which Ontario does not make statutory.
      tradesOnNational: ['Easter Monday', 'Canada Day', 'Christmas Day', 'Boxing Day', "New Year's Day"],
      rules: [
        '01-01 and if saturday,sunday then next monday',
        '1st monday in August',
        '07-01 and if saturday,sunday then next monday',
        '12-25 and if saturday then next monday if sunday then next tuesday',
        '12-26 and if saturday then next monday if sunday then next tuesday',
      ],
      covers: RULE_YEARS,
      source: 'TSX trading calendar, as published, over the Ontario public holidays of date-holidays',
    },
    closeChanges: [{ on: '12-24', close: '13:00' }], // TSX: 1 pm close on Christmas Eve
    specialSessions: [],
    currency: 'CAD',
    benchmark: '^GSPTSE',
  },
  {
    code: 'LSE',
    name: 'London Stock Exchange',
    mic: 'XLON',
    timeZone: 'Europe/London',
    hours: hours('08:00', '16:30'),
    // LSE closes on the England and Wales bank holidays, including one-offs (date-holidays lists them).
    calendar: {
      country: { country: 'GB', state: 'ENG' },
      covers: RULE_YEARS,
      source: 'LSE business days, as published: the England bank holidays of date-holidays',
    },
    closeChanges: [
      { on: '12-24', close: '12:30' },
      { on: '12-31', close: '12:30' },
    ], // LSE half days
    specialSessions: [],
    currency: 'GBP',
    quoteCurrency: 'GBp',
    benchmark: '^FTSE',
  },
  euronext('PAR', 'Euronext Paris', 'XPAR', 'Europe/Paris', '09:00', '17:30', '^FCHI'),
  euronext('AMS', 'Euronext Amsterdam', 'XAMS', 'Europe/Amsterdam', '09:00', '17:30', '^AEX'),
  euronext('BRU', 'Euronext Brussels', 'XBRU', 'Europe/Brussels', '09:00', '17:30', '^BFX'),
  {
    ...euronext('LIS', 'Euronext Lisbon', 'XLIS', 'Europe/Lisbon', '08:00', '16:30', 'PSI20.LS'),
    closeChanges: [
      { on: '12-24', close: '13:05' },
      { on: '12-31', close: '13:05' },
    ], // 14:05 CET is 13:05 Lisbon time
  },
  {
    code: 'MIL',
    name: 'Euronext Milan (Borsa Italiana)',
    mic: 'XMIL',
    timeZone: 'Europe/Rome',
    hours: hours('09:00', '17:30'),
    // Borsa Italiana (as published): also closed on 15 Aug, 24 Dec and 31 Dec.
    calendar: {
      rules: [...EASTER_AND_MAY_DAY, '08-15', '12-24', '12-25', '12-26', '12-31'],
      covers: RULE_YEARS,
      source: 'Borsa Italiana trading calendar, as published',
    },
    closeChanges: [],
    specialSessions: [],
    currency: 'EUR',
    benchmark: 'FTSEMIB.MI',
  },
  {
    code: 'XETRA',
    name: 'Xetra (Deutsche Börse)',
    mic: 'XETR',
    timeZone: 'Europe/Berlin',
    hours: hours('09:00', '17:30'),
    // Xetra (as published): closed 24 and 31 Dec; trades on Whit Monday, German Unity Day and other German holidays.
    calendar: {
      rules: [...EASTER_AND_MAY_DAY, '12-24', '12-25', '12-26', '12-31'],
      covers: RULE_YEARS,
      source: 'Xetra trading calendar, as published by Deutsche Börse',
    },
    closeChanges: [],
    specialSessions: [],
    currency: 'EUR',
    benchmark: '^GDAXI',
  },
  {
    code: 'SIX',
    name: 'SIX Swiss Exchange',
    mic: 'XSWX',
    timeZone: 'Europe/Zurich',
    hours: hours('09:00', '17:30'),
    calendar: {
      // SIX (as published): Berchtold's Day, Ascension, Whit Monday, Swiss National Day, 24 and 31 Dec as well.
      rules: [...EASTER_AND_MAY_DAY, '01-02', 'easter 39', 'easter 50', '08-01', '12-24', '12-25', '12-26', '12-31'],
      covers: RULE_YEARS,
      source: 'SIX Swiss Exchange trading calendar, as published',
    },
    closeChanges: [],
    specialSessions: [],
    currency: 'CHF',
    benchmark: '^SSMI',
  },
  {
    code: 'BME',
    name: 'Bolsa de Madrid (BME)',
    mic: 'XMAD',
    timeZone: 'Europe/Madrid',
    hours: hours('09:00', '17:30'),
    calendar: { rules: [...EASTER_AND_MAY_DAY, '12-25', '12-26'], covers: RULE_YEARS, source: 'BME market calendar, as published' },
    closeChanges: [
      { on: '12-24', close: '14:00' },
      { on: '12-31', close: '14:00' },
    ], // BME: shortened sessions
    specialSessions: [],
    currency: 'EUR',
    benchmark: '^IBEX',
  },
  nordic(
    'STO',
    'Nasdaq Stockholm',
    'XSTO',
    'Europe/Stockholm',
    '17:30',
    '^OMX',
    ['01-06', 'easter 39', '06-06', 'friday after 06-19'],
    // Stockholm half days (13:00): eves of Epiphany, Good Friday (Maundy Thursday), 1 May, Ascension and All Saints' Day
    [
      { on: '01-05', close: '13:00' },
      { on: 'easter -3', close: '13:00' },
      { on: '04-30', close: '13:00' },
      { on: 'easter 38', close: '13:00' },
      { on: 'friday after 10-30', close: '13:00' },
    ],
  ),
  nordic(
    'CPH',
    'Nasdaq Copenhagen',
    'XCSE',
    'Europe/Copenhagen',
    '17:00',
    '^OMXC25',
    // Great Prayer Day (easter 26) was abolished from 2024; Copenhagen also closes the day after Ascension.
    ['easter -3', 'easter 39', 'easter 40', 'easter 50', '06-05'],
    [],
  ),
  nordic(
    'HEL',
    'Nasdaq Helsinki',
    'XHEL',
    'Europe/Helsinki',
    '18:30',
    '^OMXH25',
    ['01-06', 'easter 39', 'friday after 06-19', '12-06'],
    [],
  ),
  nordic(
    'OSL',
    'Oslo Børs (Euronext Oslo)',
    'XOSL',
    'Europe/Oslo',
    '16:20',
    'OSEBX.OL',
    // Oslo: half day (13:00) on the Wednesday before Easter
    ['easter -3', 'easter 39', 'easter 50', '05-17'],
    [{ on: 'easter -4', close: '13:00' }],
  ),
];

function euronext(
  code: 'PAR' | 'AMS' | 'BRU' | 'LIS',
  name: string,
  mic: string,
  timeZone: string,
  open: string,
  close: string,
  benchmark: string,
): WorldMarket {
  return {
    code,
    name,
    mic,
    timeZone,
    hours: hours(open, close),
    calendar: { rules: EURONEXT_RULES, covers: RULE_YEARS, source: 'Euronext trading calendar, as published' },
    closeChanges: EURONEXT_HALF_DAYS,
    specialSessions: [],
    currency: 'EUR',
    benchmark,
  };
}

/** Nasdaq Nordic (as published): New Year, Good Friday, Easter Monday, 1 May, 24-26 and 31 Dec, plus each country's own days. */
function nordic(
  code: 'STO' | 'CPH' | 'HEL' | 'OSL',
  name: string,
  mic: string,
  timeZone: string,
  close: string,
  benchmark: string,
  ownRules: string[],
  closeChanges: WorldMarket['closeChanges'],
): WorldMarket {
  const currency = { STO: 'SEK', CPH: 'DKK', HEL: 'EUR', OSL: 'NOK' }[code];
  // Helsinki is an hour ahead of the others: its 10:00-18:30 EET is their 09:00-17:30 CET.
  const open = code === 'HEL' ? '10:00' : '09:00';
  return {
    code,
    name,
    mic,
    timeZone,
    hours: hours(open, close),
    calendar: {
      // Copenhagen trades on 1 May (no Danish holiday); the other three close.
      rules: [...EASTER_AND_MAY_DAY.filter((r) => code !== 'CPH' || r !== '05-01'), '12-24', '12-25', '12-26', '12-31', ...ownRules],
      covers: RULE_YEARS,
      source: `${name} trading calendar, as published`,
    },
    closeChanges,
    specialSessions: [],
    currency,
    benchmark,
  };
}
