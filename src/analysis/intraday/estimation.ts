// Sections 3, 4 and 7's baselines: the estimation sessions (the D latest sessions strictly before the cutoff with at
// least half their slots present, for the instrument and for the benchmark), the normal-return model fitted on the
// paired returns of slots s >= 1 (THE models of the cross-sectional study: fitNormalReturnModel), every estimation
// AR (slot 0 included), the time-of-day scale σ_s and each slot's mean volume.
import { fitNormalReturnModel } from '../crossSection/normalReturnModels';
import type { VolumeBaseline } from '../abnormalVolume';
import { fitMarketModel } from '../marketModel';
import type { PairedDay } from '../crossSection/memberSample';
import type { IntradayModelFit, IntradayModelKind, IntradayOptions, IntradaySeries } from './intradayTypes';
import { type SessionSeries, sessionSeries } from './sessionReturns';
import { type SessionGrid, previousGrid } from './slotGrid';

/** Where a study reads a series on one session (computed once and shared by the members). */
export interface SessionSource {
  get(series: IntradaySeries, grid: SessionGrid): SessionSeries;
}

/** The per-session series of one study call, shared by the members that use the same benchmark. */
export class SessionSeriesCache implements SessionSource {
  /** by the series' content (a benchmark loaded once per member is still read once), then by the object itself */
  private readonly byContent = new Map<string, Map<SessionGrid, SessionSeries>>();
  private readonly bySeries = new Map<IntradaySeries, Map<SessionGrid, SessionSeries>>();

  constructor(private readonly endMs: number) {}

  get(series: IntradaySeries, grid: SessionGrid): SessionSeries {
    let sessions = this.bySeries.get(series);
    if (!sessions) {
      const bars = series.bars;
      const key = `${series.symbol}|${bars.length}|${bars.length ? bars[bars.length - 1].t : ''}|${series.dailyCloses.length}`;
      sessions = this.byContent.get(key);
      if (!sessions) {
        sessions = new Map();
        this.byContent.set(key, sessions);
      }
      this.bySeries.set(series, sessions);
    }
    let s = sessions.get(grid);
    if (!s) {
      s = sessionSeries(series, grid, this.endMs);
      sessions.set(grid, s);
    }
    return s;
  }
}

/**
 * The per-session series of a live study, kept from one study call to the next (by symbol: each call's series are
 * new objects): before each call, `prepare` says its now and where each symbol's bars changed, and drops the
 * sessions those touch; a closed estimation session is read once for the life of the study.
 */
export class LiveSessionCache implements SessionSource {
  private readonly bySymbol = new Map<string, Map<number, SessionSeries>>();
  private endMs = Number.NaN;

  /** Before a call: its now (ms), and per symbol the start of its first changed bar (NaN: its daily closes changed). */
  prepare(endMs: number, changed: ReadonlyMap<string, number>): void {
    for (const [symbol, from] of changed) {
      const sessions = this.bySymbol.get(symbol);
      if (!sessions) continue;
      if (Number.isNaN(from)) this.bySymbol.delete(symbol);
      else for (const s of sessions.values()) if (s.grid.close > from) sessions.delete(s.grid.open);
    }
    if (endMs !== this.endMs) {
      // a session cut at the previous now (or reaching past this one) is read again
      const reach = Number.isNaN(this.endMs) ? endMs : Math.min(endMs, this.endMs);
      for (const sessions of this.bySymbol.values())
        for (const s of sessions.values()) if (s.grid.close > reach) sessions.delete(s.grid.open);
      this.endMs = endMs;
    }
  }

  get(series: IntradaySeries, grid: SessionGrid): SessionSeries {
    let sessions = this.bySymbol.get(series.symbol);
    if (!sessions) this.bySymbol.set(series.symbol, (sessions = new Map()));
    let s = sessions.get(grid.open);
    if (!s || s.grid.date !== grid.date) {
      s = sessionSeries(series, grid, this.endMs);
      sessions.set(grid.open, s);
    }
    return s;
  }
}

