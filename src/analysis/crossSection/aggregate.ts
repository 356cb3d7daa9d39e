// Aggregates over the included members (methods sections 6-7): AAR and CAAR per offset, CAAR and
// mean CAR per CAR window, and the test battery on each.
import type { Window } from '../marketModel';
import { meanCrossCorrelationOfSeries } from './crossCorrelation';
import type { MemberEstimates } from './member';
import type { CrossSectionOptions } from './options';
import { rankAndSignSeries, rankZStat, type RankDomainArrays, type RankTestSeries } from './rankTests';
import {
  bmpT,
  bw1980T,
  bw1985T,
  csectT,
  gsignZ,
  kpT,
  mean,
  patellZ,
  signZ,
  wilcoxonSignedRank,
  type TestOutcome,
  type TestStatistic,
  type WilcoxonResult,
} from './testStatistics';
import { twoSidedNormalPValue } from '../stats';

/** The requested battery (issue 13). */
interface AggregateTests {
  csectT: TestStatistic | null;
  patellZ: TestStatistic | null;
  bmpT: TestStatistic | null;
  kpT: TestStatistic | null;
  rankZ: TestStatistic | null;
  gsignZ: TestStatistic | null;
}

/** Further classic statistics, reported for comparison with other packages (estudy2). */
interface AggregateExtras {
  bw1980T: TestStatistic | null;
  bw1985T: TestStatistic | null;
  signZ: TestStatistic | null;
  csignZ: TestStatistic | null;
}

interface Tested {
  tests: AggregateTests;
  wilcoxon: WilcoxonResult | null;
  extras: AggregateExtras;
  /** why each null statistic is null */
  notes: string[];
}

export interface AggregateDay extends Tested {
  offset: number;
  n: number;
  aar: number | null;
  caar: number | null;
}

export interface AggregateCar extends Tested {
  from: number;
  to: number;
  n: number;
  caar: number | null;
  meanCar: number | null;
}

export interface CrossSectionAggregate {
  /** included members */
  n: number;
  /** members (included or not) with another event of their instrument closer than the window length */
  overlapping: number;
  rbar: number | null;
  days: AggregateDay[];
  cars: AggregateCar[];
  notes: string[];
}

/** An included member as the aggregate sees it. */
export interface IncludedMember {
  estimates: MemberEstimates;
  /** CAR and SCAR per options.cars entry (null when incomplete) */
  cars: readonly { car: number | null; scar: number | null }[];
}

interface Firm {
  estimates: MemberEstimates;
  positiveShare: { positive: number; n: number };
}

function firmOf(member: IncludedMember): Firm {
  const { fit } = member.estimates;
  let positive = 0;
  for (const e of fit.residuals) if (e > 0) positive++;
  return { estimates: member.estimates, positiveShare: { positive, n: fit.n } };
}

/**
 * R_i: the estimation residuals, then the event-window ARs, each offset once (as a map merging the two
 * would hold them: an AR on an estimation offset takes that offset's place).
 */
function rankDomain(f: Firm): RankDomainArrays {
  const { estimation, fit, abnormalReturns } = f.estimates;
  const last = estimation.length === 0 ? -Infinity : estimation[estimation.length - 1].offset;
  let overlap = false;
  for (const t of abnormalReturns.keys()) if (t <= last) overlap = true;
  if (overlap) {
    const residualsByOffset = estimation.map((p, k): [number, number] => [p.offset, fit.residuals[k]]);
    const merged = new Map([...residualsByOffset, ...abnormalReturns]);
    return { offsets: [...merged.keys()], values: [...merged.values()] };
  }
  const offsets = estimation.map((p) => p.offset);
  const values = fit.residuals.slice();
  for (const [t, ar] of abnormalReturns) {
    offsets.push(t);
    values.push(ar);
  }
  return { offsets, values };
}

/** p_hat of the generalised sign test over the firms tested (firm_mean or pooled). */
function positiveFraction(firms: readonly Firm[], options: CrossSectionOptions): number {
  if (options.gsignPhat === 'pooled') {
    const positive = firms.reduce((s, f) => s + f.positiveShare.positive, 0);
    return positive / firms.reduce((s, f) => s + f.positiveShare.n, 0);
  }
  return mean(firms.map((f) => f.positiveShare.positive / f.positiveShare.n));
}

/**
 * A_u: mean estimation residual at each estimation offset over the firms having one (Brown & Warner 1985),
 * the offsets in order of first appearance.
 */
function meanResidualsByOffset(firms: readonly Firm[]): number[] {
  let low = Infinity;
  let high = -Infinity;
  for (const f of firms) {
    for (const p of f.estimates.estimation) {
      if (p.offset < low) low = p.offset;
      if (p.offset > high) high = p.offset;
    }
  }
  const size = high >= low ? high - low + 1 : 0;
  const sums = new Float64Array(size);
  const counts = new Int32Array(size);
  const order: number[] = [];
  for (const f of firms) {
    const { estimation, fit } = f.estimates;
    for (let k = 0; k < estimation.length; k++) {
      const slot = estimation[k].offset - low;
      if (counts[slot] === 0) order.push(slot);
      sums[slot] += fit.residuals[k];
      counts[slot] += 1;
    }
  }
  return order.map((slot) => sums[slot] / counts[slot]);
}

