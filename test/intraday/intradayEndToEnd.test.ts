// The intraday study end to end: SYNTHETIC 5-minute bars (made up in this file, labelled synthetic) served by the
// test Yahoo server, instruments added over the API, the bars stored session by session as the scheduler's
// intraday job stores them (yahoo-finance2's chart(), interval=5m), and the API's numbers checked against the
// method computed plainly here (OLS, σ per slot, CAR0, Z, the matched band) for an event during a session and
// one before the open; then the CSV and the CLI (same bytes), and the live stream: a new bar stored, the update
// arrives with the new asOf, and a reconnect with Last-Event-ID resumes.
import http from 'node:http';
import request from 'supertest';
import type { RunningApp } from '../../src/app/server';
import { barEventsService } from '../../src/bars/barEventsBus';
import { ingestIntradayBars } from '../../src/ingest/fetchAndStore';
import type { IntradayBarsMessage } from '../../src/analysis/intraday/intradayTypes';
import type { IntradayAnswer } from '../../src/intraday/intradayCompute';
import { intradayHubOf, intradayLive, onIntradayUpdate } from '../../src/intraday/intradayLive';
import { parseIntradayQuery } from '../../src/intraday/intradayParams';
import { computeIntradayAnswer } from '../../src/intraday/intradayService';
import { previousTradingDay } from '../../src/markets';
import { runCli } from '../support/appProcess';
import { BUNDLED_META, FakeYahoo, type FakeBar, type FakeIntradayBar } from '../support/fakeYahoo';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { quietLibraryUrlLogging } from '../marketdata/helpers';
import { eventually, FAKE_US_META, testIngest } from '../scheduler/helpers';

quietLibraryUrlLogging();

const TOKEN = 'intraday-test-admin-token';
const EVENT_DAY = '2025-01-27'; // New York, EST: sessions 14:30Z-21:00Z
const SLOT_MS = 5 * 60_000;
const SLOTS = 78;
const open = (date: string) => new Date(`${date}T14:30:00Z`);
const slotStart = (date: string, s: number) => new Date(open(date).getTime() + s * SLOT_MS);

/** The sessions served: 14 before the event day (the app's US calendar says which days trade) and the event day. */
const SESSIONS: string[] = (() => {
  const days = [EVENT_DAY];
  while (days.length < 15) days.unshift(previousTradingDay('US', days[0]));
  return days;
})();

/** A deterministic pseudo-random stream (a linear congruential generator): SYNTHETIC test data, not market data. */
function noise(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x / 2 ** 32 - 0.5;
  };
}

interface Synthetic {
  /** closes per session and slot */
  closes: Map<string, number[]>;
  /** the official close of each session (the last bar's close) */
  daily: Map<string, number>;
}

/** SYNTHETIC bars: the index walks at random; each stock follows it with its beta, its own noise and, on the event day, a shock from slot 6. */
function synthesize(): { index: Synthetic; stocks: Record<string, Synthetic> } {
  const rIndex = new Map<string, number[]>();
  const rnd = noise(7);
  for (const d of SESSIONS)
    rIndex.set(
      d,
      Array.from({ length: SLOTS }, (_, s) => (s === 0 ? 0.004 : 0.0012) * rnd()),
    );
  const walk = (start: number, ret: (d: string, s: number) => number): Synthetic => {
    const closes = new Map<string, number[]>();
    const daily = new Map<string, number>();
    let p = start;
    for (const d of SESSIONS) {
      const day = Array.from({ length: SLOTS }, (_, s) => (p = Math.round(p * (1 + ret(d, s)) * 10_000) / 10_000));
      closes.set(d, day);
      daily.set(d, day[SLOTS - 1]);
    }
    return { closes, daily };
  };
  const stock = (seed: number, beta: number, shock: number) => {
    const own = noise(seed);
    return walk(
      100,
      (d, s) => 0.00003 + beta * rIndex.get(d)![s] + (s === 0 ? 0.006 : 0.0015) * own() + (d === EVENT_DAY && s >= 6 && s < 12 ? shock : 0),
    );
  };
  return { index: walk(20_000, (d, s) => rIndex.get(d)![s]), stocks: { ZZA: stock(11, 1.3, -0.004), ZZB: stock(23, 0.7, -0.002) } };
}

