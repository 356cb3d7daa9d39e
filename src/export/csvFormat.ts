// The CSV every export writes: RFC 4180 (comma, double quotes, CRLF), a header row, UTF-8, an optional BOM,
// an empty cell for null, numbers as JavaScript prints them (shortest round-trip, dot decimal), and text
// cells that a spreadsheet would run as a formula neutralised with a leading single quote (OWASP).
// Pure: no database, no HTTP.
import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';

/** Excel reads a file as UTF-8 only when it starts with this. */
const UTF8_BOM = '\uFEFF';

const RECORD_END = '\r\n';

/**
 * How a column's values are written.
 * - text: free text from people or feeds (titles, URLs, symbols): neutralised and quoted as needed
 * - number: a double or an integer, written as JavaScript's shortest round-trip form
 * - boolean: true / false
 * - iso: an ISO date or instant already formatted by the query (never needs quoting)
 */
type CsvColumnKind = 'text' | 'number' | 'boolean' | 'iso';

export interface CsvColumn {
  name: string;
  kind: CsvColumnKind;
}

// = + - @ start a formula in Excel, LibreOffice and Google Sheets; a leading tab or CR can hide one
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell that a spreadsheet would evaluate gets a leading ' so it is shown as text. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** RFC 4180 quoting: a field holding a comma, a double quote or a line break is quoted, quotes doubled. */
export function quoteField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

function textCell(value: string | null | undefined): string {
  return value === null || value === undefined ? '' : quoteField(neutraliseFormula(value));
}

function numberCell(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value); // String(-0) is "0", as in JSON
}

/** One cell from a JavaScript value, by column kind (the impact export builds its rows in memory). */
function cell(kind: CsvColumnKind, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (kind) {
    case 'number':
      if (typeof value !== 'number') throw new TypeError(`not a number: ${String(value)}`);
      return numberCell(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'iso':
      return quoteField(value instanceof Date ? value.toISOString() : String(value));
    case 'text':
      return textCell(String(value));
  }
}

export function headerRecord(columns: readonly CsvColumn[], bom: boolean): string {
  return (bom ? UTF8_BOM : '') + columns.map((c) => quoteField(c.name)).join(',') + RECORD_END;
}

export function csvRecord(columns: readonly CsvColumn[], values: readonly unknown[]): string {
  let record = '';
  for (let i = 0; i < columns.length; i++) record += (i ? ',' : '') + cell(columns[i].kind, values[i]);
  return record + RECORD_END;
}

// ---------------------------------------------------------------------------------------------------------
// Postgres COPY text format -> CSV. COPY ... TO STDOUT streams rows at the server's full speed; its text
// format (tab-separated, backslash escapes, \N for null) is cheap to split, so the formatting rules above
// are applied to every cell here without materialising rows as objects.

const COPY_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** COPY TO emits only these backslash escapes (never octal or hex ones). */
export function unescapeCopyText(field: string): string {
  return field.includes('\\') ? field.replace(/\\(.)/g, (_m, c: string) => COPY_ESCAPES[c] ?? c) : field;
}

/** A float8 / int as Postgres prints it (extra_float_digits = 1: shortest exact) -> as JavaScript prints it. */
export function copyNumberToCell(field: string): string {
  // Postgres and JavaScript choose the same shortest digits and differ only in when they switch to
  // exponent notation (1e-05 vs 0.00001), in Infinity/NaN spelling and in -0; only those are converted.
  return /[eEIN]/.test(field) || field === '-0' ? String(Number(field)) : field;
}

function copyFieldToCell(kind: CsvColumnKind, field: string): string {
  if (field === '\\N') return '';
  switch (kind) {
    case 'number':
      return copyNumberToCell(field);
    case 'boolean':
      return field === 't' ? 'true' : 'false';
    case 'iso':
      return field;
    case 'text':
      return quoteField(neutraliseFormula(unescapeCopyText(field)));
  }
}

export interface CopyTextToCsvOptions {
  columns: readonly CsvColumn[];
  bom: boolean;
  /** called once, when the query has produced its first bytes or has ended without rows */
  onFirstData?: () => void;
}

/** Transform: COPY text format in (Buffers, cut anywhere), CSV out (strings of whole records). */
export class CopyTextToCsv extends Transform {
  private readonly columns: readonly CsvColumn[];
  private readonly decoder = new StringDecoder('utf8');
  private partialLine = '';
  private header: string | null;
  private onFirstData: (() => void) | undefined;
  /** data rows written so far */
  rows = 0;

  constructor(opts: CopyTextToCsvOptions) {
    super({ decodeStrings: true, readableHighWaterMark: 64 * 1024 });
    this.columns = opts.columns;
    this.header = headerRecord(opts.columns, opts.bom);
    this.onFirstData = opts.onFirstData;
  }

  private started(): string {
    this.onFirstData?.();
    this.onFirstData = undefined;
    const header = this.header ?? '';
    this.header = null;
    return header;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let out = this.started();
    const text = this.partialLine + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.partialLine = lines.pop() ?? '';
    try {
      for (const line of lines) out += this.record(line);
    } catch (e) {
      done(e as Error);
      return;
    }
    this.rows += lines.length;
    done(null, out);
  }

  override _flush(done: TransformCallback): void {
    const out = this.started();
    const rest = this.partialLine + this.decoder.end();
    if (rest !== '') {
      done(new Error('COPY output ended in the middle of a row'));
      return;
    }
    done(null, out);
  }

  private record(line: string): string {
    const fields = line.split('\t');
    const columns = this.columns;
    if (fields.length !== columns.length) throw new Error(`COPY row has ${fields.length} fields, expected ${columns.length}`);
    let record = copyFieldToCell(columns[0].kind, fields[0]);
    for (let i = 1; i < fields.length; i++) record += ',' + copyFieldToCell(columns[i].kind, fields[i]);
    return record + RECORD_END;
  }
}
