// The provider interface over the bundled CSV files (data/market/*.csv), and the strict parser of that
// format, which the bundled-data import reuses.

import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { DailyBarInput, IntradayBarInput, NewsInput, QuoteInfo, SymbolMatch } from './types';
import { assertDailyRange, isIsoDate, type DailyRange, type IntradayRange, type MarketDataProvider } from './provider';
import { UnknownSymbolError } from './errors';

export const BARS_CSV_HEADER = 'date,open,high,low,close,adj_close,volume';

/** A malformed bars CSV; `line` is 1-based and counts the header. */
export class CsvFormatError extends Error {
  readonly symbol: string;
  readonly line: number;
  constructor(symbol: string, line: number, problem: string) {
    super(`${symbol}: line ${line}: ${problem}`);
    this.name = 'CsvFormatError';
    this.symbol = symbol;
    this.line = line;
  }
}

// Plain decimal notation only: no signs other than '-', no spaces, no hex, no 'Infinity'.
const DECIMAL = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const INTEGER = /^\d+$/;
const PRICE_FIELDS = ['open', 'high', 'low', 'close', 'adj_close'] as const;

/**
 * Parses `date,open,high,low,close,adj_close,volume` text (empty field = null) into bars. Strict: the header
 * must match exactly, every row has 7 fields, dates are real YYYY-MM-DD dates in strictly increasing order,
 * prices are finite positive decimals, close is required, volume is a non-negative integer. A final newline
 * (LF or CRLF) and a UTF-8 BOM are accepted; blank lines elsewhere are not. Throws CsvFormatError naming the line.
 */
export function parseBarsCsv(text: string, symbol: string): DailyBarInput[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0 || lines[0] === '') throw new CsvFormatError(symbol, 1, `missing header (want "${BARS_CSV_HEADER}")`);
  if (lines[0] !== BARS_CSV_HEADER) {
    throw new CsvFormatError(symbol, 1, `header is "${truncate(lines[0])}", want "${BARS_CSV_HEADER}"`);
  }

  const bars: DailyBarInput[] = [];
  let previousDate = '';
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i];
    if (line.trim() === '') throw new CsvFormatError(symbol, lineNo, 'blank line');
    const fields = line.split(',');
    if (fields.length !== 7) throw new CsvFormatError(symbol, lineNo, `expected 7 fields, found ${fields.length}`);
    const [date, ...rest] = fields;
    if (!isIsoDate(date)) throw new CsvFormatError(symbol, lineNo, `date "${truncate(date)}" is not a YYYY-MM-DD calendar date`);
    if (date <= previousDate) {
      throw new CsvFormatError(
        symbol,
        lineNo,
        date === previousDate ? `duplicate date ${date}` : `date ${date} is before ${previousDate} (rows must be in date order)`,
      );
    }
    previousDate = date;

    const prices: Record<(typeof PRICE_FIELDS)[number], number | null> = {
      open: null,
      high: null,
      low: null,
      close: null,
      adj_close: null,
    };
    PRICE_FIELDS.forEach((name, k) => {
      const raw = rest[k];
      if (raw === '') return;
      const v = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isFinite(v)) throw new CsvFormatError(symbol, lineNo, `${name} "${truncate(raw)}" is not a finite number`);
      if (v <= 0) throw new CsvFormatError(symbol, lineNo, `${name} ${raw} is not positive`);
      prices[name] = v;
    });
    if (prices.close === null) throw new CsvFormatError(symbol, lineNo, 'close is empty');

    const rawVolume = rest[5];
    let volume: number | null = null;
    if (rawVolume !== '') {
      const v = INTEGER.test(rawVolume) ? Number(rawVolume) : Number.NaN;
      if (!Number.isSafeInteger(v))
        throw new CsvFormatError(symbol, lineNo, `volume "${truncate(rawVolume)}" is not a non-negative integer`);
      volume = v;
    }

    bars.push({
      symbol,
      date,
      open: prices.open,
      high: prices.high,
      low: prices.low,
      close: prices.close,
      adjClose: prices.adj_close,
      volume,
    });
  }
  return bars;
}

