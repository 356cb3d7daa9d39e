// Worked numbers for each cross-sectional statistic on inputs small enough to check by hand.
import { meanCrossCorrelation } from '../../src/analysis/crossSection/crossCorrelation';
import { corradoSignSeries, rankTestSeries, rankZStat } from '../../src/analysis/crossSection/rankTests';
import {
  averageRanks,
  bmpT,
  bw1980T,
  bw1985T,
  csectT,
  gsignZ,
  kpT,
  patellZ,
  signZ,
  wilcoxonSignedRank,
  type TestOutcome,
} from '../../src/analysis/crossSection/testStatistics';

const statOf = (outcome: TestOutcome) => ('stat' in outcome ? outcome : { stat: NaN, p: NaN });

describe('averageRanks', () => {
  it('ranks from 1 (smallest), ties averaged', () => {
    expect(averageRanks([0.3, -1, 0.3, 2, 0.3])).toEqual([3, 1, 3, 5, 3]);
  });
});

describe('csectT (cross-sectional t) and bmpT', () => {
  it('1, 2, 3: mean 2, sd 1, t = 2 sqrt 3; p (2 df) = 1 - t / sqrt(2 + t^2)', () => {
    const { stat, p } = statOf(csectT([1, 2, 3]));
    expect(stat).toBeCloseTo(2 * Math.sqrt(3), 13);
    expect(p).toBeCloseTo(1 - stat / Math.sqrt(2 + stat * stat), 12);
  });

  it('N = 2: 0.01, 0.03 gives t = 0.02 / (0.01414 / sqrt 2) = 2, p (1 df, Cauchy) = 1 - 2 atan(2) / pi', () => {
    const { stat, p } = statOf(csectT([0.01, 0.03]));
    expect(stat).toBeCloseTo(2, 12);
    expect(p).toBeCloseTo(1 - (2 * Math.atan(2)) / Math.PI, 12);
  });

  it('N < 2 and zero spread give a reason instead of a number', () => {
    expect(csectT([0.05])).toEqual({ reason: 'N = 1: at least 2 firms are needed' });
    expect(csectT([0.01, 0.01])).toEqual({ reason: 'the values do not vary (sd 0)' });
    expect(bmpT([])).toEqual({ reason: 'N = 0: at least 2 firms are needed' });
  });
});

describe('patellZ', () => {
  it('Z = (1 + 2) / sqrt(2 * 10/8) = 3 / sqrt 2.5, p normal', () => {
    const { stat, p } = statOf(patellZ([1, 2], [10, 10]));
    expect(stat).toBeCloseTo(3 / Math.sqrt(2.5), 13);
    expect(p).toBeCloseTo(0.05777957, 7); // 2 (1 - Phi(1.8974))
  });

  it('d <= 2 has no variance', () => {
    expect(patellZ([1, 2], [10, 2])).toHaveProperty('reason');
  });
});

describe('kpT (Kolari & Pynnonen)', () => {
  it('negative rbar -0.2 with N = 3 scales BMP t = 2 sqrt 3 by sqrt(1.2 / 0.6) = sqrt 2', () => {
    expect(statOf(kpT([1, 2, 3], -0.2)).stat).toBeCloseTo(2 * Math.sqrt(6), 12);
  });

  it('rbar 0 leaves BMP t unchanged; 1 + (N - 1) rbar <= 0 is null', () => {
    expect(statOf(kpT([1, 2, 3], 0)).stat).toBeCloseTo(2 * Math.sqrt(3), 13);
    expect(kpT([1, 2, 3], -0.5)).toEqual({ reason: '1 + (N - 1) rbar = 0 <= 0' });
  });
});

describe('sign tests', () => {
  // a zero AR is not positive: w = 2 of N = 4
  const xs = [0.1, -0.2, 0, 0.3];
  it('gsignZ: (2 - 4 * 0.4) / sqrt(4 * 0.4 * 0.6)', () => {
    expect(statOf(gsignZ(xs, 0.4)).stat).toBeCloseTo(0.4 / Math.sqrt(0.96), 13);
    expect(gsignZ(xs, 0)).toHaveProperty('reason');
    expect(gsignZ(xs, 1)).toHaveProperty('reason');
  });

  it('signZ: (w - N/2) / sqrt(N/4)', () => {
    expect(statOf(signZ(xs)).stat).toBe(0);
    expect(statOf(signZ([1, 2, 3, -1])).stat).toBe(1);
  });
});

