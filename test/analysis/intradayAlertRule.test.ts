// The intraday group alert rule (issue 22, alerts while it happens): where a group's CAAR0 first reaches a
// subscription's threshold inside the members' event session. Hand-made study answers (synthetic numbers).
import { intradayPoint } from '../support/intradayFixtures';
import { intradayGroupCrossing } from '../../src/analysis/alertRules';
import {
  DEFAULT_INTRADAY_OPTIONS,
  type IntradayAggregatePoint,
  type IntradayMemberResult,
  type IntradayPoint,
  type IntradayStudyResult,
} from '../../src/analysis/intraday/intradayTypes';

const T0 = Date.parse('2025-02-03T14:30:00Z');
const barT = (k: number) => new Date(T0 + k * 5 * 60_000).toISOString();

function point(k: number, session: string): IntradayPoint {
  return intradayPoint(k, barT(k), session, k);
}

function member(sessions: string[]): IntradayMemberResult {
  return {
    symbol: 'SYN1',
    benchmark: 'SYNIDX',
    market: 'US',
    status: 'ok',
    reason: null,
    eventSession: '2025-02-03',
    eventBar: barT(0),
    eventSlot: 0,
    model: null,
    sigma: [],
    offGrid: 0,
    points: sessions.map((s, k) => point(k, s)),
    significantFrom: null,
    significantThrough: null,
    direction: null,
    asOf: null,
    notes: [],
  };
}

const agg = (k: number, caar0: number, bmp: number | null): IntradayAggregatePoint => ({
  k,
  n: 5,
  aar: 0,
  caar: caar0,
  caar0,
  csectT: null,
  stoufferZ: null,
  bmpT: bmp === null ? { reason: 'too few' } : { stat: bmp, p: 0.01 },
  nZ: 5,
});

function study(caar0: number[], bmp: (number | null)[], sessions = caar0.map(() => '2025-02-03')): IntradayStudyResult {
  return {
    instant: barT(0),
    options: { ...DEFAULT_INTRADAY_OPTIONS },
    members: [member(sessions)],
    aggregate: [agg(-1, -0.5, null), ...caar0.map((c, k) => agg(k, c, bmp[k]))],
    asOf: barT(caar0.length),
  };
}

it('crosses at the first offset whose |CAAR0| reaches the percent, and says where the study stands', () => {
  const s = study([-0.004, -0.012, -0.031, -0.02], [null, -1, -3.5, -2]);
  const c = intradayGroupCrossing(s, { caarPct: 3, bmpT: null });
  expect(c).toEqual({
    k: 2,
    t: barT(2),
    caar0: -0.031,
    bmpT: -3.5,
    n: 5,
    latest: { k: 3, caar0: -0.02, bmpT: -2, n: 5 },
  });
  expect(intradayGroupCrossing(s, { caarPct: 3.2, bmpT: null })).toBeNull();
});

it('a pre-event offset never crosses (k < 0 is before the event bar)', () => {
  expect(intradayGroupCrossing(study([0.001], [null]), { caarPct: 10, bmpT: null })).toBeNull();
});

it('crosses on |bmpT| when that is the threshold; a test that could not be formed does not cross', () => {
  const s = study([0.001, 0.002, 0.003], [null, 2.9, 3.1]);
  expect(intradayGroupCrossing(s, { caarPct: null, bmpT: 3 })?.k).toBe(2);
  expect(intradayGroupCrossing(study([0.5], [null]), { caarPct: null, bmpT: 0.1 })).toBeNull();
});

it('only offsets inside the event session count: a move on the next session is not "within the session"', () => {
  const s = study([0.001, 0.002, 0.05], [null, null, null], ['2025-02-03', '2025-02-03', '2025-02-04']);
  expect(intradayGroupCrossing(s, { caarPct: 3, bmpT: null })).toBeNull();
});
