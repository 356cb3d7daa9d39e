// The documented folder format of `aftershock import DIR` (README, "Your own data"): one SYMBOL.csv of daily
// bars per instrument (date,close required; open, high, low, adj_close, volume optional, any order), an
// optional instruments.csv and an optional events.csv. Everything is read and checked here before anything is
// written; every problem is reported with its file, row number (the header is row 1) and reason. The rules are
// the API's where it has one (dates 1900..2100, event kinds, slugs), so nothing imported can break a read.
import fs from 'node:fs';
import type { StoredEventRow } from '../news/eventStore';
import path from 'node:path';
import { isEventKind } from '../news/eventKind';
import { DATE_RANGE_MESSAGE, dateInRange, instantInRange } from '../http/validation';
import { unrepresentableReturns } from './barChecks';
import { FolderImportError, readRowPrices, readRows, type Row } from './folderFiles';
import { BUNDLED_INSTRUMENTS, type InstrumentSpec } from '../instruments/defaults';
import { csvFileForSymbol } from '../marketdata/csvProvider';
import { isIsoDate } from '../marketdata/provider';
import type { DailyBarInput, InstrumentKind, IntradayBarInput } from '../marketdata/types';
import { listIntradayFiles, readIntradayBars } from './intradayFiles';
import { isKnownMarket, listingFacts, marketBasics } from '../markets';
import { IANAZone } from 'luxon';
import { isPartOfDay, marketForPartsOfDay, startOfPartOfDay, type EventPrecision } from '../markets/eventTiming';
import { marketOfYahooSymbol } from '../marketdata/yahooMarkets';

interface FolderEvent extends Omit<StoredEventRow, 'id'> {
  url: string | null;
}

export interface FolderContents {
  /** instruments.csv rows */
  instruments: InstrumentSpec[];
  /** instruments made up for bar files instruments.csv does not list (symbol = file name), not stored yet */
  madeUp: InstrumentSpec[];
  bars: { file: string; bars: DailyBarInput[] }[];
  /** intraday/SYMBOL_<interval>.csv files (./intradayFiles) */
  intraday: { file: string; bars: IntradayBarInput[] }[];
  events: FolderEvent[];
}

const SYMBOL = /^[A-Za-z0-9^][A-Za-z0-9.^=_-]{0,31}$/;
const KINDS: readonly InstrumentKind[] = ['equity', 'etf', 'index', 'fx'];
const BAR_COLUMNS = ['date', 'open', 'high', 'low', 'close', 'adj_close', 'volume'];

/** Records a problem; the row gives nothing. */
function refuser(problems: string[]): (message: string) => [] {
  return (message) => {
    problems.push(message);
    return [];
  };
}

/**
 * The folder is in the bundled format (data/market, data/global) rather than the documented one: no
 * instruments.csv, and shares_outstanding.csv, or an events.csv in the bundled columns, or bar files that are
 * all bundled instruments' files.
 */
export function isBundledFolder(dir: string): boolean {
  if (fs.existsSync(path.join(dir, 'instruments.csv'))) return false;
  if (fs.existsSync(path.join(dir, 'shares_outstanding.csv'))) return true;
  const events = path.join(dir, 'events.csv');
  if (fs.existsSync(events))
    return fs
      .readFileSync(events, 'utf8')
      .replace(/^\uFEFF/, '')
      .startsWith('occurred_at_utc');
  const bundledFiles = new Set(BUNDLED_INSTRUMENTS.map((i) => csvFileForSymbol(i.symbol)));
  const barFiles = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.csv')) : [];
  return barFiles.length > 0 && barFiles.every((f) => bundledFiles.has(f));
}