describe('Brown & Warner', () => {
  it('bw1980T: 0.02 / (sqrt(0.01^2 + 0.02^2) / 2); a 4-day window divides by sqrt 4 more', () => {
    expect(statOf(bw1980T([0.01, 0.03], [0.01, 0.02], 1)).stat).toBeCloseTo(0.02 / (Math.sqrt(0.0005) / 2), 12);
    expect(statOf(bw1980T([0.01, 0.03], [0.01, 0.02], 4)).stat).toBeCloseTo(0.01 / (Math.sqrt(0.0005) / 2), 12);
  });

  it('bw1985T: mean 2 over S_A = sd(1, 2, 3, 4) = sqrt(5/3), t with T_E - 1 = 3 df', () => {
    const { stat, p } = statOf(bw1985T([1, 3], [1, 2, 3, 4], 1));
    expect(stat).toBeCloseTo(2 / Math.sqrt(5 / 3), 13);
    // t(3) closed form: F(t) = 1/2 + (atan(t/sqrt3) + (t/sqrt3)/(1 + t^2/3)) / pi
    const u = stat / Math.sqrt(3);
    expect(p).toBeCloseTo(1 - (2 * (Math.atan(u) + u / (1 + u * u))) / Math.PI, 12);
  });
});

describe('wilcoxonSignedRank', () => {
  it('drops a zero, averages tied ranks: 1, -1, 2, 3 -> W+ = 1.5 + 3 + 4 = 8.5, tie-corrected z, no exact p', () => {
    const result = wilcoxonSignedRank([0, 1, -1, 2, 3]);
    // variance 4*5*9/24 - (2^3 - 2)/48 = 7.5 - 0.125
    expect(result).toEqual({
      wPlus: 8.5,
      n: 4,
      z: expect.closeTo(3.5 / Math.sqrt(7.375), 13),
      p: expect.closeTo(0.197466, 5), // 2 (1 - Phi(1.28880))
      pExact: null,
    });
  });

  it('no ties: 1, -2, 3, 4, 5 -> W+ = 13, exact p = 2 P(W <= 2) = 2 * 3/32', () => {
    const result = wilcoxonSignedRank([1, -2, 3, 4, 5]);
    expect(result).toMatchObject({ wPlus: 13, n: 5, pExact: expect.closeTo(6 / 32, 15) });
    expect(result).toHaveProperty('z', expect.closeTo(5.5 / Math.sqrt(13.75), 13));
  });

  it('N = 2 all positive: W+ = 3, exact p = 2 * 1/4 = 0.5; N < 2 gives a reason', () => {
    expect(wilcoxonSignedRank([0.01, 0.02])).toMatchObject({ wPlus: 3, n: 2, pExact: 0.5 });
    expect(wilcoxonSignedRank([0.01])).toHaveProperty('reason');
  });

  it('exact p equals brute-force enumeration of the 2^n sign patterns (n = 10)', () => {
    const n = 10;
    const xs = [1, -2, 3, -4, 5, 6, -7, 8, 9, 10];
    const wPlus = 1 + 3 + 5 + 6 + 8 + 9 + 10;
    let below = 0;
    let above = 0;
    for (let mask = 0; mask < 1 << n; mask++) {
      let w = 0;
      for (let r = 1; r <= n; r++) if (mask & (1 << (r - 1))) w += r;
      if (w <= wPlus) below++;
      if (w >= wPlus) above++;
    }
    const exact = Math.min(1, (2 * Math.min(below, above)) / 2 ** n);
    expect(wilcoxonSignedRank(xs)).toMatchObject({ wPlus, pExact: expect.closeTo(exact, 14) });
  });
});

describe('Corrado rank test (Cowan for windows) and Corrado-Zivney sign test', () => {
  // Firm A ranks -0.2,0,0.1,0.3 as 1..4; firm B has a tie (0.5, 0.5 -> 2.5). M = 4, U = K/5 - 1/2.
  const a = new Map([
    [-3, 0.1],
    [-2, -0.2],
    [-1, 0],
    [0, 0.3],
  ]);
  const b = new Map([
    [-3, 0.5],
    [-2, 0.5],
    [-1, -1],
    [0, 2],
  ]);
  // U_A = 0.1, -0.3, -0.1, 0.3; U_B = 0, 0, -0.3, 0.3 -> D = 0.05, -0.15, -0.2, 0.3
  const sD = Math.sqrt((0.05 ** 2 + 0.15 ** 2 + 0.2 ** 2 + 0.3 ** 2) / 4);

  it('uniform scale, mean norm: D_t and S_D with divisor T', () => {
    const series = rankTestSeries([a, b], 'uniform', 'mean');
    expect(series.d.get(-3)).toBeCloseTo(0.05, 15);
    expect(series.d.get(0)).toBeCloseTo(0.3, 15);
    expect(series.sd).toBeCloseTo(sD, 15);
    expect(rankZStat(series, 0, 0)).toBeCloseTo(0.3 / sD, 13);
    expect(rankZStat(series, -1, 0)).toBeCloseTo(0.1 / (Math.sqrt(2) * sD), 13);
  });

  it('raw scale is uniform x (M + 1) and gives the same z when all M are equal; sqrtn multiplies D by sqrt N', () => {
    const raw = rankTestSeries([a, b], 'raw', 'mean');
    expect(raw.d.get(0)).toBeCloseTo(1.5, 14);
    expect(rankZStat(raw, 0, 0)).toBeCloseTo(0.3 / sD, 13);
    expect(rankTestSeries([a, b], 'uniform', 'sqrtn').d.get(0)).toBeCloseTo(0.6 / Math.sqrt(2), 15);
  });

  it('a firm missing days: D_t averages over the firms present', () => {
    const c = new Map([
      [-3, 1],
      [-2, 2],
      [0, 3],
    ]); // no -1; U = 0.25 - 0.5, 0.5 - 0.5, 0.75 - 0.5
    const series = rankTestSeries([a, c], 'uniform', 'mean');
    expect(series.d.get(-1)).toBeCloseTo(-0.1, 15);
    expect(series.d.get(0)).toBeCloseTo((0.3 + 0.25) / 2, 15);
  });

  it('csign: signs against each firm median, scaled by sqrt N_t', () => {
    // medians: A 0.05 -> +,-,-,+; B 0.5 -> 0,0,-,+ ; sums 1,-1,-2,2 over sqrt 2
    const { g, sd } = corradoSignSeries([a, b]);
    expect(g.get(0)).toBeCloseTo(2 / Math.sqrt(2), 15);
    expect(sd).toBeCloseTo(Math.sqrt((0.5 + 0.5 + 2 + 2) / 4), 15);
  });
});

