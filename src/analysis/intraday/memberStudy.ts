// One member's intraday event study (sections 2-7, 9, 10): its event bar and window, the estimation, and per offset
// the bar, return, AR, SAR, CAR, CAR0, Z, p, the matched band, outside and the abnormal volume, up to the last
// stored bar.
import { abnormalVolume } from '../abnormalVolume';
import { twoSidedNormalPValue } from '../stats';
import { type Band, matchedBand, significantRun } from './band';
import { type SessionPair, type SessionSource, abnormalReturnAt, estimate } from './estimation';
import type {
  IntradayEventInput,
  IntradayMemberInput,
  IntradayMemberResult,
  IntradayOptions,
  IntradayPoint,
  IntradayStatus,
} from './intradayTypes';
import { barsBetween, closeBefore } from './sessionReturns';
import { type SessionGrid, eventBarOf, intervalMs, unlessUnknownMarket, windowSlots } from './slotGrid';

const NO_VOLUME = { mean: null, n: 0 };

export interface MemberContext {
  tau: number;
  nowMs: number;
  cache: SessionSource;
}

function emptyResult(member: IntradayMemberInput): IntradayMemberResult {
  return {
    symbol: member.series.symbol,
    benchmark: member.benchmark?.symbol ?? null,
    market: member.market,
    status: 'ok',
    reason: null,
    eventSession: null,
    eventBar: null,
    eventSlot: null,
    model: null,
    sigma: [],
    offGrid: 0,
    points: [],
    significantFrom: null,
    significantThrough: null,
    direction: null,
    asOf: null,
    notes: [],
  };
}

function withStatus(result: IntradayMemberResult, status: IntradayStatus, reason: string): IntradayMemberResult {
  return { ...result, status, reason };
}

