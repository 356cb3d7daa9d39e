// Issue 20, item 3: degenerate prices and hostile text are refused by `aftershock import`, naming file, row and
// reason: non-finite or non-positive prices, a high below the open or close and a low above them, consecutive
// closes whose return is not a finite number (1e308 after 1e-308), control characters in kinds and slugs.
// Titles keep any text (the dashboard sets text only). And price_moves can never get Infinity.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { importDirectory } from '../../src/bundled/folderImport';
import { upsertDailyBars } from '../../src/bars/dailyBarStore';
import { saveInstrument } from '../../src/instruments/instrumentStore';
import { detectAndStoreMoves } from '../../src/moves/moveDetection';
import { PROJECT_ROOT } from '../support/appProcess';
import { useTestApp } from '../support/testApp';
import { countRows, useImportFolders } from './importFolders';

const t = useTestApp();
const folder = useImportFolders('import-degenerate');

const count = (sql: string) => countRows(t.db.pool, sql);
const zzRows = async () =>
  (await count(`SELECT count(*) AS n FROM instruments WHERE symbol LIKE 'ZZD%'`)) +
  (await count(`SELECT count(*) AS n FROM events WHERE slug LIKE 'zzd-%'`));

describe('import refuses degenerate bars, naming file, row and reason', () => {
  it.each([
    [
      'a close of 1e308 after 1e-308',
      'date,close\n2025-01-02,1e-308\n2025-01-03,1e308\n',
      /ZZD\.csv: row 3: close 1e\+308 after 1e-308 gives a return that is not a finite number/,
    ],
    [
      'a close of 1e-308 after 1e308',
      'date,close\n2025-01-02,1e308\n2025-01-03,1e-308\n',
      /ZZD\.csv: row 3: close 1e-308 after 1e\+308 gives a return that is not a finite number/,
    ],
    [
      'an adjusted close of 1e308 after 1e-308',
      'date,close,adj_close\n2025-01-02,10,1e-308\n2025-01-03,10,1e308\n',
      /ZZD\.csv: row 3: adj_close 1e\+308 after/,
    ],
    ['a close of 1e309 (Infinity)', 'date,close\n2025-01-02,1e309\n', /ZZD\.csv: row 2: close "1e309" is not a positive number/],
    ['a close of 0', 'date,close\n2025-01-02,0\n', /ZZD\.csv: row 2: close "0" is not a positive number/],
    ['a high of 1 and a low of 10', 'date,open,high,low,close\n2025-01-02,5,1,10,5\n', /ZZD\.csv: row 2: high 1 is below the (open|close)/],
    ['a high below the close', 'date,open,high,low,close\n2025-01-02,5,6,4,7\n', /ZZD\.csv: row 2: high 6 is below the close/],
    ['a low above the open', 'date,open,high,low,close\n2025-01-02,3,6,4,5\n', /ZZD\.csv: row 2: low 4 is above the open/],
  ])('%s', async (_what, csv, message) => {
    await expect(importDirectory(t.db, folder({ 'ZZD.csv': csv }))).rejects.toThrow(message);
    expect(await zzRows()).toBe(0);
  });

  it('a high and low without an open are held to the close', async () => {
    await importDirectory(t.db, folder({ 'ZZDOK.csv': 'date,high,low,close\n2025-01-02,11,9,10\n2025-01-03,,,10.5\n' }));
    expect(await count(`SELECT count(*) AS n FROM daily_bars WHERE symbol = 'ZZDOK'`)).toBe(2);
    await t.db.pool.query(`DELETE FROM instruments WHERE symbol = 'ZZDOK'`);
  });
});

