// Section 6: the matched time-of-day band of Rinaudo & Saha (the estimation sessions' CARs from the event slot s0,
// bar for bar) and the significant run of the reaction CAR0 outside it.

export interface Band {
  lower: number;
  upper: number;
  /** n_k: estimation sessions with ARs on every slot s0..s0+k */
  n: number;
}

/**
 * Bands for k = 0..kMax (kMax: the last slot of the event session minus s0). `ars[d][s]` is AR_{d,s} (NaN: none);
 * a band needs at least `minDays` sessions (else null). j = max(1, floor(n_k p / 2)): the j-th smallest and largest.
 */
export function matchedBand(ars: readonly ArrayLike<number>[], s0: number, kMax: number, p: number, minDays: number): (Band | null)[] {
  const width = kMax + 1;
  const sessions = ars.length;
  // CAR_d(k) of session d at values[k * sessions + (its rank among the sessions complete to k)]: one allocation
  const values = new Float64Array(width * sessions);
  const counts = new Array<number>(width).fill(0);
  for (const row of ars) {
    let car = 0;
    for (let k = 0; k <= kMax; k++) {
      const ar = s0 + k < row.length ? row[s0 + k] : Number.NaN;
      if (Number.isNaN(ar)) break;
      car += ar;
      values[k * sessions + counts[k]] = car;
      counts[k]++;
    }
  }
  const bands: (Band | null)[] = [];
  for (let k = 0; k <= kMax; k++) {
    const n = counts[k];
    if (n === 0 || n < minDays) {
      bands.push(null);
      continue;
    }
    const from = k * sessions;
    const j = Math.max(1, Math.floor((n * p) / 2));
    if (j === 1) {
      // the minimum and the maximum (D = 20, p = 0.05): no sort needed
      let lower = values[from];
      let upper = values[from];
      for (let i = from + 1; i < from + n; i++) {
        if (values[i] < lower) lower = values[i];
        if (values[i] > upper) upper = values[i];
      }
      bands.push({ lower, upper, n });
    } else {
      const sorted = values.subarray(from, from + n).sort();
      bands.push({ lower: sorted[j - 1], upper: sorted[n - j], n });
    }
  }
  return bands;
}

export interface SignificantRun {
  significantFrom: number | null;
  significantThrough: number | null;
  direction: -1 | 0 | 1 | null;
}

/**
 * The first offset k >= initialBars that is outside the band, and the last of the unbroken run of outside offsets
 * that starts there (an offset without a point, a CAR0 or a band breaks it). `outsideAt(k)` and `car0At(k)` answer
 * for any k (false / null where the member has no point).
 */
export function significantRun(
  initialBars: number,
  lastK: number,
  outsideAt: (k: number) => boolean,
  car0At: (k: number) => number | null,
): SignificantRun {
  for (let k = Math.max(0, initialBars); k <= lastK; k++) {
    if (!outsideAt(k)) continue;
    let through = k;
    while (through + 1 <= lastK && outsideAt(through + 1)) through++;
    const car0 = car0At(k) ?? 0;
    return { significantFrom: k, significantThrough: through, direction: car0 > 0 ? 1 : car0 < 0 ? -1 : 0 };
  }
  return { significantFrom: null, significantThrough: null, direction: null };
}
