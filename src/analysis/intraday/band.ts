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
  const values: number[][] = Array.from({ length: kMax + 1 }, () => []);
  for (const row of ars) {
    let car = 0;
    for (let k = 0; k <= kMax; k++) {
      const ar = s0 + k < row.length ? row[s0 + k] : Number.NaN;
      if (Number.isNaN(ar)) break;
      car += ar;
      values[k].push(car);
    }
  }
  return values.map((v) => {
    const n = v.length;
    if (n === 0 || n < minDays) return null;
    const j = Math.max(1, Math.floor((n * p) / 2));
    if (j === 1) {
      // the minimum and the maximum (D = 20, p = 0.05): no sort needed
      let lower = v[0];
      let upper = v[0];
      for (const x of v) {
        if (x < lower) lower = x;
        if (x > upper) upper = x;
      }
      return { lower, upper, n };
    }
    const sorted = Float64Array.from(v).sort();
    return { lower: sorted[j - 1], upper: sorted[n - j], n };
  });
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
