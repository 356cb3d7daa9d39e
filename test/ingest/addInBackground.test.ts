// The add-an-instrument page's API: GET /api/instruments/search (candidates with the exchange, currency and benchmark
// they would get), POST /api/instruments with background: true (202 at once), and GET /api/ingest-runs/:id (its progress),
// over HTTP against the real app with FakeYahoo behind YAHOO_BASE_URL.
import type { RunningApp } from '../../src/app/server';
import { backgroundAddsService } from '../../src/ingest/addInBackground';
import type { IngestRunProgress, InstrumentSearchResponse } from '../../src/ingest/instrumentSearchContract';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import { eventually, FAKE_TOKYO_META, FAKE_US_META, madeUpBars } from '../scheduler/helpers';
import { FakeYahoo } from '../support/fakeYahoo';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

quietLibraryUrlLogging();

const TOKEN = 'test-admin-token-0123456789';
let db: TestDatabase;
let fake: FakeYahoo;
let app: RunningApp;

beforeAll(async () => {
  // an empty database: the benchmark and FX series are added with the instrument
  db = await createTestDatabase({ empty: true });
  fake = await FakeYahoo.start();
  fake.addBundled('^N225').addBundled('JPY=X');
  fake.addSymbol('ZZT1.T', madeUpBars('ZZT1.T', 'TSE', '2025-06-02', 30, 2500), FAKE_TOKYO_META);
  fake.addSymbol('ZZBAD.T', madeUpBars('ZZBAD.T', 'TSE', '2025-06-02', 30, 900), {
    ...FAKE_TOKYO_META,
    longName: 'Brokenchart Industries',
    shortName: 'BROKENCHART',
  });
  fake.addSymbol('ZZUS', madeUpBars('ZZUS', 'US', '2025-06-02', 30), FAKE_US_META);
  for (const symbol of ['ZZT2.T', 'ZZT3.T', 'ZZT4.T'])
    fake.addSymbol(symbol, madeUpBars(symbol, 'TSE', '2025-06-02', 20, 1200), {
      ...FAKE_TOKYO_META,
      longName: `${symbol} Holdings`,
      shortName: symbol,
    });
  app = await startTestApp(db, { ADMIN_TOKEN: TOKEN, YAHOO_BASE_URL: fake.baseUrl, YAHOO_MAX_ATTEMPTS: '2', BACKFILL_FROM: '2025-05-01' });
});
afterAll(async () => {
  await app?.stop();
  await fake?.close();
  await db?.drop();
});

async function api(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${app.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: await res.json() };
}

const finished = (runId: number) =>
  eventually(
    async () => {
      const r = await api(`/api/ingest-runs/${runId}`);
      return (r.body as IngestRunProgress).done ? (r.body as IngestRunProgress) : undefined;
    },
    30_000,
    `run ${runId} to end`,
  );

describe('GET /api/instruments/search', () => {
  test('a name finds its symbol, with the exchange, currency, benchmark and FX series adding it would give it', async () => {
    const r = await api('/api/instruments/search?q=fake%20tokyo');
    expect(r.status).toBe(200);
    const body = r.body as InstrumentSearchResponse;
    expect(body.query).toBe('fake tokyo');
    expect(body.candidates).toEqual([
      {
        symbol: 'ZZT1.T',
        name: FAKE_TOKYO_META.longName,
        kind: 'equity',
        listedOn: 'Tokyo',
        exchange: 'TSE',
        sessions: 'TSE',
        sessionsNote: null,
        currency: 'JPY',
        timeZone: 'Asia/Tokyo',
        benchmark: '^N225',
        fxSeries: 'JPY=X',
        tracked: false,
        problem: null,
      },
    ]);
    // the search asked Yahoo for quotes, not news
    expect(fake.requests({ route: 'search' }).at(-1)?.query).toMatchObject({ q: 'fake tokyo', newsCount: '0' });
  });

  test('a US name gets ^GSPC; an index gets no benchmark and no FX series', async () => {
    const us = (await api('/api/instruments/search?q=zeta')).body as InstrumentSearchResponse;
    expect(us.candidates.map((c) => [c.symbol, c.exchange, c.currency, c.benchmark, c.fxSeries])).toEqual([
      ['ZZUS', 'US', 'USD', '^GSPC', null],
    ]);
    const index = (await api('/api/instruments/search?q=nikkei')).body as InstrumentSearchResponse;
    expect(index.candidates.map((c) => [c.symbol, c.kind, c.benchmark, c.fxSeries])).toEqual([['^N225', 'index', null, null]]);
  });

  test('nothing matching: no candidates', async () => {
    const r = await api('/api/instruments/search?q=qqqnothing');
    expect(r).toEqual({ status: 200, body: { query: 'qqqnothing', candidates: [] } });
  });

  test('400 naming q when it is missing, blank or too long', async () => {
    for (const qs of ['', '?q=', '?q=%20%20', `?q=${'a'.repeat(101)}`]) {
      const r = await api(`/api/instruments/search${qs}`);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toContain('q');
    }
  });

  test('Yahoo unreachable: 503 in words', async () => {
    fake.fail('search', '*', { status: 503 }, { status: 503 });
    const r = await api('/api/instruments/search?q=fake');
    expect(r.status).toBe(503);
    expect(r.body.error).toMatchObject({ code: 'upstream_unavailable' });
    expect(r.body.error.message).toMatch(/symbol search failed.*HTTP 503/);
  });
});

