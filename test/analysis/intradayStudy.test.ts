// The intraday event study of one member on SYNTHETIC bars, checked against a reference computed here from the bars
// (its own 5-minute grid, returns, raw-sum OLS, σ_s, band and Z): an event during a session, one before the open, a
// window crossing a close, a missing bar, off-grid bars, live data (paths end at the last bar) and the statuses.
import {
  DEFAULT_INTRADAY_OPTIONS,
  type IntradayMemberInput,
  type IntradayMemberResult,
  type IntradayOptions,
  intradayStudy,
} from '../../src/analysis/intraday';
import type { MarketCode } from '../../src/markets';
import {
  FIVE_MINUTES,
  fiveMinuteStarts,
  member,
  reference,
  sessionReturns,
  synthesize,
  tradingDatesUpTo,
  twentyBefore,
} from './intradayHelpers';

const options = (o: Partial<IntradayOptions> = {}): IntradayOptions => ({ ...DEFAULT_INTRADAY_OPTIONS, ...o });
const NOW = new Date('2026-06-01T00:00:00Z');

function study(m: IntradayMemberInput, instant: string, o: Partial<IntradayOptions> = {}, now = NOW): IntradayMemberResult {
  return intradayStudy([m], { instant: new Date(instant), dateOnly: false, now }, options(o)).members[0];
}

describe('an event during a New York session', () => {
  const dates = tradingDatesUpTo('US', '2025-03-12', 27);
  const pair = synthesize({ market: 'US', dates, seed: 7, shocks: new Map([[Date.parse('2025-03-11T15:00:00Z'), -0.02]]) });
  const m = member(pair, 'US');
  // 11:02 New York on 11 March (summer time): slot 18, which starts 15:00 UTC
  const result = study(m, '2025-03-11T15:02:00Z');
  const ref = reference(m, 'US', twentyBefore('US', '2025-03-11'));
  const s0 = 18;
  const days = ['2025-03-11', '2025-03-12'].map((d) => ({
    inst: sessionReturns(m.series, 'US', d),
    bench: sessionReturns(pair.benchmark, 'US', d),
  }));
  /** the test's own walk in event time: 78 slots a session, k continuing into 12 March after the close */
  const position = (k: number) => (s0 + k < 78 ? { day: 0, slot: s0 + k } : { day: 1, slot: s0 + k - 78 });

  test('the event bar, the model and its estimation sessions', () => {
    expect(result.status).toBe('ok');
    expect([result.eventSession, result.eventBar, result.eventSlot]).toEqual(['2025-03-11', '2025-03-11T15:00:00.000Z', s0]);
    expect(result.model?.sessions).toEqual(twentyBefore('US', '2025-03-11'));
    expect(result.model?.alpha).toBeCloseTo(ref.ols.alpha, 12);
    expect(result.model?.beta).toBeCloseTo(ref.ols.beta, 10);
    expect(result.model?.s2).toBeCloseTo(ref.ols.sigma ** 2, 14);
    expect(result.model?.L1).toBe(20 * 77);
    expect(result.sigma).toHaveLength(78);
    result.sigma.forEach((s, slot) => expect(s).toBeCloseTo(ref.sigma[slot] as number, 12));
  });

  test('every point: return, AR, SAR, CAR from the window start, CAR0 and Z from the event bar, band, AV', () => {
    expect(result.points.map((p) => p.k)).toEqual(Array.from({ length: 91 }, (_, i) => i - 12));
    let car = 0;
    let car0 = 0;
    let variance = 0;
    for (const p of result.points) {
      const { day, slot } = position(p.k);
      const { inst, bench } = days[day];
      const ar = ref.arOf(inst.returns[slot], bench.returns[slot]) as number;
      const sigma = ref.sigma[slot] as number;
      car += ar;
      expect([p.session, p.slot]).toEqual([day === 0 ? '2025-03-11' : '2025-03-12', slot]);
      expect(p.t).toBe(new Date(inst.starts[slot]).toISOString());
      expect(p.ret).toBeCloseTo(inst.returns[slot] as number, 14);
      expect(p.ar).toBeCloseTo(ar, 12);
      expect(p.sar).toBeCloseTo(ar / sigma, 8);
      expect(p.car).toBeCloseTo(car, 12);
      // the price path is against the close before the EVENT session, on the next session too
      expect(p.fromPrevClose).toBeCloseTo((inst.closes[slot] as number) / (days[0].inst.previousClose as number) - 1, 14);
      expect(p.av).toBeCloseTo((inst.volumes[slot] as number) / ref.meanVolume[slot], 12);
      if (p.k < 0) {
        expect([p.car0, p.z, p.p, p.lower, p.upper]).toEqual([null, null, null, null, null]);
        continue;
      }
      car0 += ar;
      variance += sigma * sigma;
      expect(p.car0).toBeCloseTo(car0, 12);
      expect(p.z).toBeCloseTo(car0 / Math.sqrt(variance), 8);
      if (day === 1) {
        // the band is matched inside the event session only
        expect([p.lower, p.upper, p.outside]).toEqual([null, null, false]);
        continue;
      }
      const band = ref.band(s0, p.k);
      expect(p.lower).toBeCloseTo(band.lower, 12);
      expect(p.upper).toBeCloseTo(band.upper, 12);
      expect(p.outside).toBe(car0 < band.lower || car0 > band.upper);
    }
  });

  test('a window crossing the close: k = 60 is slot 0 of 12 March, its opening return against the official close', () => {
    const p = result.points.find((x) => x.k === 60);
    expect([p?.session, p?.slot, p?.t]).toEqual(['2025-03-12', 0, '2025-03-12T13:30:00.000Z']);
    const close11 = m.series.dailyCloses.find((c) => c.date === '2025-03-11')?.close as number;
    expect(p?.ret).toBeCloseTo((days[1].inst.closes[0] as number) / close11 - 1, 14);
  });

  test('the -2% news bar lies outside its band; the run starts at initialBars = 5 and ends at the first offset back inside', () => {
    expect(result.points.find((p) => p.k === 0)?.outside).toBe(true);
    expect(result.significantFrom).toBe(5);
    let through = 5;
    while (result.points.find((p) => p.k === through + 1)?.outside) through++;
    expect(result.significantThrough).toBe(through);
    expect(through).toBeGreaterThan(5);
    expect(result.direction).toBe(-1);
    // with initialBars = 0 the run starts at the news bar itself
    expect(study(m, '2025-03-11T15:02:00Z', { initialBars: 0 }).significantFrom).toBe(0);
  });

  test('asOf is the end of the last bar used', () => {
    const last = result.points[result.points.length - 1];
    expect(last.k).toBe(78);
    expect(result.asOf).toBe(new Date(Date.parse(last.t) + FIVE_MINUTES).toISOString());
  });
});

