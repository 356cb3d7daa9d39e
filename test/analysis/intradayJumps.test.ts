// sessionJumpScores (shocks.md §2): L = AR / σ_s on every slot of one session, the model and σ_s from the 20
// qualifying sessions strictly before it; checked on SYNTHETIC bars against the reference computed in the test.
import { DEFAULT_INTRADAY_OPTIONS, intradayOptionsFrom, sessionJumpScores } from '../../src/analysis/intraday';
import type { JumpScore } from '../../src/analysis/intraday/jumpScores';
import { member, reference, sessionReturns, synthesize, tradingDatesUpTo, twentyBefore } from './intradayHelpers';

const dates = tradingDatesUpTo('US', '2025-03-11', 26);
const shock = Date.parse('2025-03-11T15:00:00Z');
const pair = synthesize({ market: 'US', dates, seed: 61, shocks: new Map([[shock, -0.02]]) });
const m = member(pair, 'US');

describe('sessionJumpScores', () => {
  // the shock detector (src/analysis/shocks) reads these as JumpScore
  const scores: JumpScore[] = sessionJumpScores(m, '2025-03-11', DEFAULT_INTRADAY_OPTIONS);
  const ref = reference(m, 'US', twentyBefore('US', '2025-03-11'));
  const day = { inst: sessionReturns(m.series, 'US', '2025-03-11'), bench: sessionReturns(pair.benchmark, 'US', '2025-03-11') };

  test('one score per slot of the session, slot 0 (the opening return) included', () => {
    expect(scores).toHaveLength(78);
    expect(scores[0].t).toBe('2025-03-11T13:30:00.000Z');
    scores.forEach((s, slot) => {
      const ar = ref.arOf(day.inst.returns[slot], day.bench.returns[slot]) as number;
      expect(s.slot).toBe(slot);
      expect(s.ar).toBeCloseTo(ar, 12);
      expect(s.sigma).toBeCloseTo(ref.sigma[slot] as number, 12);
      expect(s.l).toBeCloseTo(ar / (ref.sigma[slot] as number), 8);
    });
  });

  test('the -2% bar is the one jump beyond the Lee-Mykland threshold for n = 78 (4.067)', () => {
    const jumps = scores.filter((s) => Math.abs(s.l as number) > 4.067058);
    expect(jumps.map((s) => s.t)).toEqual(['2025-03-11T15:00:00.000Z']);
  });

  test('without enough history the scores are null; a day without a session has none', () => {
    const early = sessionJumpScores(m, dates[5], DEFAULT_INTRADAY_OPTIONS);
    expect(early).toHaveLength(78);
    expect(early.every((s) => s.ar === null && s.l === null)).toBe(true);
    expect(sessionJumpScores(m, '2025-03-09', DEFAULT_INTRADAY_OPTIONS)).toEqual([]);
    expect(sessionJumpScores({ ...m, market: null }, '2025-03-11', DEFAULT_INTRADAY_OPTIONS)).toEqual([]);
  });
});

describe('intradayOptionsFrom', () => {
  test('fills the defaults of the spec', () => {
    expect(intradayOptionsFrom({})).toEqual({ options: DEFAULT_INTRADAY_OPTIONS });
    expect(intradayOptionsFrom({ window: [-6, 12], model: 'constant_mean' })).toEqual({
      options: { ...DEFAULT_INTRADAY_OPTIONS, window: [-6, 12], model: 'constant_mean' },
    });
  });

  test('names each option that is wrong', () => {
    const result = intradayOptionsFrom({
      interval: '2m' as never,
      window: [5, -5],
      estimationDays: 0,
      minDays: 2.5,
      model: 'ols' as never,
      bandP: 1,
      initialBars: -1,
    });
    expect('errors' in result && result.errors.map((e) => e.param)).toEqual([
      'interval',
      'window',
      'estimationDays',
      'minDays',
      'model',
      'bandP',
      'initialBars',
    ]);
    expect(intradayOptionsFrom({ estimationDays: 5 })).toEqual({
      errors: [{ param: 'minDays', message: 'minDays (10) exceeds estimationDays (5)' }],
    });
  });
});
