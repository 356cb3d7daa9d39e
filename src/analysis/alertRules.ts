// Which alert rules a price crosses for a subscription's thresholds. Pure, and every number and threshold
// decision comes from the analysis core (detectMoves), so an alert always agrees with the moves the API shows.
import { DEFAULT_ESTIMATION_WINDOW, detectMoves, type DailyBar } from '.';

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