describe('POST /api/instruments with background: true, and GET /api/ingest-runs/:id', () => {
  test('needs the admin token', async () => {
    expect((await api('/api/instruments', { method: 'POST', body: { symbol: 'ZZT1.T', background: true } })).status).toBe(401);
  });

  test('202 at once; the run then shows the backfills of the benchmark, the FX series and the instrument with their sessions', async () => {
    const r = await api('/api/instruments', { method: 'POST', body: { symbol: 'zzt1.t', background: true }, token: TOKEN });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      progressUrl: `/api/ingest-runs/${r.body.runId}`,
      candidate: { symbol: 'ZZT1.T', exchange: 'TSE', currency: 'JPY', benchmark: '^N225', fxSeries: 'JPY=X' },
    });
    const done = await finished(r.body.runId);
    expect(done.run).toMatchObject({ job: 'add', symbol: 'ZZT1.T', status: 'ok', error: null, rangeFrom: '2025-05-01' });
    expect(done.steps.map((s) => [s.symbol, s.status])).toEqual([
      ['^N225', 'ok'],
      ['JPY=X', 'ok'],
      ['ZZT1.T', 'ok'],
    ]);
    const own = done.steps.find((s) => s.symbol === 'ZZT1.T');
    expect(own).toMatchObject({ rowsNew: 30, sessions: 30 });
    expect(done.sessions).toBe(30);
    expect(done.run.rowsNew).toBe(done.steps.reduce((n, s) => n + s.rowsNew, 0));
    const stored = await api('/api/instruments/ZZT1.T/bars');
    expect(stored.body.bars).toHaveLength(30);
  });

  test('two adds at once: each run lists its own backfills only (they are recorded as its steps)', async () => {
    const started = await Promise.all(
      ['ZZT2.T', 'ZZT3.T'].map((symbol) => api('/api/instruments', { method: 'POST', body: { symbol, background: true }, token: TOKEN })),
    );
    expect(started.map((r) => r.status)).toEqual([202, 202]);
    const [two, three] = await Promise.all(started.map((r) => finished(r.body.runId)));
    expect(two.steps.map((s) => [s.symbol, s.status, s.rowsNew])).toEqual([['ZZT2.T', 'ok', 20]]);
    expect(three.steps.map((s) => [s.symbol, s.status, s.rowsNew])).toEqual([['ZZT3.T', 'ok', 20]]);
  });

  test('an add still running when the app stops is recorded as an error saying so', async () => {
    const stopping = await startTestApp(db, { ADMIN_TOKEN: TOKEN, YAHOO_BASE_URL: fake.baseUrl, BACKFILL_FROM: '2025-05-01' }, [
      backgroundAddsService,
    ]);
    fake.fail('chart', 'ZZT4.T', { delayMs: 3000 }); // its backfill is still waiting for Yahoo when the app stops
    const res = await fetch(`${stopping.url}/api/instruments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ symbol: 'ZZT4.T', background: true }),
    });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: number };
    await eventually(
      async () => (await db.pool.query(`SELECT 1 FROM ingest_runs WHERE parent_run_id = $1`, [runId])).rowCount === 1 || undefined,
      10_000,
      'the backfill to start',
    );
    await stopping.stop();
    const progress = (await api(`/api/ingest-runs/${runId}`)).body as IngestRunProgress;
    expect(progress.done).toBe(true);
    expect(progress.run).toMatchObject({ status: 'error', error: 'the app stopped before the add finished: add it again' });
  });

  test('an unknown symbol: 404 naming it, and no run started', async () => {
    const before = (await db.pool.query(`SELECT count(*)::int AS n FROM ingest_runs WHERE job = 'add'`)).rows[0].n;
    const r = await api('/api/instruments', { method: 'POST', body: { symbol: 'NOPE.T', background: true }, token: TOKEN });
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'unknown_symbol', details: { symbol: 'NOPE.T' } });
    expect(r.body.error.message).toContain('NOPE.T');
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM ingest_runs WHERE job = 'add'`)).rows[0].n).toBe(before);
  });

  test('a failing backfill ends the run in error, in words naming the symbol', async () => {
    fake.fail('chart', 'ZZBAD.T', { status: 503 }, { status: 503 });
    const r = await api('/api/instruments', { method: 'POST', body: { symbol: 'ZZBAD.T', background: true }, token: TOKEN });
    expect(r.status).toBe(202);
    const done = await finished(r.body.runId);
    expect(done.run.status).toBe('error');
    expect(done.run.error).toMatch(/the backfill of ZZBAD\.T failed: Yahoo answered HTTP 503/);
    expect(done.steps.map((s) => [s.symbol, s.status])).toEqual([['ZZBAD.T', 'error']]);
  });

  test('400 for a run id that is not a positive integer, 404 for an unknown one', async () => {
    for (const id of ['abc', '0', '-3', '1.5']) {
      const r = await api(`/api/ingest-runs/${id}`);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toContain('id');
    }
    const missing = await api('/api/ingest-runs/999999');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});
