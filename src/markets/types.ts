// Shapes shared by the exchange registry and its calendars. Pure data types, no logic.

/** Calendars the app and the database have always stored. */
export type ExchangeCode = 'TSE' | 'US' | 'FX';

/** The world markets added for issue 14, stored by the same short codes. */
export type WorldMarketCode =
  | 'TSX'
  | 'LSE'
  | 'PAR'
  | 'AMS'
  | 'BRU'
  | 'MIL'
  | 'LIS'
  | 'XETRA'
  | 'SIX'
  | 'BME'
  | 'STO'
  | 'CPH'
  | 'HEL'
  | 'OSL'
  | 'KOSPI'
  | 'KOSDAQ'
  | 'TWSE'
  | 'TPEX'
  | 'HKEX'
  | 'SSE'
  | 'SZSE'
  | 'SGX'
  | 'NSE'
  | 'BSE'
  | 'ASX';

/** Every calendar the registry knows: the original three plus the world markets. */
export type MarketCode = ExchangeCode | WorldMarketCode;

/** Local wall-clock hours of a session, valid from `effectiveFrom` (inclusive) until the next entry. */
export interface SessionHours {
  effectiveFrom: string;
  open: string; // 'HH:mm'
  close: string; // 'HH:mm'
  /** Midday breaks during which there is no trading, e.g. Tokyo's lunch. */
  breaks: readonly { start: string; end: string }[];
  /** -1 when the session opens on the previous calendar day (FX: the day starts at 17:00 New York the evening before). */
  openDayOffset: 0 | -1;
}

export interface Session {
  date: string;
  open: Date;
  close: Date;
  breaks: { start: Date; end: Date }[];
}

/**
 * Full-day closures of an exchange. The national public holidays of `country` (date-holidays)
 * are the base; the rest is the exchange's own difference from them, as it publishes it.
 */
export interface HolidayCalendar {
  /** date-holidays country (and state/region) whose public holidays close the exchange */
  country?: { country: string; state?: string };
  /** names (English, prefix match) of national holidays the exchange trades on, or that `rules` replace */
  tradesOnNational?: readonly string[];
  /** the exchange's own closure rules, in date-holidays rule syntax ('easter -2', '12-24', ...) */
  rules?: readonly string[];
  /** the exchange's own one-off closures (YYYY-MM-DD), e.g. a temporary holiday or a typhoon */
  dates?: readonly string[];
  /** first and last date the calendar is complete for (one-off closures included as far as known) */
  covers: { from: string; to: string };
  /** where the rules come from */
  source: string;
}

/** A shortened (or lengthened) session: the close moves to `close` local time, breaks after it are dropped. */
interface CloseChange {
  /** date-holidays rule ('12-24', 'chinese 01-0-00') or a YYYY-MM-DD date */
  on: string;
  close: string; // 'HH:mm'
}

/** A session on a day that is otherwise closed (a Saturday budget session, Diwali's Muhurat trading). */
interface SpecialSession {
  date: string;
  open: string;
  close: string;
}

export interface WorldMarket {
  code: WorldMarketCode;
  name: string;
  /** ISO 10383 operating MIC, for reference */
  mic: string;
  timeZone: string;
  /** Ascending by effectiveFrom; the first entry applies to all earlier dates. */
  hours: readonly SessionHours[];
  calendar: HolidayCalendar;
  closeChanges: readonly CloseChange[];
  specialSessions: readonly SpecialSession[];
  /** ISO currency most listings trade in (the major unit) */
  currency: string;
  /** Yahoo's currency code of the quotes when it differs from `currency` (GBp = pence) */
  quoteCurrency?: string;
  /** Yahoo symbol of the default benchmark index */
  benchmark: string;
}
