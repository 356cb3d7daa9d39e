// Factor models end to end: the bundled factor files through the folder import, then GET /api/studies/run with
// model=ff3|carhart|ff5 against the same numbers computed here from the bars and French's files (OLS written out
// with the normal equations); other events taken out of the estimation window; overlapping events noted.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { getDailyBars } from '../../src/bars/dailyBarReads';
import { importDirectory } from '../../src/bundled/folderImport';
import { importFactorFolder } from '../../src/factors/factorImport';
import { studyResponseSchema, type StudyResponse } from '../../src/studies/studyContract';
import { useTestApp } from '../support/testApp';

const t = useTestApp();
const DIR = path.join(__dirname, '..', '..', 'data', 'factors');

/** French's file read here on its own: date -> values in percent (null if any is -99.99). */
function frenchRows(name: string): Map<string, number[]> {
  const text = zlib.gunzipSync(fs.readFileSync(path.join(DIR, `${name}.gz`))).toString('utf8');
  const rows = new Map<string, number[]>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(\d{4})(\d{2})(\d{2})\s*,(.*)$/.exec(line);
    if (m)
      rows.set(
        `${m[1]}-${m[2]}-${m[3]}`,
        m[4].split(',').map((v) => Number(v.trim())),
      );
  }
  return rows;
}

/** date -> {rf, x} (fractions) of a model in a region, as factors.md says: RF of the same file. */
function factorTable(model: 'ff3' | 'carhart' | 'ff5', region: string): Map<string, { rf: number; x: number[] }> {
  const files: Record<string, Record<string, string>> = {
    us: {
      ff3: 'F-F_Research_Data_Factors_daily.csv',
      carhart: 'F-F_Research_Data_Factors_daily.csv',
      ff5: 'F-F_Research_Data_5_Factors_2x3_daily.csv',
    },
    europe: { ff3: 'Europe_3_Factors_Daily.csv', ff5: 'Europe_5_Factors_Daily.csv' },
    developed_ex_us: { ff5: 'Developed_ex_US_5_Factors_Daily.csv' },
  };
  const file = files[region][model];
  const main = frenchRows(file);
  const mom = model === 'carhart' ? frenchRows('F-F_Momentum_Factor_daily.csv') : null;
  const table = new Map<string, { rf: number; x: number[] }>();
  for (const [date, v] of main) {
    const x = v.slice(0, -1);
    if (mom) {
      if (!mom.has(date)) continue;
      x.push(mom.get(date)![0]);
    }
    if ([...x, v[v.length - 1]].some((f) => f === -99.99)) continue;
    table.set(date, { rf: v[v.length - 1] / 100, x: x.map((f) => f / 100) });
  }
  return table;
}

/** Solves A z = c by Gaussian elimination with partial pivoting. */
function solve(A: number[][], c: number[]): number[] {
  const n = c.length;
  const m = A.map((row, i) => [...row, c[i]]);
  for (let col = 0; col < n; col++) {
    let p = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[p][col])) p = r;
    [m[col], m[p]] = [m[p], m[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      for (let j = col; j <= n; j++) m[r][j] -= f * m[col][j];
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i][n];
    for (let j = i + 1; j < n; j++) s -= m[i][j] * z[j];
    z[i] = s / m[i][i];
  }
  return z;
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

