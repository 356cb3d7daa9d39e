// The group aggregate of intraday.md section 8 on SYNTHETIC bars: members on two exchanges, each in its own event
// time, one member left out by its status, one whose Z is missing at some offsets; AAR, CAAR, CAAR0 and the tests
// computed here by hand from the members' points.
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { DEFAULT_INTRADAY_OPTIONS, type IntradayMemberInput, type TestOutcome, intradayStudy, stoufferZ } from '../../src/analysis';
import { fiveMinuteStarts, member, synthesize, tradingDatesUpTo } from './intradayHelpers';

const usDates = tradingDatesUpTo('US', '2025-01-28', 26);
const tseDates = tradingDatesUpTo('TSE', '2025-01-28', 26);
// B lacks its slot-2 bar on every session before the event's: σ_2 has no estimation AR, so B's Z is null from k = 2
const bMissing = new Set(usDates.filter((d) => d < '2025-01-27').map((d) => fiveMinuteStarts('US', d)[2]));
const a = member(
  synthesize({ market: 'US', dates: usDates, seed: 51, symbol: 'AAA', shocks: new Map([[Date.parse('2025-01-27T14:30:00Z'), -0.03]]) }),
  'US',
);
const b = member(synthesize({ market: 'US', dates: usDates, seed: 52, symbol: 'BBB', missing: bMissing }), 'US');
const c = member(synthesize({ market: 'TSE', dates: tseDates, seed: 53, symbol: 'CCC', benchmarkSymbol: '^TSE' }), 'TSE');
const d: IntradayMemberInput = { ...member(synthesize({ market: 'US', dates: usDates, seed: 54, symbol: 'DDD' }), 'US'), benchmark: null };

// 09:30 JST on 27 January: Tokyo is in session (slot 6); New York opens later that day (slot 0)
const result = intradayStudy(
  [a, b, c, d],
  { instant: new Date('2025-01-27T00:30:00Z'), dateOnly: false, now: new Date('2025-02-01T00:00:00Z') },
  { ...DEFAULT_INTRADAY_OPTIONS, window: [-12, 30] },
);

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const statOf = (t: TestOutcome | null) => (t && 'stat' in t ? t.stat : null);
const pOf = (t: TestOutcome | null) => (t && 'p' in t ? t.p : null);

test('each member in its own event time: its event bar on its own exchange; the member without a benchmark is out', () => {
  expect(result.members.map((m) => [m.symbol, m.status, m.eventBar, m.eventSlot])).toEqual([
    ['AAA', 'ok', '2025-01-27T14:30:00.000Z', 0],
    ['BBB', 'ok', '2025-01-27T14:30:00.000Z', 0],
    ['CCC', 'ok', '2025-01-27T00:30:00.000Z', 6],
    ['DDD', 'no_benchmark', '2025-01-27T14:30:00.000Z', 0],
  ]);
  expect(result.members[1].sigma[2]).toBeNull();
  expect(result.members[1].notes[0]).toMatch(/no σ at slot\(s\) 2:/);
});

test('AAR, CAAR, CAAR0 and the tests at every offset, by hand', () => {
  const ok = result.members.filter((m) => m.status === 'ok');
  expect(result.aggregate.map((p) => p.k)).toEqual(Array.from({ length: 43 }, (_, i) => i - 12));
  let caar = 0;
  let caar0 = 0;
  for (const agg of result.aggregate) {
    const points = ok.flatMap((m) => m.points.filter((p) => p.k === agg.k && p.ar !== null));
    const aar = mean(points.map((p) => p.ar as number));
    caar += aar;
    expect(agg.n).toBe(points.length);
    expect(agg.aar).toBeCloseTo(aar, 15);
    expect(agg.caar).toBeCloseTo(caar, 14);
    if (agg.k < 0) {
      expect([agg.caar0, agg.csectT, agg.stoufferZ, agg.bmpT, agg.nZ]).toEqual([null, null, null, null, 0]);
      continue;
    }
    caar0 += aar;
    expect(agg.caar0).toBeCloseTo(caar0, 14);
    const x = points.map((p) => p.car0 as number);
    const z = points.flatMap((p) => (p.z === null ? [] : [p.z]));
    expect(agg.nZ).toBe(z.length);
    const t = mean(x) / (sd(x) / Math.sqrt(x.length));
    expect(statOf(agg.csectT)).toBeCloseTo(t, 9);
    expect(pOf(agg.csectT)).toBeCloseTo(2 * tCdf(-Math.abs(t), x.length - 1), 12);
    if (z.length < 2) {
      expect(agg.stoufferZ).toEqual({ reason: `N = ${z.length}: at least 2 firms are needed` });
      continue;
    }
    const stouffer = z.reduce((s, v) => s + v, 0) / Math.sqrt(z.length);
    expect(statOf(agg.stoufferZ)).toBeCloseTo(stouffer, 9);
    expect(pOf(agg.stoufferZ)).toBeCloseTo(2 * normalCdf(-Math.abs(stouffer), 0, 1), 12);
    const bmp = mean(z) / (sd(z) / Math.sqrt(z.length));
    expect(statOf(agg.bmpT)).toBeCloseTo(bmp, 9);
    expect(pOf(agg.bmpT)).toBeCloseTo(2 * tCdf(-Math.abs(bmp), z.length - 1), 12);
  }
  // from k = 2 B has an AR but no Z: it counts in n, not in the Z tests
  const k2 = result.aggregate.find((p) => p.k === 2);
  expect([k2?.n, k2?.nZ]).toEqual([3, 2]);
  const k1 = result.aggregate.find((p) => p.k === 1);
  expect([k1?.n, k1?.nZ]).toEqual([3, 3]);
});

test('asOf is the latest of the members', () => {
  const latest = result.members
    .map((m) => m.asOf)
    .filter((x): x is string => x !== null)
    .sort();
  expect(result.asOf).toBe(latest[latest.length - 1]);
});

test('stoufferZ: sum Z_i / sqrt N, standard normal; fewer than 2: why', () => {
  const z = stoufferZ([1, 2, 2]);
  expect(statOf(z)).toBeCloseTo(5 / Math.sqrt(3), 15);
  expect(pOf(z)).toBeCloseTo(2 * normalCdf(-5 / Math.sqrt(3), 0, 1), 15);
  expect(stoufferZ([1.5])).toEqual({ reason: 'N = 1: at least 2 firms are needed' });
});
