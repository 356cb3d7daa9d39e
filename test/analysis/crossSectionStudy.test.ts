// The engine end to end on a hand-computed market-model case (the one of marketModel.test.ts):
// ARs, C, SARs, the three CAR standardisations, statuses, exclusions, notes and subgroups.
import { runCrossSectionStudy, type CrossSectionStudy } from '../../src/analysis/crossSection/study';
import type { CrossSectionMemberInput } from '../../src/analysis/crossSection/memberSample';
import { resolveCrossSectionOptions } from '../../src/analysis/crossSection/options';
import { closesFromReturns } from './helpers';

// Estimation offsets -5..-1: x = benchmark, y = instrument -> alpha 0.002, beta 1.5, SSR 3e-5,
// s^2 = 1e-5 (3 dof), xbar 0, S_xx 0.001. Window offsets 0, 1: (r_m, r) = (0.01, 0.05), (-0.02, -0.01).
const xs = [-0.02, -0.01, 0, 0.01, 0.02, 0.01, -0.02];
const ys = [-0.03, -0.01, 0, 0.02, 0.03, 0.05, -0.01];
const dates = ['01', '02', '03', '04', '05', '08', '09', '10'].map((d) => `2024-01-${d}`);
const barsOf = (returns: readonly number[], at = dates) => closesFromReturns(100, returns).map((close, i) => ({ date: at[i], close }));
const benchmarkBars = barsOf(xs);

function member(symbol: string, overrides: Partial<CrossSectionMemberInput> = {}): CrossSectionMemberInput {
  return { symbol, event: 'e', dayZero: { index: 6 }, bars: barsOf(ys), benchmarkBars, ...overrides };
}

const OPTIONS = { window: [0, 1] as const, estimation: [-5, -1] as const, minObs: 5, cars: [[0, 1] as const, [0, 0] as const] };
const s = Math.sqrt(1e-5);
const sar0 = 0.033 / (s * Math.sqrt(1 + 1 / 5 + 0.01 ** 2 / 0.001));
const sar1 = 0.018 / (s * Math.sqrt(1 + 1 / 5 + 0.02 ** 2 / 0.001));

describe('one member, market model', () => {
  const study = runCrossSectionStudy([member('A')], OPTIONS);
  const [a] = study.members;

  it('model, ARs and SARs with the forecast-error correction C', () => {
    expect(a).toMatchObject({ symbol: 'A', event: 'e', date: null, day0: '2024-01-09', status: 'ok', subgroup: null });
    expect(a.model).toEqual({
      alpha: expect.closeTo(0.002, 14),
      beta: expect.closeTo(1.5, 12),
      sigma: expect.closeTo(s, 14),
      n: 5,
      dof: 3,
    });
    expect(a.days.map((d) => d.offset)).toEqual([0, 1]);
    expect(a.days[0].abnormalReturn).toBeCloseTo(0.033, 13);
    expect(a.days[1].abnormalReturn).toBeCloseTo(0.018, 13);
    expect(a.days[0].sar).toBeCloseTo(sar0, 10);
    expect(a.days[1].sar).toBeCloseTo(sar1, 10);
  });

  it('SCAR: clm V = L + L^2/L1 + (sum (r_m - xbar))^2 / S_xx; patell_sum; simple', () => {
    expect(a.cars[0]).toEqual({
      from: 0,
      to: 1,
      car: expect.closeTo(0.051, 13),
      scar: expect.closeTo(0.051 / (s * Math.sqrt(2 + 4 / 5 + 0.01 ** 2 / 0.001)), 10),
    });
    const patell = runCrossSectionStudy([member('A')], { ...OPTIONS, carStd: 'patell_sum' }).members[0];
    expect(patell.cars[0].scar).toBeCloseTo((sar0 + sar1) / Math.sqrt(2), 10);
    const simple = runCrossSectionStudy([member('A')], { ...OPTIONS, carStd: 'simple' }).members[0];
    expect(simple.cars[0].scar).toBeCloseTo(0.051 / (s * Math.sqrt(2)), 10);
  });

  it('N = 1: every test is null, each with a note', () => {
    const day0 = study.aggregate.days[0];
    expect(day0).toMatchObject({ offset: 0, n: 1, aar: expect.closeTo(0.033, 13), caar: expect.closeTo(0.033, 13), wilcoxon: null });
    expect(Object.values(day0.tests)).toEqual([null, null, null, null, null, null]);
    expect(day0.notes).toContain('csectT: N = 1: at least 2 firms are needed');
    expect(day0.notes).toContain('kpT: N = 1: at least 2 firms are needed');
    expect(study.aggregate.rbar).toBeNull();
    expect(study.aggregate.notes).toContain('rbar: N = 1, at least 2 firms are needed');
  });
});

describe('the other normal-return models', () => {
  it('market_adjusted: AR = r - r_m, s = sd(r - r_m), C = 1, d = L1 - 1', () => {
    const [m] = runCrossSectionStudy([member('A')], { ...OPTIONS, model: 'market_adjusted' }).members;
    expect(m.model).toEqual({ alpha: 0, beta: 1, sigma: expect.closeTo(Math.sqrt(7e-5), 14), n: 5, dof: 4 });
    expect(m.days[0].abnormalReturn).toBeCloseTo(0.04, 14);
    expect(m.days[0].sar).toBeCloseTo(0.04 / Math.sqrt(7e-5), 11);
  });

  it('constant_mean: alpha = ybar, s^2 = S_yy / (L1 - 1), C = 1 + 1/L1', () => {
    const [m] = runCrossSectionStudy([member('A')], { ...OPTIONS, model: 'constant_mean' }).members;
    expect(m.model).toMatchObject({ alpha: expect.closeTo(0.002, 15), beta: 0, sigma: expect.closeTo(Math.sqrt(0.00057), 14), dof: 4 });
    expect(m.days[0].sar).toBeCloseTo(0.048 / (Math.sqrt(0.00057) * Math.sqrt(1.2)), 11);
  });
});

