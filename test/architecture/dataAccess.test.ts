// The house rules that the import graph cannot show: which files may name a table in SQL.
import fs from 'node:fs';
import path from 'node:path';
import { READ_MODEL_FOLDER, TABLE_OWNERS } from '../../src/db/tableOwners';

const ROOT = path.join(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');
const sourceFiles = fs
  .readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.split(path.sep).join('/'));
const textOf = (f: string) => fs.readFileSync(path.join(SRC, f), 'utf8');

/** The source without its comments, so that prose about a table is not SQL naming it. */
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

/** Tables a source text names in SQL: after FROM, JOIN, INTO, UPDATE, TABLE or COPY, or as a bar store's `table:`. */
function tablesNamedIn(text: string): string[] {
  const code = withoutComments(text);
  return Object.keys(TABLE_OWNERS).filter(
    (t) => new RegExp(`\\b(FROM|JOIN|INTO|UPDATE|TABLE|COPY)\\s+"?${t}\\b`).test(code) || new RegExp(`table:\\s*'${t}'`).test(code),
  );
}

const foreignUses = () =>
  sourceFiles.flatMap((f) => {
    const folder = f.split('/')[0];
    if (folder === READ_MODEL_FOLDER) return [];
    return tablesNamedIn(textOf(f))
      .filter((t) => TABLE_OWNERS[t as keyof typeof TABLE_OWNERS] !== folder)
      .map((t) => `${f} names ${t} (owned by src/${TABLE_OWNERS[t as keyof typeof TABLE_OWNERS]}/)`);
  });

test('every table of the schema has one owner folder, and every owner is a folder of src/', () => {
  const schema = fs.readFileSync(path.join(ROOT, 'prisma', 'schema.prisma'), 'utf8');
  const tables = [...schema.matchAll(/@@map\("(\w+)"\)/g)].map((m) => m[1]);
  expect(tables.length).toBeGreaterThan(10);
  expect(Object.keys(TABLE_OWNERS).sort()).toEqual(tables.sort());
  for (const owner of new Set(Object.values(TABLE_OWNERS))) expect(fs.existsSync(path.join(SRC, owner))).toBe(true);
});

test('the check sees a table named in SQL, and not one named in prose or as a column alias', () => {
  expect(tablesNamedIn('q(`SELECT 1 FROM alerts a JOIN outbox_emails o ON o.id = a.email_id`)')).toEqual(['alerts', 'outbox_emails']);
  expect(tablesNamedIn("q('DELETE FROM subscriptions WHERE id = $1'); copyMerge({ table: 'daily_bars' })")).toEqual([
    'daily_bars',
    'subscriptions',
  ]);
  expect(tablesNamedIn('// read FROM events\nq(`SELECT count(*) AS alerts FROM studies`)')).toEqual(['studies']);
});

test('no file outside its owner folder names a table in SQL (src/export, the read model, may read them all)', () => {
  expect(sourceFiles.length).toBeGreaterThan(50);
  expect(foreignUses()).toEqual([]);
});

test('every transaction goes through src/db/transaction.ts, but the CSV export stream', () => {
  // copyOut.ts holds one READ ONLY snapshot for the length of a COPY stream, cancelled when the reader leaves:
  // its end (COMMIT, ROLLBACK or a discarded connection) depends on how the stream ended, not on a callback
  const outside = sourceFiles.filter((f) => /query\(\s*'(BEGIN|COMMIT|ROLLBACK)/.test(textOf(f)));
  expect(outside.sort()).toEqual(['db/transaction.ts', 'export/copyOut.ts']);
});
