// The Lee & Mykland (2008) jump test (shared/methods/shocks.md section 2), as the `highfrequency` R package's
// intradayJumpTest: L = AR / sigma_s against C_n + S_n beta*, n the number of slots of the session.

/** C_n + S_n beta*, with beta* = -ln(-ln(1 - alpha)); 4.067058 for n = 78 and alpha = 0.01. */
export function leeMyklandCriticalValue(n: number, alpha: number): number {
  if (!(n > 1)) throw new RangeError(`n must be > 1 slots, got ${n}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const root = Math.sqrt(2 * Math.log(n));
  const cn = root - (Math.log(Math.PI) + Math.log(Math.log(n))) / (2 * root);
  const sn = 1 / root;
  const betaStar = -Math.log(-Math.log(1 - alpha));
  return cn + sn * betaStar;
}

/** +1 or -1 when |L| exceeds the critical value, 0 when not (or when L is missing). */
export function jumpSign(l: number | null, critical: number): -1 | 0 | 1 {
  if (l === null || !Number.isFinite(l) || !(Math.abs(l) > critical)) return 0;
  return l > 0 ? 1 : -1;
}
