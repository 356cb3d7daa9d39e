// The intraday study (issue 22) on SYNTHETIC 5-minute bars (a deterministic made-up walk, not market data): a
// 500-member group over one New York session with 20 estimation sessions, over HTTP beside the floor (one SQL
// read of the same bars, the store's own query, in the same run); the live update after one new bar for every
// member (stored through the bar store, NOTIFY, the bars bus, the hub, the compute pool, to an SSE client); and
// SSE_CLIENTS clients on one event receiving that update (time until all have it, the server's RSS growth; the
// clients run in a child process so their memory is not the server's).
import { spawn } from 'node:child_process';
import { barEventsService } from '../src/bars/barEventsBus';
import { getIntradayBarColumns } from '../src/bars/intradayBarReads';
import { upsertIntradayBars } from '../src/bars/intradayBarStore';
import { resolveIntraday, storedInterval } from '../src/intraday/intradayInputs';
import { intradayLive } from '../src/intraday/intradayLive';
import { parseIntradayQuery } from '../src/intraday/intradayParams';
import { nextTradingDays } from '../src/markets';
import { benchDatabase, insertSyntheticUsInstruments, report, startBenchApp, timed, type BenchFigure } from './benchSupport';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MEMBERS = 500;
const SSE_CLIENTS = Number(process.env.BENCH_SSE_CLIENTS ?? 200);
/** the event session: 24 sessions before it (20 estimation, the one the window reaches back into, slack) */
const DAYS = nextTradingDays('US', '2024-12-31', 25); // January 2025: New York on EST, 14:30Z-21:00Z
const EVENT_DAY = DAYS[DAYS.length - 1];
/** bars of the event session stored before the live part starts: the session is under way */
const LIVE_FROM_SLOT = 40;
const symbolOf = (s: number) => `SYN${String(s).padStart(4, '0')}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** SYNTHETIC bars of slot `slot` of the event session for the index and every member (the SQL walk's formula). */
function syntheticBars(slot: number) {
  const k = DAYS.length - 1;
  const ts = new Date(Date.parse(`${EVENT_DAY}T14:30:00Z`) + slot * 300_000);
  const idx = (n: number) => 0.01 * Math.sin(n / 7) + 0.00001 * n;
  const n = k * 78 + slot;
  const bars = [{ symbol: '^SYN', interval: '5m', ts, open: null, high: null, low: null, close: 1000 * Math.exp(idx(n)), volume: 1000 }];
  for (let i = 1; i <= MEMBERS; i++) {
    const close = (50 + i) * Math.exp((0.5 + (i % 10) / 10) * idx(n) + 0.004 * Math.sin(n * (i + 7) * 0.37) - (slot >= 6 ? 0.01 : 0));
    bars.push({ symbol: symbolOf(i - 1), interval: '5m', ts, open: null, high: null, low: null, close, volume: 1000 + i });
  }
  return bars;
}

/** SSE clients in a child process: prints "first <ms>" once all have a message, then "<id> <ms>" per id all have. */
const CLIENTS_SCRIPT = `
const http = require('node:http');
const [url, count] = [process.argv[1], Number(process.argv[2])];
const seen = new Map();
let connected = 0;
for (let c = 0; c < count; c++) {
  const req = http.get(url, { agent: false, headers: { Accept: 'text/event-stream' } }, (res) => {
    let tail = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      const text = tail + chunk;
      let at = 0;
      for (let i; (i = text.indexOf('\\nid: ', at)) >= 0; ) {
        const end = text.indexOf('\\n', i + 5);
        if (end < 0) break;
        const id = text.slice(i + 5, end);
        const n = (seen.get(id) ?? 0) + 1;
        seen.set(id, n);
        if (n === count) process.stdout.write(id + ' ' + Date.now() + '\\n');
        at = end;
      }
      tail = text.slice(Math.max(at, text.length - 64));
    });
  });
  req.on('error', (e) => { console.error(e.message); process.exit(1); });
}
`;

async function main() {
  const { db, cleanup } = await benchDatabase();
  const app = await startBenchApp(db, [barEventsService(intradayLive)]);
  try {
    const symbols = Array.from({ length: MEMBERS }, (_, s) => symbolOf(s));
    await insertSyntheticUsInstruments(db, '^SYN', symbols);
    // every session's 78 bars (the event session's up to LIVE_FROM_SLOT), and the official closes
    await db.pool.query(
      `WITH days AS (SELECT d::date AS date, k - 1 AS k FROM unnest($2::date[]) WITH ORDINALITY u(d, k)),
            slots AS (SELECT d.date, d.k, s, d.k * 78 + s AS n, timestamptz (d.date::text || ' 14:30Z') + s * interval '5 minutes' AS ts
                        FROM days d, generate_series(0, 77) s
                       WHERE d.date < $3::date OR s < $4),
            idx AS (SELECT *, 0.01 * sin(n / 7.0) + 0.00001 * n AS x FROM slots)
       INSERT INTO intraday_bars (symbol, interval, ts, close, volume, source)
       SELECT '^SYN', '5m', ts, 1000 * exp(x), 1000, 'bench' FROM idx
       UNION ALL
       SELECT u.sym, '5m', ts,
              (50 + u.i) * exp((0.5 + (u.i % 10) / 10.0) * x + 0.004 * sin(n * (u.i + 7) * 0.37)
                               - CASE WHEN date = $3::date AND s >= 6 THEN 0.01 ELSE 0 END),
              1000 + u.i, 'bench'
         FROM idx, unnest($1::text[]) WITH ORDINALITY u(sym, i)`,
      [symbols, DAYS, EVENT_DAY, LIVE_FROM_SLOT],
    );
    await db.pool.query(
      `INSERT INTO daily_bars (symbol, date, close, source)
       SELECT DISTINCT ON (symbol, (ts AT TIME ZONE 'America/New_York')::date) symbol, (ts AT TIME ZONE 'America/New_York')::date, close, 'bench'
         FROM intraday_bars WHERE ts < $1::timestamptz ORDER BY symbol, (ts AT TIME ZONE 'America/New_York')::date, ts DESC`,
      [`${EVENT_DAY}T00:00:00Z`],
    );
    const { rows } = await db.pool.query<{ id: number }>(
      `INSERT INTO instrument_groups (slug, title) VALUES ('bench-500', 'bench') RETURNING id`,
    );
    await db.pool.query(
      `INSERT INTO instrument_group_members (group_id, symbol, position) SELECT $1, s, k FROM unnest($2::text[]) WITH ORDINALITY u(s, k)`,
      [rows[0].id, symbols],
    );
    await db.pool.query(
      `INSERT INTO events (slug, title, occurred_at, date_only, kind) VALUES ('bench-intraday', 'bench event (synthetic)', $1, false, 'bench')`,
      [`${EVENT_DAY}T14:30:00Z`],
    );
    await db.pool.query('VACUUM ANALYZE');

    const figures: BenchFigure[] = [];
    const notes: Record<string, unknown> = { sessions: DAYS.length, eventSession: EVENT_DAY, storedSlotsOfEventSession: LIVE_FROM_SLOT };

    // 1. the study over HTTP beside one SQL read of the same bars
    const url = `${app.url}/api/events/bench-intraday/intraday?group=bench-500`;
    const get = () => fetch(url, { headers: { connection: 'close' } });
    const warm = await get();
    const body = (await warm.json()) as { members: { status: string }[] };
    const ok = body.members.filter((m) => m.status === 'ok').length;
    if (warm.status !== 200 || ok !== MEMBERS) throw new Error(`HTTP ${warm.status}, ${ok} of ${body.members.length} members ok`);
    const q = parseIntradayQuery({ group: 'bench-500' }, false);
    const resolved = await resolveIntraday(db.pool, { slug: 'bench-intraday' }, q, null);
    const spans = [...resolved.spans.values()];
    const http: number[] = [];
    const floor: number[] = [];
    let bytes = 0;
    for (let r = 0; r < RUNS; r++) {
      http.push((await timed(async () => (bytes = (await (await get()).arrayBuffer()).byteLength))).seconds * 1000);
      floor.push((await timed(() => getIntradayBarColumns(db.pool, spans, storedInterval('5m')))).seconds * 1000);
    }
    const bars = [...(await getIntradayBarColumns(db.pool, spans, '5m')).values()].reduce((n, c) => n + c.t.length, 0);
    figures.push({
      name: `${MEMBERS}-member intraday study over HTTP`,
      value: median(http),
      unit: 'ms',
      limit: { name: 'one SQL read of the bars', value: median(floor), ratio: median(http) / median(floor) },
      goal: '< 500 ms, within 3x the floor',
    });
    notes.study = { bars, answerBytes: bytes };

    // 2. and 3. the live update: viewers in a child process (one, then SSE_CLIENTS), one new bar for every member
    const streamUrl = `${app.url}/api/events/bench-intraday/intraday/stream?group=bench-500`;
    const asOf = (slot: number) => new Date(Date.parse(`${EVENT_DAY}T14:30:00Z`) + (slot + 1) * 300_000).toISOString();
    /** Viewers in a child process; `arrival(id)` resolves with the instant the last of them had the message `id`. */
    const viewers = (count: number) => {
      const proc = spawn(process.execPath, ['-e', CLIENTS_SCRIPT, streamUrl, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const arrivals = new Map<string, number>();
      const waiters: (() => void)[] = [];
      let buffered = '';
      proc.stdout.setEncoding('utf8');
      proc.stdout.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const [id, ms] = line.split(' ');
          arrivals.set(id, Number(ms));
        }
        for (const w of waiters.splice(0)) w();
      });
      const arrival = async (id: string) => {
        while (!arrivals.has(id)) await new Promise<void>((r) => waiters.push(r));
        return arrivals.get(id)!;
      };
      return { arrival, stop: () => proc.kill() };
    };
    /** New bars slot after slot while `count` viewers watch: from each store to the last viewer having it; peak RSS growth. */
    const live = async (count: number, firstSlot: number) => {
      const v = viewers(count);
      try {
        await v.arrival(asOf(firstSlot - 1));
        const rssBefore = process.memoryUsage().rss;
        let rssPeak = rssBefore;
        const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
        const times: number[] = [];
        for (let slot = firstSlot; slot < firstSlot + RUNS; slot++) {
          const stored = Date.now();
          await upsertIntradayBars(db.pool, syntheticBars(slot), { source: 'bench' });
          times.push((await v.arrival(asOf(slot))) - stored);
        }
        clearInterval(sampler);
        return { times, rssMb: (rssPeak - rssBefore) / 2 ** 20 };
      } finally {
        v.stop();
        await new Promise((r) => setTimeout(r, 500)); // the hub drops the study once its viewers are gone
      }
    };
    const one = await live(1, LIVE_FROM_SLOT);
    const many = await live(SSE_CLIENTS, LIVE_FROM_SLOT + RUNS);
    figures.push({ name: 'live update after one new bar per member', value: median(one.times), unit: 'ms', goal: '< 200 ms' });
    figures.push({ name: 'server RSS growth during updates, 1 SSE client', value: one.rssMb, unit: 'MB' });
    figures.push({ name: `${SSE_CLIENTS} SSE clients: all have the update`, value: median(many.times), unit: 'ms', goal: '< 2,000 ms' });
    figures.push({ name: `${SSE_CLIENTS} SSE clients: server RSS growth`, value: many.rssMb, unit: 'MB', goal: '< 50 MB' });
    notes.live = { updatesMs: one.times, fanOutMs: many.times };
    report('intraday', figures, notes);
  } finally {
    await app.stop();
    await cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