describe('several members: exclusions, missing days, subgroups', () => {
  // B: its own noise on the same benchmark; GAP: the benchmark has no bar on the window's day 1;
  // SHORT: history starts at offset -2 (2 estimation returns); NONE: day 0 after its last bar.
  const noisy = ys.map((y, i) => y + [0.001, -0.002, 0.004, 0, -0.003, 0.01, 0.002][i]);
  const gapBenchmark = benchmarkBars.filter((b) => b.date !== dates[7]);
  let study: CrossSectionStudy;
  beforeAll(() => {
    study = runCrossSectionStudy(
      [
        member('A', { subgroup: 'x' }),
        member('B', { bars: barsOf(noisy), subgroup: 'y' }),
        member('GAP', { bars: barsOf(noisy), benchmarkBars: gapBenchmark, subgroup: 'x' }),
        member('SHORT', { bars: barsOf(ys.slice(3), dates.slice(3)), dayZero: { index: 3 } }),
        member('NONE', { dayZero: { date: '2025-01-01' } }),
        member('NOBENCH', { benchmarkBars: null }),
      ],
      OPTIONS,
    );
  });

  it('members without enough history stay listed with status and reason', () => {
    expect(study.members.map((m) => [m.symbol, m.status])).toEqual([
      ['A', 'ok'],
      ['B', 'ok'],
      ['GAP', 'ok'],
      ['SHORT', 'insufficient_estimation'],
      ['NONE', 'no_data'],
      ['NOBENCH', 'no_benchmark'],
    ]);
    const short = study.members[3];
    expect(short.statusReason).toBe(
      'SHORT has 2 paired estimation returns at offsets [-5,-1]; at least 5 are needed; excluded from the aggregates',
    );
    expect(short.model).toEqual({ alpha: null, beta: null, sigma: null, n: 2, dof: null });
    expect(study.members[4]).toMatchObject({ date: '2025-01-01', day0: null });
    expect(study.aggregate.n).toBe(3);
    expect(study.aggregate.notes).toContain('3 of 6 members are excluded (see their status)');
  });

  it('a firm missing a day is out of that day and of every window containing it', () => {
    const gap = study.members[2];
    expect(gap.days[1]).toMatchObject({ offset: 1, benchmarkReturn: null, abnormalReturn: null, sar: null });
    expect(gap.cars[0]).toEqual({ from: 0, to: 1, car: null, scar: null });
    const [day0, day1] = study.aggregate.days;
    expect([day0.n, day1.n]).toEqual([3, 2]);
    const [w01, w00] = study.aggregate.cars;
    expect([w01.n, w00.n]).toEqual([2, 3]);
    // CAAR sums the AARs (3 firms on day 0, 2 on day 1); meanCar averages the 2 complete CARs
    expect(w01.caar).toBeCloseTo(day0.aar! + day1.aar!, 15);
    const complete = [study.members[0], study.members[1]].map((m) => m.cars[0].car!);
    expect(w01.meanCar).toBeCloseTo((complete[0] + complete[1]) / 2, 15);
    expect(w01.caar).not.toBeCloseTo(w01.meanCar!, 6);
  });

  it('N = 2 windows are tested, with p-values', () => {
    const w01 = study.aggregate.cars[0];
    for (const test of Object.values(w01.tests)) expect(test).toEqual({ stat: expect.any(Number), p: expect.any(Number) });
    expect(w01.wilcoxon).toMatchObject({ n: 2 });
    expect(w01.extras.csignZ).toBeNull();
    expect(w01.notes).toContain('csignZ: daily only');
  });

  it('one aggregate per subgroup label', () => {
    expect(study.subgroups.map((g) => [g.subgroup, g.aggregate.n])).toEqual([
      ['x', 2],
      ['y', 1],
    ]);
  });
});

describe('options', () => {
  it('defaults follow the methods table', () => {
    expect(resolveCrossSectionOptions()).toEqual({
      returns: 'simple',
      model: 'market',
      excludeEvents: 'none',
      excludeMargin: 1,
      overlap: 'keep',
      sigmaDf: 'model',
      carStd: 'clm',
      kpCorr: 'pairwise',
      rankScale: 'uniform',
      rankNorm: 'mean',
      gsignPhat: 'firm_mean',
      feMoments: 'paired',
      window: [-5, 10],
      estimation: [-120, -11],
      estimationDates: null,
      minObs: 30,
      cars: [
        [0, 0],
        [0, 1],
        [-1, 1],
        [0, 5],
      ],
    });
  });

  it.each([
    [{ model: 'fama_french' }, /^model must be one of/],
    [{ cars: [[0, 20]] }, /^cars window \[0,20\] must lie inside/],
    [{ estimation: [-10, 0] }, /^estimation \[-10,0\] must end before/],
    [{ estimationDates: ['2020-03-13', '2019-04-02'] }, /^estimationDates/],
    [{ minObs: 2 }, /^minObs/],
  ])('%j is refused, naming the option', (bad, message) => {
    expect(() => resolveCrossSectionOptions(bad as never)).toThrow(message);
  });
});