describe('rbar (mean cross-correlation of estimation residuals)', () => {
  const dates = ['d1', 'd2', 'd3', 'd4'];
  const series = (values: number[], at = dates) => new Map(at.map((d, k) => [d, values[k]]));

  it('two mirror-image firms: rbar = -1 (negative)', () => {
    expect(meanCrossCorrelation([series([1, 2, 3, 5]), series([-1, -2, -3, -5])], 'pairwise')).toEqual({ rbar: -1, notes: [] });
  });

  it("pairwise uses each pair's common dates, listwise the dates common to all", () => {
    const x = series([1, 2, 3, 4]);
    const y = series([9, 1, 2, 3], ['d0', 'd1', 'd2', 'd3']); // perfectly correlated with x on d1..d3
    const z = series([4, 3, 2, 1]);
    const pairwise = meanCrossCorrelation([x, y, z], 'pairwise').rbar!;
    expect(pairwise).toBeCloseTo((1 + -1 + -1) / 3, 14);
    // listwise: d1..d3 for all; x = 1,2,3  y = 1,2,3  z = 4,3,2 -> 1, -1, -1
    expect(meanCrossCorrelation([x, y, z], 'listwise').rbar!).toBeCloseTo(-1 / 3, 14);
  });

  it("pairwise equals the plain mean of every pair's Pearson r when firms have different date sets", () => {
    let seed = 3;
    const noise = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
    const all = Array.from({ length: 12 }, (_, k) => `d${String(k).padStart(2, '0')}`);
    const firms = [0, 0, 2, 2, 2, 5, 7].map((start, f) =>
      series(
        all.slice(start, start + 5 + f).map(() => noise()),
        all.slice(start, start + 5 + f),
      ),
    );
    const pearson = (a: Map<string, number>, b: Map<string, number>) => {
      const common = [...a.keys()].filter((d) => b.has(d));
      const x = common.map((d) => a.get(d)!);
      const y = common.map((d) => b.get(d)!);
      const mx = x.reduce((s, v) => s + v, 0) / x.length;
      const my = y.reduce((s, v) => s + v, 0) / y.length;
      const sxy = x.reduce((s, v, k) => s + (v - mx) * (y[k] - my), 0);
      return common.length < 3
        ? null
        : sxy / Math.sqrt(x.reduce((s, v) => s + (v - mx) ** 2, 0) * y.reduce((s, v) => s + (v - my) ** 2, 0));
    };
    const rs: number[] = [];
    for (let i = 0; i < firms.length; i++)
      for (let j = i + 1; j < firms.length; j++) {
        const r = pearson(firms[i], firms[j]);
        if (r !== null) rs.push(r);
      }
    const result = meanCrossCorrelation(firms, 'pairwise');
    expect(rs.length).toBeLessThan(21); // some pairs share fewer than 3 dates
    expect(result.rbar).toBeCloseTo(rs.reduce((s, r) => s + r, 0) / rs.length, 14);
    expect(result.notes).toEqual([`rbar: ${21 - rs.length} of 21 pairs have too few common dates or no spread and are left out`]);
  });

  it('N < 2: null with a note', () => {
    expect(meanCrossCorrelation([series([1, 2, 3, 4])], 'pairwise')).toEqual({
      rbar: null,
      notes: ['rbar: N = 1, at least 2 firms are needed'],
    });
  });
});
