import path from 'node:path';
import { importBundledData } from '../../src/bundled/bundledImport';
import { parseBarsStored, upsertDailyBars } from '../../src/bars/dailyBarStore';
import type { DailyBarInput } from '../../src/marketdata/types';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

const count = async (sql: string) => Number((await db.pool.query(sql)).rows[0].n);
const bar = (date: string, close: number, extra: Partial<DailyBarInput> = {}): DailyBarInput => ({
  symbol: 'SMH',
  date,
  open: close,
  high: close,
  low: close,
  close,
  adjClose: null,
  volume: 1,
  ...extra,
});

describe('bundled import', () => {
  it('is idempotent: a second import adds and changes nothing', async () => {
    const before = {
      bars: await count('SELECT count(*) AS n FROM daily_bars'),
      events: await count('SELECT count(*) AS n FROM events'),
      news: await count('SELECT count(*) AS n FROM news_items'),
      links: await count('SELECT count(*) AS n FROM event_news'),
    };
    // the template was imported once: 1,063 bar rows across nine CSVs (header lines excluded)
    expect(before.bars).toBe(120 + 74 + 120 + 124 + 124 + 120 + 124 + 119 + 129);
    const summary = await importBundledData(db, path.join(__dirname, '../../data/market'));
    expect(summary.bars).toEqual({ rowsNew: 0, rowsUpdated: 0, rowsUnchanged: before.bars, files: 9 });
    expect(await count('SELECT count(*) AS n FROM daily_bars')).toBe(before.bars);
    expect(await count('SELECT count(*) AS n FROM events')).toBe(6);
    expect(await count('SELECT count(*) AS n FROM news_items')).toBe(before.news);
    expect(await count('SELECT count(*) AS n FROM event_news')).toBe(before.links);
  });

  it('records each import as an ingest run', async () => {
    const { rows } = await db.pool.query(
      `SELECT status, rows_unchanged FROM ingest_runs WHERE job = 'import' AND symbol = 'NVDA' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toEqual({ status: 'ok', rows_unchanged: 124 });
  });
});

describe('upsertDailyBars', () => {
  it('counts new, updated and unchanged rows', async () => {
    const first = await upsertDailyBars(db.pool, [bar('2030-01-02', 10), bar('2030-01-03', 11)], { source: 'test' });
    expect(first).toEqual({ rowsNew: 2, rowsUpdated: 0, rowsUnchanged: 0 });
    const second = await upsertDailyBars(db.pool, [bar('2030-01-02', 10), bar('2030-01-03', 12), bar('2030-01-06', 13)], {
      source: 'test',
    });
    expect(second).toEqual({ rowsNew: 1, rowsUpdated: 1, rowsUnchanged: 1 });
    const { rows } = await db.pool.query(`SELECT date, close FROM daily_bars WHERE symbol = 'SMH' AND date >= '2030-01-01' ORDER BY date`);
    expect(rows).toEqual([
      { date: '2030-01-02', close: 10 },
      { date: '2030-01-03', close: 12 },
      { date: '2030-01-06', close: 13 },
    ]);
  });

  it('replaces a provisional bar with the final one, never the other way round', async () => {
    await upsertDailyBars(db.pool, [bar('2030-02-01', 20, { provisional: true })], { source: 'test' });
    expect(await upsertDailyBars(db.pool, [bar('2030-02-01', 21)], { source: 'test' })).toEqual({
      rowsNew: 0,
      rowsUpdated: 1,
      rowsUnchanged: 0,
    });
    expect(await upsertDailyBars(db.pool, [bar('2030-02-01', 22, { provisional: true })], { source: 'test' })).toEqual({
      rowsNew: 0,
      rowsUpdated: 0,
      rowsUnchanged: 1,
    });
    const { rows } = await db.pool.query(`SELECT close, provisional FROM daily_bars WHERE symbol = 'SMH' AND date = '2030-02-01'`);
    expect(rows).toEqual([{ close: 21, provisional: false }]);
  });

  it('stores nulls as nulls and keeps the last of duplicate rows in one batch', async () => {
    const r = await upsertDailyBars(
      db.pool,
      [bar('2030-03-01', 30, { open: null, volume: null }), bar('2030-03-01', 31, { open: null, volume: null })],
      { source: 'test' },
    );
    expect(r.rowsNew).toBe(1);
    const { rows } = await db.pool.query(`SELECT open, close, volume FROM daily_bars WHERE symbol = 'SMH' AND date = '2030-03-01'`);
    expect(rows).toEqual([{ open: null, close: 31, volume: null }]);
  });

  it('rejects a whole batch that violates a constraint, leaving nothing half-written', async () => {
    await expect(
      upsertDailyBars(db.pool, [bar('2030-04-01', 40), { ...bar('2030-04-02', 41), symbol: 'UNKNOWN' }], { source: 'test' }),
    ).rejects.toThrow(/foreign key/);
    expect(await count(`SELECT count(*) AS n FROM daily_bars WHERE date >= '2030-04-01'`)).toBe(0);
  });
});

describe('parseBarsStored', () => {
  it('reads the payload the bar stores send', () => {
    expect(parseBarsStored('{"interval":"1d","symbols":["NVDA","SMH"],"from":"2024-01-02","to":"2024-01-03"}')).toEqual({
      interval: '1d',
      symbols: ['NVDA', 'SMH'],
      sessions: { from: '2024-01-02', to: '2024-01-03' },
    });
    expect(parseBarsStored('{"interval":"5m","symbols":["NVDA"]}')).toEqual({ interval: '5m', symbols: ['NVDA'], sessions: null });
    expect(parseBarsStored('{"symbols":[]}')).toEqual({ interval: null, symbols: [], sessions: null });
  });

  it('is null ("everything") for a payload it cannot read', () => {
    for (const payload of [undefined, '', 'not json', 'null', '42', '{}', '{"symbols":"NVDA"}', '{"symbols":["NVDA",1]}']) {
      expect(parseBarsStored(payload)).toBeNull();
    }
  });
});
