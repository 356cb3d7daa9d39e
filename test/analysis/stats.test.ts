import { studentTCdf, twoSidedPValue } from '../../src/analysis/stats';

describe('twoSidedPValue: published Student t values', () => {
  it.each([
    [2.0, 10, 0.07339],
    [1.96, 1000, 0.0503],
    [-3, 5, 0.0301],
    [2.228, 10, 0.05], // the 5% critical value for 10 dof
    [12.706, 1, 0.05],
    [2.576, 1e6, 0.01], // ~ normal
  ])('t=%d df=%d -> p≈%d', (t, df, p) => {
    expect(twoSidedPValue(t, df)).toBeCloseTo(p, 4);
  });

  it('is 1 at t = 0 and 0 at infinity', () => {
    expect(twoSidedPValue(0, 7)).toBe(1);
    expect(twoSidedPValue(-Infinity, 7)).toBe(0);
  });

  it('rejects non-positive degrees of freedom', () => {
    expect(() => twoSidedPValue(1, 0)).toThrow(RangeError);
  });
});

describe('studentTCdf agrees with the closed forms for 1, 2 and 3 degrees of freedom', () => {
  const closedForm: Record<number, (t: number) => number> = {
    1: (t) => 0.5 + Math.atan(t) / Math.PI, // Cauchy
    2: (t) => 0.5 + t / (2 * Math.sqrt(2 + t * t)),
    3: (t) => 0.5 + (Math.atan(t / Math.sqrt(3)) + t / Math.sqrt(3) / (1 + (t * t) / 3)) / Math.PI,
  };
  const ts = [-25, -4.5, -2, -1, -0.3, 0, 0.1, 0.7, 1.5, 3, 8, 40];
  it.each([1, 2, 3])('df = %i', (df) => {
    for (const t of ts) expect(studentTCdf(t, df)).toBeCloseTo(closedForm[df](t), 12);
  });

  it('two-sided p is 2 * (1 - cdf(|t|))', () => {
    for (const t of ts) expect(twoSidedPValue(t, 3)).toBeCloseTo(2 * (1 - closedForm[3](Math.abs(t))), 12);
  });
});
