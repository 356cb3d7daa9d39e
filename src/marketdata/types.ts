// Shapes that cross the provider -> ingest boundary. Dates are exchange-local calendar dates (YYYY-MM-DD).

export type InstrumentKind = 'equity' | 'etf' | 'index' | 'fx';

/** One daily bar as a provider delivers it; prices in the instrument's currency, null where the source has none. */
export interface DailyBarInput {
  symbol: string;
  date: string;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number;
  adjClose: number | null;
  volume: number | null;
  /** true while the session is still running: the bar will be replaced by the final one after the close */
  provisional?: boolean;
}

export interface IntradayBarInput {
  symbol: string;
  interval: string; // '5m', '1h', ...
  ts: Date;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number;
  volume: number | null;
}

export interface QuoteInfo {
  symbol: string;
  name: string;
  exchange: string; // provider's exchange code, e.g. 'NMS', 'JPX'
  currency: string;
  timeZone: string; // IANA
  kind: InstrumentKind;
  price: number | null;
  marketCap: number | null;
  sharesOutstanding: number | null;
}

export interface NewsInput {
  url: string;
  title: string;
  publisher: string | null;
  publishedAt: Date;
  dateOnly: boolean;
  symbols: string[];
}

/** A symbol a name search found: what the search itself says (currency and time zone need a quote). */
export interface SymbolMatch {
  symbol: string;
  name: string;
  /** the provider's exchange code, e.g. 'NMS', 'JPX' */
  exchange: string;
  /** the exchange as the provider shows it, e.g. 'NASDAQ', 'Tokyo' */
  exchangeDisplay: string;
  kind: InstrumentKind;
}
