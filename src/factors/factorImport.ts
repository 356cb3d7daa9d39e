// Loads Kenneth French's daily factor files into factor_returns: the bundled ones (data/factors, gzipped as
// published) on first start, any others (a newer vintage) with `aftershock factors import FILE...`.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Database } from '../db/database';
import { withTransaction } from '../db/transaction';
import { FrenchCsvError, parseFrenchCsv, type FrenchFactorFile } from './frenchCsv';
import { saveFactorFile } from './factorStore';

export interface FactorImportSummary {
  files: { file: string; region: string; factorSet: string; vintage: string; first: string; last: string; rows: number }[];
}

/** One file's text: gunzipped when it ends in .gz. */
function readFactorFile(file: string): string {
  const bytes = fs.readFileSync(file);
  return (file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
}

/** Parses every file first (one bad file refuses them all, naming it), then writes them in one transaction. */
export async function importFactorFiles(db: Pick<Database, 'pool'>, files: readonly string[]): Promise<FactorImportSummary> {
  const parsed: { file: string; data: FrenchFactorFile }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFactorFile(file);
    } catch (e) {
      throw new FrenchCsvError(`${file}: ${(e as Error).message}`);
    }
    parsed.push({ file, data: parseFrenchCsv(text, path.basename(file).replace(/\.gz$/, '')) });
  }
  return withTransaction(db.pool, async (client) => {
    const summary: FactorImportSummary = { files: [] };
    for (const { file, data } of parsed) {
      const rows = await saveFactorFile(client, data);
      summary.files.push({
        file: path.basename(file),
        region: data.region,
        factorSet: data.factorSet,
        vintage: data.vintage,
        first: data.rows[0].date,
        last: data.rows[data.rows.length - 1].date,
        rows,
      });
    }
    return summary;
  });
}

/** The factor files of a folder (data/factors): French's CSVs, plain or gzipped. */
function factorFilesIn(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.csv(\.gz)?$/i.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The bundled folder's files into factor_returns. */
export function importFactorFolder(db: Pick<Database, 'pool'>, dir: string): Promise<FactorImportSummary> {
  return importFactorFiles(db, factorFilesIn(dir));
}
