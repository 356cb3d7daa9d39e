// `aftershock import DIR` reads intraday/SYMBOL_<interval>.csv (issue 22): a good file is stored (a bar off the
// slot grid kept) and announced on the bars bus; a bad one is refused whole, naming file, row and reason, with
// nothing written.
import pg from 'pg';
import { importDirectory } from '../../src/bundled/folderImport';
import { syntheticIntradayUniverse, syntheticUniverseFiles } from '../../src/bundled/syntheticIntraday';
import { BARS_STORED_CHANNEL } from '../../src/bars/dailyBarStore';
import { countRows, useImportFolders } from '../faults/importFolders';
import { useTestApp } from '../support/testApp';

const t = useTestApp();
const folder = useImportFolders('import-intraday');
const HEADER = 'ts_utc,open,high,low,close,volume';
// New York, Monday 27 Jan 2025: the session is 14:30Z-21:00Z
const US_BARS = [HEADER, '2025-01-27T14:30:00Z,10,10.5,9.9,10.2,1000', '2025-01-27T14:35:00Z,10.2,10.3,10.1,10.25,800'];

describe('folder import of intraday bars', () => {
  it('stores the synthetic universe (daily and 5-minute bars) and announces the intraday bars on the bars bus', async () => {
    const universe = syntheticIntradayUniverse({ sessionsBefore: 3, sessionsAfter: 1 });
    const listener = new pg.Client({ connectionString: t.db.url });
    await listener.connect();
    const payloads: string[] = [];
    listener.on('notification', (n) => payloads.push(n.payload ?? ''));
    await listener.query(`LISTEN ${BARS_STORED_CHANNEL}`);
    try {
      const summary = await importDirectory(t.db, folder(syntheticUniverseFiles(universe)));
      const total = Object.values(universe.bars).reduce((n, b) => n + b.length, 0);
      expect(summary).toMatchObject({ format: 'folder', intradayBars: { files: 7, rowsNew: total } });
      expect(await countRows(t.db.pool, `SELECT count(*) AS n FROM intraday_bars WHERE symbol = 'SYN-JP1' AND interval = '5m'`)).toBe(
        universe.bars['SYN-JP1'].length,
      );
      const jp = (await t.db.pool.query(`SELECT exchange, name FROM instruments WHERE symbol = 'SYN-JP1'`)).rows[0];
      expect(jp).toEqual({ exchange: 'TSE', name: 'Synthetic Tokyo chip tester (synthetic data)' });
      // the NOTIFY of a transaction arrives at its commit; give the socket a moment
      for (let i = 0; i < 50 && !payloads.some((p) => p.includes('"5m"')); i++) await new Promise((r) => setTimeout(r, 100));
      const intraday = payloads.map((p) => JSON.parse(p)).find((p) => p.interval === '5m');
      expect(intraday.symbols).toEqual(expect.arrayContaining(['SYN-US1', 'SYN-JP2', '^SYN-JP']));
    } finally {
      await listener.end();
    }
  });

  it('keeps a bar off the slot grid, and reads a symbol listed only by its intraday file', async () => {
    const rows = [...US_BARS, '2025-01-27T14:42:00Z,10.25,10.3,10.2,10.22,500'];
    const summary = await importDirectory(t.db, folder({ 'intraday/ZZIA_5m.csv': rows.join('\n') }));
    expect(summary).toMatchObject({ instruments: 1, intradayBars: { files: 1, rowsNew: 3 } });
    const stored = await t.db.pool.query(`SELECT ts, close FROM intraday_bars WHERE symbol = 'ZZIA' ORDER BY ts`);
    expect(stored.rows.map((r) => [r.ts.toISOString(), Number(r.close)])).toEqual([
      ['2025-01-27T14:30:00.000Z', 10.2],
      ['2025-01-27T14:35:00.000Z', 10.25],
      ['2025-01-27T14:42:00.000Z', 10.22],
    ]);
  });

  it('reads intraday/N225_5m.csv as the stored index ^N225', async () => {
    const rows = [HEADER, '2025-01-27T00:00:00Z,39500,39600,39400,39550,0', '2025-01-27T00:05:00Z,39550,39560,39500,39510,0'];
    const summary = await importDirectory(t.db, folder({ 'intraday/N225_5m.csv': rows.join('\n') }));
    expect(summary).toMatchObject({ instruments: 0, intradayBars: { files: 1, rowsNew: 2 } });
    expect(await countRows(t.db.pool, `SELECT count(*) AS n FROM intraday_bars WHERE symbol = '^N225'`)).toBe(2);
    expect(await countRows(t.db.pool, `SELECT count(*) AS n FROM instruments WHERE symbol = 'N225'`)).toBe(0);
  });

  const JP_INSTRUMENTS = 'symbol,name,exchange,currency,time_zone,kind,benchmark\nZZIJ.T,ZZ Tokyo test,TSE,JPY,Asia/Tokyo,equity,none\n';
  it.each([
    [
      'descending bars',
      { 'intraday/ZZIB_5m.csv': [HEADER, US_BARS[2], US_BARS[1]].join('\n') },
      /intraday\/ZZIB_5m\.csv: row 3: ts_utc 2025-01-27T14:30:00Z is before 2025-01-27T14:35:00Z/,
    ],
    [
      'a bar outside the session',
      { 'intraday/ZZIB_5m.csv': [...US_BARS, '2025-01-27T21:00:00Z,10,10,10,10,1'].join('\n') },
      /intraday\/ZZIB_5m\.csv: row 4: 2025-01-27T21:00:00Z \(16:00 America\/New_York\) is outside the sessions of ZZIB's market US/,
    ],
    [
      'a bar on a holiday',
      { 'intraday/ZZIB_5m.csv': [HEADER, '2025-01-20T15:00:00Z,10,10,10,10,1'].join('\n') },
      /intraday\/ZZIB_5m\.csv: row 2: .* is outside the sessions/,
    ],
    [
      "a bar in Tokyo's lunch break",
      {
        'instruments.csv': JP_INSTRUMENTS,
        'intraday/ZZIJ.T_5m.csv': [HEADER, '2025-01-27T02:25:00Z,100,100,100,100,1', '2025-01-27T02:30:00Z,100,100,100,100,1'].join('\n'),
      },
      /intraday\/ZZIJ\.T_5m\.csv: row 3: 2025-01-27T02:30:00Z \(11:30 Asia\/Tokyo\) is in TSE's break 11:30-12:30 of 2025-01-27/,
    ],
    [
      'a negative price',
      { 'intraday/ZZIB_5m.csv': [...US_BARS, '2025-01-27T14:40:00Z,10,10.4,-1,10.3,10'].join('\n') },
      /intraday\/ZZIB_5m\.csv: row 4: low "-1" is not a positive number/,
    ],
    [
      'a price that is not finite',
      { 'intraday/ZZIB_5m.csv': [...US_BARS, '2025-01-27T14:40:00Z,10,10.4,10,Infinity,10'].join('\n') },
      /row 4: close "Infinity" is not a positive number/,
    ],
    [
      'an instant without its zone',
      { 'intraday/ZZIB_5m.csv': [HEADER, '2025-01-27T14:30:00,10,10,10,10,1'].join('\n') },
      /row 2: ts_utc "2025-01-27T14:30:00" is not an ISO 8601 instant/,
    ],
    [
      'an unknown interval',
      { 'intraday/ZZIB_7m.csv': US_BARS.join('\n') },
      /intraday\/ZZIB_7m\.csv: name intraday bar files SYMBOL_<interval>\.csv/,
    ],
  ])('refuses %s, naming file, row and reason, and writes nothing', async (_what, files, message) => {
    const good = { 'intraday/ZZIC_5m.csv': US_BARS.join('\n'), 'ZZIC.csv': 'date,close\n2025-01-27,10.25\n' };
    await expect(importDirectory(t.db, folder({ ...good, ...files }))).rejects.toThrow(message);
    expect(await countRows(t.db.pool, `SELECT count(*) AS n FROM intraday_bars WHERE symbol IN ('ZZIB', 'ZZIC', 'ZZIJ.T')`)).toBe(0);
    expect(await countRows(t.db.pool, `SELECT count(*) AS n FROM instruments WHERE symbol IN ('ZZIB', 'ZZIC', 'ZZIJ.T')`)).toBe(0);
  });
});
