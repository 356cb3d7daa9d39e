// Issue 20, items 1 and 7: one cheap GET of a big study held the event loop for 48 s (/healthz with it), then
// answered 500 (JSON.stringify past V8's string limit) and left the process at 1.9 GB. Studies and the impact
// now run in worker threads behind a bounded queue, within a budget checked before any bar is read, and their
// answers are streamed. The instruments here are synthetic (SYNH*, index ^SYNH, "synthetic" in their names).
import fs from 'node:fs';
import net from 'node:net';
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import { startAppProcess, type AppProcess } from '../support/appProcess';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

const SYMBOLS = Array.from({ length: 25 }, (_, k) => `SYNH${String(k).padStart(2, '0')}`);
/** 200 Mondays from 2016-01-04: 25 symbols x 200 dates = 5,000 members, the default STUDY_MAX_MEMBERS */
const DATES = Array.from({ length: 200 }, (_, k) => new Date(Date.UTC(2016, 0, 4 + 7 * k)).toISOString().slice(0, 10));

/**
 * The largest study the default caps allow: 5,000 members (STUDY_MAX_MEMBERS) x (20 window + 180 estimation
 * sessions) = 1,000,000 member-sessions (ANALYSIS_MAX_MEMBER_SESSIONS), x 20 window sessions = 100,000 day rows
 * in the answer (ANALYSIS_MAX_ANSWER_ROWS), about 20 MB of JSON.
 */
const LARGEST = `/api/studies/run?symbols=${SYMBOLS.join(',')}&dates=${DATES.join(',')}&window=-5,14&estimation=-185,-6&minObs=30`;

let db: TestDatabase;

/** Weekday bars from 2012 to 2020 of every synthetic symbol and its index (~2,350 each; betas 0.5-1.4). */
async function importSyntheticInstruments(): Promise<void> {
  await db.pool.query(
    `INSERT INTO instruments (symbol, name, exchange, currency, time_zone, kind)
     VALUES ('^SYNH', 'synthetic index (heavyRequests test)', 'US', 'USD', 'America/New_York', 'index')`,
  );
  await db.pool.query(
    `INSERT INTO instruments (symbol, name, exchange, currency, time_zone, kind, benchmark_symbol)
     SELECT s, 'synthetic ' || s, 'US', 'USD', 'America/New_York', 'equity', '^SYNH' FROM unnest($1::text[]) s`,
    [SYMBOLS],
  );
  await db.pool.query(
    `WITH days AS (SELECT d::date AS date, row_number() OVER (ORDER BY d) AS k
                     FROM generate_series(date '2012-01-02', date '2020-12-31', interval '1 day') d
                    WHERE extract(isodow FROM d) < 6)
     INSERT INTO daily_bars (symbol, date, close, source)
     SELECT '^SYNH', date, 1000 * exp(0.01 * sin(k / 3.0) + 0.0002 * k), 'synthetic' FROM days
     UNION ALL
     SELECT s.symbol, d.date, (50 + i) * exp((0.5 + (i % 10) / 10.0) * (0.01 * sin(d.k / 3.0) + 0.0002 * d.k) + 0.02 * sin(d.k * (i + 7) * 0.37)), 'synthetic'
       FROM unnest($1::text[]) WITH ORDINALITY s(symbol, i), days d`,
    [SYMBOLS],
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
  await importSyntheticInstruments();
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

/** Resident memory of a process, in MB (Linux); NaN once it has exited. */
function rssMb(pid: number): number {
  if (!fs.existsSync(`/proc/${pid}/status`)) return Number.NaN;
  const line = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1]) / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The lowest RSS seen over `ms` (the collector and the allocator give memory back in steps). */
async function settledRss(pid: number, ms: number): Promise<number> {
  let lowest = Number.POSITIVE_INFINITY;
  for (const until = Date.now() + ms; Date.now() < until; await sleep(250)) lowest = Math.min(lowest, rssMb(pid));
  return lowest;
}

/** GET `path` and read the whole body as bytes (not parsed here: the poller shares this thread). */
async function fetchBody(
  base: string,
  path: string,
): Promise<{ status: number; bytes: number; head: string; tail: string; doneAt: string }> {
  const started = performance.now();
  const res = await fetch(`${base}${path}`);
  let bytes = 0;
  let head = '';
  let tail = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    const text = Buffer.from(chunk).toString('latin1');
    if (head.length < 200) head += text.slice(0, 200);
    tail = (tail + text).slice(-200);
  }
  return { status: res.status, bytes, head, tail, doneAt: ((performance.now() - started) / 1000).toFixed(1) };
}

