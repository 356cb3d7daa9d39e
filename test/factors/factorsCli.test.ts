// `aftershock factors import FILE...` through the real binary: French's CSV as published (gzipped too), the
// vintage recorded and listed, the newest vintage used by a study, and a bad line refusing every file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { runCli } from '../support/appProcess';
import { useTestApp } from '../support/testApp';

const BUNDLED = path.join(__dirname, '..', '..', 'data', 'factors');
const t = useTestApp();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-factors-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(args, { DATABASE_URL: t.db.url, LOG_LEVEL: 'warn' });

/** A synthetic later vintage of the US 3-factor file: the bundled file's rows with RF doubled, said in its header. */
function laterVintage(): string {
  const text = require('node:zlib')
    .gunzipSync(fs.readFileSync(path.join(BUNDLED, 'F-F_Research_Data_Factors_daily.csv.gz')))
    .toString('utf8') as string;
  const body = text
    .replace('202604 CRSP', '202612 CRSP')
    .replace(/^(\d{8},.*,\s*)(-?\d+\.\d+)\r?$/gm, (_, head: string, rf: string) => `${head}${(Number(rf) * 2).toFixed(2)}`);
  const file = path.join(tmp, 'F-F_Research_Data_Factors_daily.csv');
  fs.writeFileSync(file, `${body}`);
  return file;
}

describe('aftershock factors', () => {
  it('import: the bundled files (.gz) and a later vintage (synthetic); list shows the vintages; a study uses the newest', async () => {
    const study = () =>
      request(t.app.url)
        .get('/api/studies/run?events=deepseek-app-store-no1&symbols=NVDA&model=ff3')
        .then((r) => r.body);
    const imported = await cli('factors', 'import', path.join(BUNDLED, 'F-F_Research_Data_Factors_daily.csv.gz'));
    expect(imported.status).toBe(0);
    expect(JSON.parse(imported.stdout).files).toEqual([
      {
        file: 'F-F_Research_Data_Factors_daily.csv.gz',
        region: 'us',
        factorSet: 'ff3',
        vintage: 'CRSP 202604',
        first: '1926-07-01',
        last: '2026-04-30',
        rows: 26_233,
      },
    ]);
    const before = await study();
    expect(before.members[0].model.factorVintage).toBe('CRSP 202604');

    const later = await cli('factors', 'import', laterVintage());
    expect(later.status).toBe(0);
    expect(JSON.parse(later.stdout).files[0]).toMatchObject({ vintage: 'CRSP 202612', rows: 26_233 });
    const listed = (await cli('factors', 'list')).lines.map((l) => JSON.parse(l));
    expect(listed.map((v) => `${v.region} ${v.factorSet} ${v.vintage} ${v.rows}`)).toEqual([
      'us ff3 CRSP 202604 26233',
      'us ff3 CRSP 202612 26233',
    ]);
    const after = await study();
    expect(after.members[0].model.factorVintage).toBe('CRSP 202612');
    expect(after.factorModel.regions).toEqual([{ region: 'us', vintage: 'CRSP 202612', members: 1 }]);
    // RF doubled moves the excess returns, so the fit differs
    expect(after.members[0].model.alpha).not.toBe(before.members[0].model.alpha);
  });

  it('study run and studies import take --model, --exclude-events and --overlap', async () => {
    const run = await cli(
      'study',
      'run',
      '--events',
      'deepseek-r1-release',
      '--symbols',
      'NVDA',
      '--model',
      'ff3',
      '--exclude-events',
      'all',
      '--json',
    );
    expect(run.status).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body.options).toMatchObject({ model: 'ff3', excludeEvents: 'all', excludeMargin: 1, overlap: 'keep' });
    expect(body.members[0].model.factorRegion).toBe('us');
    expect(body.members[0].removedSessions.map((s: { date: string }) => s.date)).toContain('2024-12-27');
    const file = path.join(tmp, 'request.csv');
    fs.writeFileSync(file, 'symbol,event\nNVDA,deepseek-r1-release\nNVDA,deepseek-app-store-no1\n');
    const saved = await cli('studies', 'import', file, '--slug', 'nvda-factors', '--model', 'ff3', '--overlap', 'first');
    expect(saved.status).toBe(0);
    const shown = JSON.parse((await cli('studies', 'show', 'nvda-factors', '--json')).stdout);
    expect(shown.study.parameters).toEqual({ model: 'ff3', overlap: 'first' });
    expect(shown.members.map((m: { status: string }) => m.status)).toEqual(['ok', 'overlap']);
    expect(shown.factorModel.regions[0].region).toBe('us');
  });

  it('a bad line refuses every file (exit code 1, naming file and line), nothing written', async () => {
    const bad = path.join(tmp, 'Europe_3_Factors_Daily.csv');
    fs.writeFileSync(bad, 'This file was created using the 202701 Bloomberg database.\n\n,Mkt-RF,SMB,HML,RF\n20270104    ,0.5    ,0.1\n');
    const good = path.join(BUNDLED, 'Europe_5_Factors_Daily.csv.gz');
    const result = await cli('factors', 'import', good, bad);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Europe_3_Factors_Daily\.csv: line 4: 2 values for 4 columns/);
    const listed = (await cli('factors', 'list')).lines.map((l) => JSON.parse(l));
    expect(listed.some((v) => v.region === 'europe')).toBe(false);
  });
});
