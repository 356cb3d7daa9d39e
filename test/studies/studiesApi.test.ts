// Groups and studies over HTTP: the bundled group, the admin token, ad hoc and saved studies, bad parameters
// as 400s naming them, the CSVs agreeing with the JSON, and the DeepSeek check against the impact API.
import path from 'node:path';
import request from 'supertest';
import { importDirectory } from '../../src/bundled/folderImport';
import { studyListResponseSchema, studyResponseSchema, type StudyResponse } from '../../src/studies/studyContract';
import { useTestApp } from '../support/testApp';

const TOKEN = 'studies-test-admin-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };

const t = useTestApp({ ADMIN_TOKEN: TOKEN });

const get = (path: string) => request(t.app.url).get(path);
const RUN =
  '/api/studies/run?events=deepseek-app-store-no1&group=bundled-equities&window=-5,10&estimation=-120,-11&minObs=30&cars=0,0;0,1;-1,1;0,5';

describe('groups', () => {
  it('the bundled import made the group of the bundled equities', async () => {
    const res = await get('/api/groups/bundled-equities');
    expect(res.status).toBe(200);
    expect(res.body.group.symbols).toEqual(['NVDA', '6857.T', '9984.T', '8035.T']);
    expect((await get('/api/groups')).body.groups.map((g: { slug: string }) => g.slug)).toContain('bundled-equities');
  });

  it('writes need the admin token', async () => {
    expect((await request(t.app.url).post('/api/groups').send({ slug: 'x', title: 'x' })).status).toBe(401);
    expect((await request(t.app.url).delete('/api/groups/bundled-equities')).status).toBe(401);
  });

  it('create, add, remove, rename, delete', async () => {
    const created = await request(t.app.url)
      .post('/api/groups')
      .set(auth)
      .send({ slug: 'tokyo-chips', title: 'Tokyo chips', symbols: ['6857.T'] });
    expect(created.status).toBe(201);
    expect(created.body.group.symbols).toEqual(['6857.T']);
    expect((await request(t.app.url).post('/api/groups').set(auth).send({ slug: 'tokyo-chips', title: 'again' })).status).toBe(409);
    const added = await request(t.app.url)
      .patch('/api/groups/tokyo-chips')
      .set(auth)
      .send({ add: ['8035.T', 'NVDA'] });
    expect(added.body.group.symbols).toEqual(['6857.T', '8035.T', 'NVDA']);
    const removed = await request(t.app.url)
      .patch('/api/groups/tokyo-chips')
      .set(auth)
      .send({ remove: ['NVDA'], slug: 'tokyo-semis' });
    expect(removed.body.group).toMatchObject({ slug: 'tokyo-semis', symbols: ['6857.T', '8035.T'] });
    const unknown = await request(t.app.url)
      .patch('/api/groups/tokyo-semis')
      .set(auth)
      .send({ add: ['NOPE'] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_symbol');
    expect(unknown.body.error.message).toMatch(/add: unknown symbol NOPE/);
    expect((await request(t.app.url).delete('/api/groups/tokyo-semis').set(auth)).status).toBe(204);
    expect((await get('/api/groups/tokyo-semis')).status).toBe(404);
  });
});

describe('GET /api/studies/run', () => {
  let study: StudyResponse;
  beforeAll(async () => {
    const res = await get(RUN);
    expect(res.status).toBe(200);
    study = studyResponseSchema.parse(res.body);
  });

  it('answers in the contract, with every member listed and its status', () => {
    expect(study.members.map((m) => m.symbol)).toEqual(['NVDA', '6857.T', '9984.T', '8035.T']);
    expect(study.members.every((m) => m.event === 'deepseek-app-store-no1')).toBe(true);
    const dropped = study.members.filter((m) => m.status !== 'ok');
    expect(dropped.map((m) => [m.symbol, m.status])).toEqual([['8035.T', 'insufficient_estimation']]);
    expect(study.aggregate.n).toBe(3);
    expect(study.aggregate.days.map((d) => d.offset)).toEqual([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(study.aggregate.cars.map((c) => [c.from, c.to])).toEqual([
      [0, 0],
      [0, 1],
      [-1, 1],
      [0, 5],
    ]);
  });

  it('the DeepSeek check: CAAR[0,0] is the mean of the day-0 abnormal returns of the impact API for the same members', async () => {
    const included = study.members.filter((m) => m.status === 'ok').map((m) => m.symbol);
    const impact = await get(
      `/api/events/deepseek-app-store-no1/impact?symbols=${included.join(',')}&window=-5,10&estimation=-120,-11&minObs=30`,
    );
    expect(impact.status).toBe(200);
    const day0 = impact.body.results.map(
      (r: { days: { offset: number; abnormalReturn: number }[] }) => r.days.find((d) => d.offset === 0)!.abnormalReturn,
    );
    const mean = day0.reduce((s: number, v: number) => s + v, 0) / day0.length;
    const car00 = study.aggregate.cars.find((c) => c.from === 0 && c.to === 0)!;
    expect(Math.abs(car00.caar! - mean)).toBeLessThan(1e-12);
    expect(Math.abs(car00.meanCar! - mean)).toBeLessThan(1e-12);
    expect(car00.caar!).toBeLessThan(-0.05); // the Tokyo chip names and NVDA fell hard
    expect(car00.tests.csectT).not.toBeNull();
  });

  it.each([
    ['window=-5', 'window'],
    ['model=capm', 'model'],
    ['returns=weird', 'returns'],
    ['sigmaDf=x', 'sigmaDf'],
    ['carStd=x', 'carStd'],
    ['kpCorr=x', 'kpCorr'],
    ['rankScale=x', 'rankScale'],
    ['rankNorm=x', 'rankNorm'],
    ['gsignPhat=x', 'gsignPhat'],
    ['feMoments=x', 'feMoments'],
    ['minObs=2', 'minObs'],
    ['estimation=-10,0', 'estimation'],
    ['cars=0,20', 'cars'],
    ['estimationDates=2020-01-01', 'estimationDates'],
    ['nonsense=1', '"nonsense"'],
  ])('%s is a 400 naming %s', async (param, name) => {
    const query = new URLSearchParams(RUN.split('?')[1]);
    const [key, value] = param.split('=');
    query.set(key, value);
    const res = await get(`/api/studies/run?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_parameter');
    expect(res.body.error.message).toContain(name.startsWith('"') ? name : `${name}:`);
  });

  it('an unknown benchmark is a 404 unknown_symbol naming it', async () => {
    const query = new URLSearchParams(RUN.split('?')[1]);
    query.set('benchmark', 'NOPE');
    const res = await get(`/api/studies/run?${query}`);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'unknown_symbol', message: 'benchmark: unknown symbol NOPE' });
  });

  it('an unknown event or group is a 404 not_found naming it', async () => {
    const e = await get('/api/studies/run?events=nope&group=bundled-equities');
    expect(e.status).toBe(404);
    expect(e.body.error.code).toBe('not_found');
    expect(e.body.error.message).toMatch(/events: unknown event nope/);
    const g = await get('/api/studies/run?events=deepseek-app-store-no1&group=nope');
    expect(g.body.error).toMatchObject({ code: 'not_found', details: [{ param: 'group' }] });
    expect(g.body.error.message).toMatch(/group: unknown group nope/);
    const k = await get('/api/studies/run?events=kind:nothing&symbols=NVDA');
    expect(k.body.error.message).toMatch(/events: no event of kind nothing/);
  });

  it('the CSVs carry the numbers of the JSON', async () => {
    const agg = await get(RUN.replace('/run?', '/run/aggregate.csv?'));
    expect(agg.status).toBe(200);
    expect(agg.headers['content-type']).toMatch(/text\/csv/);
    const [header, ...rows] = agg.text
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    const car00 = rows.find(
      (r) => r[header.indexOf('row')] === 'car' && r[header.indexOf('from')] === '0' && r[header.indexOf('to')] === '0',
    )!;
    const want = study.aggregate.cars[0];
    expect(Number(car00[header.indexOf('caar')])).toBe(want.caar);
    expect(Number(car00[header.indexOf('csectT')])).toBe(want.tests.csectT!.stat);
    expect(Number(car00[header.indexOf('csectT_p')])).toBe(want.tests.csectT!.p);
    const members = await get(RUN.replace('/run?', '/run/members.csv?'));
    const lines = members.text.trim().split('\r\n');
    expect(lines).toHaveLength(1 + study.members.reduce((s, m) => s + Math.max(1, m.days.length), 0));
  });
});

describe('saved studies', () => {
  it('POST (admin), GET computed now, PATCH, list, CSV, DELETE', async () => {
    const body = {
      slug: 'deepseek-app-store',
      title: 'The App Store shock',
      group: 'bundled-equities',
      events: ['deepseek-app-store-no1'],
      parameters: { window: [-5, 10], minObs: 30 },
    };
    expect((await request(t.app.url).post('/api/studies').send(body)).status).toBe(401);
    const created = await request(t.app.url).post('/api/studies').set(auth).send(body);
    expect(created.status).toBe(201);
    const saved = studyResponseSchema.parse(created.body);
    expect(saved.study!.parameters).toEqual({ window: '-5,10', minObs: '30' });
    const adHoc = (await get(RUN)).body as StudyResponse;
    expect(saved.aggregate).toEqual(adHoc.aggregate);

    const read = await get('/api/studies/deepseek-app-store');
    expect(read.body.aggregate).toEqual(adHoc.aggregate);
    studyListResponseSchema.parse((await get('/api/studies')).body);

    const patched = await request(t.app.url)
      .patch('/api/studies/deepseek-app-store')
      .set(auth)
      .send({ parameters: { window: '-1,5', cars: '0,0' }, title: 'Renamed' });
    expect(patched.status).toBe(200);
    expect(patched.body.study.title).toBe('Renamed');
    expect(patched.body.aggregate.days).toHaveLength(7);
    const bad = await request(t.app.url)
      .patch('/api/studies/deepseek-app-store')
      .set(auth)
      .send({ parameters: { model: 'capm' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('model');

    const listed = await request(t.app.url)
      .post('/api/studies')
      .set(auth)
      .send({
        slug: 'listed',
        title: 'Listed members',
        members: [
          { symbol: 'NVDA', event: 'deepseek-app-store-no1', subgroup: 'US' },
          { symbol: '6857.T', date: '2025-01-27', subgroup: 'Tokyo' },
        ],
      });
    expect(listed.status).toBe(201);
    expect(listed.body.subgroups.map((s: { subgroup: string }) => s.subgroup)).toEqual(['US', 'Tokyo']);
    expect(listed.body.members[1]).toMatchObject({ symbol: '6857.T', event: null, date: '2025-01-27', day0: '2025-01-27' });

    const csv = await get('/api/studies/listed/aggregate.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toContain('aftershock-study-listed-aggregate.csv');

    expect((await request(t.app.url).delete('/api/studies/listed').set(auth)).status).toBe(204);
    expect((await get('/api/studies/listed')).status).toBe(404);
  });
});

describe('world markets', () => {
  it('`import data/global` takes the bundled path; a Paris listing gets its day 0 on its own exchange', async () => {
    const summary = await importDirectory(t.db, path.join(__dirname, '../../data/global'));
    expect(summary).not.toHaveProperty('format');
    const res = await get('/api/studies/run?symbols=SU.PA,NVDA&events=deepseek-app-store-no1&cars=0,0');
    expect(res.status).toBe(200);
    const paris = (res.body as StudyResponse).members.find((m) => m.symbol === 'SU.PA')!;
    expect(paris).toMatchObject({ status: 'ok', day0: '2025-01-27' });
    expect((await get('/api/groups/bundled-equities')).body.group.symbols).toEqual(expect.arrayContaining(['NVDA', 'SU.PA']));
  });
});
