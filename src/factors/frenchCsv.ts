// Kenneth French's daily factor CSVs exactly as his Data Library publishes them: lines of text, a header line
// starting with a comma (",Mkt-RF,SMB,HML,RF"), rows "YYYYMMDD, v1, v2, ..." (fields padded with spaces in the
// international files), -99.99 (or -999) for a missing value, then a copyright line (the US files) or the end.
// A later section (the annual factors of the monthly files) is not read: the daily rows end at the first line
// that is not one. The vintage comes from the header ("created by using the 202604 CRSP database").

import type { FactorRegion } from '../analysis';

export type { FactorRegion };
/** ff3: Mkt-RF SMB HML RF; ff5: Mkt-RF SMB HML RMW CMA RF; mom: Mom */
export type FactorSet = 'ff3' | 'ff5' | 'mom';

export const FACTOR_COLUMNS: Record<FactorSet, readonly string[]> = {
  ff3: ['Mkt-RF', 'SMB', 'HML', 'RF'],
  ff5: ['Mkt-RF', 'SMB', 'HML', 'RMW', 'CMA', 'RF'],
  mom: ['Mom'],
};

export interface FrenchFactorFile {
  region: FactorRegion;
  factorSet: FactorSet;
  /** the database vintage of the header, e.g. "CRSP 202604" or "Bloomberg 202603" */
  vintage: string;
  /** the header's column names after the date, as published */
  columns: string[];
  /** percent per day as published; null where the file says -99.99 (or -999) */
  rows: { date: string; values: (number | null)[] }[];
}

export class FrenchCsvError extends Error {}

const DAILY_ROW = /^\s*(\d{8})\s*,/;
const VINTAGE = /created\s+(?:by\s+)?using\s+the\s+(\d{6})\s+(\w+)\s+database/i;

/** The region a French file covers, by its published name (F-F_... = US). */
function regionOfFileName(fileName: string): FactorRegion | null {
  const base = fileName.replace(/^.*[\\/]/, '');
  if (/^F-F_/i.test(base)) return 'us';
  if (/^Europe_/i.test(base)) return 'europe';
  if (/^Developed_ex_US_/i.test(base)) return 'developed_ex_us';
  return null;
}

function factorSetOf(columns: readonly string[]): FactorSet | null {
  const names = columns.map((c) => (/^(mom|umd)$/i.test(c) ? 'Mom' : c));
  for (const [set, expected] of Object.entries(FACTOR_COLUMNS) as [FactorSet, readonly string[]][]) {
    if (names.length === expected.length && names.every((n, k) => n === expected[k])) return set;
  }
  return null;
}

function isoDateOf(yyyymmdd: string): string | null {
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  const t = Date.parse(`${iso}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== iso ? null : iso;
}

/** Parses one file; a FrenchCsvError names the file and line of anything that is not French's format. */
export function parseFrenchCsv(text: string, fileName: string): FrenchFactorFile {
  const where = (line: number) => `${fileName.replace(/^.*[\\/]/, '')}: line ${line}`;
  const region = regionOfFileName(fileName);
  if (region === null) {
    throw new FrenchCsvError(
      `${fileName}: not a file name of French's daily factors for a region Aftershock uses (F-F_... for the US, Europe_..., Developed_ex_US_...)`,
    );
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const vintageMatch = VINTAGE.exec(lines.slice(0, 20).join(' '));
  if (!vintageMatch) throw new FrenchCsvError(`${fileName}: the header does not say which database vintage made the file`);
  const vintage = `${vintageMatch[2]} ${vintageMatch[1]}`;
  const headerAt = lines.findIndex((l) => l.startsWith(','));
  if (headerAt < 0) throw new FrenchCsvError(`${fileName}: no header line starting with a comma`);
  const columns = lines[headerAt]
    .split(',')
    .slice(1)
    .map((c) => c.trim());
  const factorSet = factorSetOf(columns);
  if (factorSet === null) {
    throw new FrenchCsvError(
      `${where(headerAt + 1)}: columns ${columns.join(',')} are none of ${Object.values(FACTOR_COLUMNS)
        .map((c) => c.join(','))
        .join(' / ')}`,
    );
  }
  const rows: FrenchFactorFile['rows'] = [];
  let previous = '';
  for (let k = headerAt + 1; k < lines.length; k++) {
    const m = DAILY_ROW.exec(lines[k]);
    if (!m) break; // a blank line, the copyright footer, or the next section
    const date = isoDateOf(m[1]);
    if (date === null) throw new FrenchCsvError(`${where(k + 1)}: ${m[1]} is not a date YYYYMMDD`);
    if (date <= previous) throw new FrenchCsvError(`${where(k + 1)}: ${date} does not come after ${previous}`);
    previous = date;
    const fields = lines[k].split(',').slice(1);
    if (fields.length !== columns.length) {
      throw new FrenchCsvError(`${where(k + 1)}: ${fields.length} values for ${columns.length} columns`);
    }
    const values = fields.map((f) => {
      const text = f.trim();
      const v = /^[-+]?\d+(?:\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
      if (Number.isNaN(v)) throw new FrenchCsvError(`${where(k + 1)}: ${JSON.stringify(f)} is not a number`);
      return v === -99.99 || v === -999 ? null : v;
    });
    rows.push({ date, values });
  }
  if (rows.length === 0) throw new FrenchCsvError(`${where(headerAt + 2)}: no daily rows YYYYMMDD after the header`);
  return { region, factorSet, vintage, columns: [...FACTOR_COLUMNS[factorSet]], rows };
}