/** A member's instrument and benchmark on one session. */
export interface SessionPair {
  grid: SessionGrid;
  instrument: SessionSeries;
  /** null when the model needs no benchmark (constant_mean) and none is given */
  benchmark: SessionSeries | null;
}

/** alpha, beta, s (sqrt of s^2) and L1 of the fitted model */
export interface ModelFit {
  alpha: number;
  beta: number;
  sigma: number;
  n: number;
}

export interface Estimation {
  sessions: SessionPair[];
  fit: ModelFit;
  model: IntradayModelFit;
  /** AR_{d,s} of each estimation session (NaN: none), aligned with `sessions` */
  ars: number[][];
  /** σ_s by slot (null: D_s < minDays, or every AR is 0) */
  sigma: (number | null)[];
  /** D_s by slot */
  sigmaSessions: number[];
  /** each slot's mean volume over the estimation sessions that have one (as the daily baseline: 0 is none) */
  volumeBaselines: VolumeBaseline[];
  /** open of the earliest session looked at, and the bars on the grid of those sessions (for offGrid) */
  earliestOpen: number;
  matched: number;
}

export interface EstimationInput {
  series: IntradaySeries;
  benchmark: IntradaySeries | null;
  usesBenchmark: boolean;
  /** the estimation sessions are strictly before this session */
  cutoff: SessionGrid;
  options: Pick<IntradayOptions, 'interval' | 'estimationDays' | 'minDays' | 'model'>;
  cache: SessionSource;
}

/** AR = r - alpha - beta r_m (market adjusted: r - r_m; constant mean: r - alpha); NaN when either return is missing. */
export function abnormalReturnAt(fit: Pick<ModelFit, 'alpha' | 'beta'>, pair: SessionPair, slot: number): number {
  const r = pair.instrument.returns[slot];
  if (pair.benchmark === null) return r - fit.alpha;
  return r - fit.alpha - fit.beta * pair.benchmark.returns[slot];
}

function firstMs(series: IntradaySeries | null): number {
  return series && series.bars.length > 0 ? Date.parse(series.bars[0].t) : Number.POSITIVE_INFINITY;
}

/**
 * The model of cross-section.md §3 on the estimation pairs: the market model is fitMarketModel itself (the OLS that
 * fitNormalReturnModel calls, without the forecast-error moments the intraday study does not use: one OLS pass per
 * member matters at 500 members), the other two fitNormalReturnModel's.
 */
function fitModel(pairs: PairedDay[], model: IntradayModelKind): { fit: ModelFit } | { reason: string } {
  if (model === 'market') {
    const fit = fitMarketModel(pairs);
    if (fit === null) return { reason: 'the benchmark returns do not vary over the estimation sample' };
    if (fit.sigma === null || !(fit.sigma > 0)) return { reason: 'the estimation abnormal returns do not vary (sigma 0)' };
    return { fit: { alpha: fit.alpha, beta: fit.beta, sigma: fit.sigma, n: fit.n } };
  }
  const fitted = fitNormalReturnModel(pairs, [], { model, sigmaDf: 'model', feMoments: 'paired' });
  if ('reason' in fitted) return fitted;
  const { alpha, beta, sigma, n } = fitted.fit;
  return { fit: { alpha, beta, sigma, n } };
}

/**
 * The estimation pairs' objects, reused from member to member (fitMarketModel and fitNormalReturnModel read them and
 * keep none): a 500-member study would otherwise allocate some 770,000 of them.
 */
const scratchPairs: PairedDay[] = [];

