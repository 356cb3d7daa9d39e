// A study request file (`aftershock studies import FILE.csv`), the way researchers hand a study to
// EventStudyTools: one member per row, columns symbol, event or date, optional subgroup, optional benchmark.
// Every row is checked before anything is saved; problems name the row (the header is row 1) and the reason.
import { parse } from 'csv-parse/sync';
import { isoDate, slugParam, symbolParam } from '../http/validation';
import type { MemberSpec } from './studyMembers';

export class RequestFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`nothing saved: ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n${problems.slice(0, 50).join('\n')}`);
    this.name = 'RequestFileError';
  }
}

const COLUMNS = ['symbol', 'event', 'date', 'subgroup', 'benchmark'];

export function parseRequestFile(text: string, name: string): MemberSpec[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    throw new RequestFileError([`${name}: ${(e as Error).message}`]);
  }
  const [head = [], ...rows] = records;
  const header = head.map((h) => h.toLowerCase());
  const problems: string[] = [];
  const unknown = header.filter((h) => !COLUMNS.includes(h));
  if (!header.includes('symbol')) problems.push(`${name}: row 1: the column symbol is required`);
  if (!header.includes('event') && !header.includes('date')) problems.push(`${name}: row 1: give a column event or date`);
  if (unknown.length > 0)
    problems.push(`${name}: row 1: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (want ${COLUMNS.join(', ')})`);
  if (problems.length > 0) throw new RequestFileError(problems);

  const members: MemberSpec[] = [];
  rows.forEach((cells, k) => {
    const at = `${name}: row ${k + 2}`;
    const row = Object.fromEntries(header.map((h, c) => [h, cells[c] ?? '']));
    const failed = (field: string, ok: boolean, why: string) => {
      if (!ok) problems.push(`${at}: ${field} "${row[field]}" ${why}`);
      return !ok;
    };
    if (failed('symbol', symbolParam.safeParse(row.symbol).success, 'is not a ticker symbol')) return;
    if (!row.event === !row.date) {
      problems.push(`${at}: give exactly one of event and date`);
      return;
    }
    if (row.event && failed('event', slugParam.safeParse(row.event).success, 'is not an event slug')) return;
    if (row.date && failed('date', isoDate.safeParse(row.date).success, 'is not a YYYY-MM-DD date')) return;
    if (row.benchmark && failed('benchmark', symbolParam.safeParse(row.benchmark).success, 'is not a ticker symbol')) return;
    members.push({
      symbol: row.symbol,
      event: row.event || null,
      date: row.date || null,
      subgroup: row.subgroup || null,
      benchmark: row.benchmark || null,
    });
  });
  if (rows.length === 0) problems.push(`${name}: no members`);
  if (problems.length > 0) throw new RequestFileError(problems);
  return members;
}
