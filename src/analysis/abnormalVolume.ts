// Abnormal volume: how many times its normal volume a session traded. "Normal" is the mean daily volume over the
// same estimation window the market model is fitted on, so a volume spike and an abnormal return around an event
// are measured against one baseline period.
import { windowIndexRange, type Window } from './marketModel';
import type { Bar } from './series';

export interface VolumeBaseline {
  /** mean volume of the sessions in the estimation window that have one; null when none has */
  mean: number | null;
  /** sessions that entered the mean */
  n: number;
}

/** A usable volume: a positive finite count. Indices and FX come with none, or with 0, which means "not reported". */
function usableVolume(volume: number | null | undefined): volume is number {
  return typeof volume === 'number' && Number.isFinite(volume) && volume > 0;
}

/** The volume as reported, or null where there is none to speak of (missing, or the 0 of an index or FX series). */
export function reportedVolume(volume: number | null | undefined): number | null {
  return usableVolume(volume) ? volume : null;
}

/**
 * Mean volume over the offsets of `estimation` relative to day 0 (bars of the instrument's own sessions, the
 * index range the market model uses); sessions without a usable volume are left out of both the sum and n.
 */
export function volumeBaseline(bars: readonly Pick<Bar, 'volume'>[], dayZeroIndex: number, estimation: Window): VolumeBaseline {
  const [first, last] = windowIndexRange(bars.length, dayZeroIndex, estimation);
  let sum = 0;
  let n = 0;
  for (let i = first; i <= last; i++) {
    const volume = bars[i].volume;
    if (usableVolume(volume)) {
      sum += volume;
      n++;
    }
  }
  return { mean: n > 0 ? sum / n : null, n };
}

/** Abnormal volume = volume / baseline mean (1 = a normal day, 3 = three times normal); null when either is missing. */
export function abnormalVolume(volume: number | null | undefined, baseline: VolumeBaseline): number | null {
  return usableVolume(volume) && baseline.mean !== null ? volume / baseline.mean : null;
}
