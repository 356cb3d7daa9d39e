// The CSV format on its own: cells, records, and COPY text turned into CSV however the bytes are cut.
import { Readable } from 'node:stream';
import { buffer as streamBytes } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import {
  copyNumberToCell,
  CopyTextToCsv,
  csvRecord,
  neutraliseFormula,
  quoteField,
  unescapeCopyText,
  type CsvColumn,
} from '../../src/export/csvFormat';
import { textArrayLiteral } from '../../src/export/exportQueries';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

describe('cells', () => {
  it.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@A1', "'@A1"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['a=1', 'a=1'],
    [' =1', ' =1'],
    ["'quoted already", "'quoted already"],
    ['', ''],
  ])('neutralises %j as %j', (input, output) => expect(neutraliseFormula(input)).toBe(output));

  it('quotes a field only when RFC 4180 needs it, doubling quotes', () => {
    expect(quoteField('plain text')).toBe('plain text');
    expect(quoteField('a,b')).toBe('"a,b"');
    expect(quoteField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteField('two\nlines')).toBe('"two\nlines"');
    expect(quoteField('cr\r')).toBe('"cr\r"');
  });

  it('writes records by column kind: numbers as JavaScript prints them, text guarded, null empty', () => {
    const columns: CsvColumn[] = [
      { name: 'title', kind: 'text' },
      { name: 'move', kind: 'number' },
      { name: 'final', kind: 'boolean' },
      { name: 'at', kind: 'iso' },
      { name: 'none', kind: 'number' },
    ];
    expect(csvRecord(columns, ['-17% day', -0.1697, true, new Date('2025-01-27T21:00:00Z'), null])).toBe(
      "'-17% day,-0.1697,true,2025-01-27T21:00:00.000Z,\r\n",
    );
    expect(csvRecord(columns, ['x, "y"', 1e-7, false, '2025-01-27', undefined])).toBe('"x, ""y""",1e-7,false,2025-01-27,\r\n');
    expect(() => csvRecord(columns, ['x', '12', false, null, null])).toThrow('not a number');
  });

  it('reads the COPY text escapes', () => {
    expect(unescapeCopyText('a\\tb\\nc\\rd\\\\e\\bf\\fg\\vh')).toBe('a\tb\nc\rd\\e\bf\fg\vh');
    expect(unescapeCopyText('no escapes')).toBe('no escapes');
  });

  it.each([
    ['118.42', '118.42'],
    ['-0.1697', '-0.1697'],
    ['1e-05', '0.00001'],
    ['1.234e-07', '1.234e-7'],
    ['1.5e+20', '150000000000000000000'],
    ['1e+21', '1e+21'],
    ['-0', '0'],
    ['Infinity', 'Infinity'],
    ['818830900', '818830900'],
  ])('turns Postgres number %s into JavaScript number %s', (pg, js) => expect(copyNumberToCell(pg)).toBe(js));
});

describe('CopyTextToCsv', () => {
  const columns: CsvColumn[] = [
    { name: 'symbol', kind: 'text' },
    { name: 'date', kind: 'iso' },
    { name: 'close', kind: 'number' },
    { name: 'final', kind: 'boolean' },
    { name: 'title', kind: 'text' },
  ];
  const copyText = [
    'NVDA\t2025-01-27\t118.42\tt\tNvidia, the "sell-off"',
    '6857.T\t2025-01-27\t9185\tf\t=HYPERLINK("x")',
    'ÄÖ€😀\t2025-01-28\t\\N\tt\t\\N',
    'TAB\t2025-01-29\t1e-05\tf\tline\\none\\ttab\\\\slash',
    '',
  ].join('\n');
  const expectedRows = [
    ['symbol', 'date', 'close', 'final', 'title'],
    ['NVDA', '2025-01-27', '118.42', 'true', 'Nvidia, the "sell-off"'],
    ['6857.T', '2025-01-27', '9185', 'false', '\'=HYPERLINK("x")'],
    ['ÄÖ€😀', '2025-01-28', '', 'true', ''],
    ['TAB', '2025-01-29', '0.00001', 'false', 'line\none\ttab\\slash'],
  ];

  async function convert(chunks: Buffer[], bom = false): Promise<string> {
    // Buffer.toString keeps a BOM (TextDecoder would drop it)
    return (await streamBytes(Readable.from(chunks).pipe(new CopyTextToCsv({ columns, bom })))).toString('utf8');
  }

  it('gives CSV that a CSV parser reads back, however the bytes are cut (even inside a character)', async () => {
    const bytes = Buffer.from(copyText, 'utf8');
    const whole = await convert([bytes]);
    expect(parse(whole)).toEqual(expectedRows);
    expect(whole.endsWith('\r\n')).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }), async (cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        const chunks = at.slice(1).map((end, i) => bytes.subarray(at[i], end));
        expect(await convert(chunks)).toBe(whole);
      }),
      { numRuns: 200, seed: 6 },
    );
  });

  it('writes the header and nothing else for no rows, a BOM first when asked', async () => {
    expect(await convert([])).toBe('symbol,date,close,final,title\r\n');
    expect(await convert([], true)).toBe('\uFEFFsymbol,date,close,final,title\r\n');
  });

  it('refuses a row cut short or with the wrong number of fields', async () => {
    await expect(convert([Buffer.from('NVDA\t2025-01-27\t1\tt\tx\nNVDA\t2025')])).rejects.toThrow('middle of a row');
    await expect(convert([Buffer.from('NVDA\t2025-01-27\t1\n')])).rejects.toThrow('3 fields, expected 5');
  });
});

describe('textArrayLiteral', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });
  afterAll(async () => db?.drop());

  it('round-trips any text through Postgres', async () => {
    const values = ['NVDA', '^GSPC', 'JPY=X', 'a,b', '{x}', 'say "hi"', 'back\\slash', ' spaced ', 'NULL', '', 'ÄÖ€'];
    const { rows } = await db.pool.query('SELECT $1::text[] AS a', [textArrayLiteral(values)]);
    expect(rows[0].a).toEqual(values);
    expect((await db.pool.query('SELECT cardinality($1::text[]) AS n', [textArrayLiteral([])])).rows[0].n).toBe(0);
  });
});
