// Alerts while it happens (issue 22): a subscription follows a group's intraday abnormal move. SYNTHETIC 5-minute
// bars (a deterministic generator below, source "synthetic test") of five members and their benchmark are stored
// one bar at a time during a session, through the bar store and its NOTIFY, as the scheduler stores them; the real
// app's bars bus, intraday study, outbox and sender deliver to a real SMTP server. Exactly one email arrives when
// the group's CAAR0 crosses; more bars, a re-run, a restart and a second app instance send none twice.
import request from 'supertest';
import { upsertDailyBars } from '../../src/bars/dailyBarStore';
import { upsertIntradayBars } from '../../src/bars/intradayBarStore';
import { saveInstrument } from '../../src/instruments/instrumentStore';
import { nextTradingDays, sessionOn } from '../../src/markets';
import { upsertNewsItems } from '../../src/news/newsStore';
import { intradayAlertTriggers } from '../../src/triggers/intradayAlerts';
import type { DailyBarInput, IntradayBarInput } from '../../src/marketdata/types';
import { createTestDatabase, type TestDatabase } from '../support/testDb';
import { ADMIN_TOKEN, BASE_URL, type BusApp, createSmtp, startBusApp, subscribeAndConfirm, type TestSmtp } from './alertTestSupport';

const MEMBERS = ['SYN1', 'SYN2', 'SYN3', 'SYN4', 'SYN5'];
const BENCHMARK = 'SYNIDX';
const GROUP = 'synthetic-chips';
const SOURCE = 'synthetic test';
const EMAIL = 'intraday-watcher@example.com';
/** 20 estimation sessions and the event session, after the bundled data */
const SESSIONS = nextTradingDays('US', '2025-06-02', 21);
const EVENT_SESSION = SESSIONS[20];
/** from this bar of the event session on, every member falls 0.8% a bar more than its market */
const SHOCK_FROM_BAR = 3;
const SHOCK_PER_BAR = -0.008;

/** Deterministic pseudo-random normal numbers (LCG + Box-Muller): the synthetic bars are the same every run. */
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

interface SyntheticSession {
  date: string;
  /** per symbol, the 78 bar closes of the session */
  closes: Map<string, number[]>;
  starts: Date[];
}

/** SYNTHETIC bars: market returns N(0, 0.1%) a bar, members beta 1.2 plus N(0, 0.15%); the shock on the event session. */
function syntheticSessions(): SyntheticSession[] {
  const rnd = normals(20250602);
  const last = new Map([BENCHMARK, ...MEMBERS].map((s) => [s, 100]));
  return SESSIONS.map((date) => {
    const { open, close } = sessionOn('US', date);
    const starts: Date[] = [];
    for (let t = open.getTime(); t < close.getTime(); t += 5 * 60_000) starts.push(new Date(t));
    const closes = new Map<string, number[]>([[BENCHMARK, []], ...MEMBERS.map((m): [string, number[]] => [m, []])]);
    starts.forEach((_, i) => {
      const rm = 0.001 * rnd();
      last.set(BENCHMARK, last.get(BENCHMARK)! * (1 + rm));
      closes.get(BENCHMARK)!.push(last.get(BENCHMARK)!);
      for (const m of MEMBERS) {
        const shock = date === EVENT_SESSION && i >= SHOCK_FROM_BAR ? SHOCK_PER_BAR : 0;
        last.set(m, last.get(m)! * (1 + 1.2 * rm + 0.0015 * rnd() + shock));
        closes.get(m)!.push(last.get(m)!);
      }
    });
    return { date, closes, starts };
  });
}

const bar = (symbol: string, ts: Date, close: number): IntradayBarInput => ({
  symbol,
  interval: '5m',
  ts,
  open: close,
  high: close,
  low: close,
  close,
  volume: 10_000,
});

let db: TestDatabase;
let smtp: TestSmtp;
let sessions: SyntheticSession[];
/** the triggers' clock: a minute after the end of the newest bar stored */
let clock = new Date();
/** the newest bar of the event session stored */
let lastStored = -1;

const startApp = () => startBusApp(db, smtp, [intradayAlertTriggers({ now: () => clock })], { ALERT_COALESCE_MS: '200' });

/** Bar `i` of the event session for every member and the benchmark, stored in one batch as the scheduler does. */
async function storeEventBar(i: number): Promise<void> {
  const s = sessions[20];
  const bars = [BENCHMARK, ...MEMBERS].map((sym) => bar(sym, s.starts[i], s.closes.get(sym)![i]));
  clock = new Date(s.starts[i].getTime() + 6 * 60_000);
  lastStored = i;
  await upsertIntradayBars(db.pool, bars, { source: SOURCE });
}

