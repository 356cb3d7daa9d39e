// The daily group shock (shared/methods/shocks.md section 1): on a session date D, the Kolari-Pynnonen adjusted
// Patell Z of the members' day-0 SARs, their breadth, direction and size. The members' market model and SARs are
// the cross-sectional study's (crossSection/member.ts); patellZ, bmpT, kpT and rbar are its statistics.
import { meanCrossCorrelationOfSeries } from '../crossSection/crossCorrelation';
import { studyMember } from '../crossSection/member';
import { lowerBound, type BenchmarkCache } from '../crossSection/memberSample';
import { resolveCrossSectionOptions, type CrossSectionOptions } from '../crossSection/options';
import { bmpT, kpFactor, kpT, mean, patellZ } from '../crossSection/testStatistics';
import { barTimes, type Bar } from '../series';
import { twoSidedNormalPValue } from '../stats';
import type { ShockOptions } from './options';

export interface DailyShockMemberInput {
  symbol: string;
  /** the member's exchange code, echoed */
  market: string;
  /** its daily bars, ascending by date */
  bars: readonly Bar[];
  /** its benchmark's daily bars, ascending; null when it has none */
  benchmarkBars: readonly Bar[] | null;
}

interface DailyShockMember {
  symbol: string;
  market: string;
  ar: number;
  sar: number;
}

export interface DailyShock {
  date: string;
  /** members taking part: a bar dated D, a fitted model (L1 >= minObs) and a SAR on D */
  n: number;
  /** the KP-adjusted Patell Z; null when it cannot be formed (see notes) */
  z: number | null;
  p: number | null;
  patellZ: number | null;
  rbar: number | null;
  bmpT: number | null;
  kpT: number | null;
  breadth: { count: number; share: number };
  direction: 'up' | 'down';
  /** AAR_0 */
  aar: number;
  flagged: boolean;
  members: DailyShockMember[];
  notes: string[];
}

/** Members made ready for scanning many dates: their bar dates once, one benchmark cache for all. */
export interface DailyShockScan {
  members: readonly { input: DailyShockMemberInput; dates: readonly string[] }[];
  options: ShockOptions;
  crossSection: CrossSectionOptions;
  cache: BenchmarkCache;
}

export function prepareDailyShockScan(members: readonly DailyShockMemberInput[], options: ShockOptions): DailyShockScan {
  const crossSection = resolveCrossSectionOptions({
    model: 'market',
    estimation: options.estimation,
    minObs: options.minObs,
    window: [0, 0],
    cars: [[0, 0]],
  });
  return { members: members.map((input) => ({ input, dates: barTimes(input.bars) })), options, crossSection, cache: new WeakMap() };
}

function indexOf(dates: readonly string[], date: string): number {
  const at = lowerBound(dates, date);
  return at < dates.length && dates[at] === date ? at : -1;
}

const statOf = (outcome: { stat: number } | { reason: string }, notes: string[], name: string): number | null => {
  if ('stat' in outcome) return outcome.stat;
  notes.push(`${name}: ${outcome.reason}`);
  return null;
};

/** Every date on which at least one member has a bar, ascending. */
export function scanDates(scan: DailyShockScan, from: string, to: string): string[] {
  const dates = new Set<string>();
  for (const m of scan.members) for (const d of m.dates) if (d >= from && d <= to) dates.add(d);
  return [...dates].sort();
}

/** The daily group shock on D; null when fewer than minMembers members take part. */
export function dailyGroupShock(scan: DailyShockScan, date: string): DailyShock | null {
  const { options, crossSection, cache } = scan;
  const taking: { member: DailyShockMember; dof: number; residuals: { dates: string[]; values: readonly number[] } }[] = [];
  for (const { input, dates } of scan.members) {
    const index = indexOf(dates, date);
    if (index < 0) continue; // no session of its exchange on D (or no bar): not taking part
    const { estimates } = studyMember(
      { symbol: input.symbol, dayZero: { index }, bars: input.bars, benchmarkBars: input.benchmarkBars },
      crossSection,
      cache,
    );
    if (estimates === null) continue;
    const ar = estimates.abnormalReturns.get(0);
    const sar = estimates.standardized.get(0);
    if (ar === undefined || sar === undefined || estimates.fit.dof === null) continue;
    taking.push({
      member: { symbol: input.symbol, market: input.market, ar, sar },
      dof: estimates.fit.dof,
      residuals: { dates: estimates.estimation.map((p) => p.date), values: estimates.fit.residuals },
    });
  }
  const n = taking.length;
  if (n < options.minMembers || n < 2) return null;
  const correlation = meanCrossCorrelationOfSeries(
    taking.map((t) => t.residuals),
    crossSection.kpCorr,
  );
  const statistic = dailyShockStatistic(
    taking.map((t) => ({ sar: t.member.sar, dof: t.dof, ar: t.member.ar })),
    correlation.rbar,
    options,
  );
  return { date, ...statistic, members: taking.map((t) => t.member), notes: [...correlation.notes, ...statistic.notes] };
}

export type DailyShockStatistic = Omit<DailyShock, 'date' | 'members'>;

/**
 * The statistic of section 1 on the taking-part members' SAR_{i,0} (Z_i), their d_i and AR_{i,0}, given rbar:
 * z = patellZ * sqrt((1 - rbar) / (1 + (N - 1) rbar)), p two-sided normal, breadth, direction, AAR_0, flag.
 */
export function dailyShockStatistic(
  members: readonly { sar: number; dof: number; ar: number }[],
  rbar: number | null,
  options: Pick<ShockOptions, 'alpha' | 'minBreadth'>,
): DailyShockStatistic {
  const n = members.length;
  const notes: string[] = [];
  const zs = members.map((m) => m.sar);
  const patell = statOf(
    patellZ(
      zs,
      members.map((m) => m.dof),
    ),
    notes,
    'patellZ',
  );
  const factor = kpFactor(n, rbar);
  if (typeof factor !== 'number') notes.push(`z: ${factor.reason}`);
  const z = patell === null || typeof factor !== 'number' ? null : patell * factor;
  const p = z === null ? null : twoSidedNormalPValue(z);
  const meanSar = mean(zs);
  const sign = meanSar < 0 ? -1 : 1;
  const count = zs.filter((s) => Math.abs(s) >= 2 && Math.sign(s) === sign).length;
  const share = count / n;
  return {
    n,
    z,
    p,
    patellZ: patell,
    rbar,
    bmpT: statOf(bmpT(zs), notes, 'bmpT'),
    kpT: statOf(kpT(zs, rbar), notes, 'kpT'),
    breadth: { count, share },
    direction: sign < 0 ? 'down' : 'up',
    aar: mean(members.map((m) => m.ar)),
    flagged: p !== null && p < options.alpha && share >= options.minBreadth,
    notes,
  };
}