describe('the app as its own process (dist/main.js)', () => {
  let app: AppProcess;
  beforeAll(async () => {
    app = await startAppProcess({ DATABASE_URL: db.url, IMPORT_BUNDLED_DATA: 'false', SCHEDULER_ENABLED: 'false', LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await app?.kill();
  });

  it('four of the largest studies the caps allow at once: /healthz keeps answering while they run, memory goes back down', async () => {
    // warm up (first worker thread, JIT) with a small study, then take the idle level
    expect((await fetchBody(app.url, `/api/studies/run?symbols=${SYMBOLS[0]}&dates=${DATES[0]}`)).status).toBe(200);
    const idle = await settledRss(app.proc.pid!, 5_000);

    const polls: number[] = [];
    const pollEnds: number[] = [];
    const slow: string[] = [];
    const burst = performance.now();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const t0 = performance.now();
        const res = await fetch(`${app.url}/healthz`);
        await res.arrayBuffer();
        polls.push(performance.now() - t0);
        pollEnds.push(performance.now());
        if (performance.now() - t0 > 100) slow.push(`${((t0 - burst) / 1000).toFixed(1)}s:${(performance.now() - t0).toFixed(0)}`);
        await sleep(50);
      }
    })();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(app.proc.pid!))), 200);
    const t0 = Date.now();
    let firstDone: number | undefined;
    let answers: Awaited<ReturnType<typeof fetchBody>>[];
    try {
      answers = await Promise.all(
        Array.from({ length: 4 }, async () => {
          const answer = await fetchBody(app.url, LARGEST);
          firstDone ??= performance.now();
          return answer;
        }),
      );
    } finally {
      polling = false;
      clearInterval(sampler);
    }
    const burstMs = Date.now() - t0;
    await poller;

    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.head.startsWith('{"study":null,"options":{')).toBe(true);
      expect(a.tail).toMatch(/"benchmark":null\}$/);
      expect(a.bytes).toBeGreaterThan(10_000_000);
    }
    // the worker threads end after 3 s idle; then the allocator and the collector give the memory back
    const after = await settledRss(app.proc.pid!, 15_000);

    console.log(
      `heavyRequests: 4 x 5,000 members in ${burstMs} ms, ${answers[0].bytes} bytes each; /healthz ${polls.length} polls, ` +
        `max ${Math.max(...polls).toFixed(0)} ms; RSS idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, after ${after.toFixed(0)} MB`,
    );
    console.log(`slow polls ${slow.join(' ')}; answers done at ${answers.map((a) => a.doneAt).join(' ')}`);
    // No timing bound here (these two cores are shared with other test files; `npm run bench` measures the
    // latency): main's old code held /healthz for the whole burst, so what is asserted is that /healthz kept
    // answering while every study was still running. Quiet, every poll took under 200 ms (max 92-143 ms seen).
    const answeredDuringBurst = pollEnds.filter((t) => t < (firstDone ?? 0)).length;
    expect(answeredDuringBurst).toBeGreaterThanOrEqual(5);
    // the memory the burst took (peak - idle, 400-460 MB) is given back, but for what the allocator keeps
    // (after - idle: 7-40 MB seen); a leak of the answers (20 MB each) would keep most of it
    expect(after - idle).toBeLessThan(0.25 * (peak - idle));
  }, 240_000);

  it('over a budget: a 400 naming the limit and the parameters the request sent', async () => {
    const sessions = await request(app.url).get(LARGEST.replace('estimation=-185,-6', 'estimation=-186,-6'));
    expect(sessions.status).toBe(400);
    expect(sessions.body.error.code).toBe('over_budget');
    expect(sessions.body.error.message).toContain('ANALYSIS_MAX_MEMBER_SESSIONS');
    expect(sessions.body.error.details.map((d: { param: string }) => d.param)).toEqual(['symbols', 'dates', 'window', 'estimation']);

    const rows = await request(app.url).get(LARGEST.replace('window=-5,14&estimation=-185,-6', 'window=-5,15&estimation=-150,-6'));
    expect(rows.status).toBe(400);
    expect(rows.body.error.message).toContain('ANALYSIS_MAX_ANSWER_ROWS');
    expect(rows.body.error.message).toMatch(/^Invalid query parameter: symbols, dates, window: 5,000 members \(25 symbols x 200 dates\)/);
  });

  it('item 7: over the member cap, the 400 names symbols and dates, as sent (not events)', async () => {
    const over = await request(app.url).get(`/api/studies/run?symbols=${[...SYMBOLS, '^SYNH'].join(',')}&dates=${DATES.join(',')}`);
    expect(over.status).toBe(400);
    expect(over.body.error.message).toMatch(/^Invalid query parameter: symbols, dates: 5,200 members \(26 symbols x 200 dates\)/);
    expect(over.body.error.message).toContain('STUDY_MAX_MEMBERS');
    expect(over.body.error.details.map((d: { param: string }) => d.param)).toEqual(['symbols', 'dates']);
    expect(JSON.stringify(over.body)).not.toContain('events');

    // past the hard cap of 20,000 (made-up symbols: counted before they are looked up)
    const made = Array.from({ length: 200 }, (_, k) => `ZZ${k}`).join(',');
    const hard = await request(app.url).get(`/api/studies/run?symbols=${made}&dates=${DATES.slice(0, 101).join(',')}`);
    expect(hard.status).toBe(400);
    expect(hard.body.error.details.map((d: { param: string }) => d.param)).toEqual(['symbols', 'dates']);
    expect(hard.body.error.message).toContain('20200 members (200 symbols x 101 dates)');
  });
});