/** An instrument for a symbol nobody described: its market from the Yahoo suffix (New York without one). */
function madeUpInstrument(symbol: string, given: Partial<Record<string, string>> = {}): InstrumentSpec {
  const market = marketOfYahooSymbol(symbol) ?? 'US';
  const facts = listingFacts(market);
  const kind = (given.kind || (symbol.startsWith('^') ? 'index' : symbol.endsWith('=X') ? 'fx' : 'equity')) as InstrumentKind;
  const benchmark =
    given.benchmark === undefined || given.benchmark === ''
      ? kind === 'equity' || kind === 'etf'
        ? facts.benchmark
        : null
      : given.benchmark === 'none'
        ? null
        : given.benchmark;
  return {
    symbol,
    name: given.name || symbol,
    exchange: (given.exchange || market) as InstrumentSpec['exchange'],
    currency: given.currency || facts.currency,
    timeZone: given.time_zone || given.timezone || marketBasics(market).timeZone,
    kind,
    benchmarkSymbol: benchmark,
  };
}

function readInstruments(file: string, problems: string[]): InstrumentSpec[] {
  const refuse = refuser(problems);
  const { header, rows } = readRows(file, problems);
  if (header.length > 0 && !header.includes('symbol')) problems.push('instruments.csv: row 1: no symbol column');
  const seen = new Set<string>();
  return rows.flatMap((row, k) => {
    const at = `instruments.csv: row ${k + 2}`;
    const symbol = row.symbol ?? '';
    if (!SYMBOL.test(symbol)) return refuse(`${at}: symbol "${symbol}" is not a ticker symbol`);
    if (seen.has(symbol)) return refuse(`${at}: ${symbol} is listed twice`);
    seen.add(symbol);
    if (row.kind && !KINDS.includes(row.kind as InstrumentKind))
      return refuse(`${at}: kind "${row.kind}" is not one of ${KINDS.join(', ')}`);
    if (row.benchmark && row.benchmark !== 'none' && !SYMBOL.test(row.benchmark))
      return refuse(`${at}: benchmark "${row.benchmark}" is not a ticker symbol`);
    const zone = row.time_zone || row.timezone;
    if (zone && !Intl.supportedValuesOf('timeZone').includes(zone) && zone !== 'UTC')
      return refuse(`${at}: time zone "${zone}" is not an IANA zone`);
    return [madeUpInstrument(symbol, row)];
  });
}