/** The member's model, ARs, SARs and CARs computed here: statsmodels-style OLS with the normal equations. */
async function expected(symbol: string, day0: string, model: 'ff3' | 'carhart' | 'ff5', region: string) {
  const bars = await getDailyBars(t.db.pool, symbol);
  const dates = bars.map((b) => b.date);
  const usable = (p: number | null | undefined): p is number => typeof p === 'number' && p > 0;
  const r = bars.map((b, i) => {
    if (i === 0) return null;
    const a = bars[i - 1];
    return usable(a.adjClose) && usable(b.adjClose) ? b.adjClose / a.adjClose - 1 : b.close / a.close - 1;
  });
  const factors = factorTable(model, region);
  const d0 = dates.indexOf(day0);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = Math.max(0, d0 - 120); i <= d0 - 11; i++) {
    const f = factors.get(dates[i]);
    if (r[i] === null || !f) continue;
    X.push([1, ...f.x]);
    y.push((r[i] as number) - f.rf);
  }
  const k = X[0].length;
  const XtX = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => X.reduce((s, row) => s + row[a] * row[b], 0)));
  const Xty = Array.from({ length: k }, (_, a) => X.reduce((s, row, n) => s + row[a] * y[n], 0));
  const b = solve(XtX, Xty);
  const inv = Array.from({ length: k }, (_, j) =>
    solve(
      XtX,
      Array.from({ length: k }, (_, i) => (i === j ? 1 : 0)),
    ),
  );
  const invAt = (i: number, j: number) => inv[j][i];
  const ssr = y.reduce((s, yt, n) => s + (yt - dot(X[n], b)) ** 2, 0);
  const s2 = ssr / (X.length - k);
  const quad = (u: number[]) => u.reduce((s, ui, i) => s + u.reduce((s2_, uj, j) => s2_ + ui * invAt(i, j) * uj, 0), 0);
  const days = new Map<number, { ar: number; sar: number; row: number[] }>();
  for (let offset = -5; offset <= 10; offset++) {
    const i = d0 + offset;
    const f = factors.get(dates[i]);
    if (i >= dates.length || r[i] === null || !f) continue;
    const row = [1, ...f.x];
    const ar = (r[i] as number) - f.rf - dot(row, b);
    days.set(offset, { ar, sar: ar / Math.sqrt(s2 * (1 + quad(row))), row });
  }
  const cars = [
    [0, 0],
    [0, 1],
    [-1, 1],
    [0, 5],
  ].map(([from, to]) => {
    const rows = [];
    let car = 0;
    for (let o = from; o <= to; o++) {
      car += days.get(o)!.ar;
      rows.push(days.get(o)!.row);
    }
    const g = rows.reduce((acc, row) => acc.map((v, j) => v + row[j]), new Array<number>(k).fill(0));
    return { from, to, car, scar: car / Math.sqrt(s2 * (rows.length + quad(g))) };
  });
  return { n: X.length, k, b, se: b.map((_, j) => Math.sqrt(s2 * invAt(j, j))), sigma: Math.sqrt(s2), days, cars };
}

async function run(query: string): Promise<StudyResponse> {
  const res = await request(t.app.url).get(`/api/studies/run?${query}`);
  expect(res.status).toBe(200);
  return studyResponseSchema.parse(res.body);
}

const close = (actual: number | null | undefined, value: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - value)).toBeLessThan(1e-9);
};

beforeAll(async () => {
  const summary = await importFactorFolder(t.db, DIR);
  expect(summary.files.map((f) => `${f.region} ${f.factorSet} ${f.vintage}`)).toEqual([
    'developed_ex_us ff5 Bloomberg 202603',
    'europe ff3 Bloomberg 202603',
    'europe ff5 Bloomberg 202603',
    'us mom CRSP 202604',
    'us ff5 CRSP 202603',
    'us ff3 CRSP 202604',
  ]);
});