const data = synthesize();
const SERIES: Record<string, Synthetic> = { '^IXIC': data.index, ...data.stocks };

function fakeBars(symbol: string): { daily: FakeBar[]; intraday: FakeIntradayBar[] } {
  const s = SERIES[symbol];
  const daily: FakeBar[] = [];
  const intraday: FakeIntradayBar[] = [];
  for (const d of SESSIONS) {
    const closes = s.closes.get(d)!;
    daily.push({
      symbol,
      date: d,
      open: closes[0],
      high: Math.max(...closes),
      low: Math.min(...closes),
      close: closes[SLOTS - 1],
      adjClose: closes[SLOTS - 1],
      volume: 7_800_000,
    });
    closes.forEach((c, k) =>
      intraday.push({ ts: slotStart(d, k), open: k ? closes[k - 1] : c, high: c, low: c, close: c, volume: 100_000 + 1000 * k }),
    );
  }
  return { daily, intraday };
}

// ---- the method, written out plainly (shared/methods/intraday.md §1-6) over the synthetic series

const prevSession = (d: string) => SESSIONS[SESSIONS.indexOf(d) - 1];
function ret(s: Synthetic, d: string, slot: number): number {
  const c = s.closes.get(d)!;
  return slot === 0 ? c[0] / s.daily.get(prevSession(d))! - 1 : c[slot] / c[slot - 1] - 1;
}

interface Expected {
  alpha: number;
  beta: number;
  sigma: number[];
  ar: (d: string, slot: number) => number;
  estimation: string[];
}

/** Estimation: the 10 sessions before the session the window's negative offsets reach into (24 Jan), all slots present. */
function expectedModel(symbol: string): Expected {
  const stock = SERIES[symbol];
  const index = SERIES['^IXIC'];
  const estimation = SESSIONS.filter((d) => d < prevSession(EVENT_DAY)).slice(-10);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const d of estimation)
    for (let s = 1; s < SLOTS; s++) {
      xs.push(ret(index, d, s));
      ys.push(ret(stock, d, s));
    }
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const beta = sxy / sxx;
  const alpha = my - beta * mx;
  const ar = (d: string, s: number) => ret(stock, d, s) - alpha - beta * ret(index, d, s);
  const sigma = Array.from({ length: SLOTS }, (_, s) =>
    Math.sqrt(estimation.reduce((sum, d) => sum + ar(d, s) ** 2, 0) / estimation.length),
  );
  return { alpha, beta, sigma, ar, estimation };
}

const close = (actual: number | null | undefined, expected: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
};

// ---- the app, the fake, the stored bars

let db: TestDatabase;
let app: RunningApp;
let fake: FakeYahoo;
let clock = new Date(`${EVENT_DAY}T16:00:00Z`); // 10:00 in New York: the event day's session is under way
const OPTIONS = 'estimationDays=10&minDays=5';
const admin = { Authorization: `Bearer ${TOKEN}` };

/** What the scheduler's intraday job does in a session: the day's bars so far, from the open (src/scheduler/jobs.ts). */
async function storeSession(date: string): Promise<void> {
  const { deps } = testIngest(db.pool, fake, { now: () => clock });
  const close = new Date(open(date).getTime() + SLOTS * SLOT_MS);
  const to = new Date(Math.min(close.getTime(), clock.getTime()));
  for (const symbol of ['^IXIC', 'ZZA', 'ZZB']) {
    const r = await ingestIntradayBars(deps, {
      symbol,
      interval: '5m',
      from: open(date),
      to,
      job: 'intraday',
      rangeFrom: date,
      rangeTo: date,
    });
    expect(r.status).toBe('ok');
  }
}

let duringSlug: string;
let beforeOpenSlug: string;

