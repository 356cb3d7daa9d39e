// The expected-return model: r = alpha + beta * r_m + e, fitted by OLS over an estimation
// window that ends before the event window, so the news itself does not shape "normal".
import type { BarReturn, PairedReturn, ReturnPair } from './returns';

export type Window = readonly [from: number, to: number];

export const DEFAULT_ESTIMATION_WINDOW: Window = [-120, -11];
export const DEFAULT_MIN_OBSERVATIONS = 30;

export interface MarketModelFit {
  alpha: number;
  beta: number;
  /** residual standard deviation with n - 2 degrees of freedom; null when n < 3 */
  sigma: number | null;
  /** null when the instrument's returns have no variance */
  r2: number | null;
  n: number;
}

/**
 * - `market_model`: OLS alpha/beta (enough observations);
 * - `market_adjusted`: alpha 0, beta 1 (too few observations to trust a fit).
 */
type ExpectedReturnModelKind = 'market_model' | 'market_adjusted';

export interface ExpectedReturnModel {
  kind: ExpectedReturnModelKind;
  alpha: number;
  beta: number;
  /** market_model: OLS residual sigma (n - 2 dof); market_adjusted: sample std of r - r_m (n - 1 dof) */
  sigma: number | null;
  r2: number | null;
  n: number;
}

export type EstimationShortfall = 'too_few_observations' | 'benchmark_without_variance' | null;

/** Ordinary least squares of instrument on benchmark returns; null when there is no fit (n < 2 or constant benchmark). */
export function fitMarketModel(pairs: readonly ReturnPair[]): MarketModelFit | null {
  const n = pairs.length;
  if (n < 2) return null;
  let meanX = 0;
  let meanY = 0;
  for (const p of pairs) {
    meanX += p.benchmarkReturn;
    meanY += p.return;
  }
  meanX /= n;
  meanY /= n;
  // Sums of centred products: numerically safer than raw sums for returns near zero.
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of pairs) {
    const dx = p.benchmarkReturn - meanX;
    const dy = p.return - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (!(sxx > 0)) return null;
  const beta = sxy / sxx;
  const alpha = meanY - beta * meanX;
  let ssr = 0;
  for (const p of pairs) {
    const residual = p.return - (alpha + beta * p.benchmarkReturn);
    ssr += residual * residual;
  }
  return {
    alpha,
    beta,
    sigma: n > 2 ? Math.sqrt(ssr / (n - 2)) : null,
    r2: syy > 0 ? 1 - ssr / syy : null,
    n,
  };
}

/** alpha 0, beta 1: the abnormal return is simply r - r_m. */
export function marketAdjustedModel(pairs: readonly ReturnPair[]): ExpectedReturnModel {
  const n = pairs.length;
  let sigma: number | null = null;
  if (n >= 2) {
    const differences = pairs.map((p) => p.return - p.benchmarkReturn);
    const mean = differences.reduce((s, d) => s + d, 0) / n;
    sigma = Math.sqrt(differences.reduce((s, d) => s + (d - mean) ** 2, 0) / (n - 1));
  }
  return { kind: 'market_adjusted', alpha: 0, beta: 1, sigma, r2: null, n };
}

/** The market model when at least `minObs` pairs allow a fit, else the market-adjusted model, with why. */
export function estimateExpectedReturnModel(
  pairs: readonly ReturnPair[],
  minObs: number = DEFAULT_MIN_OBSERVATIONS,
): { model: ExpectedReturnModel; shortfall: EstimationShortfall } {
  if (pairs.length < minObs) return { model: marketAdjustedModel(pairs), shortfall: 'too_few_observations' };
  const fit = fitMarketModel(pairs);
  if (fit === null) return { model: marketAdjustedModel(pairs), shortfall: 'benchmark_without_variance' };
  return { model: { kind: 'market_model', ...fit }, shortfall: null };
}

export function expectedReturn(model: Pick<ExpectedReturnModel, 'alpha' | 'beta'>, benchmarkReturn: number): number {
  return model.alpha + model.beta * benchmarkReturn;
}

/**
 * The bar indexes [first, last] of offsets [from, to] relative to `dayZeroIndex`, clipped to a series of `length`
 * bars (first > last when none is inside). Every estimation-window statistic (the market model, the volume
 * baseline) reads its sample through this one definition.
 */
export function windowIndexRange(length: number, dayZeroIndex: number, [from, to]: Window): [first: number, last: number] {
  return [Math.max(0, dayZeroIndex + from), Math.min(length - 1, dayZeroIndex + to)];
}

/**
 * Paired returns at bar offsets [from, to] relative to `dayZeroIndex`, counted in the instrument's own bars
 * (daily: its sessions). `instrumentReturns` is aligned with the instrument's bars.
 */
export function estimationWindowPairs(
  instrumentReturns: readonly BarReturn[],
  benchmarkByTime: ReadonlyMap<string, number>,
  dayZeroIndex: number,
  window: Window,
): PairedReturn[] {
  const pairs: PairedReturn[] = [];
  const [first, last] = windowIndexRange(instrumentReturns.length, dayZeroIndex, window);
  for (let i = first; i <= last; i++) {
    const r = instrumentReturns[i].return;
    const benchmarkReturn = benchmarkByTime.get(instrumentReturns[i].t);
    if (r !== null && benchmarkReturn !== undefined) {
      pairs.push({ t: instrumentReturns[i].t, return: r, benchmarkReturn });
    }
  }
  return pairs;
}
