// French's CSV format as published: the bundled files' first and last rows (the real files, gzipped unchanged in
// data/factors), their vintages, the DeepSeek day's values of SOURCES.md, and -99.99 as missing.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { FrenchCsvError, parseFrenchCsv } from '../../src/factors/frenchCsv';

const DIR = path.join(__dirname, '..', '..', 'data', 'factors');
const read = (name: string) => parseFrenchCsv(zlib.gunzipSync(fs.readFileSync(path.join(DIR, `${name}.gz`))).toString('utf8'), name);

describe('the real files: first and last rows, vintage', () => {
  it.each([
    [
      'F-F_Research_Data_Factors_daily.csv',
      'us',
      'ff3',
      'CRSP 202604',
      ['1926-07-01', [0.09, -0.25, -0.27, 0.01]],
      ['2026-04-30', [1.13, 0.98, -0.71, 0.01]],
      [-1.49, -0.67, 2.5, 0.02],
    ],
    ['F-F_Momentum_Factor_daily.csv', 'us', 'mom', 'CRSP 202604', ['1926-11-03', [0.54]], ['2026-04-30', [2.17]], [-3.28]],
    [
      'F-F_Research_Data_5_Factors_2x3_daily.csv',
      'us',
      'ff5',
      'CRSP 202603',
      ['1963-07-01', [-0.67, 0, -0.34, -0.01, 0.16, 0.01]],
      ['2026-03-31', [2.98, 0.34, -1.65, -1.48, -1.11, 0.01]],
      [-1.49, 0.3, 2.5, -0.14, -1.73, 0.02],
    ],
    [
      'Developed_ex_US_5_Factors_Daily.csv',
      'developed_ex_us',
      'ff5',
      'Bloomberg 202603',
      ['1990-07-02', [0.87, 0.08, -0.39, 0.07, 0.03, 0.03]],
      ['2026-03-31', [1.2, -0.02, -0.29, -0.32, -0.46, 0.01]],
      [0.12, -0.05, 0.65, -0.07, 0.36, 0.02],
    ],
    [
      'Europe_3_Factors_Daily.csv',
      'europe',
      'ff3',
      'Bloomberg 202603',
      ['1990-07-02', [0.99, 0.06, -0.56, 0.03]],
      ['2026-03-31', [1.72, 0.3, -0.14, 0.01]],
      [-0.05, -0.37, 0.66, 0.02],
    ],
    [
      'Europe_5_Factors_Daily.csv',
      'europe',
      'ff5',
      'Bloomberg 202603',
      ['1990-07-02', [0.99, 0, -0.56, 0.43, -0.25, 0.03]],
      ['2026-03-31', [1.72, 0.24, -0.14, -0.51, -0.47, 0.01]],
      [-0.05, -0.28, 0.66, -0.1, 0.4, 0.02],
    ],
  ] as const)('%s', (name, region, factorSet, vintage, first, last, deepseekDay) => {
    const file = read(name);
    expect(file).toMatchObject({ region, factorSet, vintage });
    expect(file.rows[0]).toEqual({ date: first[0], values: first[1] });
    expect(file.rows[file.rows.length - 1]).toEqual({ date: last[0], values: last[1] });
    expect(file.rows.find((r) => r.date === '2025-01-27')!.values).toEqual(deepseekDay);
    // no row of the text header or the copyright footer is read as data
    expect(file.rows.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.date) && r.values.every((v) => v === null || Number.isFinite(v)))).toBe(
      true,
    );
  });
});

describe('the format, on synthetic files', () => {
  const text = (rows: string) =>
    [
      'This file was created by using the 202612 CRSP database.',
      'Missing data are indicated by -99.99.',
      '',
      ',Mkt-RF,SMB,HML,RF',
      rows,
      '',
      'Copyright 2026 Eugene F. Fama and Kenneth R. French',
      '',
    ].join('\r\n');

  it('-99.99 and -999 are missing values; padded fields are read', () => {
    const file = parseFrenchCsv(
      text('20250102   ,-99.99    ,0.10   ,-0.20    ,0.02\r\n20250103,    1.00, -999, 0.30, 0.02'),
      'F-F_Research_Data_Factors_daily.csv',
    );
    expect(file.rows).toEqual([
      { date: '2025-01-02', values: [null, 0.1, -0.2, 0.02] },
      { date: '2025-01-03', values: [1, null, 0.3, 0.02] },
    ]);
  });

  it('an annual section after the daily rows is not read', () => {
    const file = parseFrenchCsv(
      text('20250102, 0.5, 0.1, 0.2, 0.02\r\n\r\n Annual Factors: January-December \r\n,Mkt-RF,SMB,HML,RF\r\n2025, 10.0, 1.0, 2.0, 4.0'),
      'F-F_x.csv',
    );
    expect(file.rows).toEqual([{ date: '2025-01-02', values: [0.5, 0.1, 0.2, 0.02] }]);
  });

  it.each([
    ['F-F_x.csv', text('20250230, 0.5, 0.1, 0.2, 0.02'), /line 5: 20250230 is not a date/],
    ['F-F_x.csv', text('20250102, 0.5, 0.1, 0.02'), /line 5: 3 values for 4 columns/],
    ['F-F_x.csv', text('20250102, 0.5, x, 0.2, 0.02'), /line 5: " x" is not a number/],
    [
      'F-F_x.csv',
      text('20250103, 0.5, 0.1, 0.2, 0.02\r\n20250102, 0.5, 0.1, 0.2, 0.02'),
      /line 6: 2025-01-02 does not come after 2025-01-03/,
    ],
    ['F-F_x.csv', text('').replace('202612 CRSP', 'latest'), /does not say which database vintage/],
    ['Japan_3_Factors_Daily.csv', text('20250102, 0.5, 0.1, 0.2, 0.02'), /not a file name of French's daily factors/],
    [
      'F-F_x.csv',
      text('20250102, 0.5, 0.1, 0.2, 0.02').replace(',Mkt-RF,SMB,HML,RF', ',Mkt-RF,SMB,RF'),
      /columns Mkt-RF,SMB,RF are none of/,
    ],
  ])('%s (case %#) is refused naming the line', (name, body, message) => {
    expect(() => parseFrenchCsv(body, name)).toThrow(FrenchCsvError);
    expect(() => parseFrenchCsv(body, name)).toThrow(message);
  });
});
