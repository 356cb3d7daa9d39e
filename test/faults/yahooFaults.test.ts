// Yahoo answering 429, 500, garbage and silence in turn, during a backfill through the real CLI binary, while
// the app serves from the same database. Symbols whose faults outlast YAHOO_MAX_ATTEMPTS fail and are recorded;
// the others get through on a retry; the backfill run again completes the rest. Afterwards the rows are exactly
// the server's, every fetch and failure is in ingest_runs, and the app is healthy.
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import { FakeYahoo, type FakeBar, type FakeFault } from '../support/fakeYahoo';
import { runCli } from '../support/appProcess';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { pastBars, storedBars, trackFakeUsInstruments } from './faultSupport';

const TOO_MANY: FakeFault = { status: 429 };
const SERVER_ERROR: FakeFault = { status: 500 };
const GARBAGE: FakeFault = { body: '<html><body>Will be right back...</body></html>', contentType: 'text/html' };
const SILENCE: FakeFault = { hang: true };
const SILENCE_MID_BODY: FakeFault = { hangAfterHeaders: true };

// per symbol: the faults its requests meet, in turn; then normal service
const FAULTS: Record<string, FakeFault[]> = {
  ZYFA: [TOO_MANY, SERVER_ERROR, GARBAGE, SILENCE], // four failures: YAHOO_MAX_ATTEMPTS used up
  ZYFB: [TOO_MANY, SERVER_ERROR],
  ZYFC: [GARBAGE],
  ZYFD: [SILENCE],
  ZYFE: [SILENCE_MID_BODY, TOO_MANY],
  ZYFF: [{ schemaInvalid: true }], // not retried: asking again gives the same answer
  ZYFG: [],
  ZYFH: [],
};
const SYMBOLS = Object.keys(FAULTS);
const FAILING = ['ZYFA', 'ZYFF'];
const bars = new Map<string, FakeBar[]>(SYMBOLS.map((s, i) => [s, pastBars(s, 60, 30 + 5 * i)]));
const FROM = bars.get('ZYFA')![0].date;
const TO = bars.get('ZYFA')!.at(-1)!.date;

let db: TestDatabase;
let fake: FakeYahoo;
let app: RunningApp;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await FakeYahoo.start();
  await trackFakeUsInstruments(db.pool, fake, bars);
  app = await startTestApp(db, { YAHOO_BASE_URL: fake.baseUrl });
});
afterAll(async () => {
  await app?.stop();
  await fake?.close();
  await db?.drop();
});

const backfill = () =>
  runCli(['backfill', '--from', FROM, '--to', TO], {
    DATABASE_URL: db.url,
    YAHOO_BASE_URL: fake.baseUrl,
    YAHOO_TIMEOUT_MS: '800',
    YAHOO_MAX_ATTEMPTS: '4',
    LOG_LEVEL: 'warn',
  });
const runsOf = async (symbol: string) =>
  (
    await db.pool.query(
      `SELECT status, attempts, error, rows_new AS "rowsNew" FROM ingest_runs WHERE symbol = $1 AND job = 'backfill' ORDER BY id`,
      [symbol],
    )
  ).rows;
const statusOf = async (symbol: string) =>
  (await request(app.url).get('/api/status')).body.instruments.find((i: { symbol: string }) => i.symbol === symbol);

test('429, 500, garbage and silence in turn: failures recorded, the rest stored; run again, every bar once', async () => {
  for (const [symbol, faults] of Object.entries(FAULTS)) if (faults.length) fake.fail('chart', symbol, ...faults);

  const first = await backfill();
  expect(first.status).toBe(1); // a failed symbol is an exit code, not a crash
  expect(first.stderr).toMatch(new RegExp(`${FAILING.length} of ${SYMBOLS.length} symbols failed: ${FAILING.join(', ')}`));
  const summary = JSON.parse(first.lines.at(-1)!).summary;
  expect(summary).toMatchObject({ symbols: SYMBOLS.length, ok: SYMBOLS.length - FAILING.length, failed: FAILING.length });

  // each request met its fault in turn: a failure costs an attempt, four attempts at most
  const expectedAttempts: Record<string, number> = { ZYFA: 4, ZYFB: 3, ZYFC: 2, ZYFD: 2, ZYFE: 3, ZYFF: 1, ZYFG: 1, ZYFH: 1 };
  for (const s of SYMBOLS) expect([s, fake.count('chart', s)]).toEqual([s, expectedAttempts[s]]);

  // ingest_runs record each fetch: the failures with their reason, the successes with their attempts
  expect(await runsOf('ZYFA')).toEqual([{ status: 'error', attempts: 4, error: expect.stringMatching(/timed out/), rowsNew: 0 }]);
  expect(await runsOf('ZYFF')).toEqual([{ status: 'error', attempts: 1, error: expect.stringMatching(/schema validation/), rowsNew: 0 }]);
  for (const s of SYMBOLS.filter((x) => !FAILING.includes(x))) {
    expect([s, await runsOf(s)]).toEqual([s, [{ status: 'ok', attempts: expectedAttempts[s], error: null, rowsNew: bars.get(s)!.length }]]);
    expect([s, await storedBars(db.pool, s)]).toEqual([s, bars.get(s)]);
  }
  for (const s of FAILING) expect(await storedBars(db.pool, s)).toEqual([]);

  // the app kept serving, and says what failed
  expect((await request(app.url).get('/readyz')).status).toBe(200);
  expect((await statusOf('ZYFA')).lastError).toMatchObject({ job: 'backfill', current: true, error: expect.stringMatching(/timed out/) });
  expect((await statusOf('ZYFG')).lastError).toBeNull();

  // Yahoo well again: the same command fetches what failed and skips what is complete
  const second = await backfill();
  expect(second.stderr).toBe('');
  expect(second.status).toBe(0);
  expect(JSON.parse(second.lines.at(-1)!).summary).toMatchObject({
    ok: FAILING.length,
    skipped: SYMBOLS.length - FAILING.length,
    failed: 0,
    rowsUpdated: 0,
  });
  for (const s of SYMBOLS) {
    expect([s, await storedBars(db.pool, s)]).toEqual([s, bars.get(s)]);
    expect([s, fake.count('chart', s)]).toEqual([s, expectedAttempts[s] + (FAILING.includes(s) ? 1 : 0)]);
  }
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM daily_bars WHERE symbol = ANY($1)`, [SYMBOLS]);
  expect(rows[0].n).toBe(SYMBOLS.reduce((n, s) => n + bars.get(s)!.length, 0));
  expect((await runsOf('ZYFA')).map((r) => r.status)).toEqual(['error', 'ok']);
  expect((await statusOf('ZYFA')).lastError).toMatchObject({ current: false });
  expect((await request(app.url).get('/readyz')).status).toBe(200);
});
