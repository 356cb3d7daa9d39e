// estudy2's published numbers end to end: its prices written as a folder in the documented import format,
// loaded by `aftershock import` (the function behind it), then GET /api/studies/run with the options of the
// last section of shared/methods/cross-section.md. Every listed column, alpha, beta, L1 and every AR to 1e-9.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import { importDirectory } from '../../src/bundled/folderImport';
import { studyResponseSchema, type StudyResponse } from '../../src/studies/studyContract';
import { columns, readCsv } from '../support/estudy2Fixtures';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

const TOLERANCE = 1e-9;
const EVENT_DATES = ['2020-03-16', '2020-03-17', '2020-03-18', '2020-03-19', '2020-03-20'];

let db: TestDatabase;
let app: RunningApp;
let dir: string;
const prices = readCsv('prices_close.csv');
const SYMBOLS = prices.header.slice(1);

/** The fixture files in the import format: instruments.csv, one SYMBOL.csv (date,close) per series. */
function writeImportFolder(): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-estudy2-'));
  const instruments = ['symbol,name,exchange,currency,time_zone,kind,benchmark', '^GSPC,S&P 500,US,USD,America/New_York,index,none'];
  for (const symbol of SYMBOLS) instruments.push(`${symbol},${symbol},US,USD,America/New_York,equity,^GSPC`);
  fs.writeFileSync(path.join(out, 'instruments.csv'), `${instruments.join('\n')}\n`);
  SYMBOLS.forEach((symbol, c) => {
    const rows = prices.rows.filter((r) => r[c + 1] !== '').map((r) => `${r[0]},${r[c + 1]}`);
    fs.writeFileSync(path.join(out, `${symbol}.csv`), `date,close\n${rows.join('\n')}\n`);
  });
  const index = readCsv('index_gspc_close.csv');
  fs.writeFileSync(path.join(out, 'GSPC.csv'), `date,close\n${index.rows.map((r) => r.join(',')).join('\n')}\n`);
  return out;
}

beforeAll(async () => {
  db = await createTestDatabase({ empty: true });
  dir = writeImportFolder();
  const summary = await importDirectory(db, dir);
  expect(summary).toMatchObject({ format: 'folder', instruments: SYMBOLS.length + 1, bars: { files: SYMBOLS.length + 1 } });
  app = await startTestApp(db);
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const BASE = `symbols=${SYMBOLS.join(',')}&dates=2020-03-16&estimationDates=2019-04-02,2020-03-13&returns=log&model=market&window=0,4&cars=0,4&benchmark=^GSPC`;

async function run(extra = '', base = BASE): Promise<StudyResponse> {
  const res = await request(app.url).get(`/api/studies/run?${base}${extra}`);
  expect(res.status).toBe(200);
  return studyResponseSchema.parse(res.body);
}

function expectColumn(
  study: StudyResponse,
  file: string,
  column: string,
  pick: (d: StudyResponse['aggregate']['days'][number]) => number | null | undefined,
) {
  const want = columns(file).get(column)!;
  EVENT_DATES.forEach((date, k) => {
    const got = pick(study.aggregate.days[k]);
    expect(got).not.toBeNull();
    expect(Math.abs(got! - want.get(date)!)).toBeLessThan(TOLERANCE);
  });
}

describe('estudy2 through import and GET /api/studies/run', () => {
  let defaults: StudyResponse;
  beforeAll(async () => {
    defaults = await run();
  });

  it('every member is in, day 0 is 2020-03-16', () => {
    expect(defaults.members.map((m) => [m.symbol, m.status, m.day0])).toEqual(SYMBOLS.map((s) => [s, 'ok', '2020-03-16']));
    expect(defaults.aggregate.n).toBe(SYMBOLS.length);
  });

  it('alpha, beta and L1 of every firm', () => {
    const coefficients = columns('market_model_coefficients.csv');
    for (const m of defaults.members) {
      expect(Math.abs(m.model.alpha! - coefficients.get('alpha')!.get(m.symbol)!)).toBeLessThan(TOLERANCE);
      expect(Math.abs(m.model.beta! - coefficients.get('beta')!.get(m.symbol)!)).toBeLessThan(TOLERANCE);
      expect(m.model.n).toBe(coefficients.get('est_len')!.get(m.symbol));
    }
  });

  it('every abnormal return, estimation sample and event days', async () => {
    // the same model over a window that starts at the first estimation date: its ARs are the estimation
    // residuals, then the event days through the end of the file (2020-03-31)
    const all = await run('', BASE.replace('dates=2020-03-16', 'dates=2019-04-02').replace('window=0,4&cars=0,4', 'window=0,300&cars=0,0'));
    const abnormal = columns('abnormal_returns.csv');
    for (const m of all.members) {
      const ours = new Map(m.days.filter((d) => d.abnormalReturn !== null).map((d) => [d.date, d.abnormalReturn!]));
      const theirs = [...abnormal.get(m.symbol)!].filter((e): e is [string, number] => e[1] !== null);
      expect([...ours.keys()].sort()).toEqual(theirs.map(([d]) => d).sort());
      for (const [date, ar] of theirs) expect(Math.abs(ours.get(date)! - ar)).toBeLessThan(TOLERANCE);
    }
  });

  it('mean, t_test_stat, bw_1985_stat, sign_stat, wlcx_stat with the defaults', () => {
    expectColumn(defaults, 'expected_parametric.csv', 'mean', (d) => d.aar);
    expectColumn(defaults, 'expected_parametric.csv', 't_test_stat', (d) => d.tests.csectT?.stat);
    expectColumn(defaults, 'expected_parametric.csv', 'bw_1985_stat', (d) => d.extras.bw1985T?.stat);
    expectColumn(defaults, 'expected_nonparametric.csv', 'sign_stat', (d) => d.extras.signZ?.stat);
    expectColumn(defaults, 'expected_nonparametric.csv', 'wlcx_stat', (d) => d.wilcoxon?.wPlus);
  });

  it('bw_1980_stat with sigmaDf=sd', async () => {
    expectColumn(await run('&sigmaDf=sd'), 'expected_parametric.csv', 'bw_1980_stat', (d) => d.extras.bw1980T?.stat);
  });

  it('pt_stat and bh_stat with sigmaDf=sd&feMoments=benchmark', async () => {
    const study = await run('&sigmaDf=sd&feMoments=benchmark');
    expectColumn(study, 'expected_parametric.csv', 'pt_stat', (d) => d.tests.patellZ?.stat);
    expectColumn(study, 'expected_parametric.csv', 'bh_stat', (d) => d.tests.bmpT?.stat);
  });

  it('gsign_stat with gsignPhat=pooled', async () => {
    expectColumn(await run('&gsignPhat=pooled'), 'expected_nonparametric.csv', 'gsign_stat', (d) => d.tests.gsignZ?.stat);
  });
});
