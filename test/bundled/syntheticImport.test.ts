// The offline demo's intraday data (issue 22): `npm start` (IMPORT_BUNDLED_DATA) stores the synthetic universe as a
// group and an event that say "synthetic", with the generator's bars, under synthetic symbols only; once.
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import {
  SYNTHETIC_EVENT_SLUG,
  SYNTHETIC_GROUP_SLUG,
  SYNTHETIC_SOURCE,
  syntheticIntradayUniverse,
} from '../../src/bundled/syntheticIntraday';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

let db: TestDatabase;
let app: RunningApp | undefined;
beforeAll(async () => {
  db = await createTestDatabase(); // the bundled data/market import has run on it: only the synthetic part is new
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

describe('the synthetic intraday universe at start', () => {
  const universe = syntheticIntradayUniverse();

  it('is stored as a synthetic group with a synthetic event, bars as generated', async () => {
    app = await startTestApp(db, { IMPORT_BUNDLED_DATA: 'true' });
    const group = await request(app.url).get(`/api/groups/${SYNTHETIC_GROUP_SLUG}`);
    expect(group.status).toBe(200);
    expect(JSON.stringify(group.body)).toMatch(/Synthetic intraday universe \(synthetic data\)/);
    for (const s of universe.group.symbols) expect(JSON.stringify(group.body)).toContain(s);
    const event = await request(app.url).get(`/api/events/${SYNTHETIC_EVENT_SLUG}`);
    expect(event.status).toBe(200);
    expect(event.body.event).toMatchObject({ title: expect.stringMatching(/synthetic/i), occurredAt: '2025-02-19T15:30:00.000Z' });
    const instrument = await request(app.url).get('/api/instruments/SYN-JP1');
    expect(JSON.stringify(instrument.body)).toContain('Synthetic Tokyo chip tester (synthetic data)');

    const bars = await request(app.url)
      .get('/api/instruments/SYN-JP1/bars')
      .query({ interval: '5m', from: '2025-02-20', to: '2025-02-20' });
    expect(bars.status).toBe(200);
    const generated = universe.bars['SYN-JP1'].filter(
      (b) => b.ts >= new Date('2025-02-19T15:00:00Z') && b.ts < new Date('2025-02-20T15:00:00Z'),
    );
    expect(generated).toHaveLength(66);
    expect(bars.body.bars.map((b: { ts: string; close: number }) => [b.ts, Number(b.close)])).toEqual(
      generated.map((b) => [b.ts.toISOString(), b.close]),
    );
  });

  it('puts synthetic bars under synthetic symbols only', async () => {
    const { rows } = await db.pool.query(
      `SELECT DISTINCT symbol FROM intraday_bars WHERE source = $1 UNION SELECT DISTINCT symbol FROM daily_bars WHERE source = $1 ORDER BY 1`,
      [SYNTHETIC_SOURCE],
    );
    expect(rows.map((r) => r.symbol)).toEqual(['SYN-JP1', 'SYN-JP2', 'SYN-US1', 'SYN-US2', 'SYN-US3', '^SYN-JP', '^SYN-US']);
    const { rows: names } = await db.pool.query(`SELECT name FROM instruments WHERE symbol LIKE 'SYN-%' OR symbol LIKE '^SYN-%'`);
    expect(names.every((r) => /synthetic/i.test(r.name))).toBe(true);
  });

  it('is not imported again at the next start', async () => {
    await app!.stop();
    app = await startTestApp(db, { IMPORT_BUNDLED_DATA: 'true' });
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM ingest_runs WHERE job = 'import' AND symbol = '^SYN-US'`);
    expect(rows[0].n).toBe(1);
  });
});
