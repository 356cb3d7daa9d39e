// Scan a whole series for days that moved unusually: big in absolute terms, or big relative to
// what the market did that day and how noisy the instrument usually is.
import {
  DEFAULT_ESTIMATION_WINDOW,
  DEFAULT_MIN_OBSERVATIONS,
  estimateExpectedReturnModel,
  estimationWindowPairs,
  expectedReturn,
  type Window,
} from './marketModel';
import { barMoves, barReturns, returnsByTime } from './returns';
import { barTime, type Bar } from './series';

export interface MoveDetectionOptions {
  /** absolute close-to-close move threshold in PERCENT (5 means 5%) */
  minMovePct: number;
  /** |abnormal return / sigma| threshold */
  minZ: number;
  /** rolling estimation window relative to each day */
  estimation: Window;
  minObs: number;
}

const DEFAULT_MOVE_DETECTION_OPTIONS: Readonly<MoveDetectionOptions> = {
  minMovePct: 5,
  minZ: 3,
  estimation: DEFAULT_ESTIMATION_WINDOW,
  minObs: DEFAULT_MIN_OBSERVATIONS,
};

type MoveRule = 'move' | 'abnormal' | 'both';

export interface DetectedMove {
  date: string;
  move: number | null;
  return: number | null;
  abnormalReturn: number | null;
  /** abnormalReturn / sigma of the rolling market model; null when that model could not be fitted */
  z: number | null;
  rule: MoveRule;
}

// Guards the thresholds against binary rounding (105/100 - 1 is 0.05000000000000004, 1.05 - 1 is 0.04999999999999993).
const THRESHOLD_TOLERANCE = 1e-12;

/**
 * Days whose |move| >= minMovePct, or whose |z| >= minZ, where z comes from a market model
 * fitted on days [-120,-11] relative to that day. When that window has too few observations
 * the abnormal return is market-adjusted (r - r_m) and the z rule is skipped.
 */
export function detectMoves(
  dailyBars: readonly Bar[],
  benchmarkBars: readonly Bar[] | null,
  opts: Partial<MoveDetectionOptions> = {},
): DetectedMove[] {
  const given = Object.entries(opts).filter(([, value]) => value !== undefined);
  const options: MoveDetectionOptions = { ...DEFAULT_MOVE_DETECTION_OPTIONS, ...Object.fromEntries(given) };
  const instrumentReturns = barReturns(dailyBars);
  const moves = barMoves(dailyBars);
  const benchmarkByDate = benchmarkBars ? returnsByTime(barReturns(benchmarkBars)) : new Map<string, number>();
  const detected: DetectedMove[] = [];

  for (let i = 1; i < dailyBars.length; i++) {
    const date = barTime(dailyBars[i]);
    const move = moves[i].move;
    const r = instrumentReturns[i].return;
    const benchmarkReturn = benchmarkByDate.get(date);

    let abnormalReturn: number | null = null;
    let z: number | null = null;
    if (r !== null && benchmarkReturn !== undefined) {
      const pairs = estimationWindowPairs(instrumentReturns, benchmarkByDate, i, options.estimation);
      const { model, shortfall } = estimateExpectedReturnModel(pairs, options.minObs);
      abnormalReturn = r - expectedReturn(model, benchmarkReturn);
      if (shortfall === null && model.sigma !== null && model.sigma > 0) z = abnormalReturn / model.sigma;
    }

    const byMove = move !== null && Math.abs(move) * 100 >= options.minMovePct - THRESHOLD_TOLERANCE;
    const byAbnormal = z !== null && Math.abs(z) >= options.minZ - THRESHOLD_TOLERANCE;
    if (!byMove && !byAbnormal) continue;
    detected.push({
      date,
      move,
      return: r,
      abnormalReturn,
      z,
      rule: byMove && byAbnormal ? 'both' : byMove ? 'move' : 'abnormal',
    });
  }
  return detected;
}
