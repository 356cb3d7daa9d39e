// Issue 12, item 3: ten CSV downloads whose clients never read must not take the API down. Export streams are
// capped (429 with Retry-After beyond the cap), so reads and health checks keep their connections, and a
// stream whose client stops reading is ended after EXPORT_STALL_SECONDS. Under that load 50 concurrent impact
// clients (impact, studies, instruments) are served and /healthz and /readyz answer quickly.
import net from 'node:net';
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import { saveInstrument } from '../../src/instruments/instrumentStore';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

let db: TestDatabase;
let app: RunningApp;
const sockets: net.Socket[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  // a big export: ~250k bars (tens of MB of CSV), far more than socket buffers hold
  for (let i = 0; i < 5; i++) {
    const symbol = `ZZBIG${i}`;
    await saveInstrument(db.pool, {
      symbol,
      name: symbol,
      exchange: 'US',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'equity',
      benchmarkSymbol: null,
    });
    await db.pool.query(
      `INSERT INTO daily_bars (symbol, date, open, high, low, close, adj_close, volume, source)
       SELECT $1, d::date, 100 + n, 101 + n, 99 + n, 100.5 + n, 100.5 + n, 1000000 + n, 'test'
       FROM generate_series(0, 49999) AS n, LATERAL (SELECT date '1900-01-01' + n AS d) x`,
      [symbol],
    );
  }
  app = await startTestApp(db, { EXPORT_MAX_STREAMS: '4', EXPORT_STALL_SECONDS: '3' });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await app?.stop();
  await db?.drop();
});

/** A client that asks for the export, reads the first chunk (the status line), then never reads again. */
function idleReader(): Promise<number> {
  const { port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      socket.write(`GET /api/export/bars.csv?symbols=ZZBIG0,ZZBIG1,ZZBIG2,ZZBIG3,ZZBIG4 HTTP/1.1\r\nHost: test\r\n\r\n`);
    });
    sockets.push(socket);
    socket.once('data', (chunk) => {
      socket.pause();
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1]));
    });
    socket.once('error', reject);
  });
}

const timed = async <T>(work: () => Promise<T>) => {
  const t0 = Date.now();
  const value = await work();
  return { value, ms: Date.now() - t0 };
};

it('idle export readers are capped and the API stays responsive', async () => {
  const statuses = await Promise.all(Array.from({ length: 10 }, idleReader));
  expect(statuses.filter((s) => s === 200)).toHaveLength(4);
  expect(statuses.filter((s) => s === 429)).toHaveLength(6);
  const refused = await request(app.url).get('/api/export/moves.csv');
  expect(refused.status).toBe(429);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

  const health = await timed(() => request(app.url).get('/healthz'));
  const ready = await timed(() => request(app.url).get('/readyz'));
  expect([health.value.status, ready.value.status]).toEqual([200, 200]);
  expect(health.ms).toBeLessThan(500);
  // not a speed check (these cores are shared): readyz must not wait behind the stalled streams' connections, whose
  // pool connect timeout is 10 s; it reads the latest bar of every instrument, 250k extra bars here (~0.5 s idle)
  expect(ready.ms).toBeLessThan(6000);

  const impacts = await timed(() =>
    Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        request(app.url).get(
          i % 5 === 0
            ? '/api/instruments'
            : i % 5 === 1
              ? '/api/studies/run?events=deepseek-app-store-no1&group=bundled-equities&window=-5,10'
              : '/api/events/deepseek-r1-release/impact',
        ),
      ),
    ),
  );
  expect(impacts.value.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
  expect(impacts.ms).toBeLessThan(15_000);
  const readyUnderLoad = await timed(() => request(app.url).get('/readyz'));
  expect(readyUnderLoad.value.status).toBe(200);

  // the stalled streams are ended after EXPORT_STALL_SECONDS: exports are served again
  await new Promise((r) => setTimeout(r, 5000));
  const again = await request(app.url).get('/api/export/moves.csv');
  expect(again.status).toBe(200);
}, 60_000);