beforeAll(async () => {
  fake = await FakeYahoo.start({ now: () => clock });
  for (const symbol of Object.keys(SERIES)) {
    const { daily, intraday } = fakeBars(symbol);
    const meta = symbol === '^IXIC' ? BUNDLED_META['^IXIC'] : { ...FAKE_US_META, longName: `${symbol} (synthetic test ticker)` };
    fake.addSymbol(symbol, daily, meta);
    fake.addIntradayBars(symbol, '5m', intraday);
  }
  db = await createTestDatabase({ empty: true });
  app = await startTestApp(db, { ADMIN_TOKEN: TOKEN, YAHOO_BASE_URL: fake.baseUrl, BACKFILL_FROM: SESSIONS[0] }, [
    barEventsService(intradayLive),
  ]);
  for (const symbol of ['ZZA', 'ZZB']) {
    const res = await request(app.url).post('/api/instruments').set(admin).send({ symbol, benchmark: '^IXIC' });
    expect([200, 201]).toContain(res.status);
  }
  for (const d of SESSIONS) await storeSession(d);
  const event = async (title: string, occurredAt: string) => {
    const res = await request(app.url).post('/api/events').set(admin).send({ title, occurredAt, kind: 'test' });
    expect(res.status).toBe(201);
    return res.body.event.slug as string;
  };
  duringSlug = await event('Synthetic shock during the session', `${EVENT_DAY}T15:02:00Z`);
  beforeOpenSlug = await event('Synthetic news before the open', `${EVENT_DAY}T12:00:00Z`);
  const group = await request(app.url)
    .post('/api/groups')
    .set(admin)
    .send({ slug: 'zz-synthetic', title: 'Synthetic pair', symbols: ['ZZA', 'ZZB'] });
  expect(group.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await db?.drop();
  await fake?.close();
});

describe('the numbers of GET /api/events/:slug/intraday, against the method computed here', () => {
  it('an event during the session: event bar slot 6, model, σ, AR, CAR0, Z and the band of each member; the group CAAR0', async () => {
    const res = await request(app.url).get(`/api/events/${duringSlug}/intraday?symbols=ZZA,ZZB&${OPTIONS}`);
    expect(res.status).toBe(200);
    expect(res.body.event).toMatchObject({ slug: duringSlug, instant: `${EVENT_DAY}T15:02:00.000Z` });
    expect(res.body.asOf).toBe(`${EVENT_DAY}T16:00:00.000Z`); // the end of the last stored bar (15:55)
    const car0s = new Map<number, number[]>();
    for (const symbol of ['ZZA', 'ZZB']) {
      const m = res.body.members.find((x: { symbol: string }) => x.symbol === symbol);
      const e = expectedModel(symbol);
      expect(m).toMatchObject({
        status: 'ok',
        benchmark: '^IXIC',
        eventSession: EVENT_DAY,
        eventSlot: 6,
        eventBar: slotStart(EVENT_DAY, 6).toISOString(),
      });
      expect(m.model.sessions).toEqual(e.estimation);
      expect(m.model.L1).toBe(10 * 77);
      close(m.model.alpha, e.alpha);
      close(m.model.beta, e.beta);
      close(m.sigma[0], e.sigma[0]);
      close(m.sigma[6], e.sigma[6]);
      const after = m.points.filter((p: { k: number }) => p.k >= 0);
      expect(after.map((p: { k: number }) => p.k)).toEqual([...Array(12).keys()]); // slots 6..17 stored so far
      let car0 = 0;
      let variance = 0;
      for (const p of after) {
        const ar = e.ar(EVENT_DAY, 6 + p.k);
        car0 += ar;
        variance += e.sigma[6 + p.k] ** 2;
        close(p.ar, ar);
        close(p.car0, car0);
        close(p.z, car0 / Math.sqrt(variance));
        car0s.set(p.k, [...(car0s.get(p.k) ?? []), car0]);
      }
      // the matched band at k = 0 and 1: with 10 sessions and p = 0.05, the smallest and largest CAR_d(k)
      for (const k of [0, 1]) {
        const cars = e.estimation.map((d) => e.ar(d, 6) + (k === 1 ? e.ar(d, 7) : 0));
        close(after[k].lower, Math.min(...cars));
        close(after[k].upper, Math.max(...cars));
      }
    }
    for (const g of res.body.aggregate.filter((a: { k: number }) => a.k >= 0 && a.k < 12)) {
      expect(g.n).toBe(2);
      const [a, b] = car0s.get(g.k)!;
      close(g.caar0, (a + b) / 2);
    }
  });

  it('an event before the open: the event bar is the open (slot 0), its return from the previous official close', async () => {
    const res = await request(app.url).get(`/api/events/${beforeOpenSlug}/intraday?symbols=ZZA&${OPTIONS}`);
    expect(res.status).toBe(200);
    const m = res.body.members[0];
    const e = expectedModel('ZZA');
    expect(m).toMatchObject({ status: 'ok', eventSession: EVENT_DAY, eventSlot: 0, eventBar: open(EVENT_DAY).toISOString() });
    const p0 = m.points.find((p: { k: number }) => p.k === 0);
    const ar0 = e.ar(EVENT_DAY, 0);
    close(p0.ret, SERIES.ZZA.closes.get(EVENT_DAY)![0] / SERIES.ZZA.daily.get(prevSession(EVENT_DAY))! - 1);
    close(p0.ar, ar0);
    close(p0.z, ar0 / e.sigma[0]);
    // offsets before the event bar are the previous session's last bars
    const before = m.points.find((p: { k: number }) => p.k === -1);
    expect(before).toMatchObject({ session: prevSession(EVENT_DAY), slot: SLOTS - 1 });
  });

  it('the group, no members named (the linked moves: none, a 400 naming symbols), a date-only event and bad parameters', async () => {
    const byGroup = await request(app.url).get(`/api/events/${duringSlug}/intraday?group=zz-synthetic&${OPTIONS}`);
    expect(byGroup.body.members.map((m: { symbol: string }) => m.symbol)).toEqual(['ZZA', 'ZZB']);
    const none = await request(app.url).get(`/api/events/${duringSlug}/intraday`);
    expect(none.status).toBe(400);
    expect(none.body.error.details).toEqual([expect.objectContaining({ param: 'symbols' })]);
    const dateOnly = await request(app.url)
      .post('/api/events')
      .set(admin)
      .send({ title: 'Synthetic date only', date: EVENT_DAY, dateOnly: true, kind: 'test' });
    const d = await request(app.url).get(`/api/events/${dateOnly.body.event.slug}/intraday?symbols=ZZA`);
    expect(d.status).toBe(200);
    expect(d.body.members[0].status).toBe('no_event_time');
    expect((await request(app.url).get('/api/events/no-such-event/intraday?symbols=ZZA')).status).toBe(404);
    for (const [param, value] of [
      ['window', '5,3'],
      ['interval', '7m'],
      ['estimationDays', 'many'],
      ['bandP', '2'],
      ['model', 'capm'],
    ]) {
      const bad = await request(app.url).get(`/api/events/${duringSlug}/intraday?symbols=ZZA&${param}=${value}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.details).toEqual([expect.objectContaining({ param })]);
    }
    const unknown = await request(app.url).get(`/api/events/${duringSlug}/intraday?symbols=NOPE`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_symbol');
  });

  it('an ad hoc instant gives the same numbers as the event at that instant', async () => {
    const adhoc = await request(app.url).get(`/api/intraday?at=${EVENT_DAY}T15:02:00Z&symbols=ZZA,ZZB&${OPTIONS}`);
    const event = await request(app.url).get(`/api/events/${duringSlug}/intraday?symbols=ZZA,ZZB&${OPTIONS}`);
    expect(adhoc.status).toBe(200);
    expect(adhoc.body.event).toBeNull();
    expect(adhoc.body.members).toEqual(event.body.members);
    expect(adhoc.body.aggregate).toEqual(event.body.aggregate);
    expect((await request(app.url).get('/api/intraday?symbols=ZZA')).body.error.details).toEqual([
      expect.objectContaining({ param: 'at' }),
    ]);
  });
});

describe('CSV and CLI', () => {
  it('members.csv has one row per member and offset; the CLI prints the same bytes as the API (CSV and JSON)', async () => {
    const q = `symbols=ZZA,ZZB&${OPTIONS}`;
    const members = await request(app.url).get(`/api/events/${duringSlug}/intraday/members.csv?${q}`);
    expect(members.status).toBe(200);
    expect(members.headers['content-type']).toMatch(/^text\/csv/);
    const json = await request(app.url).get(`/api/events/${duringSlug}/intraday?${q}`);
    const lines = members.text.trimEnd().split('\r\n');
    expect(lines[0].split(',').slice(0, 5)).toEqual(['event', 'instant', 'asOf', 'symbol', 'benchmark']);
    expect(lines).toHaveLength(1 + json.body.members.reduce((n: number, m: { points: unknown[] }) => n + m.points.length, 0));
    const aggregate = await request(app.url).get(`/api/events/${duringSlug}/intraday/aggregate.csv?${q}`);
    expect(aggregate.text.split('\r\n')[0]).toBe(
      'event,instant,asOf,k,n,aar,caar,caar0,csectT,csectT_p,stoufferZ,stoufferZ_p,bmpT,bmpT_p,nZ',
    );

    const cli = (...args: string[]) => runCli(args, { DATABASE_URL: db.url, LOG_LEVEL: 'warn' });
    const flags = ['--event', duringSlug, '--symbols', 'ZZA,ZZB', '--estimation-days', '10', '--min-days', '5'];
    const csvOut = await cli('intraday', ...flags, '--csv', 'members');
    expect(csvOut.status).toBe(0);
    expect(csvOut.stdout).toBe(members.text);
    const jsonOut = await cli('intraday', ...flags);
    expect(jsonOut.stdout).toBe(json.text);
    const bad = await cli('intraday', '--event', duringSlug, '--symbols', 'ZZA', '--window', 'wide');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/window/);
  }, 60_000);
});

// ---- the live stream

interface SseMessage {
  event: string;
  id: string;
  data: string;
}

/** An SSE client: the messages as they come. */
function connect(path: string, lastEventId?: string) {
  const messages: SseMessage[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  const req = http.get(`${app.url}${path}`, {
    headers: { Accept: 'text/event-stream', ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) },
  });
  const status = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      resolve(res.statusCode ?? 0);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => l && !l.startsWith(':'))
              .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]),
          );
          if (fields.event) messages.push({ event: fields.event, id: fields.id ?? '', data: fields.data ?? '' });
          for (const w of waiters.splice(0)) w();
        }
      });
    });
    req.on('error', reject);
  });
  const next = async (count: number): Promise<SseMessage> => {
    while (messages.length < count) await new Promise<void>((r) => waiters.push(r));
    return messages[count - 1];
  };
  /** The first message from the `from`-th on that satisfies `ok`. */
  const until = async (from: number, ok: (m: SseMessage) => boolean): Promise<SseMessage> => {
    for (let n = from; ; n++) {
      const m = await next(n);
      if (ok(m)) return m;
    }
  };
  return { status, messages, next, until, close: () => req.destroy() };
}

/** A bars message applied to the study it follows (the README's message shape, written here apart from the dashboard's). */
function applyBars(study: IntradayAnswer, inc: IntradayBarsMessage): IntradayAnswer {
  return {
    ...study,
    asOf: inc.asOf,
    members: inc.members.map(({ from, points, ...member }, i) => {
      expect(member.symbol).toBe(study.members[i].symbol);
      const kept = from === null ? study.members[i].points : study.members[i].points.filter((p) => p.k < from);
      return { ...member, points: [...kept, ...points] };
    }),
    aggregate:
      inc.aggregateFrom === null ? study.aggregate : [...study.aggregate.filter((g) => g.k < inc.aggregateFrom!), ...inc.aggregate],
  };
}

describe('GET /api/events/:slug/intraday/stream', () => {
  const path = () => `/api/events/${duringSlug}/intraday/stream?group=zz-synthetic&${OPTIONS}`;

  it('sends the study on connect, then bars messages that turn it into the next study, and resumes with Last-Event-ID', async () => {
    const a = connect(path());
    const b = connect(path()); // a second viewer of the same study
    expect(await a.status).toBe(200);
    const first = await a.next(1);
    expect(first).toMatchObject({ event: 'study', id: `${EVENT_DAY}T16:00:00.000Z` });
    expect(JSON.parse(first.data).members).toHaveLength(2);
    expect((await b.next(1)).data).toBe(first.data);
    const before = await request(app.url).get(`/api/events/${duringSlug}/intraday?group=zz-synthetic&${OPTIONS}`);
    expect(JSON.parse(first.data)).toEqual(before.body);

    clock = new Date(`${EVENT_DAY}T16:05:00Z`); // the 16:00 bar is there now
    await storeSession(EVENT_DAY); // the benchmark's bar, then each member's: an update after each store
    const done = `${EVENT_DAY}T16:05:00.000Z`;
    // the viewer's study: each bars message applied to the study of the message before it
    let study = JSON.parse(first.data) as IntradayAnswer;
    let n = 2;
    let last = first;
    while (!study.members.every((m) => m.asOf === done)) {
      const m = await a.next(n++);
      expect(m.event).toBe('bars');
      const increment = JSON.parse(m.data) as IntradayBarsMessage;
      expect(increment.base).toBe(last.id);
      expect(increment.members.every((x) => x.from === null || x.points.length <= 1)).toBe(true); // one new bar, not the path
      study = applyBars(study, increment);
      last = m;
    }
    expect(last.id.startsWith(study.asOf!)).toBe(true);
    expect(Math.max(...study.members[0].points.map((p) => p.k))).toBe(12);
    // the increments are the difference between the two full studies: applied, they give what the API answers now
    const after = await request(app.url).get(`/api/events/${duringSlug}/intraday?group=zz-synthetic&${OPTIONS}`);
    expect(after.body.members).not.toEqual(before.body.members);
    expect(study).toEqual(after.body);
    for (let i = 2; i < n; i++) expect((await b.next(i)).data).toBe(a.messages[i - 1].data); // one computation, the same messages
    b.close();

    // (a still watching: the study stays live, with its ids)
    // a viewer that missed more than the last update (its id older than the last bars message's base) gets the
    // current study at once
    const resumed = connect(path(), `${EVENT_DAY}T15:55:00.000Z`);
    const full = await resumed.next(1);
    expect(full).toMatchObject({ event: 'study', id: last.id });
    expect(JSON.parse(full.data)).toEqual(after.body);
    resumed.close();
    // one that missed only the last update gets that update's bars message
    const behind = connect(path(), JSON.parse(last.data).base);
    expect(await behind.next(1)).toEqual(last);
    behind.close();

    // a viewer that has the current study gets nothing until the next bar, then that bar's update
    const current = connect(path(), last.id);
    expect(await current.status).toBe(200);
    clock = new Date(`${EVENT_DAY}T16:10:00Z`);
    await storeSession(EVENT_DAY);
    const next = await current.next(1);
    expect(next.event).toBe('bars');
    expect(next.id.startsWith(`${EVENT_DAY}T16:10:00.000Z`)).toBe(true);
    current.close();
    a.close();
  }, 60_000);

  it('a bad request is a JSON 4xx before any stream starts', async () => {
    const res = await request(app.url).get(`/api/events/${duringSlug}/intraday/stream?group=no-such-group`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('what the intraday alerts call', () => {
  it('onIntradayUpdate follows the group after each new bar; computeIntradayAnswer computes it once, as the API does', async () => {
    const query = parseIntradayQuery({ group: 'zz-synthetic', estimationDays: '10', minDays: '5' }, false);
    const answers: IntradayAnswer[] = [];
    const waiters: (() => void)[] = [];
    const follow = await onIntradayUpdate(app.ctx, { slug: duringSlug }, query, (answer) => {
      answers.push(answer);
      for (const w of waiters.splice(0)) w();
    });
    expect(follow.current.asOf).toBe(`${EVENT_DAY}T16:10:00.000Z`);
    clock = new Date(`${EVENT_DAY}T16:15:00Z`);
    await storeSession(EVENT_DAY);
    const done = `${EVENT_DAY}T16:15:00.000Z`;
    while (!answers.some((a) => a.members.every((m) => m.asOf === done))) await new Promise<void>((r) => waiters.push(r));
    follow.stop();
    // every viewer gone (the streams above closed, the follower stopped): the hub keeps no study
    await eventually(async () => (intradayHubOf(app.ctx).size === 0 ? true : undefined), 10_000, 'the hub to drop its studies');
    const latest = answers.find((a) => a.members.every((m) => m.asOf === done))!;
    expect(latest.aggregate.find((g) => g.k === 14)).toMatchObject({ n: 2, caar0: expect.any(Number) });

    const once = await computeIntradayAnswer({ pool: db.pool, compute: app.ctx.compute }, { slug: duringSlug }, query, new Date());
    const api = await request(app.url).get(`/api/events/${duringSlug}/intraday?group=zz-synthetic&${OPTIONS}`);
    expect(once.members).toEqual(api.body.members);
    expect(once.members).toEqual(latest.members);
  });
});