function readBars(file: string, symbol: string, problems: string[]): DailyBarInput[] {
  const name = path.basename(file);
  const { header, rows } = readRows(file, problems);
  const unknown = header.filter((h) => !BAR_COLUMNS.includes(h));
  if (!header.includes('date') || !header.includes('close')) problems.push(`${name}: row 1: the columns date and close are required`);
  if (unknown.length > 0) problems.push(`${name}: row 1: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  if (!header.includes('date') || !header.includes('close') || unknown.length > 0) return [];
  let previous = '';
  const bars: DailyBarInput[] = [];
  /** the row number of each bar, for the return check */
  const rowOf: number[] = [];
  for (const [k, row] of rows.entries()) {
    const at = `${name}: row ${k + 2}`;
    if (!isIsoDate(row.date)) {
      problems.push(`${at}: date ${JSON.stringify(row.date)} is not a YYYY-MM-DD calendar date`);
      continue;
    }
    if (!dateInRange(row.date)) {
      problems.push(`${at}: date ${row.date} ${DATE_RANGE_MESSAGE}`);
      continue;
    }
    if (row.date <= previous) {
      problems.push(
        `${at}: ${row.date === previous ? `duplicate date ${row.date}` : `date ${row.date} is before ${previous} (rows must be in date order)`}`,
      );
      continue;
    }
    previous = row.date;
    const prices = readRowPrices(row, at, problems);
    if (!prices) continue;
    rowOf.push(k + 2);
    bars.push({
      symbol,
      date: row.date,
      ...prices,
    });
  }
  for (const problem of unrepresentableReturns(bars)) problems.push(`${name}: row ${rowOf[problem.index]}: ${problem.reason}`);
  return bars;
}

const slugify = (title: string) =>
  title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);

const INSTANT = /(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * An event's time from its row: instant (ISO with offset), with until an interval; or date, with part_of_day
 * (before_open, during_session, after_close) a part of it. An interval or a part of day names its time_zone.
 */
function readEventTiming(
  row: Row,
  at: string,
  refuse: (message: string) => [],
): Pick<FolderEvent, 'occurredAt' | 'dateOnly' | 'precision' | 'timeZone' | 'occurredUntil'> | null {
  const fail = (message: string) => {
    refuse(`${at}: ${message}`);
    return null;
  };
  const timeZone = row.time_zone || null;
  if (timeZone !== null && !IANAZone.isValidZone(timeZone))
    return fail(`time_zone ${JSON.stringify(timeZone)} is not an IANA time zone such as America/New_York`);
  let occurredAt: Date;
  let precision: EventPrecision;
  let occurredUntil: Date | null = null;
  if (row.instant) {
    occurredAt = new Date(row.instant);
    if (!INSTANT.test(row.instant) || Number.isNaN(occurredAt.getTime()))
      return fail(`instant ${JSON.stringify(row.instant)} is not an ISO instant with an offset (2025-01-20T12:19:44Z)`);
    if (row.part_of_day) return fail('part_of_day goes with a date, not an instant');
    precision = 'instant';
    if (row.until) {
      occurredUntil = new Date(row.until);
      if (!INSTANT.test(row.until) || Number.isNaN(occurredUntil.getTime()))
        return fail(`until ${JSON.stringify(row.until)} is not an ISO instant with an offset`);
      if (occurredUntil.getTime() <= occurredAt.getTime()) return fail(`until ${row.until} does not come after instant ${row.instant}`);
      if (timeZone === null) return fail("an interval (instant, until) needs the event's time_zone");
      precision = 'interval';
    }
  } else if (row.date) {
    if (!isIsoDate(row.date)) return fail(`date ${JSON.stringify(row.date)} is not a YYYY-MM-DD calendar date`);
    if (row.until) return fail('until goes with an instant (the start of the interval), not a date');
    occurredAt = new Date(`${row.date}T00:00:00Z`);
    precision = 'date';
    if (row.part_of_day) {
      if (!isPartOfDay(row.part_of_day))
        return fail(`part_of_day ${JSON.stringify(row.part_of_day)} is not one of before_open, during_session, after_close`);
      if (timeZone === null || marketForPartsOfDay(timeZone) === null)
        return fail('part_of_day needs a time_zone with a market whose session hours say what it means (America/New_York, Asia/Tokyo...)');
      occurredAt = startOfPartOfDay(row.date, row.part_of_day, timeZone);
      precision = row.part_of_day;
    }
  } else return fail('give an instant or a date');
  if (!instantInRange(occurredAt))
    return fail(`${row.instant ? `instant ${row.instant}` : `date ${row.date}`} ${DATE_RANGE_MESSAGE} (UTC)`);
  const keepsZone = precision !== 'instant' && precision !== 'date';
  return { occurredAt, dateOnly: precision === 'date', precision, timeZone: keepsZone ? timeZone : null, occurredUntil };
}

function readEvents(file: string, problems: string[]): FolderEvent[] {
  const refuse = refuser(problems);
  const { rows } = readRows(file, problems);
  const seen = new Set<string>();
  return rows.flatMap((row, k): FolderEvent[] => {
    const at = `events.csv: row ${k + 2}`;
    if (!row.title) return refuse(`${at}: title is empty`);
    const slug = row.slug || slugify(row.title);
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug) || slug.length > 100)
      return refuse(`${at}: slug ${JSON.stringify(slug)} is not a lowercase slug like deepseek-r1-release`);
    const kind = row.kind || 'news';
    if (!isEventKind(kind))
      return refuse(`${at}: kind ${JSON.stringify(kind)} is not a lowercase word such as earnings (letters, digits, _)`);
    if (seen.has(slug)) return refuse(`${at}: slug ${slug} is used twice`);
    seen.add(slug);
    const timing = readEventTiming(row, at, refuse);
    if (!timing) return [];
    if (row.url && !/^https?:\/\/\S+$/.test(row.url)) return refuse(`${at}: url "${row.url}" is not an http(s) URL`);
    return [
      {
        slug,
        title: row.title,
        ...timing,
        kind,
        description: row.description || null,
        url: row.url || null,
      },
    ];
  });
}

/**
 * Reads and checks the whole folder; throws FolderImportError with every problem found. `known`: the stored
 * instruments, symbol -> exchange (the market whose sessions their intraday bars must fall in).
 */
export function readFolder(dir: string, known: ReadonlyMap<string, string>): FolderContents {
  const problems: string[] = [];
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new FolderImportError([`${dir} is not a folder`]);
  const instrumentsFile = path.join(dir, 'instruments.csv');
  const listed = fs.existsSync(instrumentsFile) ? readInstruments(instrumentsFile, problems) : [];
  const byFile = new Map<string, InstrumentSpec>();
  for (const i of listed) {
    byFile.set(`${i.symbol}.csv`, i);
    byFile.set(csvFileForSymbol(i.symbol), i);
  }
  const madeUp: InstrumentSpec[] = [];
  const bars: FolderContents['bars'] = [];
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.csv') && f !== 'instruments.csv' && f !== 'events.csv')
    .sort();
  for (const file of files) {
    let instrument = byFile.get(file);
    if (!instrument) {
      const symbol = file.slice(0, -4);
      if (!SYMBOL.test(symbol)) {
        problems.push(`${file}: "${symbol}" is not a ticker symbol (name bar files SYMBOL.csv)`);
        continue;
      }
      instrument = madeUpInstrument(symbol);
      if (!known.has(symbol)) madeUp.push(instrument);
    }
    bars.push({ file, bars: readBars(path.join(dir, file), instrument.symbol, problems) });
  }
  const intraday: FolderContents['intraday'] = [];
  for (const f of listIntradayFiles(dir, problems)) {
    const instrument =
      byFile.get(`${f.stem}.csv`) ??
      madeUp.find((i) => i.symbol === f.stem) ??
      (known.has(f.stem) ? { symbol: f.stem, exchange: known.get(f.stem)! } : null) ??
      // a stored index named as its daily file would be: intraday/GSPC_5m.csv for ^GSPC
      (known.has(`^${f.stem}`) ? { symbol: `^${f.stem}`, exchange: known.get(`^${f.stem}`)! } : null) ??
      (SYMBOL.test(f.stem) ? madeUpInstrument(f.stem) : null);
    if (!instrument) {
      problems.push(`${f.file}: "${f.stem}" is not a ticker symbol (name intraday bar files SYMBOL_<interval>.csv)`);
      continue;
    }
    if (!isKnownMarket(instrument.exchange)) {
      problems.push(
        `${f.file}: ${instrument.symbol}'s market ${instrument.exchange} has no session hours known, so its bars cannot be checked`,
      );
      continue;
    }
    if (!known.has(instrument.symbol) && !listed.includes(instrument as InstrumentSpec) && !madeUp.includes(instrument as InstrumentSpec))
      madeUp.push(instrument as InstrumentSpec);
    intraday.push({ file: f.file, bars: readIntradayBars(dir, f, instrument.symbol, instrument.exchange, problems) });
  }
  const symbols = new Set([...known.keys(), ...listed.map((i) => i.symbol), ...madeUp.map((i) => i.symbol)]);
  // a made-up instrument gets its market's benchmark only when that is at hand
  for (const i of madeUp) if (i.benchmarkSymbol && !symbols.has(i.benchmarkSymbol)) i.benchmarkSymbol = null;
  for (const i of listed) {
    if (i.benchmarkSymbol && !symbols.has(i.benchmarkSymbol)) {
      problems.push(`instruments.csv: ${i.symbol}: benchmark ${i.benchmarkSymbol} is neither in the folder nor a stored instrument`);
    }
  }
  const eventsFile = path.join(dir, 'events.csv');
  const events = fs.existsSync(eventsFile) ? readEvents(eventsFile, problems) : [];
  if (problems.length > 0) throw new FolderImportError(problems);
  return { instruments: listed, madeUp, bars, intraday, events };
}