function record(name: string, outcome: TestOutcome | number | { reason: string }, notes: string[]): TestStatistic | null {
  if (typeof outcome === 'number') return { stat: outcome, p: twoSidedNormalPValue(outcome) };
  if ('reason' in outcome) {
    notes.push(`${name}: ${outcome.reason}`);
    return null;
  }
  return outcome;
}

function battery(
  firms: readonly Firm[],
  xs: readonly number[],
  zs: readonly number[],
  [from, to]: Window,
  shared: {
    rbar: number | null;
    rank: RankTestSeries;
    csign: number | { reason: string } | null;
    /** A_u over all included firms, reused whenever every firm is tested */
    allMeanResiduals: number[];
    allFirms: number;
  },
  options: CrossSectionOptions,
): Tested {
  const notes: string[] = [];
  const L = to - from + 1;
  const n = xs.length;
  const guard = (outcome: () => TestOutcome | number | { reason: string }): TestOutcome | number | { reason: string } =>
    n < 2 ? { reason: `N = ${n}: at least 2 firms are needed` } : outcome();
  const wilcoxon = wilcoxonSignedRank(xs);
  if ('reason' in wilcoxon) notes.push(`wilcoxon: ${wilcoxon.reason}`);
  else {
    if (wilcoxon.z === null) notes.push('wilcoxon.z: every value is 0');
    if (wilcoxon.pExact === null) notes.push('wilcoxon.pExact: given only without ties and for 1 <= n <= 50');
  }
  const meanResiduals = firms.length === shared.allFirms ? shared.allMeanResiduals : meanResidualsByOffset(firms);
  return {
    tests: {
      csectT: record('csectT', csectT(xs), notes),
      patellZ: record(
        'patellZ',
        patellZ(
          zs,
          firms.map((f) => f.estimates.fit.dof),
        ),
        notes,
      ),
      bmpT: record('bmpT', bmpT(zs), notes),
      kpT: record('kpT', kpT(zs, shared.rbar), notes),
      rankZ: record(
        'rankZ',
        guard(() => rankZStat(shared.rank, from, to)),
        notes,
      ),
      gsignZ: record('gsignZ', gsignZ(xs, n > 0 ? positiveFraction(firms, options) : NaN), notes),
    },
    wilcoxon: 'reason' in wilcoxon ? null : wilcoxon,
    extras: {
      bw1980T: record(
        'bw1980T',
        bw1980T(
          xs,
          firms.map((f) => f.estimates.fit.sigma),
          L,
        ),
        notes,
      ),
      bw1985T: record('bw1985T', bw1985T(xs, meanResiduals, L), notes),
      signZ: record('signZ', signZ(xs), notes),
      csignZ: record('csignZ', shared.csign === null ? { reason: 'daily only' } : guard(() => shared.csign!), notes),
    },
    notes,
  };
}

/** AAR/CAAR and the tests over the included members. */
export function aggregateMembers(members: readonly IncludedMember[], options: CrossSectionOptions): CrossSectionAggregate {
  const firms = members.map(firmOf);
  // the estimation pairs ascend by date, aligned with the residuals
  const residualSeries = members.map(({ estimates }) => ({
    dates: estimates.estimation.map((p) => p.date),
    values: estimates.fit.residuals,
  }));
  const correlation = meanCrossCorrelationOfSeries(residualSeries, options.kpCorr);
  const { rank, sign: csign } = rankAndSignSeries(firms.map(rankDomain), options.rankScale, options.rankNorm);
  const common = { rbar: correlation.rbar, rank, allMeanResiduals: meanResidualsByOffset(firms), allFirms: firms.length };

  const days: AggregateDay[] = [];
  const aarByOffset = new Map<number, number | null>();
  let caar: number | null = 0;
  for (let t = options.window[0]; t <= options.window[1]; t++) {
    const tested = firms.filter((f) => f.estimates.abnormalReturns.has(t));
    const xs = tested.map((f) => f.estimates.abnormalReturns.get(t)!);
    const zs = tested.map((f) => f.estimates.standardized.get(t)!);
    const aar = xs.length > 0 ? mean(xs) : null;
    aarByOffset.set(t, aar);
    caar = caar !== null && aar !== null ? caar + aar : null;
    const g = csign.g.get(t);
    const csignZ = g === undefined || !(csign.sd > 0) ? { reason: 'no sign series at this offset' } : g / csign.sd;
    const tests = battery(tested, xs, zs, [t, t], { ...common, csign: csignZ }, options);
    days.push({ offset: t, n: xs.length, aar, caar, ...tests });
  }

  const cars = options.cars.map(([from, to], w): AggregateCar => {
    const complete = members.flatMap((m, k) => (m.cars[w].car !== null && m.cars[w].scar !== null ? [k] : []));
    const xs = complete.map((k) => members[k].cars[w].car!);
    const zs = complete.map((k) => members[k].cars[w].scar!);
    let windowCaar: number | null = 0;
    for (let t = from; t <= to; t++) {
      const aar = aarByOffset.get(t) ?? null;
      windowCaar = windowCaar !== null && aar !== null ? windowCaar + aar : null;
    }
    const tested = complete.map((k) => firms[k]);
    const tests = battery(tested, xs, zs, [from, to], { ...common, csign: null }, options);
    return { from, to, n: xs.length, caar: windowCaar, meanCar: xs.length > 0 ? mean(xs) : null, ...tests };
  });

  return { n: members.length, overlapping: 0, rbar: correlation.rbar, days, cars, notes: correlation.notes };
}