describe('the queue and the per-client limit', () => {
  let small: RunningApp;
  afterEach(async () => {
    await small?.stop();
  });

  it('one thread and one place in line: of four big studies at once two are served, two get 429 with Retry-After', async () => {
    small = await startTestApp(db, { COMPUTE_THREADS: '1', COMPUTE_QUEUE: '1' });
    const big = `/api/studies/run?symbols=${SYMBOLS.join(',')}&dates=${DATES.slice(0, 100).join(',')}&window=-5,10&estimation=-200,-6`;
    const answers = await Promise.all(Array.from({ length: 4 }, () => request(small.url).get(big)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429]);
    for (const busy of answers.filter((a) => a.status === 429)) {
      expect(Number(busy.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(busy.body.error.code).toBe('busy');
      expect(busy.body.error.message).toContain('COMPUTE_QUEUE');
    }
    const served = answers.find((a) => a.status === 200)!;
    expect(served.body.members).toHaveLength(2_500);
    expect(served.body.aggregate.n).toBe(2_500);
    // the place is given back: the next one is served
    expect((await request(small.url).get(`/api/studies/run?symbols=${SYMBOLS[0]}&dates=${DATES[0]}`)).status).toBe(200);
  }, 120_000);

  it('a client that stops reading a big answer loses it after EXPORT_STALL_SECONDS, and the thread serves the next', async () => {
    small = await startTestApp(db, { COMPUTE_THREADS: '1', EXPORT_STALL_SECONDS: '2' });
    const { port } = new URL(small.url);
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(`GET ${LARGEST} HTTP/1.1\r\nHost: test\r\n\r\n`));
    try {
      const status = await new Promise<string>((resolve, reject) => {
        socket.once('data', (chunk) => {
          socket.pause(); // and never read again
          resolve(chunk.toString('latin1').slice(0, 12));
        });
        socket.once('error', reject);
      });
      expect(status).toBe('HTTP/1.1 200');
      const t0 = Date.now();
      const next = await request(small.url).get(`/api/studies/run?symbols=${SYMBOLS[0]}&dates=${DATES[0]}`);
      expect(next.status).toBe(200);
      expect(Date.now() - t0).toBeLessThan(30_000);
    } finally {
      socket.destroy();
    }
  }, 60_000);

  it('the impact of many instruments has the same budget: a 400 naming symbols and window', async () => {
    small = await startTestApp(db, { ANALYSIS_MAX_ANSWER_ROWS: '1000' });
    const path = `/api/events/deepseek-app-store-no1/impact?symbols=${SYMBOLS.slice(0, 20).join(',')}&window=-25,25&estimation=-120,-26`;
    const over = await request(small.url).get(path);
    expect(over.status).toBe(400);
    expect(over.body.error.message).toMatch(/^Invalid query parameter: symbols, window: 20 members \(20 symbols\) x 51 window sessions/);
    expect(over.body.error.message).toContain('ANALYSIS_MAX_ANSWER_ROWS (1,000)');
    expect((await request(small.url).get(path.replace('-25,25', '-10,10').replace('-26', '-11'))).status).toBe(200);
  });

  it('HEAVY_RATE_LIMIT heavy requests per client a minute, then 429 with Retry-After; light routes go on', async () => {
    small = await startTestApp(db, { HEAVY_RATE_LIMIT: '3' });
    const one = `/api/studies/run?symbols=${SYMBOLS[0]}&dates=${DATES[0]}`;
    expect((await request(small.url).get(one)).status).toBe(200);
    expect((await request(small.url).get('/api/events/deepseek-app-store-no1/impact')).status).toBe(200);
    expect((await request(small.url).get(one)).status).toBe(200);
    const limited = await request(small.url).get('/api/events/deepseek-app-store-no1/impact');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body.error.code).toBe('rate_limited');
    expect((await request(small.url).get('/api/instruments')).status).toBe(200);
    expect((await request(small.url).get('/healthz')).status).toBe(200);
  });
});
