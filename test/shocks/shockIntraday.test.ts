// The intraday shock detector end to end on SYNTHETIC 5-minute bars (a seeded generator in this file, labelled
// synthetic in the store and the names): six US members and their index over 26 sessions, with a co-jump planted
// on the last session at one bar (four members fall 2% in it). Stored directly, the live detector (bars bus) finds
// the co-jump at that bar and nowhere else; a scan records nothing new; confirmed, the shock becomes an event whose
// intraday study (icore's intradayStudy on the same bars) shows the move at the event bar.
import request from 'supertest';
import { intradayStudy, DEFAULT_INTRADAY_OPTIONS, type IntradayMemberInput, type IntradaySeries } from '../../src/analysis';
import { barEventsService } from '../../src/bars/barEventsBus';
import { upsertDailyBars } from '../../src/bars/dailyBarStore';
import { upsertIntradayBars } from '../../src/bars/intradayBarStore';
import type { RunningApp } from '../../src/app/server';
import { eventResponse } from '../../src/events/eventContract';
import { upsertGroup } from '../../src/groups/groupStore';
import { saveInstrument } from '../../src/instruments/instrumentStore';
import { nextTradingDays, sessionOn } from '../../src/markets';
import { shockListResponse, type Shock } from '../../src/shocks/shockContract';
import { createShockDetection } from '../../src/shocks/shockDetectorService';
import { runCli } from '../support/appProcess';
import { startTestApp } from '../support/testApp';
import { createTestDatabase, type TestDatabase } from '../support/testDb';

const TOKEN = 'shocks-intraday-admin-token-0123456789';
const INDEX = 'SYNIDX';
const MEMBERS = ['SYNA', 'SYNB', 'SYNC', 'SYND', 'SYNE', 'SYNF'];
const FALLING = new Set(['SYNA', 'SYNB', 'SYNC', 'SYND']);
const SESSIONS = nextTradingDays('US', '2025-03-03', 26);
const LAST = SESSIONS[SESSIONS.length - 1];
const PLANTED_SLOT = 40;
const PLANTED_AT = new Date(sessionOn('US', LAST).open.getTime() + PLANTED_SLOT * 300_000).toISOString();

/** Deterministic standard normals (a linear congruential generator through Box-Muller). */
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** SYNTHETIC: per session 78 bars; the index a random walk, each member beta x index + its own noise. */
function synthesize(): Map<string, IntradaySeries> {
  const indexNoise = normals(7);
  const memberNoise = new Map(MEMBERS.map((s, i) => [s, normals(100 + i)]));
  const price = new Map([INDEX, ...MEMBERS].map((s) => [s, 100]));
  const series = new Map(
    [INDEX, ...MEMBERS].map((symbol) => [
      symbol,
      { symbol, bars: [] as IntradaySeries['bars'][number][], dailyCloses: [] as { date: string; close: number }[] },
    ]),
  );
  for (const date of SESSIONS) {
    const open = sessionOn('US', date).open.getTime();
    for (let slot = 0; slot < 78; slot++) {
      const t = new Date(open + slot * 300_000).toISOString();
      const m = 0.0008 * indexNoise();
      price.set(INDEX, price.get(INDEX)! * Math.exp(m));
      series.get(INDEX)!.bars.push({ t, close: price.get(INDEX)!, volume: null });
      MEMBERS.forEach((symbol, i) => {
        let r = (0.8 + 0.1 * i) * m + 0.001 * memberNoise.get(symbol)!();
        if (date === LAST && slot === PLANTED_SLOT && FALLING.has(symbol)) r += Math.log(0.98);
        price.set(symbol, price.get(symbol)! * Math.exp(r));
        series.get(symbol)!.bars.push({ t, close: price.get(symbol)!, volume: 1000 });
      });
    }
    for (const s of series.values()) s.dailyCloses.push({ date, close: s.bars[s.bars.length - 1].close });
  }
  return series;
}

