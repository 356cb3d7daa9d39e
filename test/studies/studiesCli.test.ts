// The study commands through the real binary: groups, `study run` (table and --json = the API's JSON),
// `studies import` of a request file (bad rows refused with their row), `export study` (= the HTTP CSV), and
// `import DIR` refusing a folder with a bad row without writing anything.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import { runCli } from '../support/appProcess';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

let db: TestDatabase;
let app: RunningApp;
let tmp: string;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp(db);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-studies-cli-'));
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli(args, { DATABASE_URL: db.url, LOG_LEVEL: 'warn' });

describe('aftershock groups', () => {
  it('create, add, remove, show, list, delete', async () => {
    const created = await cli('groups', 'create', 'us-chips', 'NVDA', '--title', 'US chips');
    expect(created.status).toBe(0);
    expect(JSON.parse(created.stdout).symbols).toEqual(['NVDA']);
    expect(JSON.parse((await cli('groups', 'add', 'us-chips', 'SMH,6857.T')).stdout).symbols).toEqual(['NVDA', 'SMH', '6857.T']);
    expect(JSON.parse((await cli('groups', 'remove', 'us-chips', '6857.T')).stdout).symbols).toEqual(['NVDA', 'SMH']);
    const unknown = await cli('groups', 'add', 'us-chips', 'NOPE');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown symbol NOPE/);
    expect((await cli('groups', 'list')).lines.map((l) => JSON.parse(l).slug)).toEqual(['bundled-equities', 'us-chips']);
    expect((await cli('groups', 'delete', 'us-chips')).status).toBe(0);
    expect((await cli('groups', 'show', 'us-chips')).status).toBe(1);
  });
});

describe('aftershock study run', () => {
  const ARGS = [
    'study',
    'run',
    '--events',
    'deepseek-app-store-no1',
    '--group',
    'bundled-equities',
    '--window=-5,10',
    '--cars',
    '0,0;-1,1',
  ];

  it('--json prints the JSON of GET /api/studies/run', async () => {
    const out = await cli(...ARGS, '--json');
    expect(out.status).toBe(0);
    const api = await request(app.url).get(
      '/api/studies/run?events=deepseek-app-store-no1&group=bundled-equities&window=-5,10&cars=0,0;-1,1',
    );
    expect(JSON.parse(out.stdout)).toEqual(api.body);
  });

  it('prints the aggregate table with marks and the members left out', async () => {
    const out = await cli(...ARGS);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^3 of 4 members included/);
    expect(out.stdout).toMatch(/offset +n +AAR +CAAR +csectT +p +patellZ/);
    expect(out.stdout).toMatch(/\n\[0,0\] +3 /);
    expect(out.stdout).toMatch(/8035\.T deepseek-app-store-no1: insufficient_estimation/);
    expect(out.stdout).toMatch(/\*\*\* p < 0\.01/);
  });

  it('a bad option is exit code 2 naming it', async () => {
    const out = await cli(...ARGS, '--model', 'capm');
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/model/);
  });
});

describe('aftershock studies import and export study', () => {
  it('refuses a request file with a bad row, naming the row, and saves nothing', async () => {
    const file = path.join(tmp, 'bad.csv');
    fs.writeFileSync(file, 'symbol,event,date,subgroup\nNVDA,deepseek-app-store-no1,,US\n6857.T,,2025-13-01,Tokyo\n');
    const out = await cli('studies', 'import', file, '--slug', 'bad');
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/bad\.csv: row 3: date "2025-13-01"/);
    const unknownEvent = path.join(tmp, 'unknown.csv');
    fs.writeFileSync(unknownEvent, 'symbol,event\nNVDA,deepseek-app-store-no1\nNVDA,nope\n');
    const out2 = await cli('studies', 'import', unknownEvent, '--slug', 'bad');
    expect(out2.status).toBe(2);
    expect(out2.stderr).toMatch(/unknown\.csv: row 3: event: unknown event nope/);
    expect((await request(app.url).get('/api/studies/bad')).status).toBe(404);
  });

  it('saves a study from a request file; export study writes the bytes of the HTTP CSV', async () => {
    const file = path.join(tmp, 'members.csv');
    fs.writeFileSync(
      file,
      'symbol,event,date,subgroup\nNVDA,deepseek-app-store-no1,,US\n6857.T,deepseek-app-store-no1,,Tokyo\n9984.T,,2025-01-27,Tokyo\n',
    );
    const out = await cli('studies', 'import', file, '--slug', 'from-file', '--title', 'From a file', '--window=-3,5', '--cars', '0,0;0,1');
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ saved: 'from-file', members: 3, included: 3 });
    const saved = await request(app.url).get('/api/studies/from-file');
    expect(saved.body.subgroups.map((s: { subgroup: string }) => s.subgroup)).toEqual(['US', 'Tokyo']);
    expect(saved.body.options.window).toEqual([-3, 5]);
    for (const part of ['members', 'aggregate']) {
      const csv = await cli('export', 'study', 'from-file', '--part', part);
      expect(csv.status).toBe(0);
      expect(csv.stdout).toBe((await request(app.url).get(`/api/studies/from-file/${part}.csv`)).text);
    }
  });
});

describe('aftershock import DIR (the documented folder format)', () => {
  it('refuses a folder with a bad row, naming file, row and reason, and writes nothing', async () => {
    const dir = path.join(tmp, 'bad-folder');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'ZZA.csv'), 'date,close\n2025-01-02,10\n2025-01-03,11\n');
    fs.writeFileSync(path.join(dir, 'ZZB.csv'), 'date,close,volume\n2025-01-02,10,5\n2025-01-03,-1,5\n');
    fs.writeFileSync(path.join(dir, 'events.csv'), 'slug,title,date\nzz-news,ZZ news,2025-01-03\n');
    const out = await cli('import', dir);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/ZZB\.csv: row 3: close "-1" is not a positive number/);
    expect((await db.pool.query("SELECT count(*)::int AS n FROM instruments WHERE symbol LIKE 'ZZ%'")).rows[0].n).toBe(0);
    expect((await db.pool.query("SELECT count(*)::int AS n FROM events WHERE slug = 'zz-news'")).rows[0].n).toBe(0);
  });

  it('imports a good folder: instruments (made up from the file name), bars, events; again changes nothing', async () => {
    const dir = path.join(tmp, 'good-folder');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'ZZA.csv'), 'date,close,adj_close\n2025-01-02,10,9.5\n2025-01-03,11,\n');
    fs.writeFileSync(
      path.join(dir, 'events.csv'),
      'slug,title,instant,kind,url\nzz-news,ZZ news,2025-01-03T14:00:00Z,earnings,https://example.com/zz\n',
    );
    const first = await cli('import', dir);
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ format: 'folder', instruments: 1, bars: { rowsNew: 2, files: 1 }, events: 1 });
    const instrument = (await request(app.url).get('/api/instruments/ZZA')).body.instrument;
    expect(instrument).toMatchObject({ symbol: 'ZZA', exchange: 'US', currency: 'USD', benchmark: '^GSPC' });
    expect((await request(app.url).get('/api/events/zz-news')).body.event.kind).toBe('earnings');
    expect(JSON.parse((await cli('import', dir)).stdout).bars).toMatchObject({ rowsNew: 0, rowsUnchanged: 2 });
  });
});
