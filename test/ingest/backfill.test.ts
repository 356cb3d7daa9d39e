// Backfills through the whole path: FakeYahoo (Yahoo's wire format) -> the real yahoo-finance2 in YahooProvider
// -> upsertDailyBars / upsertIntradayBars -> Postgres, with every fetch recorded in ingest_runs.
import { backfillSymbols, coveredUntil } from '../../src/ingest/backfill';
import { saveInstrument } from '../../src/instruments/instrumentStore';
import { FakeYahoo, bundledBars } from '../support/fakeYahoo';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import { FAKE_US_META, madeUpBars, testIngest } from '../scheduler/helpers';

quietLibraryUrlLogging();

let db: TestDatabase;
let fake: FakeYahoo;
beforeAll(async () => {
  db = await createTestDatabase();
  fake = await FakeYahoo.start();
  for (const s of ['NVDA', '6857.T', 'SMH', '^GSPC']) fake.addBundled(s);
});
afterAll(async () => {
  await fake?.close();
  await db?.drop();
});
beforeEach(() => fake.resetStats());

const storedBars = async (symbol: string, from = '1900-01-01', to = '2999-12-31') =>
  (
    await db.pool.query(
      `SELECT date, open, high, low, close, adj_close AS "adjClose", volume, provisional FROM daily_bars WHERE symbol = $1 AND date BETWEEN $2 AND $3 ORDER BY date`,
      [symbol, from, to],
    )
  ).rows;
const lastRun = async (symbol: string) =>
  (
    await db.pool.query(
      `SELECT job, status, attempts, error, rows_new, rows_updated, rows_unchanged, range_from, range_to FROM ingest_runs WHERE symbol = $1 ORDER BY id DESC LIMIT 1`,
      [symbol],
    )
  ).rows[0];

describe('a clean backfill', () => {
  test.each(['NVDA', '6857.T'])('of %s stores exactly the bundled CSV, bar for bar', async (symbol) => {
    await db.pool.query('DELETE FROM daily_bars WHERE symbol = $1', [symbol]);
    const { deps } = testIngest(db.pool, fake);
    const summary = await backfillSymbols(deps, { symbols: [symbol], from: '2024-10-01', to: '2025-03-31', interval: '1d' });
    const csv = bundledBars(symbol);
    expect(summary).toMatchObject({ symbols: 1, ok: 1, failed: 0, rowsNew: csv.length, rowsUpdated: 0, rowsUnchanged: 0 });
    const stored = await storedBars(symbol);
    expect(stored).toEqual(csv.map(({ symbol: _s, ...b }) => ({ ...b, provisional: false })));
    expect(await lastRun(symbol)).toMatchObject({
      job: 'backfill',
      status: 'ok',
      attempts: 1,
      rows_new: csv.length,
      range_from: '2024-10-01',
      range_to: '2025-03-31',
    });
  });

  test('Tokyo: the session that opens 09:00 JST (00:00 UTC) is stored on its Tokyo date', async () => {
    await db.pool.query(`DELETE FROM daily_bars WHERE symbol = '6857.T' AND date BETWEEN '2025-01-24' AND '2025-01-28'`);
    await db.pool.query(`DELETE FROM ingest_runs WHERE symbol = '6857.T'`); // else the earlier test's run counts as covering the range
    // on the wire, the 27 Jan session is stamped exactly at midnight UTC
    const wire = (await (
      await fetch(
        `${fake.baseUrl}/v8/finance/chart/6857.T?interval=1d&period1=${Date.UTC(2025, 0, 26) / 1000}&period2=${Date.UTC(2025, 0, 28) / 1000}`,
      )
    ).json()) as {
      chart: { result: Array<{ timestamp: number[] }> };
    };
    expect(wire.chart.result[0].timestamp).toEqual([Date.UTC(2025, 0, 27, 0, 0, 0) / 1000]);

    const { deps } = testIngest(db.pool, fake);
    await backfillSymbols(deps, { symbols: ['6857.T'], from: '2025-01-24', to: '2025-01-28', interval: '1d' });
    const expected = bundledBars('6857.T').filter((b) => b.date >= '2025-01-24' && b.date <= '2025-01-28');
    expect((await storedBars('6857.T', '2025-01-24', '2025-01-28')).map((b) => [b.date, b.close])).toEqual(
      expected.map((b) => [b.date, b.close]),
    );
    expect(expected.map((b) => b.date)).toContain('2025-01-27');
  });
});