describe.each([
  ['ff3', ['Mkt-RF', 'SMB', 'HML'], [{ region: 'us', vintage: 'CRSP 202604', members: 1 }]],
  ['carhart', ['Mkt-RF', 'SMB', 'HML', 'Mom'], [{ region: 'us', vintage: 'CRSP 202604', members: 1 }]],
  [
    'ff5',
    ['Mkt-RF', 'SMB', 'HML', 'RMW', 'CMA'],
    [
      { region: 'us', vintage: 'CRSP 202603', members: 1 },
      { region: 'developed_ex_us', vintage: 'Bloomberg 202603', members: 3 },
    ],
  ],
] as const)('GET /api/studies/run?model=%s on the App Store event', (model, factors, regions) => {
  let study: StudyResponse;
  beforeAll(async () => {
    study = await run(`events=deepseek-app-store-no1&group=bundled-equities&model=${model}`);
  });

  it('states the model, its factors, each region with its file vintage', () => {
    expect(study.options.model).toBe(model);
    expect(study.factorModel).toMatchObject({ model, factors, regions });
    const nvda = study.members.find((m) => m.symbol === 'NVDA')!;
    expect(nvda.model).toMatchObject({ factorRegion: 'us', factorVintage: regions[0].vintage });
    expect(nvda.statusReason).toContain(`${model} model (us factors, ${regions[0].vintage}) fitted on`);
  });

  it("members of a region without the model's files are no_factors, saying why", () => {
    const tokyo = study.members.filter((m) => m.symbol.endsWith('.T'));
    if (model === 'ff5') expect(tokyo.every((m) => m.status !== 'no_factors')).toBe(true);
    else
      for (const m of tokyo) {
        expect(m.status).toBe('no_factors');
        expect(m.statusReason).toMatch(/the factor library has no daily .* file for Developed ex US/);
      }
  });

  it('every fitted member equals the OLS computed in the test (to 1e-9): coefficients, SE, s, L1, AR, SAR, CAR, SCAR', async () => {
    const fitted = study.members.filter((m) => m.status === 'ok');
    expect(fitted.map((m) => m.symbol)).toContain('NVDA');
    for (const m of fitted) {
      const want = await expected(m.symbol, m.day0!, model, m.model.factorRegion!);
      expect(m.model.n).toBe(want.n);
      expect(m.model.dof).toBe(want.n - want.k);
      close(m.model.sigma, want.sigma);
      expect(m.model.coefficients!.map((c) => c.name)).toEqual(['const', ...factors]);
      m.model.coefficients!.forEach((c, j) => {
        close(c.value, want.b[j]);
        close(c.se, want.se[j]);
      });
      close(m.model.alpha, want.b[0]);
      close(m.model.beta, want.b[1]);
      for (const day of m.days) {
        const w = want.days.get(day.offset);
        if (!w) expect(day.abnormalReturn).toBeNull();
        else {
          close(day.abnormalReturn, w.ar);
          close(day.sar, w.sar);
        }
      }
      m.cars.forEach((c, k) => {
        close(c.car, want.cars[k].car);
        close(c.scar, want.cars[k].scar);
      });
    }
    // members.csv says the same: region, vintage, each coefficient and its SE
    const csv = await request(t.app.url).get(
      `/api/studies/run/members.csv?events=deepseek-app-store-no1&group=bundled-equities&model=${model}`,
    );
    const [header, ...rows] = parse(csv.text) as string[][];
    const nvdaRow = rows.find((r) => r[0] === 'NVDA')!;
    const cell = (name: string) => nvdaRow[header.indexOf(name)];
    const nvda = fitted.find((m) => m.symbol === 'NVDA')!;
    expect(cell('factorRegion')).toBe('us');
    expect(cell('factorVintage')).toBe(nvda.model.factorVintage);
    for (const c of nvda.model.coefficients!) {
      expect(Number(cell(`coef_${c.name}`))).toBe(c.value);
      expect(Number(cell(`se_${c.name}`))).toBe(c.se);
    }
    // the aggregate takes them: AAR on day 0 is their mean
    const day0 = study.aggregate.days.find((d) => d.offset === 0)!;
    const ars = fitted.map((m) => m.days.find((d) => d.offset === 0)!.abnormalReturn!);
    close(day0.aar, ars.reduce((s, v) => s + v, 0) / ars.length);
  });
});

