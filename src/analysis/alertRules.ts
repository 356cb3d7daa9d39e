// Which alert rules a price crosses for a subscription's thresholds. Pure, and every number and threshold
// decision comes from the analysis core (detectMoves), so an alert always agrees with the moves the API shows.
import { DEFAULT_ESTIMATION_WINDOW, detectMoves, type DailyBar } from '.';
import type { IntradayAggregatePoint, IntradayStudyResult } from './intraday/intradayTypes';

export type AlertRule = 'intraday_move' | 'close_move' | 'close_abnormal';

export interface AlertThresholds {
  /** percent: 5 means a 5% move */
  minMovePct: number;
  /** |abnormal return / sigma|; null = no abnormal-return alerts */
  minAbnormalZ: number | null;
}

export interface TriggeredRule {
  rule: AlertRule;
  /** fraction: -0.1697 = -16.97% */
  move: number;
  abnormalReturn: number | null;
  z: number | null;
}

/** Final bars a close evaluation needs: the market model's estimation window before the session, and the session. */
export const CLOSE_EVALUATION_BARS = -DEFAULT_ESTIMATION_WINDOW[0] + 2;

/**
 * Close rules crossed by the last bar of `finalBars` (ascending, final bars only, the session last): its
 * close-to-close move against minMovePct (close_move) and its abnormal return's z against minAbnormalZ
 * (close_abnormal), with the benchmark's bars for the market model.
 */
export function closeRules(
  finalBars: readonly DailyBar[],
  benchmarkBars: readonly DailyBar[] | null,
  thresholds: AlertThresholds,
): TriggeredRule[] {
  if (finalBars.length < 2) return [];
  const session = finalBars[finalBars.length - 1];
  const detected = detectMoves(finalBars, benchmarkBars, {
    minMovePct: thresholds.minMovePct,
    minZ: thresholds.minAbnormalZ ?? Number.POSITIVE_INFINITY,
  }).find((d) => d.date === session.date);
  if (!detected || detected.move === null) return [];
  const figures = { move: detected.move, abnormalReturn: detected.abnormalReturn, z: detected.z };
  const rules: TriggeredRule[] = [];
  if (detected.rule === 'move' || detected.rule === 'both') rules.push({ rule: 'close_move', ...figures });
  if (detected.rule === 'abnormal' || detected.rule === 'both') rules.push({ rule: 'close_abnormal', ...figures });
  return rules;
}

/**
 * The intraday rule: the latest price of a running session against the previous session's final close.
 * `latest.date` is the running session's date and must come after `previousClose.date`.
 */
export function intradayRule(
  previousClose: DailyBar,
  latest: DailyBar,
  thresholds: Pick<AlertThresholds, 'minMovePct'>,
): TriggeredRule | null {
  // the same move and threshold arithmetic as the close, on a two-bar series (no benchmark: no abnormal return intraday)
  const [detected] = detectMoves(
    [
      { date: previousClose.date, close: previousClose.close },
      { date: latest.date, close: latest.close },
    ],
    null,
    {
      minMovePct: thresholds.minMovePct,
      minZ: Number.POSITIVE_INFINITY,
    },
  );
  if (!detected || detected.move === null) return null;
  return { rule: 'intraday_move', move: detected.move, abnormalReturn: null, z: null };
}

/** An intraday_move subscription's threshold: |CAAR0| in percent, or |bmpT| of CAAR0 (one of them). */
export interface IntradayGroupThreshold {
  caarPct: number | null;
  bmpT: number | null;
}

/** Where a group's intraday study first crossed the threshold inside the members' event session, and where it stands. */
export interface IntradayGroupCrossing {
  /** the first offset from the event bar (k >= 0) at which it crossed */
  k: number;
  /** the start of the earliest member bar at k (ISO UTC) */
  t: string;
  caar0: number;
  /** bmpT of CAAR0 at k, when it could be formed */
  bmpT: number | null;
  n: number;
  /** the latest offset of the study (its live end) */
  latest: { k: number; caar0: number | null; bmpT: number | null; n: number };
}

const statOf = (outcome: IntradayAggregatePoint['bmpT']): number | null => (outcome && 'stat' in outcome ? outcome.stat : null);

/**
 * The first offset k >= 0 at which the group's CAAR0 reaches the threshold (|CAAR0| >= caarPct %, or |bmpT| >=
 * bmpT), counting only offsets at which some member's bar lies in its own event session (a move on a later session
 * is not "within the session"). Null when it has not crossed.
 */
export function intradayGroupCrossing(study: IntradayStudyResult, threshold: IntradayGroupThreshold): IntradayGroupCrossing | null {
  // the earliest bar start at each offset that lies in its member's event session
  const inSession = new Map<number, string>();
  for (const m of study.members) {
    if (m.status !== 'ok') continue;
    for (const p of m.points) {
      if (p.k < 0 || p.session !== m.eventSession) continue;
      const seen = inSession.get(p.k);
      if (seen === undefined || p.t < seen) inSession.set(p.k, p.t);
    }
  }
  const points = study.aggregate.filter((a) => a.k >= 0 && a.caar0 !== null).sort((a, b) => a.k - b.k);
  const last = points.at(-1);
  if (!last) return null;
  const crosses = (a: IntradayAggregatePoint) => {
    if (threshold.caarPct !== null) return Math.abs(a.caar0!) >= threshold.caarPct / 100;
    const t = statOf(a.bmpT);
    return threshold.bmpT !== null && t !== null && Math.abs(t) >= threshold.bmpT;
  };
  const first = points.find((a) => inSession.has(a.k) && crosses(a));
  if (!first) return null;
  return {
    k: first.k,
    t: inSession.get(first.k)!,
    caar0: first.caar0!,
    bmpT: statOf(first.bmpT),
    n: first.n,
    latest: { k: last.k, caar0: last.caar0, bmpT: statOf(last.bmpT), n: last.n },
  };
}