describe('an event before the Tokyo open (with the lunch break in the grid)', () => {
  const dates = tradingDatesUpTo('TSE', '2025-01-28', 26);
  const pair = synthesize({ market: 'TSE', dates, seed: 11 });
  const m = member(pair, 'TSE');
  // 07:00 JST on Monday 27 January: the event bar is slot 0 of that session (00:00 UTC), its return the overnight gap
  const result = study(m, '2025-01-26T22:00:00Z');
  // k = -12 reaches back into Friday 24 January, which the estimation leaves out
  const ref = reference(m, 'TSE', twentyBefore('TSE', '2025-01-24'));
  const monday = { inst: sessionReturns(m.series, 'TSE', '2025-01-27'), bench: sessionReturns(pair.benchmark, 'TSE', '2025-01-27') };

  test('event bar = slot 0 of the next session; the session the negative offsets touch is left out of the estimation', () => {
    expect(result.status).toBe('ok');
    expect([result.eventSession, result.eventBar, result.eventSlot]).toEqual(['2025-01-27', '2025-01-27T00:00:00.000Z', 0]);
    expect(result.model?.sessions).toEqual(twentyBefore('TSE', '2025-01-24'));
    expect(result.sigma).toHaveLength(66);
  });

  test('k = 0 is the opening return against Friday official close; k = -1 is Friday last slot', () => {
    const p0 = result.points.find((p) => p.k === 0);
    expect(p0?.ret).toBeCloseTo((monday.inst.closes[0] as number) / (monday.inst.previousClose as number) - 1, 14);
    expect(p0?.ar).toBeCloseTo(ref.arOf(monday.inst.returns[0], monday.bench.returns[0]) as number, 12);
    expect(p0?.z).toBeCloseTo((p0?.ar as number) / (ref.sigma[0] as number), 8);
    const before = result.points.find((p) => p.k === -1);
    expect([before?.session, before?.slot, before?.t]).toEqual(['2025-01-24', 65, '2025-01-24T06:25:00.000Z']);
  });

  test('across the lunch break: slot 30 (12:30 JST) follows slot 29 (11:25), its return spans the break', () => {
    const p30 = result.points.find((p) => p.k === 30);
    expect([p30?.slot, p30?.t]).toEqual([30, '2025-01-27T03:30:00.000Z']);
    expect(p30?.ret).toBeCloseTo((monday.inst.closes[30] as number) / (monday.inst.closes[29] as number) - 1, 14);
    const z30 = result.points.find((p) => p.k === 30)?.z as number;
    let variance = 0;
    for (let s = 0; s <= 30; s++) variance += (ref.sigma[s] as number) ** 2;
    expect(z30).toBeCloseTo((p30?.car0 as number) / Math.sqrt(variance), 8);
  });

  test('an event in the lunch break: the event bar is the first afternoon slot', () => {
    const lunch = study(m, '2025-01-27T03:00:00Z');
    expect([lunch.eventSession, lunch.eventSlot, lunch.eventBar]).toEqual(['2025-01-27', 30, '2025-01-27T03:30:00.000Z']);
  });
});