/** Slots (of the σ array) without a σ, as ranges "3-5, 9" for a note. */
function slotList(slots: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < slots.length; ) {
    let j = i;
    while (j + 1 < slots.length && slots[j + 1] === slots[j] + 1) j++;
    parts.push(i === j ? `${slots[i]}` : `${slots[i]}-${slots[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

export function memberStudy(
  member: IntradayMemberInput,
  event: IntradayEventInput,
  options: IntradayOptions,
  ctx: MemberContext,
): IntradayMemberResult {
  const base = emptyResult(member);
  if (event.dateOnly) return withStatus(base, 'no_event_time', 'the event has a date only: an intraday study needs its instant');
  if (member.market === null) return withStatus(base, 'unknown_market', 'the instrument has no market with known sessions');
  const market = member.market;
  const located = unlessUnknownMarket(() => eventBarOf(market, ctx.tau, options.interval));
  if (located === null) return withStatus(base, 'unknown_market', `no sessions are known for market ${member.market}`);
  const eventGrid = located.grid;
  const s0 = located.slot;
  const located0: IntradayMemberResult = {
    ...base,
    eventSession: eventGrid.date,
    eventBar: eventGrid.slotIso[s0],
    eventSlot: s0,
  };
  const usesBenchmark = options.model !== 'constant_mean';
  if (usesBenchmark && member.benchmark === null) {
    return withStatus(located0, 'no_benchmark', `the ${options.model} model needs a benchmark and the instrument has none`);
  }
  if (ctx.nowMs < eventGrid.open) {
    return withStatus(located0, 'event_session_pending', `the event session ${eventGrid.date} has not opened yet`);
  }

  const [w1, w2] = options.window;
  const slots = windowSlots(located, options.window, options.interval);
  const pairOf = (grid: SessionGrid): SessionPair => ({
    grid,
    instrument: ctx.cache.get(member.series, grid),
    benchmark: usesBenchmark && member.benchmark ? ctx.cache.get(member.benchmark, grid) : null,
  });
  const windowPairs = new Map<SessionGrid, SessionPair>();
  for (const ref of slots) if (!windowPairs.has(ref.grid)) windowPairs.set(ref.grid, pairOf(ref.grid));
  if (!slots.some((ref) => !Number.isNaN((windowPairs.get(ref.grid) as SessionPair).instrument.closes[ref.slot]))) {
    return withStatus(located0, 'no_intraday_bars', `no ${options.interval} bar of ${member.series.symbol} in the event window`);
  }

  // the first session touched by the window (negative offsets) is left out of the estimation, whole
  const firstTouched = slots.length > 0 && slots[0].grid.open < eventGrid.open ? slots[0].grid : eventGrid;
  const estimated = estimate({
    series: member.series,
    benchmark: member.benchmark,
    usesBenchmark,
    cutoff: firstTouched,
    options,
    cache: ctx.cache,
  });
  const windowGrids = [...windowPairs.keys()];
  let windowMatched = 0;
  for (const pair of windowPairs.values()) windowMatched += pair.instrument.matched;
  // bars of the sessions looked at (the estimation walk, then the window's) that are on no slot of them
  const walked = 'estimation' in estimated ? estimated.estimation : estimated;
  const offGrid =
    barsBetween(member.series, walked.earliestOpen, firstTouched.open) -
    walked.matched +
    barsBetween(member.series, windowGrids[0].open, Math.min(windowGrids[windowGrids.length - 1].close, ctx.nowMs)) -
    windowMatched;
  if (!('estimation' in estimated)) {
    return { ...withStatus(located0, 'insufficient_estimation', estimated.reason), offGrid };
  }
  const est = estimated.estimation;
  const { fit, sigma } = est;
  const delta = intervalMs(options.interval);
  const sigmaAt = (slot: number): number | null => (slot < sigma.length ? sigma[slot] : null);

  const bands: (Band | null)[] = matchedBand(est.ars, s0, eventGrid.slots - 1 - s0, options.bandP, options.minDays);
  const previousClose = closeBefore(member.series.dailyCloses, eventGrid.date);
  const points: IntradayPoint[] = [];
  // by k - w1: whether CAR0 is outside the band, and CAR0 (NaN: none)
  const outsideByK = new Array<boolean>(slots.length).fill(false);
  const car0ByK = new Array<number>(slots.length).fill(Number.NaN);
  const pairs = slots.map((ref) => windowPairs.get(ref.grid) as SessionPair);
  let car = 0;
  let car0 = 0;
  let variance0 = 0;
  let sigmaMissing = false;
  for (let i = 0; i < slots.length; i++) {
    const k = w1 + i;
    const { grid, slot } = slots[i];
    const pair = pairs[i];
    const s = sigmaAt(slot);
    if (k >= 0) {
      if (s === null) sigmaMissing = true;
      else variance0 += s * s;
    }
    const close = pair.instrument.closes[slot];
    if (Number.isNaN(close)) continue;
    const ret = pair.instrument.returns[slot];
    const arValue = abnormalReturnAt(fit, pair, slot);
    const ar = Number.isNaN(arValue) ? null : arValue;
    if (ar !== null) {
      car += ar;
      if (k >= 0) car0 += ar;
    }
    const pointCar0 = k >= 0 && ar !== null ? car0 : null;
    const z = pointCar0 !== null && !sigmaMissing && variance0 > 0 ? pointCar0 / Math.sqrt(variance0) : null;
    const band = k >= 0 && grid.date === eventGrid.date ? bands[k] : null;
    const outside = pointCar0 !== null && band !== null && band !== undefined && (pointCar0 < band.lower || pointCar0 > band.upper);
    outsideByK[i] = outside;
    if (pointCar0 !== null) car0ByK[i] = pointCar0;
    const volume = pair.instrument.volumes[slot];
    const volumeBaseline = est.volumeBaselines[slot] ?? NO_VOLUME;
    points.push({
      k,
      t: grid.slotIso[slot],
      session: grid.date,
      slot,
      close,
      fromPrevClose: previousClose !== null ? close / previousClose - 1 : null,
      ret: Number.isNaN(ret) ? null : ret,
      ar,
      sar: ar !== null && s !== null ? ar / s : null,
      car: ar !== null ? car : null,
      car0: pointCar0,
      z,
      p: z !== null ? twoSidedNormalPValue(z) : null,
      lower: band ? band.lower : null,
      upper: band ? band.upper : null,
      outside,
      av: abnormalVolume(Number.isNaN(volume) ? null : volume, volumeBaseline),
    });
  }
  const last = points[points.length - 1];
  const run = significantRun(
    options.initialBars,
    Math.min(w2, last ? last.k : -1),
    (k) => outsideByK[k - w1] ?? false,
    (k) => (Number.isNaN(car0ByK[k - w1]) ? null : car0ByK[k - w1]),
  );
  const eventSigma = Array.from({ length: eventGrid.slots }, (_, slot) => sigmaAt(slot));
  const notes: string[] = [];
  const noSigma = eventSigma.flatMap((v, slot) => (v === null ? [slot] : []));
  if (noSigma.length > 0) {
    notes.push(
      `no σ at slot(s) ${slotList(noSigma)}: fewer than minDays = ${options.minDays} estimation sessions have an AR there (or they are all 0); SAR, Z and the band are null there`,
    );
  }
  if (offGrid > 0) notes.push(`${offGrid} stored bar(s) off the ${options.interval} slot grid, ignored`);
  if (previousClose === null) notes.push(`no official close before the event session ${eventGrid.date}: fromPrevClose is null`);
  return {
    ...located0,
    model: est.model,
    sigma: eventSigma,
    offGrid,
    points,
    ...run,
    asOf: last ? new Date(Date.parse(last.t) + delta).toISOString() : null,
    notes,
  };
}
