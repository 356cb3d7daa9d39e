// The live shock detector on the bars bus, with two app instances on one database: importing the bundled world
// listings (data/global) stores daily bars, both instances' detectors react, the 27 Jan 2025 shock is recorded
// once, and the first-detected hook (what shock alerts follow) is called exactly once across both instances.
import path from 'node:path';
import request from 'supertest';
import { barEventsService } from '../../src/bars/barEventsBus';
import type { RunningApp } from '../../src/app/server';
import { importBundledData } from '../../src/bundled/bundledImport';
import type { Shock } from '../../src/shocks/shockContract';
import { createShockDetection } from '../../src/shocks/shockDetectorService';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

let db: TestDatabase;
const apps: RunningApp[] = [];
const heard: { instance: number; shock: Shock }[] = [];
const handled: { instance: number; flagged: number; inserted: number }[] = [];

beforeAll(async () => {
  db = await createTestDatabase(); // data/market only: the group has 4 members, below the 5 a shock needs
  for (const instance of [1, 2]) {
    const detector = createShockDetection({
      debounceMs: 100,
      // the day after the shock: it is announced (a backfill of old sessions is recorded but not announced)
      now: () => new Date('2025-01-28T12:00:00Z'),
      onShockDetected: [(shock) => void heard.push({ instance, shock })],
      onHandled: ({ flagged, inserted }) => void handled.push({ instance, flagged, inserted }),
    });
    apps.push(await startTestApp(db, {}, [barEventsService(detector)]));
  }
});
afterAll(async () => {
  for (const app of apps) await app.stop();
  await db?.drop();
});

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const value = await read();
    if (done(value) || attempt > 600) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the live detector', () => {
  it('records nothing while the group has fewer than 5 members', async () => {
    expect((await request(apps[0].url).get('/api/shocks')).body.shocks).toEqual([]);
  });

  it('records the 27 Jan 2025 shock once when the world listings are stored, and announces it once', async () => {
    await importBundledData(db, path.resolve(__dirname, '../../data/global'));
    // both instances handle the notification of the stored bars and flag the date
    const done = await eventually(
      async () => handled.filter((h) => h.flagged > 0),
      (h) => new Set(h.map((x) => x.instance)).size === 2,
    );
    expect(new Set(done.map((h) => h.instance))).toEqual(new Set([1, 2]));
    const shocks = (await request(apps[1].url).get('/api/shocks')).body.shocks as Shock[];
    expect(shocks.map((s) => [s.kind, s.sessionDate, s.statistic.n, s.breadth.count])).toEqual([['daily', '2025-01-27', 7, 4]]);
    // the one whose INSERT made the row recorded it first and announced it
    expect(handled.reduce((sum, h) => sum + h.inserted, 0)).toBe(1);
    expect(heard).toHaveLength(1);
    expect(heard[0].shock).toMatchObject({ id: shocks[0].id, sessionDate: '2025-01-27', status: 'candidate' });
    expect(heard[0].shock.news.length).toBeGreaterThan(0);
  });
});
