// Reading exports the way an analyst's tools do: raw bytes over HTTP, parsed by a real CSV parser.
import { parse } from 'csv-parse/sync';

export interface CsvResponse {
  status: number;
  headers: Headers;
  bytes: Buffer;
  /** data rows keyed by the header row (only for 200 responses) */
  rows: Record<string, string>[];
  header: string[];
}

export async function getCsv(baseUrl: string, path: string): Promise<CsvResponse> {
  const res = await fetch(baseUrl + path);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) return { status: res.status, headers: res.headers, bytes, rows: [], header: [] };
  const records: string[][] = parse(bytes, { bom: true, relax_column_count: false });
  const [header, ...data] = records;
  return {
    status: res.status,
    headers: res.headers,
    bytes,
    header,
    rows: data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))),
  };
}

/** What a cell must hold for a value of the JSON API: '' for null, numbers as JavaScript prints them. */
export function expectedCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** A text value as a spreadsheet-safe cell: OWASP's leading quote before = + - @ tab CR. */
export function expectedTextCell(value: string | null): string {
  if (value === null) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
