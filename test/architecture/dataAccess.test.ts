// The house rules that the import graph cannot show: which files may name a table in SQL.
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '..', '..', 'src');
const sourceFiles = fs
  .readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.split(path.sep).join('/'));

const filesNaming = (table: string) =>
  sourceFiles.filter((f) => new RegExp(`\\b${table}\\b`).test(fs.readFileSync(path.join(SRC, f), 'utf8')));

test('daily_bars is read and written through src/bars only (the CSV export streams it with COPY)', () => {
  expect(sourceFiles.length).toBeGreaterThan(50);
  const outside = filesNaming('daily_bars').filter((f) => !f.startsWith('bars/') && f !== 'export/exportQueries.ts');
  expect(outside).toEqual([]);
});

test('every transaction goes through src/db/transaction.ts, but the CSV export stream', () => {
  // copyOut.ts holds one READ ONLY snapshot for the length of a COPY stream, cancelled when the reader leaves:
  // its end (COMMIT, ROLLBACK or a discarded connection) depends on how the stream ended, not on a callback
  const outside = sourceFiles.filter((f) => /query\(\s*'(BEGIN|COMMIT|ROLLBACK)/.test(fs.readFileSync(path.join(SRC, f), 'utf8')));
  expect(outside.sort()).toEqual(['db/transaction.ts', 'export/copyOut.ts']);
});
