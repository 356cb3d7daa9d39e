// Distributions for the significance tests, from @stdlib (a maintained numeric library) rather
// than hand-written special functions: the t and normal CDFs and the exact Wilcoxon signed-rank null.
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import signedRankCdf from '@stdlib/stats-base-dists-signrank-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';

function assertDegreesOfFreedom(df: number): void {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
}

/** P(T <= t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  assertDegreesOfFreedom(df);
  return tCdf(t, df);
}

/** Two-sided p-value P(|T| >= |t|) of Student's t with `df` degrees of freedom. */
export function twoSidedPValue(t: number, df: number): number {
  assertDegreesOfFreedom(df);
  if (Number.isNaN(t)) return NaN;
  // 2 F(-|t|) equals 2 (1 - F(|t|)) but keeps its precision far in the tail.
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** Two-sided p-value P(|Z| >= |z|) of the standard normal. */
export function twoSidedNormalPValue(z: number): number {
  if (Number.isNaN(z)) return NaN;
  return Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
}

/** Largest n for which the exact signed-rank p is computed (the library's memoised recursion grows as n^3). */
export const EXACT_SIGNED_RANK_MAX_N = 50;

/**
 * Exact two-sided p of the Wilcoxon signed-rank statistic W+ among n untied, non-zero values:
 * min(1, 2 min(P(W <= W+), P(W >= W+))) under H0. By symmetry P(W >= w) = P(W <= n(n+1)/2 - w).
 */
export function signedRankExactPValue(wPlus: number, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > EXACT_SIGNED_RANK_MAX_N) {
    throw new RangeError(`exact signed-rank p needs an integer 1 <= n <= ${EXACT_SIGNED_RANK_MAX_N}, got ${n}`);
  }
  if (!Number.isInteger(wPlus)) throw new RangeError(`W+ must be an integer without ties, got ${wPlus}`);
  const lower = signedRankCdf(wPlus, n);
  const upper = signedRankCdf((n * (n + 1)) / 2 - wPlus, n);
  return Math.min(1, 2 * Math.min(lower, upper));
}
