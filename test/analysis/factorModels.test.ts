// The factor models of shared/methods/factors.md on worked numbers: a 3-factor fit by hand on 6 days, and the
// general forecast-error correction reducing to the market model's when the only factor is the benchmark (RF = 0).
// Every series here is synthetic, made so that the hand arithmetic is short.
import {
  carForecastVariance,
  fitNormalReturnModel,
  forecastErrorCorrection,
  ordinaryLeastSquares,
  regressionCarVariance,
  regressionCorrection,
  type PairedDay,
} from '../../src/analysis';

describe('a 3-factor fit by hand on 6 days (synthetic)', () => {
  // Columns chosen orthogonal: 1, x1, x2, x3 and the residuals e are mutually orthogonal, so X'X is diagonal
  // (6, 4u^2, 2u^2, 12u^2), OLS returns b exactly, and the residuals are e.
  const u = 0.01;
  const x1 = [1, 1, -1, -1, 0, 0].map((v) => v * u);
  const x2 = [0, 0, 0, 0, 1, -1].map((v) => v * u);
  const x3 = [1, 1, 1, 1, -2, -2].map((v) => v * u);
  const e = [1, -1, 1, -1, 0, 0].map((v) => v * 0.001);
  const b = [0.0005, 1.2, 0.3, -0.4];
  const rf = 0.0001;
  const pairs: PairedDay[] = e.map((et, t) => {
    const y = b[0] + b[1] * x1[t] + b[2] * x2[t] + b[3] * x3[t] + et;
    return {
      offset: t - 20,
      date: `2025-01-0${t + 1}`,
      return: y + rf,
      benchmarkReturn: x1[t] + rf,
      factors: { rf, x: [x1[t], x2[t], x3[t]] },
    };
  });
  const fitted = fitNormalReturnModel(pairs, [], { model: 'ff3', sigmaDf: 'model', feMoments: 'paired' });
  if (!('fit' in fitted)) throw new Error(fitted.reason);
  const { fit } = fitted;
  // s^2 = SSR / (L1 - k) = 4 (0.001)^2 / (6 - 4)
  const s2 = (4 * 0.001 ** 2) / 2;

  it("b = (X'X)^-1 X'y, s^2 = SSR / (L1 - k), d = L1 - k", () => {
    fit.regression!.coefficients.forEach((c, j) => expect(c).toBeCloseTo(b[j], 13));
    expect(fit.regression!.names).toEqual(['const', 'Mkt-RF', 'SMB', 'HML']);
    expect(fit.alpha).toBeCloseTo(0.0005, 13);
    expect(fit.beta).toBeCloseTo(1.2, 12);
    expect(fit.sigma).toBeCloseTo(Math.sqrt(s2), 14);
    expect(fit.n).toBe(6);
    expect(fit.dof).toBe(2);
    fit.residuals.forEach((r, t) => expect(r).toBeCloseTo(e[t], 14));
  });

  it("standard errors: sqrt of the diagonal of s^2 (X'X)^-1", () => {
    const diagonal = [6, 4 * u * u, 2 * u * u, 12 * u * u];
    fit.regression!.standardErrors.forEach((se, j) => expect(se).toBeCloseTo(Math.sqrt(s2 / diagonal[j]), 12));
  });

  it("C_t = 1 + [1, x_t](X'X)^-1[1, x_t]' and V over a CAR window", () => {
    const day = [0.02, -0.01, 0.005];
    const C = 1 + 1 / 6 + day[0] ** 2 / (4 * u * u) + day[1] ** 2 / (2 * u * u) + day[2] ** 2 / (12 * u * u);
    expect(regressionCorrection(fit.regression!.xtxInverse, [1, ...day])).toBeCloseTo(C, 12);
    const rows = [
      [1, 0.02, -0.01, 0.005],
      [1, -0.01, 0, 0.01],
    ];
    // g'X* sums the rows: (2, 0.01, -0.01, 0.015)
    const V = 2 + 4 / 6 + 0.01 ** 2 / (4 * u * u) + 0.01 ** 2 / (2 * u * u) + 0.015 ** 2 / (12 * u * u);
    expect(regressionCarVariance(fit.regression!.xtxInverse, rows)).toBeCloseTo(V, 12);
  });

  it('fewer pairs than coefficients, or collinear factors, give a reason', () => {
    const few = fitNormalReturnModel(pairs.slice(0, 4), [], { model: 'ff3', sigmaDf: 'model', feMoments: 'paired' });
    expect(few).toEqual({ reason: '4 estimation pairs cannot fit 4 coefficients' });
    const collinear = pairs.map((p) => ({ ...p, factors: { rf, x: [p.factors!.x[0], p.factors!.x[0] * 2, p.factors!.x[2]] } }));
    expect(fitNormalReturnModel(collinear, [], { model: 'ff3', sigmaDf: 'model', feMoments: 'paired' })).toEqual({
      reason: "the factors are collinear over the estimation sample (X'X is singular)",
    });
  });
});

describe('the general correction is the market model one when the only factor is the benchmark return, RF = 0', () => {
  // a synthetic sample of 40 days
  const xs = Array.from({ length: 40 }, (_, t) => 0.01 * Math.sin(t * 1.7) + 0.002 * Math.cos(t * 0.3));
  const ys = xs.map((x, t) => 0.0004 + 1.3 * x + 0.004 * Math.sin(t * 2.9 + 1));
  const pairs: PairedDay[] = xs.map((x, t) => ({ offset: t - 60, date: `d${t}`, return: ys[t], benchmarkReturn: x }));
  const market = fitNormalReturnModel(pairs, [], { model: 'market', sigmaDf: 'model', feMoments: 'paired' });
  if (!('fit' in market)) throw new Error(market.reason);
  const ols = ordinaryLeastSquares(
    ys,
    xs.map((x) => [1, x]),
  )!;

  it('the same alpha, beta and residuals', () => {
    expect(Math.abs(ols.coefficients[0] - market.fit.alpha)).toBeLessThan(1e-12);
    expect(Math.abs(ols.coefficients[1] - market.fit.beta)).toBeLessThan(1e-12);
    ols.residuals.forEach((e, t) => expect(Math.abs(e - market.fit.residuals[t])).toBeLessThan(1e-12));
  });

  it.each([0.03, -0.02, 0, 0.0015])('C_t at x = %p equals 1 + 1/L1 + (x - xbar)^2 / S_xx to 1e-12', (x) => {
    expect(Math.abs(regressionCorrection(ols.xtxInverse, [1, x]) - forecastErrorCorrection(market.fit, x))).toBeLessThan(1e-12);
  });

  it('V over a CAR window equals L + L^2/L1 + (sum (x - xbar))^2 / S_xx to 1e-12', () => {
    const window = [0.03, -0.05, 0.01, 0.002];
    const general = regressionCarVariance(
      ols.xtxInverse,
      window.map((x) => [1, x]),
    );
    expect(Math.abs(general - carForecastVariance(market.fit, window))).toBeLessThan(1e-12);
  });
});
