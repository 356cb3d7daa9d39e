// Checks of imported daily bars that no single field shows: two consecutive closes (or adjusted closes) so far
// apart that their ratio overflows to Infinity or underflows to 0 (1e308 after 1e-308) give a return, or a log
// return, that is not a finite number; stored, they would put Infinity into price_moves and the studies.
import type { DailyBarInput } from '../marketdata/types';

export interface BarProblem {
  /** index into the bars checked */
  index: number;
  reason: string;
}

/** The bars whose return from the previous bar is not a finite number, by close and by adjusted close. */
export function unrepresentableReturns(bars: readonly DailyBarInput[]): BarProblem[] {
  const problems: BarProblem[] = [];
  for (let i = 1; i < bars.length; i++) {
    const series = [
      ['close', bars[i - 1].close, bars[i].close],
      ['adj_close', bars[i - 1].adjClose, bars[i].adjClose],
    ] as const;
    for (const [column, previous, current] of series) {
      if (previous === null || current === null) continue;
      const ratio = current / previous;
      if (!Number.isFinite(ratio) || ratio === 0) {
        problems.push({ index: i, reason: `${column} ${current} after ${previous} gives a return that is not a finite number` });
        break;
      }
    }
  }
  return problems;
}
