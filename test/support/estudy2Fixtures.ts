// The estudy2 reference files (test/fixtures/estudy2/README.txt), read the same way by the pure test and the
// end-to-end one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DailyBar } from '../../src/analysis/series';

const ESTUDY2_FIXTURES = path.join(__dirname, '../fixtures/estudy2');

/** A small reader for these CSVs: a header row, quoted names, no commas inside fields, empty = missing. */
export function readCsv(file: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = fs.readFileSync(path.join(ESTUDY2_FIXTURES, file), 'utf8').trim().split(/\r?\n/);
  const unquote = (cell: string) => cell.replace(/^"(.*)"$/, '$1');
  return { header: head.split(',').map(unquote), rows: lines.map((l) => l.split(',').map(unquote)) };
}

/** Column name -> values by date (or by row name), numbers or null where empty. */
export function columns(file: string): Map<string, Map<string, number | null>> {
  const { header, rows } = readCsv(file);
  const byColumn = new Map<string, Map<string, number | null>>();
  header.slice(1).forEach((name, c) => {
    byColumn.set(name, new Map(rows.map((row) => [row[0], row[c + 1] === '' ? null : Number(row[c + 1])])));
  });
  return byColumn;
}

export function barsOf(series: Map<string, number | null>): DailyBar[] {
  return [...series].flatMap(([date, close]) => (close === null ? [] : [{ date, close }]));
}
