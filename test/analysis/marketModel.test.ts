import { estimateExpectedReturnModel, estimationWindowPairs, fitMarketModel, marketAdjustedModel } from '../../src/analysis/marketModel';
import { directOls } from './helpers';

// Hand-computed example. x = benchmark, y = instrument.
// mean x = 0, mean y = 0.002; Sxx = 0.001, Sxy = 0.0015 -> beta 1.5, alpha 0.002.
// residuals -0.002, 0.003, -0.002, 0.003, -0.002 -> SSR = 3e-5, sigma = sqrt(3e-5 / 3) = sqrt(1e-5);
// Syy = 0.00228 -> R² = 1 - 3e-5 / 0.00228 = 75/76.
const xs = [-0.02, -0.01, 0, 0.01, 0.02];
const ys = [-0.03, -0.01, 0, 0.02, 0.03];
const pairs = xs.map((x, i) => ({ date: `d${i}`, return: ys[i], benchmarkReturn: x }));

describe('fitMarketModel', () => {
  it('matches the hand-computed OLS on 5 points', () => {
    const fit = fitMarketModel(pairs)!;
    expect(fit.alpha).toBeCloseTo(0.002, 14);
    expect(fit.beta).toBeCloseTo(1.5, 12);
    expect(fit.sigma).toBeCloseTo(Math.sqrt(1e-5), 14);
    expect(fit.r2).toBeCloseTo(75 / 76, 12);
    expect(fit.n).toBe(5);
  });

  it('agrees with the raw-sum normal equations on irregular data', () => {
    const bx = [0.013, -0.004, 0.021, -0.017, 0.002, 0.009, -0.011, 0.0, 0.006];
    const by = [0.021, -0.012, 0.018, -0.035, 0.011, 0.004, -0.02, 0.003, 0.015];
    const fit = fitMarketModel(bx.map((x, i) => ({ date: `d${i}`, return: by[i], benchmarkReturn: x })))!;
    const expected = directOls(bx, by);
    expect(fit.alpha).toBeCloseTo(expected.alpha, 12);
    expect(fit.beta).toBeCloseTo(expected.beta, 12);
    expect(fit.sigma).toBeCloseTo(expected.sigma, 12);
    expect(fit.r2).toBeCloseTo(expected.r2, 12);
  });

  it('returns null when the benchmark does not vary or there are fewer than 2 points', () => {
    expect(fitMarketModel(ys.map((y, i) => ({ date: `d${i}`, return: y, benchmarkReturn: 0.01 })))).toBeNull();
    expect(fitMarketModel(pairs.slice(0, 1))).toBeNull();
  });

  it('has no sigma with only 2 points (0 residual degrees of freedom)', () => {
    expect(fitMarketModel(pairs.slice(0, 2))!.sigma).toBeNull();
  });
});

describe('estimateExpectedReturnModel', () => {
  it('fits the market model with at least minObs pairs', () => {
    const { model, shortfall } = estimateExpectedReturnModel(pairs, 5);
    expect(shortfall).toBeNull();
    expect(model).toMatchObject({ kind: 'market_model', beta: expect.closeTo(1.5, 12), n: 5 });
  });

  it('falls back to alpha 0, beta 1 with fewer, reporting the std of r - r_m (n - 1 dof)', () => {
    // r - r_m = -0.01, 0, 0, 0.01, 0.01; mean 0.002; squared deviations sum 2.8e-4 -> sigma sqrt(7e-5)
    const { model, shortfall } = estimateExpectedReturnModel(pairs, 6);
    expect(shortfall).toBe('too_few_observations');
    expect(model).toEqual({ kind: 'market_adjusted', alpha: 0, beta: 1, sigma: expect.closeTo(Math.sqrt(7e-5), 14), r2: null, n: 5 });
  });

  it('falls back when the benchmark has no variance', () => {
    const flat = pairs.map((p) => ({ ...p, benchmarkReturn: 0 }));
    expect(estimateExpectedReturnModel(flat, 3).shortfall).toBe('benchmark_without_variance');
  });

  it('market-adjusted sigma is null below 2 observations', () => {
    expect(marketAdjustedModel(pairs.slice(0, 1)).sigma).toBeNull();
  });
});

describe('estimationWindowPairs', () => {
  it("takes offsets [from, to] around day 0 in the instrument's own sessions, skipping unpaired bars", () => {
    const instrumentReturns = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((t, i) => ({ t, return: i === 0 ? null : i / 100 }));
    const benchmark = new Map([
      ['b', 0.1],
      ['c', 0.2],
      ['e', 0.4],
      ['f', 0.5],
      ['g', 0.6],
    ]);
    // day 0 = index 5 ('f'); offsets [-4, -1] are indexes 1..4 = b, c, d, e; d has no benchmark return
    expect(estimationWindowPairs(instrumentReturns, benchmark, 5, [-4, -1]).map((p) => p.t)).toEqual(['b', 'c', 'e']);
    // a window reaching before the history is clipped
    expect(estimationWindowPairs(instrumentReturns, benchmark, 2, [-10, -1]).map((p) => p.t)).toEqual(['b']);
  });
});