describe('a missing bar, off-grid bars, an early close', () => {
  const dates = tradingDatesUpTo('US', '2025-12-01', 26);
  const missing = Date.parse('2025-11-28T17:50:00Z'); // slot 40 of the early close (12:50 New York)
  const pair = synthesize({ market: 'US', dates, seed: 23, missing: new Set([missing]) });
  // off the grid: a bar at 12:52 New York, one before the open, one on Thanksgiving (a holiday)
  const extra = ['2025-11-28T17:52:00.000Z', '2025-11-28T14:00:00.000Z', '2025-11-27T16:00:00.000Z'];
  const bars = [...pair.instrument.bars, ...extra.map((t) => ({ t, close: 1, volume: 1 }))].sort(
    (a, b) => Date.parse(a.t) - Date.parse(b.t),
  );
  const m: IntradayMemberInput = { series: { ...pair.instrument, bars }, benchmark: pair.benchmark, market: 'US' };
  // 12:40 New York on Friday 28 November (early close at 13:00): slot 38 of 42
  const result = study(m, '2025-11-28T17:40:00Z', { window: [-3, 6] });
  const friday = { inst: sessionReturns(m.series, 'US', '2025-11-28'), bench: sessionReturns(pair.benchmark, 'US', '2025-11-28') };

  test('the early close has 42 slots: k = 3 is its last (slot 41), k = 4 is slot 0 of Monday', () => {
    expect(result.status).toBe('ok');
    expect(result.eventSlot).toBe(38);
    expect(result.sigma).toHaveLength(42);
    expect(result.points.map((p) => `${p.k}:${p.session}#${p.slot}`)).toEqual([
      '-3:2025-11-28#35',
      '-2:2025-11-28#36',
      '-1:2025-11-28#37',
      '0:2025-11-28#38',
      '1:2025-11-28#39',
      // k = 2 (slot 40) has no bar
      '3:2025-11-28#41',
      '4:2025-12-01#0',
      '5:2025-12-01#1',
      '6:2025-12-01#2',
    ]);
  });

  test('the bar after a missing one returns over two slots; CAR0 sums the ARs there are; Z sums σ² over every offset', () => {
    const p1 = result.points.find((p) => p.k === 1);
    const p3 = result.points.find((p) => p.k === 3);
    expect(p3?.ret).toBeCloseTo((friday.inst.closes[41] as number) / (friday.inst.closes[39] as number) - 1, 14);
    expect(p3?.car0).toBeCloseTo((p1?.car0 as number) + (p3?.ar as number), 14);
    const sigma = result.sigma as number[];
    const variance = sigma[38] ** 2 + sigma[39] ** 2 + sigma[40] ** 2 + sigma[41] ** 2;
    expect(p3?.z).toBeCloseTo((p3?.car0 as number) / Math.sqrt(variance), 10);
    // Monday slot 0 (k = 4) adds σ_0
    const p4 = result.points.find((p) => p.k === 4);
    expect(p4?.z).toBeCloseTo((p4?.car0 as number) / Math.sqrt(variance + sigma[0] ** 2), 10);
  });

  test('the bars off the grid (in session, before the open, on a holiday) are counted and not used', () => {
    expect(result.offGrid).toBe(3);
    expect(result.notes.some((n) => n.includes('3 stored bar(s) off the 5m slot grid'))).toBe(true);
  });
});