describe('resilience', () => {
  test('429 twice, then success: the bars are stored and the run records three attempts', async () => {
    await db.pool.query(`DELETE FROM daily_bars WHERE symbol = 'SMH' AND date >= '2025-03-01'`);
    fake.fail('chart', 'SMH', { status: 429 }, { status: 429 });
    const { deps, events } = testIngest(db.pool, fake);
    const summary = await backfillSymbols(deps, { symbols: ['SMH'], from: '2025-03-01', to: '2025-03-31', interval: '1d' });
    const expected = bundledBars('SMH').filter((b) => b.date >= '2025-03-01');
    expect(summary).toMatchObject({ ok: 1, failed: 0, rowsNew: expected.length });
    expect(events.filter((e) => e.symbol === 'SMH').map((e) => e.outcome)).toEqual(['rate_limited', 'rate_limited', 'ok']);
    expect(fake.count('chart', 'SMH')).toBe(3);
    expect(await lastRun('SMH')).toMatchObject({ status: 'ok', attempts: 3, rows_new: expected.length });
  });

  test('one schema-invalid and one unknown symbol are recorded as errors; the others are stored', async () => {
    await saveInstrument(db.pool, {
      symbol: 'ZZGONE',
      name: 'A fake ticker the fake server does not know',
      exchange: 'US',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'equity',
      benchmarkSymbol: null,
    });
    await db.pool.query(`DELETE FROM daily_bars WHERE symbol IN ('NVDA', 'SMH', '^GSPC') AND date >= '2025-02-01'`);
    fake.fail('chart', 'SMH', { schemaInvalid: true });
    const { deps } = testIngest(db.pool, fake);
    const seen: string[] = [];
    const summary = await backfillSymbols(deps, {
      symbols: ['NVDA', 'SMH', 'ZZGONE', '^GSPC', 'NOTTRACKED'],
      from: '2025-02-01',
      to: '2025-03-31',
      interval: '1d',
      onSymbol: (r) => seen.push(r.symbol),
    });

    expect(summary).toMatchObject({ symbols: 5, ok: 2, failed: 3 });
    expect(summary.failures.map((f) => f.symbol).sort()).toEqual(['NOTTRACKED', 'SMH', 'ZZGONE']);
    expect(summary.failures.find((f) => f.symbol === 'SMH')?.error).toMatch(/schema validation/);
    expect(summary.failures.find((f) => f.symbol === 'NOTTRACKED')?.error).toMatch(/not a tracked instrument/);
    expect(seen.sort()).toEqual(['NOTTRACKED', 'NVDA', 'SMH', 'ZZGONE', '^GSPC']);
    expect(await lastRun('SMH')).toMatchObject({ status: 'error', error: expect.stringMatching(/schema validation/), attempts: 1 });
    expect(await lastRun('ZZGONE')).toMatchObject({ status: 'error', error: expect.stringMatching(/ZZGONE/) });
    // the others went on
    for (const s of ['NVDA', '^GSPC']) {
      expect((await storedBars(s, '2025-02-01', '2025-03-31')).map((b) => b.close)).toEqual(
        bundledBars(s)
          .filter((b) => b.date >= '2025-02-01')
          .map((b) => b.close),
      );
    }
  });
});