/** Where the group's CAAR0 stands as the app computes it (the ad hoc study from the open), in percent. */
async function caar0Pct(app: BusApp): Promise<number> {
  const at = sessionOn('US', EVENT_SESSION).open.toISOString();
  const res = await request(app.url).get('/api/intraday').query({ at, group: GROUP });
  expect(res.status).toBe(200);
  const last = res.body.aggregate.filter((a: { caar0: number | null }) => a.caar0 !== null).at(-1);
  return last.caar0 * 100;
}

const alertEmails = () => smtp.to(EMAIL).filter((m) => m.subject.includes('intraday CAAR0'));

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = createSmtp();
  await smtp.listen();
  sessions = syntheticSessions();
  await saveInstrument(db.pool, {
    symbol: BENCHMARK,
    name: 'Synthetic index (test data)',
    exchange: 'US',
    currency: 'USD',
    timeZone: 'America/New_York',
    kind: 'index',
    benchmarkSymbol: null,
  });
  for (const m of MEMBERS)
    await saveInstrument(db.pool, {
      symbol: m,
      name: `Synthetic member ${m} (test data)`,
      exchange: 'US',
      currency: 'USD',
      timeZone: 'America/New_York',
      kind: 'equity',
      benchmarkSymbol: BENCHMARK,
    });
  // the estimation sessions: every bar and the daily closes (history, stored before the subscription)
  const history = sessions.slice(0, 20);
  const intraday = history.flatMap((s) => [...s.closes].flatMap(([sym, closes]) => closes.map((c, i) => bar(sym, s.starts[i], c))));
  await upsertIntradayBars(db.pool, intraday, { source: SOURCE });
  const daily: DailyBarInput[] = history.flatMap((s) =>
    [...s.closes].map(([sym, closes]) => {
      const close = closes.at(-1)!;
      return { symbol: sym, date: s.date, open: closes[0], high: close, low: close, close, adjClose: null, volume: 780_000 };
    }),
  );
  await upsertDailyBars(db.pool, daily, { source: SOURCE });
  await upsertNewsItems(
    db.pool,
    [
      {
        url: 'https://example.com/synthetic/syn3-guidance',
        title: 'SYN3 cuts its guidance (synthetic test news)',
        publisher: 'Synthetic Wire',
        publishedAt: new Date(sessionOn('US', EVENT_SESSION).open.getTime() - 30 * 60_000),
        dateOnly: false,
        symbols: ['SYN3'],
      },
    ],
    SOURCE,
  );
});
afterAll(async () => {
  await smtp?.close();
  await db?.drop();
});

