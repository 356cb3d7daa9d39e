// SYNTHETIC intraday bars for the intraday core's tests: a deterministic random walk on an exchange's 5-minute grid
// (the sessions from the market registry; the slots stepped here by wall clock, 5 minutes at a time, skipping the
// lunch break: a formulation independent of src/analysis/intraday/slotGrid.ts). Not market data.
import type { IntradayBar, IntradayMemberInput, IntradaySeries, SessionClose } from '../../src/analysis/intraday';
import { nextTradingDays, previousTradingDay, sessionOn, type MarketCode } from '../../src/markets';
import { directOls } from './helpers';

export const FIVE_MINUTES = 300_000;

/** Starts (epoch ms) of the 5-minute bars of a session: every 5 minutes from the open, none inside a break. */
export function fiveMinuteStarts(market: MarketCode, date: string): number[] {
  const s = sessionOn(market, date);
  const starts: number[] = [];
  for (let t = s.open.getTime(); t < s.close.getTime(); t += FIVE_MINUTES) {
    if (!s.breaks.some((b) => t >= b.start.getTime() && t < b.end.getTime())) starts.push(t);
  }
  return starts;
}

/** The `count` trading dates of `market` up to and including `last`, ascending. */
export function tradingDatesUpTo(market: MarketCode, last: string, count: number): string[] {
  let first = last;
  for (let i = 1; i < count; i++) first = previousTradingDay(market, first);
  return [first, ...nextTradingDays(market, first, count - 1)];
}

