// Normal-return models (methods section 3) and the forecast-error correction of the abnormal
// returns (sections 4-5). The market model is THE market model of the single-instrument study
// (fitMarketModel), and the market-adjusted sigma is its marketAdjustedModel: no twin estimators.
import { expectedReturn, fitMarketModel, marketAdjustedModel } from '../marketModel';
import type { FactorDay, PairedDay } from './memberSample';
import { mean } from './testStatistics';
import { isFactorModel, type CrossSectionOptions, type FactorModelKind, type NormalReturnModelKind } from './options';

/** The factors of each model, in the order of x_t (shared/methods/factors.md §2). */
export const MODEL_FACTORS: Record<FactorModelKind, readonly string[]> = {
  ff3: ['Mkt-RF', 'SMB', 'HML'],
  carhart: ['Mkt-RF', 'SMB', 'HML', 'Mom'],
  ff5: ['Mkt-RF', 'SMB', 'HML', 'RMW', 'CMA'],
};

/** A regression model's estimates: b = (X'X)^-1 X'y over the design rows [1, x_t]. */
export interface RegressionEstimates {
  /** 'const', then the factors' names */
  names: string[];
  coefficients: number[];
  /** sqrt of the diagonal of s^2 (X'X)^-1 */
  standardErrors: number[];
  xtxInverse: number[][];
}

/** The inverse of a small symmetric positive definite matrix (Gauss-Jordan, partial pivoting); null when singular. */
function invert(matrix: readonly (readonly number[])[]): number[][] | null {
  const n = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  const scale = Math.max(...matrix.map((row, i) => Math.abs(row[i])));
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (!(Math.abs(a[pivot][col]) > 1e-13 * scale)) return null;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    const p = a[col][col];
    for (let j = 0; j < 2 * n; j++) a[col][j] /= p;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r][col];
      if (f !== 0) for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[col][j];
    }
  }
  return a.map((row) => row.slice(n));
}

/** x' M y of a vector and a matrix. */
function quadratic(m: readonly (readonly number[])[], u: readonly number[], v: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) for (let j = 0; j < v.length; j++) s += u[i] * m[i][j] * v[j];
  return s;
}

/** OLS of y on the design rows (each [1, x_t]): b, (X'X)^-1 and the residuals; null when X'X is singular. */
export function ordinaryLeastSquares(
  ys: readonly number[],
  rows: readonly (readonly number[])[],
): { coefficients: number[]; xtxInverse: number[][]; residuals: number[] } | null {
  const k = rows[0]?.length ?? 0;
  const xtx = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const xty = new Array<number>(k).fill(0);
  rows.forEach((row, t) => {
    for (let i = 0; i < k; i++) {
      xty[i] += row[i] * ys[t];
      for (let j = 0; j < k; j++) xtx[i][j] += row[i] * row[j];
    }
  });
  const xtxInverse = invert(xtx);
  if (xtxInverse === null) return null;
  const coefficients = xtxInverse.map((r) => r.reduce((s, v, j) => s + v * xty[j], 0));
  const residuals = rows.map((row, t) => ys[t] - row.reduce((s, v, j) => s + v * coefficients[j], 0));
  return { coefficients, xtxInverse, residuals };
}

/** C_t = 1 + [1, x_t] (X'X)^-1 [1, x_t]' (CLM eq. 4.4.9), for any regression model. */
export function regressionCorrection(xtxInverse: readonly (readonly number[])[], row: readonly number[]): number {
  return 1 + quadratic(xtxInverse, row, row);
}

/** V = L + g' X* (X'X)^-1 X*' g over the CAR window's design rows X* (g a vector of ones). */
export function regressionCarVariance(xtxInverse: readonly (readonly number[])[], rows: readonly (readonly number[])[]): number {
  const summed = rows.reduce((acc, row) => acc.map((v, j) => v + row[j]), new Array<number>(rows[0]?.length ?? 0).fill(0));
  return rows.length + quadratic(xtxInverse, summed, summed);
}

/** The design row [1, x_t] of a factor day. */
export const designRow = (f: FactorDay): number[] => [1, ...f.x];

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
  /** factor models: coefficients with standard errors and (X'X)^-1; null for the other models */
  regression: RegressionEstimates | null;
}

/** Number of parameters k of each model (the degrees of freedom it uses up). */
const PARAMETERS: Record<NormalReturnModelKind, number> = {
  market: 2,
  market_adjusted: 1,
  constant_mean: 1,
  ff3: 4,
  carhart: 5,
  ff5: 6,
};

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
  if (isFactorModel(options.model)) return fitFactorModel(pairs, options.model, options.sigmaDf);
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
    fit: { kind: options.model, alpha, beta, sigma, n, dof, residuals, meanBenchmark, benchmarkSxx, regression: null },
  };
}

/**
 * A factor model (shared/methods/factors.md §2): OLS of y_t = r_t - RF_t on [1, x_t], s^2 = SSR / (L1 - k),
 * d = L1 - k; alpha is the constant and beta the loading on Mkt-RF.
 */
function fitFactorModel(
  pairs: readonly PairedDay[],
  model: FactorModelKind,
  sigmaDf: CrossSectionOptions['sigmaDf'],
): { fit: NormalReturnFit } | { reason: string } {
  const n = pairs.length;
  const k = PARAMETERS[model];
  if (n <= k) return { reason: `${n} estimation pairs cannot fit ${k} coefficients` };
  const ys = pairs.map((p) => p.return - p.factors!.rf);
  const rows = pairs.map((p) => designRow(p.factors!));
  const ols = ordinaryLeastSquares(ys, rows);
  if (ols === null) return { reason: "the factors are collinear over the estimation sample (X'X is singular)" };
  const { coefficients, xtxInverse, residuals } = ols;
  const ssr = residuals.reduce((s, e) => s + e * e, 0);
  const s2 = ssr / (n - k);
  const sigma = sigmaDf === 'sd' ? Math.sqrt(centredSumOfSquares(residuals) / (n - 1)) : Math.sqrt(s2);
  if (!(sigma > 0)) return { reason: 'the estimation abnormal returns do not vary (sigma 0)' };
  const regression: RegressionEstimates = {
    names: ['const', ...MODEL_FACTORS[model]],
    coefficients,
    // sqrt of the diagonal of s^2 (X'X)^-1, with the s the model uses (sigmaDf)
    standardErrors: xtxInverse.map((row, i) => Math.sqrt(sigma * sigma * row[i])),
    xtxInverse,
  };
  return {
    fit: {
      kind: model,
      alpha: coefficients[0],
      beta: coefficients[1],
      sigma,
      n,
      dof: n - k,
      residuals,
      meanBenchmark: 0,
      benchmarkSxx: 0,
      regression,
    },
  };
}

export function abnormalReturn(fit: NormalReturnFit, r: number, benchmarkReturn: number): number {
  return r - expectedReturn(fit, benchmarkReturn);
}

/** AR_t = y_t - [1, x_t] b of a factor model (y_t = r_t - RF_t). */
export function factorAbnormalReturn(regression: RegressionEstimates, r: number, f: FactorDay): number {
  const row = designRow(f);
  return r - f.rf - row.reduce((s, v, j) => s + v * regression.coefficients[j], 0);
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