describe('resuming', () => {
  test('a range that an earlier run fetched as final bars is skipped without a request', async () => {
    fake.addSymbol('ZZRS', madeUpBars('ZZRS', 'US', '2025-06-02', 40), FAKE_US_META);
    await saveInstrument(db.pool, {
      symbol: 'ZZRS',
      name: 'resume test (fake ticker)',
      exchange: 'US',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'equity',
      benchmarkSymbol: null,
    });
    const { deps } = testIngest(db.pool, fake);
    const req = { symbols: ['ZZRS'], from: '2025-06-02', to: '2025-06-30', interval: '1d' as const };
    const first = await backfillSymbols(deps, req);
    expect(first).toMatchObject({ ok: 1, skipped: 0 });
    expect(first.rowsNew).toBeGreaterThan(0);
    expect(fake.count('chart', 'ZZRS')).toBe(1);

    const again = await backfillSymbols(deps, req);
    expect(again).toMatchObject({ ok: 0, skipped: 1, rowsNew: 0, rowsUpdated: 0 });
    expect(fake.count('chart', 'ZZRS')).toBe(1);

    // a longer range resumes after what is covered: only July is asked for
    const longer = await backfillSymbols(deps, { ...req, to: '2025-07-25' });
    expect(longer).toMatchObject({ ok: 1, rowsUnchanged: 0 });
    expect(fake.count('chart', 'ZZRS')).toBe(2);
    expect(await lastRun('ZZRS')).toMatchObject({ range_from: '2025-07-01', range_to: '2025-07-25' });
    const stored = await storedBars('ZZRS');
    expect(stored.map((b) => b.date)).toEqual(
      madeUpBars('ZZRS', 'US', '2025-06-02', 40)
        .filter((b) => b.date <= '2025-07-25')
        .map((b) => b.date),
    );
  });

  test('coveredUntil chains runs, and ignores runs that ended on the last day of their range (bars may still have been provisional)', () => {
    const zone = 'America/New_York';
    const run = (rangeFrom: string, rangeTo: string, endedAt: string) => ({ rangeFrom, rangeTo, endedAt: new Date(endedAt) });
    expect(
      coveredUntil(
        [run('2025-01-01', '2025-01-31', '2025-02-03T12:00:00Z'), run('2025-02-01', '2025-03-31', '2025-04-02T12:00:00Z')],
        '2025-01-10',
        zone,
      ),
    ).toBe('2025-03-31');
    expect(
      coveredUntil(
        [run('2025-01-01', '2025-01-31', '2025-02-03T12:00:00Z'), run('2025-02-03', '2025-03-31', '2025-04-02T12:00:00Z')],
        '2025-01-10',
        zone,
      ),
    ).toBe('2025-01-31');
    expect(coveredUntil([run('2025-01-05', '2025-01-31', '2025-02-03T12:00:00Z')], '2025-01-01', zone)).toBeNull();
    // ended 20:00 New York on the 31st (01:00 UTC on Feb 1): the same New York day, so not final
    expect(coveredUntil([run('2025-01-01', '2025-01-31', '2025-02-01T01:00:00Z')], '2025-01-01', zone)).toBeNull();
  });
});

describe('intraday backfill', () => {
  test('5m bars of a past session are stored as the server sent them', async () => {
    const { deps } = testIngest(db.pool, fake);
    const summary = await backfillSymbols(deps, { symbols: ['NVDA'], from: '2025-01-27', to: '2025-01-27', interval: '5m' });
    expect(summary).toMatchObject({ ok: 1, failed: 0 });
    const wire = (await (
      await fetch(
        `${fake.baseUrl}/v8/finance/chart/NVDA?interval=5m&period1=${Date.parse('2025-01-27T05:00:00Z') / 1000}&period2=${Date.parse('2025-01-28T05:00:00Z') / 1000}`,
      )
    ).json()) as {
      chart: { result: Array<{ timestamp: number[]; indicators: { quote: Array<{ close: number[] }> } }> };
    };
    const served = wire.chart.result[0];
    const { rows } = await db.pool.query(`SELECT ts, close FROM intraday_bars WHERE symbol = 'NVDA' AND interval = '5m' ORDER BY ts`);
    expect(rows.map((r) => r.ts.getTime() / 1000)).toEqual(served.timestamp);
    expect(rows.map((r) => r.close)).toEqual(served.indicators.quote[0].close);
    expect(summary.rowsNew).toBe(served.timestamp.length);
    // 09:30-16:00 New York in 5-minute bars
    expect(rows[0].ts.toISOString()).toBe('2025-01-27T14:30:00.000Z');
  });
});
