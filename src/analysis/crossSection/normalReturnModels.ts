// Normal-return models (methods section 3) and the forecast-error correction of the abnormal
// returns (sections 4-5). The market model is THE market model of the single-instrument study
// (fitMarketModel), and the market-adjusted sigma is its marketAdjustedModel: no twin estimators.
import { expectedReturn, fitMarketModel, marketAdjustedModel } from '../marketModel';
import type { PairedDay } from './memberSample';
import { mean } from './testStatistics';
import type { CrossSectionOptions, NormalReturnModelKind } from './options';

export interface NormalReturnFit {
  kind: NormalReturnModelKind;
  alpha: number;
  beta: number;
  /** s_i */
  sigma: number;
  /** L1_i: pairs in the estimation sample */
  n: number;
  /** d_i, the degrees of freedom of s_i */
  dof: number;
  /** e_{i,t} on the estimation pairs, aligned with them */
  residuals: number[];
  /** xbar and S_xx of the forecast-error correction (market model only; else 0) */
  meanBenchmark: number;
  benchmarkSxx: number;
}

/** Number of parameters k of each model (the degrees of freedom it uses up). */
const PARAMETERS: Record<NormalReturnModelKind, number> = { market: 2, market_adjusted: 1, constant_mean: 1 };

function centredSumOfSquares(values: readonly number[]): number {
  const m = mean(values);
  return values.reduce((s, v) => s + (v - m) ** 2, 0);
}

/**
 * Fits the member's normal-return model on its estimation pairs (at least 3), or says why it cannot.
 * `benchmarkEstimationReturns` supply xbar and S_xx when feMoments=benchmark.
 */
export function fitNormalReturnModel(
  pairs: readonly PairedDay[],
  benchmarkEstimationReturns: readonly number[],
  options: Pick<CrossSectionOptions, 'model' | 'sigmaDf' | 'feMoments'>,
): { fit: NormalReturnFit } | { reason: string } {
  const n = pairs.length;
  const ys = pairs.map((p) => p.return);
  const xs = pairs.map((p) => p.benchmarkReturn);
  let alpha: number;
  let beta: number;
  let modelSigma: number | null;
  if (options.model === 'market') {
    const fit = fitMarketModel(pairs);
    if (fit === null) return { reason: 'the benchmark returns do not vary over the estimation sample' };
    ({ alpha, beta, sigma: modelSigma } = fit); // s^2 = SSR / (L1 - 2)
  } else if (options.model === 'market_adjusted') {
    alpha = 0;
    beta = 1;
    modelSigma = marketAdjustedModel(pairs).sigma; // s^2 = sum (e - ebar)^2 / (L1 - 1)
  } else {
    alpha = mean(ys);
    beta = 0;
    modelSigma = Math.sqrt(centredSumOfSquares(ys) / (n - 1)); // e = y - ybar has mean 0
  }
  const residuals = pairs.map((p) => p.return - expectedReturn({ alpha, beta }, p.benchmarkReturn));
  const sdSigma = Math.sqrt(centredSumOfSquares(residuals) / (n - 1));
  const sigma = options.sigmaDf === 'sd' ? sdSigma : modelSigma;
  if (sigma === null || !(sigma > 0)) return { reason: 'the estimation abnormal returns do not vary (sigma 0)' };

  let meanBenchmark = 0;
  let benchmarkSxx = 0;
  if (options.model === 'market') {
    const moments = options.feMoments === 'benchmark' ? benchmarkEstimationReturns : xs;
    meanBenchmark = mean(moments);
    benchmarkSxx = centredSumOfSquares(moments);
  }
  // d_i = L1 - k whichever divisor s^2 uses (methods section 3): sigmaDf only changes s_i.
  const dof = n - PARAMETERS[options.model];
  return {
    fit: { kind: options.model, alpha, beta, sigma, n, dof, residuals, meanBenchmark, benchmarkSxx },
  };
}

export function abnormalReturn(fit: NormalReturnFit, r: number, benchmarkReturn: number): number {
  return r - expectedReturn(fit, benchmarkReturn);
}

/**
 * C_{i,t} of Patell (1976) / CLM eq. 4.4.9: the forecast-error variance of a single day in units
 * of s^2 (the estimation error of alpha and beta adds to the residual variance).
 */
export function forecastErrorCorrection(fit: NormalReturnFit, benchmarkReturn: number): number {
  if (fit.kind === 'market') {
    return 1 + 1 / fit.n + (benchmarkReturn - fit.meanBenchmark) ** 2 / fit.benchmarkSxx;
  }
  return fit.kind === 'constant_mean' ? 1 + 1 / fit.n : 1;
}

/**
 * V_i = g'(I + X*(X'X)^-1 X*')g over a CAR window of L days (CLM eqs. 4.4.12, 4.4.22-24;
 * Mikkelson & Partch 1986): the variance of the CAR's forecast error in units of s^2.
 */
export function carForecastVariance(fit: NormalReturnFit, benchmarkReturns: readonly number[]): number {
  const L = benchmarkReturns.length;
  if (fit.kind === 'market') {
    const deviation = benchmarkReturns.reduce((s, x) => s + (x - fit.meanBenchmark), 0);
    return L + (L * L) / fit.n + deviation ** 2 / fit.benchmarkSxx;
  }
  return fit.kind === 'constant_mean' ? L + (L * L) / fit.n : L;
}
