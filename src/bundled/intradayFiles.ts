// The intraday part of the folder format (README "Your own data"): intraday/SYMBOL_<interval>.csv files of bars
// (ts_utc,open,high,low,close,volume; ts_utc the bar's START, ISO 8601 with Z or an offset), checked like the daily
// files: ascending, every bar inside a session of the symbol's market (lunch breaks excluded), prices positive and
// finite. A bar off the slot grid (10:32 on a 5-minute file) is kept: the intraday study counts it as offGrid.
// Every problem names its file (intraday/...), row (the header is row 1) and reason, and refuses the folder.
import fs from 'node:fs';
import path from 'node:path';
import { DATE_RANGE_MESSAGE, instantInRange } from '../http/validation';
import { INTRADAY_INTERVALS, type IntradayInterval } from '../marketdata/provider';
import type { IntradayBarInput } from '../marketdata/types';
import { addCalendarDays, localDate, marketBasics, type MarketCode, type Session, tradingSessionOn } from '../markets';
import { readRowPrices, readRows } from './folderFiles';

const INTRADAY_FOLDER = 'intraday';
const COLUMNS = ['ts_utc', 'open', 'high', 'low', 'close', 'volume'];
/** an ISO 8601 instant with its offset: 2025-01-27T14:30:00Z, 2025-01-27T14:30Z, 2025-01-27T09:30:00-05:00 */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

export interface IntradayFile {
  /** intraday/SYMBOL_5m.csv */
  file: string;
  /** the file name's symbol part (SYMBOL), before it is matched to an instrument */
  stem: string;
  interval: IntradayInterval;
}

/**
 * The intraday/ files of the folder (none when it has no intraday folder), sorted; a file not named
 * SYMBOL_<interval>.csv with a known interval, or not a regular file, is a problem.
 */
export function listIntradayFiles(dir: string, problems: string[]): IntradayFile[] {
  const folder = path.join(dir, INTRADAY_FOLDER);
  const entry = fs.lstatSync(folder, { throwIfNoEntry: false });
  if (!entry) return [];
  if (!entry.isDirectory()) {
    problems.push(`${INTRADAY_FOLDER}: is not a folder`);
    return [];
  }
  const files: IntradayFile[] = [];
  for (const e of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = `${INTRADAY_FOLDER}/${e.name}`;
    if (e.isSymbolicLink()) {
      problems.push(`${file}: is a symbolic link (the import reads regular files only)`);
      continue;
    }
    if (!e.name.toLowerCase().endsWith('.csv')) continue;
    if (!e.isFile()) {
      problems.push(`${file}: is not a regular file`);
      continue;
    }
    const m = /^(.+)_([0-9]+[mh])\.csv$/i.exec(e.name);
    if (!m || !(INTRADAY_INTERVALS as readonly string[]).includes(m[2])) {
      problems.push(`${file}: name intraday bar files SYMBOL_<interval>.csv, the interval one of ${INTRADAY_INTERVALS.join(', ')}`);
      continue;
    }
    files.push({ file, stem: m[1], interval: m[2] as IntradayInterval });
  }
  return files;
}

/** Finds the session of the market a bar starts in, remembering the last one (bars come in order). */
function sessionFinder(market: MarketCode): (t: Date) => Session | null {
  const zone = marketBasics(market).timeZone;
  let last: Session | null = null;
  return (t) => {
    const ms = t.getTime();
    if (last && ms >= last.open.getTime() && ms < last.close.getTime()) return last;
    const today = localDate(t, zone);
    // an overnight session (FX) that is open belongs to the next local date
    for (const date of [today, addCalendarDays(today, 1)]) {
      const s = tradingSessionOn(market, date);
      if (s && ms >= s.open.getTime() && ms < s.close.getTime()) {
        last = s;
        return s;
      }
    }
    return null;
  };
}

const hhmm = (d: Date, zone: string) =>
  d.toLocaleTimeString('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The bars of one intraday file of `symbol` on `market`'s sessions; problems name the file and row. */
export function readIntradayBars(dir: string, f: IntradayFile, symbol: string, market: MarketCode, problems: string[]): IntradayBarInput[] {
  const { header, rows } = readRows(path.join(dir, f.file), problems, f.file);
  const unknown = header.filter((h) => !COLUMNS.includes(h));
  const missing = ['ts_utc', 'close'].filter((c) => !header.includes(c));
  if (header.length > 0 && missing.length > 0) problems.push(`${f.file}: row 1: the columns ts_utc and close are required`);
  if (unknown.length > 0) problems.push(`${f.file}: row 1: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  if (header.length === 0 || missing.length > 0 || unknown.length > 0) return [];
  const zone = marketBasics(market).timeZone;
  const sessionOf = sessionFinder(market);
  const bars: IntradayBarInput[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  let previousText = '';
  for (const [k, row] of rows.entries()) {
    const at = `${f.file}: row ${k + 2}`;
    const ts = new Date(row.ts_utc);
    if (!INSTANT.test(row.ts_utc) || Number.isNaN(ts.getTime())) {
      problems.push(`${at}: ts_utc ${JSON.stringify(row.ts_utc)} is not an ISO 8601 instant in UTC (2025-01-27T14:30:00Z)`);
      continue;
    }
    if (!instantInRange(ts)) {
      problems.push(`${at}: ts_utc ${row.ts_utc} ${DATE_RANGE_MESSAGE}`);
      continue;
    }
    if (ts.getTime() <= previous) {
      problems.push(
        `${at}: ${ts.getTime() === previous ? `duplicate bar ${row.ts_utc}` : `ts_utc ${row.ts_utc} is before ${previousText} (rows must be in time order, oldest first)`}`,
      );
      continue;
    }
    previous = ts.getTime();
    previousText = row.ts_utc;
    const session = sessionOf(ts);
    if (!session) {
      problems.push(`${at}: ${row.ts_utc} (${hhmm(ts, zone)} ${zone}) is outside the sessions of ${symbol}'s market ${market}`);
      continue;
    }
    const pause = session.breaks.find((b) => ts.getTime() >= b.start.getTime() && ts.getTime() < b.end.getTime());
    if (pause) {
      problems.push(
        `${at}: ${row.ts_utc} (${hhmm(ts, zone)} ${zone}) is in ${market}'s break ${hhmm(pause.start, zone)}-${hhmm(pause.end, zone)} of ${session.date}`,
      );
      continue;
    }
    const prices = readRowPrices(row, at, problems);
    if (!prices) continue;
    const { open, high, low, close, volume } = prices;
    const last = bars[bars.length - 1];
    const ratio = last ? close / last.close : 1;
    if (!Number.isFinite(ratio) || ratio === 0) {
      problems.push(`${at}: close ${close} after ${last.close} gives a return that is not a finite number`);
      continue;
    }
    bars.push({ symbol, interval: f.interval, ts, open, high, low, close, volume });
  }
  return bars;
}