describe('import refuses control characters in kinds and slugs; titles keep any text', () => {
  it.each([
    [
      'a kind with CR LF',
      'title,date,kind\nZZD news,2025-01-03,"news\r\nX: y"\n',
      /events\.csv: row 2: kind "news\\r\\nX: y" is not a lowercase word/,
    ],
    ['a kind with a tab', 'title,date,kind\nZZD news,2025-01-03,"news\tx"\n', /events\.csv: row 2: kind "news\\tx"/],
    [
      'a slug with a control character',
      'slug,title,date\n"zzd-\u0007bell",ZZD news,2025-01-03\n',
      /events\.csv: row 2: slug "zzd-\\u0007bell" is not a lowercase slug/,
    ],
  ])('%s', async (_what, csv, message) => {
    await expect(importDirectory(t.db, folder({ 'ZZD.csv': 'date,close\n2025-01-02,10\n', 'events.csv': csv }))).rejects.toThrow(message);
    expect(await zzRows()).toBe(0);
  });

  it('a kind with CR LF in a folder of the bundled format', async () => {
    const before = await countRows(t.db.pool, 'SELECT count(*) AS n FROM news_items');
    const events = 'occurred_at_utc,title,url,source,kind\n2025-01-03,ZZD news,https://example.com/zzd,x,"news\r\nX: y"\n';
    await expect(importDirectory(t.db, folder({ 'events.csv': events }))).rejects.toThrow(/events\.csv: row 2: kind "news\\r\\nX: y"/);
    expect(await countRows(t.db.pool, 'SELECT count(*) AS n FROM news_items')).toBe(before);
  });

  it('a share count that is not a positive whole number, in a folder of the bundled format', async () => {
    const nvda = fs.readFileSync(path.join(PROJECT_ROOT, 'data/market/NVDA.csv'), 'utf8');
    const shares = 'ticker,shares,as_of,basis,confidence,source\nNVDA,1e400,2024-12-31,x,low,x\n';
    await expect(importDirectory(t.db, folder({ 'NVDA.csv': nvda, 'shares_outstanding.csv': shares }))).rejects.toThrow(
      /shares_outstanding\.csv: row 2: shares "1e400" is not a positive whole number/,
    );
  });

  it('a title with markup is stored as given (the dashboard sets it as text: badInput)', async () => {
    const title = '<img src=x onerror=alert(1)> ZZD "quoted" news';
    await importDirectory(
      t.db,
      folder({
        'ZZDT.csv': 'date,close\n2025-01-02,10\n',
        'events.csv': `slug,title,date\nzzd-markup,"${title.replace(/"/g, '""')}",2025-01-03\n`,
      }),
    );
    expect((await request(t.app.url).get('/api/events/zzd-markup')).body.event.title).toBe(title);
    await t.db.pool.query(`DELETE FROM events WHERE slug = 'zzd-markup'`);
    await t.db.pool.query(`DELETE FROM instruments WHERE symbol = 'ZZDT'`);
  });
});

describe('price_moves never holds Infinity', () => {
  it('bars 1e-308 then 1e308 stored by another path give no infinite move', async () => {
    await saveInstrument(t.db.pool, {
      symbol: 'ZZDINF',
      name: 'ZZDINF (synthetic)',
      exchange: 'US',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'equity',
      benchmarkSymbol: '^GSPC',
    });
    const bars = ['2025-01-02', '2025-01-03', '2025-01-06', '2025-01-07'].map((date, k) => ({
      symbol: 'ZZDINF',
      date,
      open: null,
      high: null,
      low: null,
      close: [1e-308, 1e308, 1e-308, 1][k],
      adjClose: null,
      volume: null,
    }));
    await upsertDailyBars(t.db.pool, bars, { source: 'test' });
    await detectAndStoreMoves(t.db, ['ZZDINF']);
    const { rows } = await t.db.pool.query(`SELECT move, "return", abnormal_return, z FROM price_moves WHERE symbol = 'ZZDINF'`);
    for (const row of rows) for (const v of Object.values(row)) if (v !== null) expect(Number.isFinite(v)).toBe(true);
    const csv = await request(t.app.url).get('/api/export/moves.csv');
    expect(csv.status).toBe(200);
    expect(csv.text).not.toMatch(/Infinity/);
  });
});