function truncate(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n)}...` : s;
}

const SAFE_SYMBOL = /^[A-Za-z0-9^][A-Za-z0-9.^=_-]*$/;

/**
 * The bundled file name for a Yahoo symbol: '^' removed ('^GSPC' -> 'GSPC.csv'), FX pairs written as the
 * pair ('JPY=X' -> 'USDJPY.csv', Yahoo's 3-letter form being USD-based; 'EURUSD=X' -> 'EURUSD.csv'),
 * anything else unchanged ('6857.T' -> '6857.T.csv'). Throws for a symbol that could escape the folder.
 */
export function csvFileForSymbol(symbol: string): string {
  if (!SAFE_SYMBOL.test(symbol) || symbol.includes('..')) throw new RangeError(`not a market symbol: ${JSON.stringify(symbol)}`);
  const fx3 = /^([A-Za-z]{3})=X$/.exec(symbol);
  if (fx3) return `USD${fx3[1].toUpperCase()}.csv`;
  const fx6 = /^([A-Za-z]{6})=X$/.exec(symbol);
  if (fx6) return `${fx6[1].toUpperCase()}.csv`;
  return `${symbol.replace(/\^/g, '')}.csv`;
}

/** Quote metadata for the CSV provider; `price` defaults to the last close in the file. */
export type CsvInstrumentMeta = Omit<QuoteInfo, 'symbol' | 'price' | 'marketCap' | 'sharesOutstanding'> &
  Partial<Pick<QuoteInfo, 'price' | 'marketCap' | 'sharesOutstanding'>>;

export interface CsvProviderOptions {
  /** folder holding the CSV files */
  dir: string;
  /** per symbol, what getQuote returns */
  metadata?: Record<string, CsvInstrumentMeta>;
}

export class CsvProvider implements MarketDataProvider {
  readonly name = 'csv';
  private readonly dir: string;
  private readonly metadata: Record<string, CsvInstrumentMeta>;

  constructor(opts: CsvProviderOptions) {
    this.dir = opts.dir;
    this.metadata = opts.metadata ?? {};
  }

  private async readBars(symbol: string): Promise<DailyBarInput[]> {
    let file: string;
    try {
      file = path.join(this.dir, csvFileForSymbol(symbol));
    } catch (err) {
      throw new UnknownSymbolError(symbol, `no CSV data for ${JSON.stringify(symbol)}`, { cause: err });
    }
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new UnknownSymbolError(symbol, `no CSV data for ${symbol} (${file} does not exist)`, { cause: err });
      }
      throw err;
    }
    return parseBarsCsv(text, symbol);
  }

  async getDailyBars(symbol: string, range: DailyRange): Promise<DailyBarInput[]> {
    assertDailyRange(range);
    const bars = await this.readBars(symbol);
    return bars.filter((b) => b.date >= range.from && b.date <= range.to);
  }

  /** The bundled data has no intraday bars. */
  async getIntradayBars(_symbol: string, _range: IntradayRange): Promise<IntradayBarInput[]> {
    return [];
  }

  async getQuote(symbol: string): Promise<QuoteInfo> {
    const meta = this.metadata[symbol];
    if (!meta) throw new UnknownSymbolError(symbol, `no metadata for ${symbol} in the CSV provider`);
    let price = meta.price;
    if (price === undefined) {
      try {
        const bars = await this.readBars(symbol);
        price = bars.length > 0 ? bars[bars.length - 1].close : null;
      } catch (err) {
        if (!(err instanceof UnknownSymbolError)) throw err;
        price = null;
      }
    }
    return {
      symbol,
      name: meta.name,
      exchange: meta.exchange,
      currency: meta.currency,
      timeZone: meta.timeZone,
      kind: meta.kind,
      price,
      marketCap: meta.marketCap ?? null,
      sharesOutstanding: meta.sharesOutstanding ?? null,
    };
  }

  async searchNews(_symbol: string): Promise<NewsInput[]> {
    return [];
  }

  /** The symbols it has metadata for whose ticker or name contains `query` (case-insensitive). */
  async searchSymbols(query: string): Promise<SymbolMatch[]> {
    const q = query.trim().toLowerCase();
    if (q === '') return [];
    return Object.entries(this.metadata)
      .filter(([symbol, meta]) => symbol.toLowerCase().includes(q) || meta.name.toLowerCase().includes(q))
      .map(([symbol, meta]) => ({ symbol, name: meta.name, exchange: meta.exchange, exchangeDisplay: meta.exchange, kind: meta.kind }));
  }
}
