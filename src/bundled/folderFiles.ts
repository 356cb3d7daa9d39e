// The files of a folder given to `aftershock import`: only regular files are read. A symbolic link (to
// /etc/passwd, to a file outside the folder, even to a file of the folder) is refused whatever it points to,
// and so is a .csv that is a folder, a FIFO or a device; each refusal names the entry.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { DailyBarInput } from '../marketdata/types';

/** A refused import folder: every problem found, each naming its file (and row) and reason; nothing was written. */
export class FolderImportError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `nothing imported: ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n${problems.slice(0, 50).join('\n')}${problems.length > 50 ? '\n...' : ''}`,
    );
    this.name = 'FolderImportError';
  }
}

/**
 * Refuses a folder that holds a link (any), or a .csv that is not a regular file, naming each; called before
 * anything in the folder is opened, even to tell its format.
 */
export function refuseIrregularEntries(dir: string): void {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new FolderImportError([`${dir} is not a folder`]);
  const problems = fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isSymbolicLink()) return [`${entry.name}: is a symbolic link (the import reads regular files only)`];
    if (entry.name.toLowerCase().endsWith('.csv') && !entry.isFile()) return [`${entry.name}: is not a regular file`];
    return [];
  });
  if (problems.length > 0) throw new FolderImportError(problems);
}

/**
 * The text of a regular file, opened without following a link and without blocking on a FIFO, then checked on
 * the open descriptor (the errors name no file: the caller does): an entry swapped for a link after irregularEntries looked is refused too.
 */
export function readRegularFile(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new Error('is a symbolic link');
    throw e;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) throw new Error('is not a regular file');
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** A CSV row by its (lower-cased, snake_cased) header names. */
export type Row = Record<string, string>;

/** The header and rows of a CSV file of the folder; a file that does not parse is a problem naming it. */
export function readRows(file: string, problems: string[], name = path.basename(file)): { header: string[]; rows: Row[] } {
  try {
    const records = parse(readRegularFile(file), {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
    }) as string[][];
    const [header = [], ...body] = records;
    const names = header.map((h) => h.toLowerCase().replace(/[\s-]+/g, '_'));
    return { header: names, rows: body.map((r) => Object.fromEntries(names.map((n, k) => [n, r[k] ?? '']))) };
  } catch (e) {
    problems.push(`${name}: ${(e as Error).message}`);
    return { header: [], rows: [] };
  }
}

const DECIMAL = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** The prices and volume of one bar row (daily or intraday file). */
type RowPrices = Pick<DailyBarInput, 'open' | 'high' | 'low' | 'close' | 'adjClose' | 'volume'>;

/**
 * A bar row's prices (open, high, low, close, adj_close: positive and finite where given, close required; a high
 * not below the open or close, a low not above them) and volume (a whole number); null once the problem is recorded.
 */
export function readRowPrices(row: Row, at: string, problems: string[]): RowPrices | null {
  const price = (column: string): number | null | undefined => {
    const raw = row[column] ?? '';
    if (raw === '') return null;
    const v = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isFinite(v) || v <= 0) {
      problems.push(`${at}: ${column} ${JSON.stringify(raw)} is not a positive number`);
      return undefined;
    }
    return v;
  };
  const [open, high, low, close, adjClose] = ['open', 'high', 'low', 'close', 'adj_close'].map(price);
  if (close === null) {
    problems.push(`${at}: close is empty`);
    return null;
  }
  const rawVolume = row.volume ?? '';
  const volume =
    rawVolume === '' ? null : /^\d+$/.test(rawVolume) && Number.isSafeInteger(Number(rawVolume)) ? Number(rawVolume) : undefined;
  if (volume === undefined) {
    problems.push(`${at}: volume ${JSON.stringify(rawVolume)} is not a non-negative integer`);
    return null;
  }
  if (open === undefined || high === undefined || low === undefined || close === undefined || adjClose === undefined) return null;
  const body = [open ?? close, close];
  if (high !== null && high < Math.max(...body)) {
    problems.push(`${at}: high ${high} is below the ${high < close ? 'close' : 'open'}`);
    return null;
  }
  if (low !== null && low > Math.min(...body)) {
    problems.push(`${at}: low ${low} is above the ${low > close ? 'close' : 'open'}`);
    return null;
  }
  return { open, high, low, close, adjClose, volume };
}
