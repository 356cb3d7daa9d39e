import pg from 'pg';
import { upsertIntradayBars } from '../../src/bars/intradayBarStore';
import type { IntradayBarInput } from '../../src/marketdata/types';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

const bar = (ts: string, close: number, extra: Partial<IntradayBarInput> = {}): IntradayBarInput => ({
  symbol: 'NVDA',
  interval: '5m',
  ts: new Date(ts),
  open: close,
  high: close,
  low: close,
  close,
  volume: 100,
  ...extra,
});

/** LISTEN on bars_stored while `fn` runs; the payloads received. */
async function notificationsDuring(fn: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const got: Record<string, unknown>[] = [];
  client.on('notification', (n) => got.push(JSON.parse(n.payload ?? 'null')));
  await client.query('LISTEN bars_stored');
  await fn();
  // a round trip on the listening connection: notifications sent before it have arrived
  await client.query('SELECT 1');
  await client.end();
  return got;
}

describe('upsertIntradayBars', () => {
  it('counts new, updated and unchanged rows and stores nulls as nulls', async () => {
    const first = await upsertIntradayBars(db.pool, [bar('2030-01-02T14:30:00Z', 10), bar('2030-01-02T14:35:00Z', 11, { volume: null })], {
      source: 'test',
    });
    expect(first).toEqual({ rowsNew: 2, rowsUpdated: 0, rowsUnchanged: 0 });
    const second = await upsertIntradayBars(
      db.pool,
      [bar('2030-01-02T14:30:00Z', 10), bar('2030-01-02T14:35:00Z', 12, { volume: null }), bar('2030-01-02T14:40:00Z', 13)],
      { source: 'test' },
    );
    expect(second).toEqual({ rowsNew: 1, rowsUpdated: 1, rowsUnchanged: 1 });
    const { rows } = await db.pool.query(
      `SELECT ts, close, volume FROM intraday_bars WHERE symbol = 'NVDA' AND ts >= '2030-01-02' ORDER BY ts`,
    );
    expect(rows.map((r) => [r.ts.toISOString(), r.close, r.volume])).toEqual([
      ['2030-01-02T14:30:00.000Z', 10, 100],
      ['2030-01-02T14:35:00.000Z', 12, null],
      ['2030-01-02T14:40:00.000Z', 13, 100],
    ]);
  });

  it('keeps intervals apart: the same instant at 5m and 1h is two rows', async () => {
    const r = await upsertIntradayBars(db.pool, [bar('2030-02-03T15:00:00Z', 20), bar('2030-02-03T15:00:00Z', 21, { interval: '1h' })], {
      source: 'test',
    });
    expect(r.rowsNew).toBe(2);
  });

  it('notifies bars_stored with the interval when rows changed, and stays silent when nothing did', async () => {
    const bars = [bar('2030-03-04T14:30:00Z', 30), bar('2030-03-04T14:35:00Z', 31)];
    const changed = await notificationsDuring(() => upsertIntradayBars(db.pool, bars, { source: 'test' }));
    expect(changed).toEqual([{ interval: '5m', symbols: ['NVDA'], from: '2030-03-04T14:30:00+00:00', to: '2030-03-04T14:35:00+00:00' }]);
    const same = await notificationsDuring(() => upsertIntradayBars(db.pool, bars, { source: 'test' }));
    expect(same).toEqual([]);
  });

  it('rejects a batch for an unknown instrument, writing nothing', async () => {
    await expect(
      upsertIntradayBars(db.pool, [bar('2030-04-01T14:30:00Z', 40), { ...bar('2030-04-01T14:35:00Z', 41), symbol: 'NOPE' }], {
        source: 'test',
      }),
    ).rejects.toThrow(/foreign key/);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM intraday_bars WHERE ts >= '2030-04-01'`);
    expect(rows[0].n).toBe(0);
  });
});
