// Folders for the import fault tests: each test writes its files into a folder of its own under one temporary
// folder, removed after the test file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Call at the top level of a test file; the function it returns makes a folder holding `files` (name -> text). */
export function useImportFolders(prefix: string): (files: Record<string, string>) => string {
  let tmp = '';
  let made = 0;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), `aftershock-${prefix}-`));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  return (files) => {
    const dir = path.join(tmp, `f${made++}`);
    fs.mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true }); // intraday/SYMBOL_5m.csv
      fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
  };
}

/** The number of rows `sql` (a SELECT count(*) AS n) counts. */
export async function countRows(pool: { query(sql: string): Promise<{ rows: { n: unknown }[] }> }, sql: string): Promise<number> {
  return Number((await pool.query(sql)).rows[0].n);
}
