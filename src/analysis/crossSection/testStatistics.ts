// The cross-sectional test statistics of methods section 7, each on plain arrays. Daily version:
// X_i = AR_{i,t}, Z_i = SAR_{i,t}; window version: X_i = CAR_i, Z_i = SCAR_i. All p are two-sided.
// A statistic that cannot be formed comes back as { reason } instead of a number.
import { EXACT_SIGNED_RANK_MAX_N, signedRankExactPValue, twoSidedNormalPValue, twoSidedPValue } from '../stats';

export interface TestStatistic {
  stat: number;
  p: number;
}

export type TestOutcome = TestStatistic | { reason: string };

export interface WilcoxonResult {
  /** sum of the ranks of the positive X_i */
  wPlus: number;
  /** number of non-zero X_i */
  n: number;
  z: number | null;
  p: number | null;
  /** exact two-sided p; null with ties or when n is beyond the exact range */
  pExact: number | null;
}

export function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Sample standard deviation, divisor N - 1. */
function sampleSd(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

/** Ranks 1..n of the values (1 = smallest), ties getting the average of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1][0] === order[start][0]) end++;
    const rank = (start + end + 2) / 2; // average of ranks start+1 .. end+1
    for (let k = start; k <= end; k++) ranks[order[k][1]] = rank;
    start = end + 1;
  }
  return ranks;
}

const tooFew = (n: number): { reason: string } => ({ reason: `N = ${n}: at least 2 firms are needed` });

function tTest(stat: number, df: number): TestStatistic {
  return { stat, p: twoSidedPValue(stat, df) };
}

function zTest(stat: number): TestStatistic {
  return { stat, p: twoSidedNormalPValue(stat) };
}

/** Cross-sectional t (Brown & Warner 1985; CLM 1997): mean(X) / (sd(X) / sqrt N), t with N - 1 df. */
export function csectT(xs: readonly number[]): TestOutcome {
  const n = xs.length;
  if (n < 2) return tooFew(n);
  const sd = sampleSd(xs);
  if (!(sd > 0)) return { reason: 'the values do not vary (sd 0)' };
  return tTest(mean(xs) / (sd / Math.sqrt(n)), n - 1);
}

/** Patell (1976) Z: sum Z_i / sqrt(sum d_i / (d_i - 2)), standard normal. */
export function patellZ(zs: readonly number[], dofs: readonly number[]): TestOutcome {
  const n = zs.length;
  if (n < 2) return tooFew(n);
  if (dofs.some((d) => !(d > 2))) return { reason: 'a firm has d <= 2, so Var(SAR) = d / (d - 2) is undefined' };
  const variance = dofs.reduce((s, d) => s + d / (d - 2), 0);
  return zTest(zs.reduce((s, z) => s + z, 0) / Math.sqrt(variance));
}

/** Stouffer's Z: sum Z_i / sqrt N, standard normal (the Z_i taken as independent standard normals). */
export function stoufferZ(zs: readonly number[]): TestOutcome {
  const n = zs.length;
  if (n < 2) return tooFew(n);
  return zTest(zs.reduce((s, z) => s + z, 0) / Math.sqrt(n));
}

/** Boehmer, Musumeci & Poulsen (1991) standardised cross-sectional t: mean(Z) / (sd(Z) / sqrt N), N - 1 df. */
export function bmpT(zs: readonly number[]): TestOutcome {
  return csectT(zs);
}

/**
 * Kolari & Pynnonen (2010): the BMP t shrunk for the mean cross-correlation rbar of the estimation
 * residuals, t sqrt((1 - rbar) / (1 + (N - 1) rbar)), N - 1 df.
 */
export function kpT(zs: readonly number[], rbar: number | null): TestOutcome {
  const n = zs.length;
  const bmp = bmpT(zs);
  if ('reason' in bmp) return bmp;
  const factor = kpFactor(n, rbar);
  if (typeof factor !== 'number') return factor;
  return tTest(bmp.stat * factor, n - 1);
}

/**
 * The Kolari-Pynnonen correction sqrt((1 - rbar) / (1 + (N - 1) rbar)) for N firms sharing one event date;
 * kpT applies it to the BMP t, the shock detector to the Patell Z (shared/methods/shocks.md section 1).
 */
export function kpFactor(n: number, rbar: number | null): number | { reason: string } {
  if (rbar === null) return { reason: 'rbar is undefined' };
  const denominator = 1 + (n - 1) * rbar;
  if (!(denominator > 0)) return { reason: `1 + (N - 1) rbar = ${denominator} <= 0` };
  return Math.sqrt((1 - rbar) / denominator);
}

/** w = #{X_i > 0}; a zero is not positive. */
function positives(xs: readonly number[]): number {
  return xs.filter((x) => x > 0).length;
}

/** Generalised sign test (Cowan 1992): (w - N p_hat) / sqrt(N p_hat (1 - p_hat)), standard normal. */
export function gsignZ(xs: readonly number[], pHat: number): TestOutcome {
  const n = xs.length;
  if (n < 2) return tooFew(n);
  if (!(pHat > 0 && pHat < 1)) return { reason: `p_hat = ${pHat} leaves no spread` };
  return zTest((positives(xs) - n * pHat) / Math.sqrt(n * pHat * (1 - pHat)));
}

/** Simple sign test: (w - N/2) / sqrt(N/4), standard normal. */
export function signZ(xs: readonly number[]): TestOutcome {
  const n = xs.length;
  if (n < 2) return tooFew(n);
  return zTest((positives(xs) - n / 2) / Math.sqrt(n / 4));
}

/**
 * Brown & Warner (1980) independence test (CLM J1 with L1 large): mean(X) / (sqrt(L sum s_i^2) / N),
 * standard normal; L = 1 for a day.
 */
export function bw1980T(xs: readonly number[], sigmas: readonly number[], L: number): TestOutcome {
  const n = xs.length;
  if (n < 2) return tooFew(n);
  const sumOfVariances = sigmas.reduce((s, sigma) => s + sigma * sigma, 0);
  return zTest(mean(xs) / (Math.sqrt(L * sumOfVariances) / n));
}

/**
 * Brown & Warner (1980/1985) crude dependence adjustment: mean(X) / (sqrt(L) S_A), where S_A is the sd
 * of the mean estimation residual A_u over the T_E estimation offsets; t with T_E - 1 df.
 */
export function bw1985T(xs: readonly number[], meanResiduals: readonly number[], L: number): TestOutcome {
  const n = xs.length;
  if (n < 2) return tooFew(n);
  if (meanResiduals.length < 2) return { reason: 'fewer than 2 estimation offsets' };
  const sA = sampleSd(meanResiduals);
  if (!(sA > 0)) return { reason: 'the mean estimation residuals do not vary' };
  return tTest(mean(xs) / (Math.sqrt(L) * sA), meanResiduals.length - 1);
}

/**
 * Wilcoxon (1945) signed-rank test on the X_i: zeros dropped, ranks of |X_i| with ties averaged,
 * z = (W+ - n(n+1)/4) / sqrt(n(n+1)(2n+1)/24 - sum (t^3 - t)/48), no continuity correction.
 */
export function wilcoxonSignedRank(xs: readonly number[]): WilcoxonResult | { reason: string } {
  if (xs.length < 2) return tooFew(xs.length);
  const nonZero = xs.filter((x) => x !== 0);
  const n = nonZero.length;
  const ranks = averageRanks(nonZero.map(Math.abs));
  const wPlus = nonZero.reduce((s, x, i) => s + (x > 0 ? ranks[i] : 0), 0);
  const tieGroups = new Map<number, number>();
  for (const r of ranks) tieGroups.set(r, (tieGroups.get(r) ?? 0) + 1);
  let tieCorrection = 0;
  for (const t of tieGroups.values()) tieCorrection += (t ** 3 - t) / 48;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieCorrection;
  const z = variance > 0 ? (wPlus - (n * (n + 1)) / 4) / Math.sqrt(variance) : null;
  const untied = tieCorrection === 0;
  return {
    wPlus,
    n,
    z,
    p: z === null ? null : twoSidedNormalPValue(z),
    pExact: n >= 1 && untied && n <= EXACT_SIGNED_RANK_MAX_N ? signedRankExactPValue(wPlus, n) : null,
  };
}
