// The estudy2 reference (R package estudy2; test/fixtures/estudy2/README.txt): 7 stocks against ^GSPC,
// day 0 = 2020-03-16, offsets 0..4, log returns, market model estimated on 2019-04-02..2020-03-13.
// Which columns must agree, and with which options: shared/methods/cross-section.md, last section.
import { studyMember } from '../../src/analysis/crossSection/member';
import type { CrossSectionMemberInput } from '../../src/analysis/crossSection/memberSample';
import { resolveCrossSectionOptions, type CrossSectionOptions } from '../../src/analysis/crossSection/options';
import { runCrossSectionStudy, type CrossSectionStudy } from '../../src/analysis/crossSection/study';
import { barsOf, columns } from '../support/estudy2Fixtures';

const TOLERANCE = 1e-9;

const prices = columns('prices_close.csv');
const index = barsOf(columns('index_gspc_close.csv').get('GSPC')!);
const SYMBOLS = [...prices.keys()];
const members: CrossSectionMemberInput[] = SYMBOLS.map((symbol) => ({
  symbol,
  dayZero: { date: '2020-03-16' },
  bars: barsOf(prices.get(symbol)!),
  benchmarkBars: index,
}));
const ESTUDY2_OPTIONS: Partial<CrossSectionOptions> = {
  returns: 'log',
  model: 'market',
  window: [0, 4],
  estimationDates: ['2019-04-02', '2020-03-13'],
  cars: [[0, 4]],
};
const EVENT_DATES = ['2020-03-16', '2020-03-17', '2020-03-18', '2020-03-19', '2020-03-20'];

function run(extra: Partial<CrossSectionOptions> = {}): CrossSectionStudy {
  return runCrossSectionStudy(members, { ...ESTUDY2_OPTIONS, ...extra });
}

const parametric = columns('expected_parametric.csv');
const nonparametric = columns('expected_nonparametric.csv');

type AggregateDay = CrossSectionStudy['aggregate']['days'][number];

function expectColumn(
  study: CrossSectionStudy,
  expected: Map<string, number | null>,
  pick: (day: AggregateDay) => number | null | undefined,
) {
  const got = study.aggregate.days.map(pick);
  const want = EVENT_DATES.map((d) => expected.get(d)!);
  for (let k = 0; k < want.length; k++) {
    expect(got[k]).not.toBeNull();
    expect(Math.abs(got[k]! - want[k])).toBeLessThan(TOLERANCE);
  }
}

describe('estudy2 reference: members', () => {
  const study = run();
  const coefficients = columns('market_model_coefficients.csv');
  const abnormal = columns('abnormal_returns.csv');

  it('every member is included, day 0 is 2020-03-16', () => {
    expect(study.members.map((m) => [m.symbol, m.status, m.day0])).toEqual(SYMBOLS.map((s) => [s, 'ok', '2020-03-16']));
    expect(study.aggregate.n).toBe(7);
  });

  it.each(SYMBOLS)('%s: alpha, beta and L1 as estudy2', (symbol) => {
    const { model } = study.members.find((m) => m.symbol === symbol)!;
    expect(Math.abs(model.alpha! - coefficients.get('alpha')!.get(symbol)!)).toBeLessThan(TOLERANCE);
    expect(Math.abs(model.beta! - coefficients.get('beta')!.get(symbol)!)).toBeLessThan(TOLERANCE);
    expect(model.n).toBe(coefficients.get('est_len')!.get(symbol));
  });

  it.each(SYMBOLS)('%s: every abnormal return as estudy2 (estimation sample and event days)', (symbol) => {
    // Offsets 0..11 reach the last date of the file, 2020-03-31; the estimation residuals are the ARs before.
    const options = resolveCrossSectionOptions({ ...ESTUDY2_OPTIONS, window: [0, 11] });
    const { member, estimates } = studyMember(members.find((m) => m.symbol === symbol)!, options);
    const ours = new Map<string, number>();
    estimates!.estimation.forEach((p, k) => ours.set(p.date, estimates!.fit.residuals[k]));
    for (const d of member.days) if (d.abnormalReturn !== null) ours.set(d.date, d.abnormalReturn);
    const theirs = [...abnormal.get(symbol)!].filter(([, v]) => v !== null);
    expect([...ours.keys()].sort()).toEqual(theirs.map(([d]) => d).sort());
    for (const [date, ar] of theirs) expect(Math.abs(ours.get(date)! - ar!)).toBeLessThan(TOLERANCE);
  });
});

describe('estudy2 reference: aggregate statistics', () => {
  const defaults = run();
  it('mean (AAR)', () => expectColumn(defaults, parametric.get('mean')!, (d) => d.aar));
  it('t_test_stat (csectT)', () => expectColumn(defaults, parametric.get('t_test_stat')!, (d) => d.tests.csectT?.stat));
  it('bw_1985_stat', () => expectColumn(defaults, parametric.get('bw_1985_stat')!, (d) => d.extras.bw1985T?.stat));
  it('sign_stat', () => expectColumn(defaults, nonparametric.get('sign_stat')!, (d) => d.extras.signZ?.stat));
  it('wlcx_stat (W+)', () => expectColumn(defaults, nonparametric.get('wlcx_stat')!, (d) => d.wilcoxon?.wPlus));
  it('bw_1980_stat with sigmaDf=sd', () =>
    expectColumn(run({ sigmaDf: 'sd' }), parametric.get('bw_1980_stat')!, (d) => d.extras.bw1980T?.stat));
  it('pt_stat (patellZ) with sigmaDf=sd, feMoments=benchmark', () =>
    expectColumn(run({ sigmaDf: 'sd', feMoments: 'benchmark' }), parametric.get('pt_stat')!, (d) => d.tests.patellZ?.stat));
  it('bh_stat (bmpT) with sigmaDf=sd, feMoments=benchmark', () =>
    expectColumn(run({ sigmaDf: 'sd', feMoments: 'benchmark' }), parametric.get('bh_stat')!, (d) => d.tests.bmpT?.stat));
  it('gsign_stat with gsignPhat=pooled', () =>
    expectColumn(run({ gsignPhat: 'pooled' }), nonparametric.get('gsign_stat')!, (d) => d.tests.gsignZ?.stat));
});