const series = synthesize();
let db: TestDatabase;
let app: RunningApp;
const handled: { flagged: number }[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const spec = (symbol: string, kind: 'index' | 'equity') => ({
    symbol,
    name: `${symbol} (synthetic)`,
    exchange: 'US',
    currency: 'USD',
    timeZone: 'America/New_York',
    kind,
    benchmarkSymbol: kind === 'index' ? null : INDEX,
  });
  await saveInstrument(db.pool, spec(INDEX, 'index'));
  for (const symbol of MEMBERS) await saveInstrument(db.pool, spec(symbol, 'equity'));
  await upsertGroup(db.pool, { slug: 'synthetic-six', title: 'Six synthetic US stocks', symbols: MEMBERS });
  const detector = createShockDetection({
    debounceMs: 200,
    now: () => new Date(`${LAST}T21:00:00Z`),
    onHandled: (summary) => void handled.push(summary),
  });
  app = await startTestApp(db, { ADMIN_TOKEN: TOKEN }, [barEventsService(detector)]);
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

async function eventually<T>(read: () => Promise<T> | T, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const value = await read();
    if (done(value) || attempt > 600) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

let shock: Shock;

describe('a planted co-jump on synthetic 5-minute bars', () => {
  it('is found by the live detector at its bar and nowhere else', async () => {
    for (const s of series.values()) {
      await upsertDailyBars(
        db.pool,
        s.dailyCloses.map((d) => ({
          symbol: s.symbol,
          date: d.date,
          open: null,
          high: null,
          low: null,
          close: d.close,
          adjClose: d.close,
          volume: null,
        })),
        { source: 'synthetic' },
      );
    }
    // one store of every symbol's bars: one bars_stored notification
    await upsertIntradayBars(
      db.pool,
      [...series.values()].flatMap((s) =>
        s.bars.map((b) => ({
          symbol: s.symbol,
          interval: '5m',
          ts: new Date(b.t),
          open: null,
          high: null,
          low: null,
          close: b.close,
          volume: b.volume ?? null,
        })),
      ),
      { source: 'synthetic' },
    );
    await eventually(
      () => handled,
      (h) => h.some((x) => x.flagged > 0),
    );
    const res = await request(app.url).get('/api/shocks?group=synthetic-six&kind=intraday');
    const { shocks } = shockListResponse.parse(res.body);
    expect(shocks.map((s) => [s.start, s.sessionDate])).toEqual([[PLANTED_AT, LAST]]);
    shock = shocks[0];
    expect(shock).toMatchObject({ kind: 'intraday', direction: 'down', breadth: { count: 4 } });
    expect(shock.statistic.n).toBe(6);
    expect(shock.statistic.criticalValue).toBeCloseTo(4.067058, 6);
    expect(shock.firstBarByExchange).toEqual([{ market: 'US', t: PLANTED_AT }]);
    expect(
      shock.members
        .filter((m) => m.jumped)
        .map((m) => m.symbol)
        .sort(),
    ).toEqual([...FALLING].sort());
    expect(shock.end).toBe(new Date(Date.parse(PLANTED_AT) + 300_000).toISOString());
  });

  it('a scan of the stored sessions finds the same episode and records nothing new', async () => {
    const out = await runCli(
      ['shocks', 'scan', '--group', 'synthetic-six', '--kind', 'intraday', '--from', SESSIONS[20], '--to', LAST, '--json'],
      { DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
    );
    expect(out.status).toBe(0);
    const scan = JSON.parse(out.stdout) as {
      recorded: Record<string, number>;
      flagged: { start: string; bars: { t: string; down: number }[] }[];
    };
    expect(scan.flagged.map((f) => [f.start, f.bars.map((b) => [b.t, b.down])])).toEqual([[PLANTED_AT, [[PLANTED_AT, 4]]]]);
    expect(scan.recorded).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
  });

  it('confirmed, it becomes an event at the bar whose intraday study shows the 2% fall there', async () => {
    const res = await request(app.url)
      .post(`/api/shocks/${shock.id}/confirm`)
      .set({ Authorization: `Bearer ${TOKEN}` })
      .send({ title: 'Synthetic co-jump (test)', kind: 'synthetic' });
    expect(res.status).toBe(201);
    const { event } = eventResponse.parse(res.body);
    expect(event.occurredAt).toBe(PLANTED_AT);
    const members: IntradayMemberInput[] = MEMBERS.map((symbol) => ({
      series: series.get(symbol)!,
      market: 'US',
      benchmark: series.get(INDEX)!,
    }));
    const study = intradayStudy(
      members,
      { instant: new Date(event.occurredAt!), dateOnly: false, now: new Date(`${LAST}T22:00:00Z`) },
      DEFAULT_INTRADAY_OPTIONS,
    );
    for (const m of study.members) {
      expect(m.eventBar).toBe(PLANTED_AT);
      const at = m.points.find((p) => p.k === 0)!;
      if (FALLING.has(m.symbol)) expect(at.ar).toBeLessThan(-0.015);
      else expect(Math.abs(at.ar!)).toBeLessThan(0.005);
    }
    expect(study.aggregate.find((a) => a.k === 0)!.aar).toBeLessThan(-0.01);
  });
});