/** mulberry32: a small deterministic generator; normal() by Box-Muller. */
function randomSource(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

export interface SyntheticPair {
  instrument: IntradaySeries;
  benchmark: IntradaySeries;
}

export interface SyntheticOptions {
  market: MarketCode;
  dates: readonly string[];
  seed: number;
  alpha?: number;
  beta?: number;
  /** sd of the benchmark's 5-minute return and of the instrument's residual */
  sdMarket?: number;
  sdResidual?: number;
  /** extra instrument return added at a bar start (ms), e.g. the news */
  shocks?: ReadonlyMap<number, number>;
  /** bar starts to leave out (missing bars), of the instrument only */
  missing?: ReadonlySet<number>;
  /** last bar start to keep (live: bars stored so far) */
  until?: number;
  symbol?: string;
  benchmarkSymbol?: string;
}

/** A synthetic instrument and benchmark on `dates`: r = alpha + beta r_m + e per bar, the daily close = last bar's. */
export function synthesize(o: SyntheticOptions): SyntheticPair {
  const rnd = randomSource(o.seed);
  const alpha = o.alpha ?? 0.00002;
  const beta = o.beta ?? 1.2;
  const sdM = o.sdMarket ?? 0.001;
  const sdE = o.sdResidual ?? 0.0015;
  let p = 100;
  let pm = 1000;
  const instBars: IntradayBar[] = [];
  const benchBars: IntradayBar[] = [];
  const instCloses: SessionClose[] = [];
  const benchCloses: SessionClose[] = [];
  // one official close before the first date
  instCloses.push({ date: previousTradingDay(o.market, o.dates[0]), close: p });
  benchCloses.push({ date: previousTradingDay(o.market, o.dates[0]), close: pm });
  for (const date of o.dates) {
    const starts = fiveMinuteStarts(o.market, date);
    let wrote = false;
    starts.forEach((t, s) => {
      if (o.until !== undefined && t > o.until) return;
      // the opening bar carries a wider overnight move
      const scale = s === 0 ? 3 : 1;
      const rm = sdM * scale * rnd.normal();
      const r = alpha + beta * rm + sdE * scale * rnd.normal() + (o.shocks?.get(t) ?? 0);
      pm *= 1 + rm;
      p *= 1 + r;
      const iso = new Date(t).toISOString();
      const volume = Math.round(1000 * (1 + rnd.uniform()) * (s === 0 ? 3 : 1));
      benchBars.push({ t: iso, close: pm, volume: 0 });
      if (!o.missing?.has(t)) instBars.push({ t: iso, close: p, volume });
      wrote = true;
    });
    if (wrote && (o.until === undefined || starts[starts.length - 1] <= o.until)) {
      instCloses.push({ date, close: p });
      benchCloses.push({ date, close: pm });
    }
  }
  return {
    instrument: { symbol: o.symbol ?? 'SYN', bars: instBars, dailyCloses: instCloses },
    benchmark: { symbol: o.benchmarkSymbol ?? '^SYN', bars: benchBars, dailyCloses: benchCloses },
  };
}

export function member(pair: SyntheticPair, market: MarketCode | null): IntradayMemberInput {
  return { series: pair.instrument, benchmark: pair.benchmark, market };
}

/** Bars of a series by start ms. */
function barsByStart(series: IntradaySeries): Map<number, IntradayBar> {
  return new Map(series.bars.map((b) => [Date.parse(b.t), b]));
}

/** Returns of a series on one session, by the spec's section 1, on the test's own grid. */
export function sessionReturns(series: IntradaySeries, market: MarketCode, date: string) {
  const starts = fiveMinuteStarts(market, date);
  const byStart = barsByStart(series);
  const closes = starts.map((t) => byStart.get(t)?.close ?? null);
  const volumes = starts.map((t) => byStart.get(t)?.volume ?? null);
  const before = series.dailyCloses.filter((c) => c.date < date);
  const previousClose = before.length ? before[before.length - 1].close : null;
  const returns = closes.map((c, s) => {
    if (c === null) return null;
    if (s === 0) return previousClose === null ? null : c / previousClose - 1;
    for (let e = s - 1; e >= 0; e--) {
      const earlier = closes[e];
      if (earlier !== null) return c / earlier - 1;
    }
    return null;
  });
  return { starts, closes, volumes, returns, previousClose };
}

/** The reference study: the market model on the given estimation dates, ARs, σ_s, mean volumes, CAR_d(k) from s0. */
export function reference(m: IntradayMemberInput, market: MarketCode, estimationDates: string[]) {
  const bench = m.benchmark as IntradaySeries;
  const est = estimationDates.map((d) => ({ inst: sessionReturns(m.series, market, d), bench: sessionReturns(bench, market, d) }));
  const xs: number[] = [];
  const ys: number[] = [];
  for (const d of est) {
    d.inst.returns.forEach((r, s) => {
      const rm = d.bench.returns[s];
      if (s >= 1 && r !== null && rm !== null) {
        xs.push(rm);
        ys.push(r);
      }
    });
  }
  const ols = directOls(xs, ys);
  const arOf = (r: number | null, rm: number | null) => (r === null || rm === null ? null : r - ols.alpha - ols.beta * rm);
  const ars = est.map((d) => d.inst.returns.map((r, s) => arOf(r, d.bench.returns[s])));
  const slots = Math.max(...ars.map((a) => a.length));
  const sigma = Array.from({ length: slots }, (_, s) => {
    const values = ars.flatMap((a) => (a[s] === null || a[s] === undefined ? [] : [a[s] as number]));
    return values.length >= 10 ? Math.sqrt(values.reduce((t, v) => t + v * v, 0) / values.length) : null;
  });
  const meanVolume = Array.from({ length: slots }, (_, s) => {
    const values = est.flatMap((d) => (d.inst.volumes[s] === null || d.inst.volumes[s] === undefined ? [] : [d.inst.volumes[s] as number]));
    return values.reduce((t, v) => t + v, 0) / values.length;
  });
  const band = (s0: number, k: number) => {
    const cars = ars.flatMap((a) => {
      let car = 0;
      for (let u = 0; u <= k; u++) {
        const v = a[s0 + u];
        if (v === null || v === undefined) return [];
        car += v;
      }
      return [car];
    });
    return { lower: Math.min(...cars), upper: Math.max(...cars) };
  };
  return { ols, arOf, sigma, meanVolume, band };
}

/** The 20 trading dates before `date` (not counting it). */
export const twentyBefore = (market: MarketCode, date: string) => tradingDatesUpTo(market, date, 21).slice(0, 20);
