// Issue 20, item 2: `aftershock import` applies the API's 1900-01-01..2100-12-31 limits to bar dates and event
// instants (a 2101 bar would report sessionsMissed 0 for ever), and no stored row can make a read 500: rows put
// in directly (another writer, an older version) with a far-future instant are read around, not failed on. A
// `POST /api/studies` is run before it is saved, so a study that cannot run is never saved.
import request from 'supertest';
import { importDirectory } from '../../src/bundled/folderImport';
import { detectAndStoreMoves } from '../../src/moves/moveDetection';
import { useTestApp } from '../support/testApp';
import { countRows, useImportFolders } from './importFolders';

const ADMIN_TOKEN = 'import-limits-admin-token-0123456789';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const t = useTestApp({ ADMIN_TOKEN });
const folder = useImportFolders('import-limits');

const count = (sql: string) => countRows(t.db.pool, sql);
const zzRows = async () =>
  (await count(`SELECT count(*) AS n FROM instruments WHERE symbol LIKE 'ZZT%'`)) +
  (await count(`SELECT count(*) AS n FROM events WHERE slug LIKE 'zzt-%'`));

const GOOD_BARS = 'date,close\n2025-01-02,10\n2025-01-03,11\n';

describe('import applies the API date limits', () => {
  it.each([
    [
      'a bar of 1899-12-29',
      { 'ZZT.csv': 'date,close\n1899-12-29,10\n2025-01-02,11\n' },
      /ZZT\.csv: row 2: date 1899-12-29 must be between 1900-01-01 and 2100-12-31/,
    ],
    [
      'a bar of 2101-01-03',
      { 'ZZT.csv': 'date,close\n2025-01-02,10\n2101-01-03,11\n' },
      /ZZT\.csv: row 3: date 2101-01-03 must be between/,
    ],
    [
      'an event instant of 9999-12-31T23:59:59+14:00',
      { 'ZZT.csv': GOOD_BARS, 'events.csv': 'slug,title,instant\nzzt-far,Far,9999-12-31T23:59:59+14:00\n' },
      /events\.csv: row 2: instant 9999-12-31T23:59:59\+14:00 must be between 1900-01-01 and 2100-12-31 \(UTC\)/,
    ],
    [
      'an event date of 2101-01-01',
      { 'ZZT.csv': GOOD_BARS, 'events.csv': 'slug,title,date\nzzt-far,Far,2101-01-01\n' },
      /events\.csv: row 2: date 2101-01-01 must be between/,
    ],
    [
      'an instant of 1899-12-31T23:00:00-02:00 (1900 in UTC) is fine, one of 1900-01-01T01:00:00+02:00 is not',
      {
        'ZZT.csv': GOOD_BARS,
        'events.csv': 'slug,title,instant\nzzt-ok,Ok,1899-12-31T23:00:00-02:00\nzzt-far,Far,1900-01-01T01:00:00+02:00\n',
      },
      /nothing imported: 1 problem:\nevents\.csv: row 3: instant 1900-01-01T01:00:00\+02:00 must be between/,
    ],
    [
      'a bundled-format event instant of 9999-12-31T23:59:59+14:00',
      { 'events.csv': 'occurred_at_utc,title,url,source,kind\n9999-12-31T23:59:59+14:00,Far,https://example.com/far,x,news\n' },
      /events\.csv: row 2: 9999-12-31T23:59:59\+14:00 must be between/,
    ],
  ])('%s is refused, nothing stored', async (_what, files, message) => {
    const before = await count(`SELECT count(*) AS n FROM news_items`);
    await expect(importDirectory(t.db, folder(files))).rejects.toThrow(message);
    expect(await zzRows()).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM news_items`)).toBe(before);
  });
});

describe('no stored row can make a read 500', () => {
  beforeAll(async () => {
    // what the import stored before the limits, put in directly
    await t.db.pool.query(
      `INSERT INTO events (slug, title, occurred_at, date_only, kind) VALUES
         ('zzt-far-inst', 'Far instant', '9999-12-31T23:59:59+14:00', false, 'news'),
         ('zzt-far-past', 'Far past', '0001-01-01T00:00:00Z', false, 'news')`,
    );
    await t.db.pool.query(
      `INSERT INTO daily_bars (symbol, date, close, source) VALUES ('SMH', '2101-01-03', 100, 'x'), ('SMH', '1899-12-29', 100, 'x')`,
    );
  });
  afterAll(async () => {
    await t.db.pool.query(`DELETE FROM events WHERE slug LIKE 'zzt-%'`);
    await t.db.pool.query(`DELETE FROM daily_bars WHERE symbol = 'SMH' AND date IN ('2101-01-03', '1899-12-29')`);
  });

  it.each([
    '/api/studies/run?events=zzt-far-inst&group=bundled-equities',
    '/api/studies/run?events=zzt-far-past&group=bundled-equities',
    '/api/studies/run?events=kind:news&group=bundled-equities',
    '/api/studies/run?events=kind:news&symbols=SMH,NVDA&window=-250,250&estimation=-500,-251',
    '/api/studies/run/members.csv?events=kind:news&group=bundled-equities',
    '/api/studies/run?dates=2025-01-27&symbols=SMH',
    '/api/events',
    '/api/events/zzt-far-inst',
    '/api/events/zzt-far-inst/impact',
    '/api/events/zzt-far-past/impact',
    '/api/instruments',
    '/api/instruments/SMH/bars',
    '/api/status',
    '/api/moves',
    '/api/export/events.csv',
    '/api/export/bars.csv?symbols=SMH',
  ])('%s answers 200', async (url) => {
    const res = await request(t.app.url).get(url);
    expect(res.status).toBe(200);
  });

  it('move detection and linking run over them', async () => {
    await expect(detectAndStoreMoves(t.db, null)).resolves.toMatchObject({ symbols: expect.arrayContaining(['SMH']) });
  });

  it('POST /api/studies over kind:news saves a study whose GET answers 200; a refused POST saves nothing', async () => {
    const posted = await request(t.app.url)
      .post('/api/studies')
      .set(auth)
      .send({ slug: 'zzt-far-study', title: 'Far study', events: ['kind:news'], group: 'bundled-equities' });
    expect(posted.status).toBe(201);
    expect((await request(t.app.url).get('/api/studies/zzt-far-study')).status).toBe(200);
    expect((await request(t.app.url).get('/api/studies/zzt-far-study/members.csv')).status).toBe(200);
    const refused = await request(t.app.url)
      .post('/api/studies')
      .set(auth)
      .send({ slug: 'zzt-refused', title: 'Refused', events: ['zzt-unknown'], group: 'bundled-equities' });
    expect(refused.status).toBe(404); // an unknown event: not_found (issue 21, item 10)
    expect(await count(`SELECT count(*) AS n FROM studies WHERE slug = 'zzt-refused'`)).toBe(0);
  });
});