/** Walks back from the cutoff to the D latest qualifying sessions and fits the model, or says why it cannot. */
export function estimate(input: EstimationInput): { estimation: Estimation } | { reason: string; earliestOpen: number; matched: number } {
  const { series, options, cache } = input;
  const bench = input.usesBenchmark ? input.benchmark : null;
  // nothing before the first stored bar can qualify: the walk ends there
  const dataFrom = Math.max(firstMs(series), bench ? firstMs(bench) : Number.NEGATIVE_INFINITY);
  const chosen: SessionPair[] = [];
  let earliestOpen = input.cutoff.open;
  let matched = 0;
  let grid = input.cutoff;
  while (chosen.length < options.estimationDays) {
    grid = previousGrid(grid, options.interval);
    if (grid.close <= dataFrom) break;
    earliestOpen = grid.open;
    const instrument = cache.get(series, grid);
    const benchmark = input.benchmark ? cache.get(input.benchmark, grid) : null;
    matched += instrument.matched;
    const half = grid.slots / 2;
    if (instrument.present >= half && (bench === null || (benchmark !== null && benchmark.present >= half))) {
      chosen.push({ grid, instrument, benchmark: bench ? benchmark : null });
    }
  }
  chosen.reverse();
  const tooFew = (what: string) => ({ reason: what, earliestOpen, matched });
  if (chosen.length < options.minDays) {
    return tooFew(
      `${chosen.length} estimation session(s) with at least half of their slots present${bench ? ' for the instrument and the benchmark' : ''}; minDays is ${options.minDays}`,
    );
  }

  const pairs = scratchPairs;
  let L1 = 0;
  for (const d of chosen) {
    for (let s = 1; s < d.grid.slots; s++) {
      const r = d.instrument.returns[s];
      const rm = d.benchmark ? d.benchmark.returns[s] : 0;
      if (Number.isNaN(r) || Number.isNaN(rm)) continue;
      if (L1 < pairs.length) {
        const p = pairs[L1];
        p.offset = s;
        p.date = d.grid.date;
        p.return = r;
        p.benchmarkReturn = rm;
      } else pairs.push({ offset: s, date: d.grid.date, return: r, benchmarkReturn: rm });
      L1++;
    }
  }
  pairs.length = L1;
  if (pairs.length < 3) return tooFew(`${pairs.length} paired estimation return(s) at slots s >= 1: at least 3 are needed`);
  const fitted = fitModel(pairs, options.model);
  if ('reason' in fitted) return tooFew(fitted.reason);
  const fit = fitted.fit;

  let maxSlots = 0;
  for (const d of chosen) maxSlots = Math.max(maxSlots, d.grid.slots);
  const sumSquares = new Array<number>(maxSlots).fill(0);
  const counts = new Array<number>(maxSlots).fill(0);
  const volumeSums = new Array<number>(maxSlots).fill(0);
  const volumeCounts = new Array<number>(maxSlots).fill(0);
  const ars: number[][] = [];
  for (const d of chosen) {
    const S = d.grid.slots;
    const row = new Array<number>(S);
    for (let s = 0; s < S; s++) {
      const ar = abnormalReturnAt(fit, d, s);
      row[s] = ar;
      if (!Number.isNaN(ar)) {
        sumSquares[s] += ar * ar;
        counts[s]++;
      }
      const v = d.instrument.volumes[s];
      if (!Number.isNaN(v)) {
        volumeSums[s] += v;
        volumeCounts[s]++;
      }
    }
    ars.push(row);
  }
  const sigma: (number | null)[] = [];
  const volumeBaselines: VolumeBaseline[] = [];
  for (let s = 0; s < maxSlots; s++) {
    sigma.push(counts[s] >= options.minDays && sumSquares[s] > 0 ? Math.sqrt(sumSquares[s] / counts[s]) : null);
    volumeBaselines.push({ mean: volumeCounts[s] > 0 ? volumeSums[s] / volumeCounts[s] : null, n: volumeCounts[s] });
  }
  const model: IntradayModelFit = {
    kind: options.model,
    alpha: fit.alpha,
    beta: options.model === 'constant_mean' ? null : fit.beta,
    s2: fit.sigma * fit.sigma,
    L1: fit.n,
    sessions: chosen.map((d) => d.grid.date),
  };
  return { estimation: { sessions: chosen, fit, model, ars, sigma, sigmaSessions: counts, volumeBaselines, earliestOpen, matched } };
}