describe('live: the bars stored so far', () => {
  const dates = tradingDatesUpTo('US', '2025-03-11', 26);
  const lastBar = Date.parse('2025-03-11T16:20:00Z'); // slot 34 of 11 March (open 13:30 UTC): k = 16
  const full = synthesize({ market: 'US', dates, seed: 31 });
  const live = synthesize({ market: 'US', dates, seed: 31, until: lastBar });
  const instant = '2025-03-11T15:02:00Z';
  const now = new Date(lastBar + 7 * 60_000);
  const sofar = intradayStudy([member(live, 'US')], { instant: new Date(instant), dateOnly: false, now }, options());
  const later = study(member(full, 'US'), instant);

  test('every path ends at the last stored bar; asOf = its end; the earlier offsets are those of the full day', () => {
    const m = sofar.members[0];
    expect(m.status).toBe('ok');
    expect(m.points[m.points.length - 1].t).toBe('2025-03-11T16:20:00.000Z');
    expect(m.asOf).toBe('2025-03-11T16:25:00.000Z');
    expect(sofar.asOf).toBe('2025-03-11T16:25:00.000Z');
    expect(sofar.aggregate[sofar.aggregate.length - 1].k).toBe(16);
    expect(m.points).toEqual(later.points.filter((p) => p.k <= 16));
  });

  test('bars that start at or after `now` are not used yet', () => {
    const early = study(member(full, 'US'), instant, {}, new Date(lastBar + 1));
    expect(early.points[early.points.length - 1].k).toBe(16);
    expect(early.asOf).toBe('2025-03-11T16:25:00.000Z');
  });
});

describe('statuses', () => {
  const dates = tradingDatesUpTo('US', '2025-03-11', 26);
  const pair = synthesize({ market: 'US', dates, seed: 41 });
  const instant = '2025-03-11T15:02:00Z';

  test('no_event_time: a date-only event', () => {
    const r = intradayStudy([member(pair, 'US')], { instant: new Date('2025-03-11T00:00:00Z'), dateOnly: true, now: NOW }, options());
    expect(r.members[0]).toMatchObject({ status: 'no_event_time', points: [] });
    expect(r.members[0].reason).toMatch(/date only/);
  });

  test('unknown_market: no market, or one the registry does not know', () => {
    expect(study(member(pair, null), instant).status).toBe('unknown_market');
    expect(study(member(pair, 'NOWHERE' as MarketCode), instant).status).toBe('unknown_market');
  });

  test('no_benchmark for the market model; constant_mean needs none', () => {
    const alone = { series: pair.instrument, benchmark: null, market: 'US' as const };
    expect(study(alone, instant)).toMatchObject({ status: 'no_benchmark', benchmark: null });
    expect(study(alone, instant, { model: 'market_adjusted' }).status).toBe('no_benchmark');
    const mean = study(alone, instant, { model: 'constant_mean' });
    expect(mean.status).toBe('ok');
    expect(mean.model).toMatchObject({ kind: 'constant_mean', beta: null });
    const p = mean.points.find((x) => x.k === 0);
    expect(p?.ar).toBeCloseTo((p?.ret as number) - (mean.model?.alpha as number), 15);
  });

  test('event_session_pending: the event session has not opened by now', () => {
    const r = study(member(pair, 'US'), '2025-03-11T11:00:00Z', {}, new Date('2025-03-11T12:00:00Z'));
    expect(r).toMatchObject({ status: 'event_session_pending', eventSession: '2025-03-11', eventSlot: 0, points: [] });
  });

  test('no_intraday_bars: none in the event window', () => {
    const r = study(member(pair, 'US'), '2025-03-20T15:02:00Z');
    expect(r).toMatchObject({ status: 'no_intraday_bars', eventSession: '2025-03-20', points: [] });
  });

  test('insufficient_estimation: fewer than minDays sessions with half their slots (for the benchmark too)', () => {
    const short = synthesize({ market: 'US', dates: dates.slice(-8), seed: 43 });
    const r = study(member(short, 'US'), instant);
    expect(r.status).toBe('insufficient_estimation');
    expect(r.reason).toMatch(/^7 estimation session\(s\)/);
    expect(study(member(short, 'US'), instant, { minDays: 7, estimationDays: 7 }).status).toBe('ok');
    // the same with a benchmark whose bars stop after 7 sessions
    const thin = { ...pair.benchmark, bars: pair.benchmark.bars.filter((b) => b.t < '2025-02-12') };
    expect(study({ ...member(pair, 'US'), benchmark: thin }, instant).status).toBe('insufficient_estimation');
  });

  test('a session with fewer than half its slots present does not qualify', () => {
    // the first 39 bars of 7 March dropped (39 of 78 left, half): it qualifies; 40 dropped: the walk goes one further
    const cut = (n: number) => {
      const drop = new Set(fiveMinuteStarts('US', '2025-03-07').slice(0, n));
      return { ...pair.instrument, bars: pair.instrument.bars.filter((b) => !drop.has(Date.parse(b.t))) };
    };
    const sessionsOf = (n: number) => study({ ...member(pair, 'US'), series: cut(n) }, instant).model?.sessions ?? [];
    expect(sessionsOf(39)).toContain('2025-03-07');
    expect(sessionsOf(40)).not.toContain('2025-03-07');
    expect(sessionsOf(40)).toEqual([...twentyBefore('US', '2025-03-07').slice(1), '2025-03-10']);
  });
});