describe('the impact of one event under a factor model', () => {
  it.each(['ff3', 'carhart', 'ff5'] as const)(
    "GET /api/events/:slug/impact?model=%s: the study member's ARs, CAR t = SCAR, coefficients, region, vintage",
    async (model) => {
      const q = 'window=-5,10&estimation=-120,-11&minObs=30&cars=0,0;0,1;-1,1;0,5';
      const impact = await request(t.app.url).get(`/api/events/deepseek-app-store-no1/impact?symbols=NVDA&model=${model}&${q}`);
      expect(impact.status).toBe(200);
      const study = await run(`events=deepseek-app-store-no1&symbols=NVDA&model=${model}&${q}`);
      const [result] = impact.body.results;
      const [member] = study.members;
      expect(impact.body.params.model).toBe(model);
      expect(result.status).toBe('ok');
      expect(result.model).toMatchObject({
        kind: model,
        n: member.model.n,
        dof: member.model.dof,
        factorRegion: 'us',
        factorVintage: member.model.factorVintage,
        coefficients: member.model.coefficients,
      });
      for (const d of member.days)
        expect(result.days.find((x: { offset: number }) => x.offset === d.offset).abnormalReturn).toBe(d.abnormalReturn);
      member.cars.forEach((c, k) => {
        expect(result.cars[k].car).toBe(c.car);
        expect(result.cars[k].t).toBe(c.scar);
      });
      // its CSV names the model with its region and vintage
      const csv = await request(t.app.url).get(`/api/export/events/deepseek-app-store-no1/impact.csv?symbols=NVDA&model=${model}&${q}`);
      expect(csv.status).toBe(200);
      const [header, row] = parse(csv.text) as string[][];
      expect(row[header.indexOf('model')]).toBe(`${model} (us factors, ${member.model.factorVintage})`);
      // prices, moves and market values stay what the market model's answer has
      const market = await request(t.app.url).get(`/api/events/deepseek-app-store-no1/impact?symbols=NVDA&${q}`);
      expect(result.days.map((d: { move: number }) => d.move)).toEqual(market.body.results[0].days.map((d: { move: number }) => d.move));
      expect(result.model.beta).not.toBe(market.body.results[0].model.beta);
    },
  );
});

describe('a European listing takes the Europe factors', () => {
  it.each(['ff3', 'ff5'] as const)('SU.PA (Paris) under %s: europe, Bloomberg 202603, equal to the OLS of the test', async (model) => {
    await importDirectory(t.db, path.join(__dirname, '..', '..', 'data', 'global'));
    const study = await run(`events=deepseek-app-store-no1&symbols=SU.PA&model=${model}`);
    const [m] = study.members;
    expect(m.status).toBe('ok');
    expect(m.model).toMatchObject({ factorRegion: 'europe', factorVintage: 'Bloomberg 202603' });
    const want = await expected('SU.PA', m.day0!, model, 'europe');
    expect(m.model.n).toBe(want.n);
    m.model.coefficients!.forEach((c, j) => close(c.value, want.b[j]));
    for (const day of m.days) close(day.abnormalReturn, want.days.get(day.offset)!.ar);
  });

  it('carhart has no Europe momentum file: no_factors with the reason', async () => {
    const study = await run('events=deepseek-app-store-no1&symbols=SU.PA&model=carhart');
    expect(study.members[0].status).toBe('no_factors');
    expect(study.members[0].statusReason).toBe(
      'the factor library has no daily momentum file for Europe, so the carhart model cannot be fitted (aftershock factors import loads one)',
    );
  });
});