describe('intraday group alerts', () => {
  let app: BusApp;
  beforeAll(async () => {
    app = await startApp();
    const created = await request(app.url)
      .post('/api/groups')
      .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
      .send({ slug: GROUP, title: 'Synthetic chips (test data)', symbols: MEMBERS });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('the API takes the new kinds and names the field that is wrong', async () => {
    const post = (body: object) =>
      request(app.url)
        .post('/api/subscriptions')
        .send({ email: 'bad@example.com', ...body });
    const noGroup = await post({ kind: 'intraday_move', intradayCaarPct: 3 });
    expect(noGroup.status).toBe(400);
    expect(noGroup.body.error.details).toEqual([expect.objectContaining({ param: 'group' })]);
    const both = await post({ kind: 'intraday_move', group: GROUP, intradayCaarPct: 3, intradayBmpT: 4 });
    expect(both.status).toBe(400);
    expect(both.body.error.details).toEqual([expect.objectContaining({ param: 'intradayCaarPct' })]);
    const digest = await post({ kind: 'shocks', group: GROUP, mode: 'digest' });
    expect(digest.status).toBe(400);
    expect(digest.body.error.details).toEqual([expect.objectContaining({ param: 'mode' })]);
    const kind = await post({ kind: 'sometimes', group: GROUP });
    expect(kind.status).toBe(400);
    expect(kind.body.error.details).toEqual([expect.objectContaining({ param: 'kind' })]);
    const onMoves = await post({ symbols: ['NVDA'], intradayBmpT: 3 });
    expect(onMoves.status).toBe(400);
    expect(onMoves.body.error.details).toEqual([expect.objectContaining({ param: 'intradayBmpT' })]);
  });

  it('one email when the CAAR0 crosses 3%, none twice after more bars, a re-run, a restart or a second instance', async () => {
    const accepted = await request(app.url)
      .post('/api/subscriptions')
      .send({ email: 'shape@example.com', kind: 'intraday_move', group: GROUP, intradayCaarPct: 3 });
    expect(accepted.status).toBe(202);
    expect(accepted.body.subscription).toEqual({
      symbols: [],
      group: GROUP,
      minMovePct: 5,
      minAbnormalZ: null,
      mode: 'instant',
      kind: 'intraday_move',
      intradayCaarPct: 3,
      intradayBmpT: null,
    });
    await subscribeAndConfirm(app, smtp, { email: EMAIL, kind: 'intraday_move', group: GROUP, intradayCaarPct: 3 });
    expect(smtp.to(EMAIL)[0].text).toContain(`the group ${GROUP}: the group's intraday abnormal move: |CAAR0| of 3% or more`);

    // bars one at a time: until the CAAR0 reaches -3% nothing is sent
    let i = 0;
    let crossedAt: number | null = null;
    for (; i < 20; i++) {
      await storeEventBar(i);
      await app.evaluateNow();
      const caar0 = await caar0Pct(app);
      if (Math.abs(caar0) < 3) expect(alertEmails()).toHaveLength(0);
      else {
        crossedAt = i;
        break;
      }
    }
    expect(crossedAt).not.toBeNull();
    expect(crossedAt!).toBeGreaterThan(SHOCK_FROM_BAR);
    await smtp.waitFor(() => alertEmails().length === 1, 'the intraday alert');
    const email = alertEmails()[0];
    expect(email.subject).toMatch(new RegExp(`^${GROUP} intraday CAAR0 -3\\.\\d\\d% \\(${EVENT_SESSION}\\).*\\[synthetic data\\]$`));
    expect(email.text).toContain('SYN3 cuts its guidance (synthetic test news)');
    expect(email.text).toContain(`${BASE_URL}/api/intraday?at=${encodeURIComponent(sessionOn('US', EVENT_SESSION).open.toISOString())}`);
    expect(email.header('List-Unsubscribe')).toMatch(/^<http:\/\/aftershock\.test\/api\/subscriptions\/unsubscribe\?token=/);

    // more bars, the CAAR0 falling further: nothing more
    for (const next of [i + 1, i + 2]) {
      await storeEventBar(next);
      await app.evaluateNow();
    }
    expect(Math.abs(await caar0Pct(app))).toBeGreaterThan(3);
    await app.evaluateNow();
    expect(alertEmails()).toHaveLength(1);

    // a restart (its sweep at start), and a second instance beside it: the dedupe key holds
    await app.stop();
    app = await startApp();
    const second = await startApp();
    try {
      await Promise.all([app.evaluateNow(), second.evaluateNow()]);
      await storeEventBar(i + 3);
      await Promise.all([app.evaluateNow(), second.evaluateNow()]);
    } finally {
      await second.stop();
    }
    expect(alertEmails()).toHaveLength(1);
    const { rows } = await db.pool.query(`SELECT dedupe_key FROM outbox_emails WHERE dedupe_key LIKE 'intraday:%'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].dedupe_key).toMatch(new RegExp(`^intraday:\\d+:${GROUP}:${EVENT_SESSION}:open:`));
  });

  it('an event in the session is its own window: one more email, about the event, linking its live page', async () => {
    const eventAt = sessions[20].starts[2]; // bar 2 is the event bar; the members fall from bar 3 on
    const created = await request(app.url)
      .post('/api/events')
      .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
      .send({ title: 'Synthetic chips profit warning (synthetic test event)', occurredAt: eventAt.toISOString(), kind: 'earnings' });
    expect(created.status).toBe(201);
    const slug: string = created.body.event.slug;
    await app.evaluateNow();
    await smtp.waitFor(() => alertEmails().length === 2, 'the alert of the event window');
    const email = alertEmails()[1];
    expect(email.subject).toMatch(
      new RegExp(`^${GROUP} intraday CAAR0 -\\d+\\.\\d\\d% \\(${EVENT_SESSION}\\) · Synthetic chips profit warning`),
    );
    expect(email.text).toContain(
      `Window: event Synthetic chips profit warning (synthetic test event) (${eventAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
    );
    expect(email.text).toContain(`Watch it live: ${BASE_URL}/events/${slug}?group=${GROUP}#intraday`);
    // the event bar is bar 2: the crossing is counted from there
    expect(email.text).toMatch(/Crossed: CAAR0 -3\.\d\d% at bar \d+/);

    await storeEventBar(lastStored + 1);
    await app.evaluateNow();
    await app.evaluateNow();
    expect(alertEmails()).toHaveLength(2);
    const { rows } = await db.pool.query(`SELECT dedupe_key FROM outbox_emails WHERE dedupe_key LIKE 'intraday:%' ORDER BY id`);
    expect(rows.map((r) => r.dedupe_key.replace(/^intraday:\d+:/, ''))).toEqual([
      expect.stringMatching(new RegExp(`^${GROUP}:${EVENT_SESSION}:open:`)),
      `${GROUP}:${EVENT_SESSION}:event:${slug}`,
    ]);
  });
});