test('bar starts spelt otherwise (no milliseconds, an offset) are the same instants', () => {
  const dates = tradingDatesUpTo('US', '2025-03-11', 26);
  const pair = synthesize({ market: 'US', dates, seed: 71 });
  const respell = (t: string, i: number) => (i % 2 === 0 ? t.replace('.000Z', 'Z') : t.replace('.000Z', '+00:00'));
  const other: IntradayMemberInput = {
    series: { ...pair.instrument, bars: pair.instrument.bars.map((b, i) => ({ ...b, t: respell(b.t, i) })) },
    benchmark: { ...pair.benchmark, bars: pair.benchmark.bars.map((b, i) => ({ ...b, t: respell(b.t, i + 1) })) },
    market: 'US',
  };
  const canonical = study(member(pair, 'US'), '2025-03-11T15:02:00Z');
  const respelt = study(other, '2025-03-11T15:02:00Z');
  expect(respelt.status).toBe('ok');
  expect(respelt.offGrid).toBe(0);
  expect(respelt).toEqual(canonical);
});

test('abnormal volume: a 0 (as indices report) or missing volume is none, left out of the slot mean, and has no AV', () => {
  const dates = tradingDatesUpTo('US', '2025-03-11', 26);
  const pair = synthesize({ market: 'US', dates, seed: 73 });
  const s0Start = (date: string) => new Date(fiveMinuteStarts('US', date)[18]).toISOString();
  const zeroAt = s0Start('2025-03-10'); // an estimation session's bar at the event slot
  const eventBar = s0Start('2025-03-11');
  const nextBar = new Date(Date.parse(eventBar) + FIVE_MINUTES).toISOString();
  const bars = pair.instrument.bars.map((b) => (b.t === zeroAt ? { ...b, volume: 0 } : b.t === nextBar ? { ...b, volume: null } : b));
  const m: IntradayMemberInput = { ...member(pair, 'US'), series: { ...pair.instrument, bars } };
  const r = study(m, '2025-03-11T15:02:00Z');
  const slotVolumes = twentyBefore('US', '2025-03-11')
    .map((d) => bars.find((b) => b.t === s0Start(d))?.volume as number)
    .filter((v) => v > 0);
  expect(slotVolumes).toHaveLength(19);
  const mean = slotVolumes.reduce((s, v) => s + v, 0) / slotVolumes.length;
  const eventVolume = bars.find((b) => b.t === eventBar)?.volume as number;
  expect(r.points.find((p) => p.k === 0)?.av).toBeCloseTo(eventVolume / mean, 12);
  expect(r.points.find((p) => p.k === 1)?.av).toBeNull();
});