describe('clean estimation windows and overlapping events', () => {
  it("excludeEvents=all on R1 removes the DeepSeek-V3 day (26/27 Dec 2024) from NVDA's estimation sample and says so", async () => {
    const base = await run('events=deepseek-r1-release&symbols=NVDA');
    const clean = await run('events=deepseek-r1-release&symbols=NVDA&excludeEvents=all');
    const [before] = base.members;
    const [after] = clean.members;
    expect(before.removedSessions).toEqual([]);
    expect(after.day0).toBe('2025-01-21');
    const v3 = after.removedSessions.filter((s) => s.events.includes('deepseek-v3-release'));
    expect(v3.map((s) => s.date)).toEqual(['2024-12-24', '2024-12-26', '2024-12-27']);
    expect(v3[1].reason).toBe('day 0 of deepseek-v3-release (2024-12-26)');
    expect(v3[2].reason).toBe('1 session after day 0 of deepseek-v3-release (2024-12-26)');
    // L1 counts what is left
    expect(after.model.n).toBe(before.model.n - after.removedSessions.length);
    expect(after.statusReason).toMatch(/3 sessions of other events removed \(excludeEvents=all\)/);
    expect(clean.options).toMatchObject({ excludeEvents: 'all', excludeMargin: 1 });
    // margin 0: only the V3 day 0 itself
    const narrow = await run('events=deepseek-r1-release&symbols=NVDA&excludeEvents=kind:model_release&excludeMargin=0');
    expect(narrow.members[0].removedSessions.map((s) => s.date)).toEqual(['2024-12-26']);
  });

  it("excludeEvents=same takes out the member's other events of the study (R1 for NVDA on the App Store event)", async () => {
    const study = await run(
      'events=deepseek-app-store-no1,deepseek-r1-release&symbols=NVDA&window=-3,10&estimation=-120,-4&cars=0,0&excludeEvents=same',
    );
    const appStore = study.members.find((m) => m.event === 'deepseek-app-store-no1')!;
    const ofR1 = appStore.removedSessions.filter((s) => s.events.includes('deepseek-r1-release'));
    // R1's day 0 on NVDA is 21 Jan (offset -4 of the App Store's 27 Jan); with the margin, 17 and 21 Jan are in the sample
    expect(ofR1.map((s) => [s.date, s.offset])).toEqual([
      ['2025-01-17', -5],
      ['2025-01-21', -4],
    ]);
    expect(appStore.removedSessions.every((s) => s.offset >= -120 && s.offset <= -4)).toBe(true);
  });

  it('overlap: NVDA on both R1 and the App Store event with window [-5, 10] is noted; first and drop leave members out', async () => {
    const query = 'events=deepseek-r1-release,deepseek-app-store-no1&symbols=NVDA&window=-5,10';
    const keep = await run(query);
    expect(keep.members.map((m) => m.status)).toEqual(['ok', 'ok']);
    expect(keep.members[0].overlapNote).toBe(
      'NVDA deepseek-r1-release (day 0 2025-01-21) overlaps deepseek-app-store-no1 (day 0 2025-01-27, 4 sessions away): closer than the window length of 16 sessions',
    );
    expect(keep.members[1].overlapNote).toMatch(/^NVDA deepseek-app-store-no1 \(day 0 2025-01-27\) overlaps deepseek-r1-release/);
    expect(keep.aggregate.overlapping).toBe(2);
    expect(keep.aggregate.notes.join('\n')).toMatch(/2 of 2 members overlap another event of their instrument: .*Kolari-Pynnonen/);
    const first = await run(`${query}&overlap=first`);
    expect(first.members.map((m) => m.status)).toEqual(['ok', 'overlap']);
    expect(first.aggregate.n).toBe(1);
    const drop = await run(`${query}&overlap=drop`);
    expect(drop.members.map((m) => m.status)).toEqual(['overlap', 'overlap']);
    expect(drop.aggregate.n).toBe(0);
    // a window shorter than the distance: no overlap
    const short = await run('events=deepseek-r1-release,deepseek-app-store-no1&symbols=NVDA&window=-1,2&cars=0,0');
    expect(short.members.map((m) => m.overlapNote)).toEqual([null, null]);
    expect(short.aggregate.overlapping).toBe(0);
  });

  it('bad values are 400s naming the parameter', async () => {
    for (const [param, value] of [
      ['model', 'ff4'],
      ['excludeEvents', 'some'],
      ['excludeMargin', '-1'],
      ['overlap', 'last'],
    ]) {
      const res = await request(t.app.url).get(`/api/studies/run?events=deepseek-r1-release&symbols=NVDA&${param}=${value}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].param).toBe(param);
    }
  });
});
