// A cross-sectional event study: every member's own results, then the aggregate over the members
// that have enough history, and one aggregate per subgroup label.
import { aggregateMembers, type CrossSectionAggregate, type IncludedMember } from './aggregate';
import { studyMember, type CrossSectionMember, type MemberStudy } from './member';
import {
  memberSample,
  type BenchmarkCache,
  type CrossSectionMemberInput,
  type FactorRegion,
  type MemberSampleResult,
} from './memberSample';
import { MODEL_FACTORS } from './normalReturnModels';
import { isFactorModel, resolveCrossSectionOptions, type CrossSectionOptions, type FactorModelKind } from './options';

/** What a factor-model study used: the model's factors and, per region, the file vintage and its members. */
interface FactorModelSummary {
  model: FactorModelKind;
  factors: readonly string[];
  regions: { region: FactorRegion; vintage: string; members: number }[];
  /** members without factors for their region */
  noFactors: number;
  note: string;
}

interface SubgroupAggregate {
  subgroup: string;
  aggregate: CrossSectionAggregate;
}

export interface CrossSectionStudy {
  options: CrossSectionOptions;
  /** every member, included or not, in input order */
  members: CrossSectionMember[];
  aggregate: CrossSectionAggregate;
  /** one per distinct subgroup label, in order of first appearance; empty without labels */
  subgroups: SubgroupAggregate[];
  /** factor models: the factors, regions and vintages used; null for the other models */
  factorModel: FactorModelSummary | null;
}

/** The note shared by every overlap: what it means, and what Kolari-Pynnonen already handles. */
const OVERLAP_NOTE =
  'overlapping events of one instrument make its event windows share sessions, which inflates the standardised tests; ' +
  'members of different instruments sharing a calendar day 0 are handled by the Kolari-Pynnonen adjustment (kpT, rbar)';

/**
 * Members whose instrument has another member closer than the window length (in its own sessions): the note
 * naming the others, and whether overlap=first|drop leaves the member out.
 */
function overlaps(
  members: readonly CrossSectionMemberInput[],
  samples: readonly MemberSampleResult[],
  options: CrossSectionOptions,
): Map<number, { note: string; excluded: boolean }> {
  const length = options.window[1] - options.window[0] + 1;
  const bySymbol = new Map<string, number[]>();
  samples.forEach((s, k) => {
    if (!s.ok) return;
    const list = bySymbol.get(members[k].symbol) ?? [];
    list.push(k);
    bySymbol.set(members[k].symbol, list);
  });
  const result = new Map<number, { note: string; excluded: boolean }>();
  const labelOf = (k: number) =>
    members[k].event ?? (('date' in members[k].dayZero ? members[k].dayZero : null) as { date: string } | null)?.date ?? `#${k}`;
  const indexOf = (k: number) => (samples[k] as Extract<MemberSampleResult, { ok: true }>).sample.day0Index;
  const dayOf = (k: number) => (samples[k] as Extract<MemberSampleResult, { ok: true }>).sample.day0;
  for (const list of bySymbol.values()) {
    if (list.length < 2) continue;
    const ordered = [...list].sort((a, b) => indexOf(a) - indexOf(b) || a - b);
    for (const k of ordered) {
      const close = ordered.filter((j) => j !== k && Math.abs(indexOf(j) - indexOf(k)) < length);
      if (close.length === 0) continue;
      const names = close.map((j) => `${labelOf(j)} (day 0 ${dayOf(j)}, ${indexOf(j) - indexOf(k)} sessions away)`).join(', ');
      // first: the earliest member of a run of overlapping ones stays
      const earlier = close.some((j) => indexOf(j) < indexOf(k) || (indexOf(j) === indexOf(k) && j < k));
      const excluded = options.overlap === 'drop' || (options.overlap === 'first' && earlier);
      result.set(k, {
        note: `${members[k].symbol} ${labelOf(k)} (day 0 ${dayOf(k)}) overlaps ${names}: closer than the window length of ${length} sessions`,
        excluded,
      });
    }
  }
  return result;
}

function factorModelSummary(studies: readonly MemberStudy[], options: CrossSectionOptions): FactorModelSummary | null {
  if (!isFactorModel(options.model)) return null;
  const regions = new Map<string, { region: FactorRegion; vintage: string; members: number }>();
  for (const { member } of studies) {
    const { factorRegion, factorVintage } = member.model;
    if (!factorRegion || !factorVintage) continue;
    const key = `${factorRegion}|${factorVintage}`;
    const entry = regions.get(key) ?? { region: factorRegion, vintage: factorVintage, members: 0 };
    entry.members++;
    regions.set(key, entry);
  }
  return {
    model: options.model,
    factors: MODEL_FACTORS[options.model],
    regions: [...regions.values()],
    noFactors: studies.filter((s) => s.member.status === 'no_factors').length,
    note:
      "Kenneth French's daily factors (percent / 100): US for US exchanges, Europe for European ones, Developed ex US for every " +
      'other market (the library has no daily Japan or Asia Pacific file of a recent vintage); Carhart only in the US',
  };
}

function countOverlapping(studies: readonly MemberStudy[], aggregate: CrossSectionAggregate): void {
  const overlapping = studies.filter((s) => s.member.overlapNote !== null).length;
  aggregate.overlapping = overlapping;
  if (overlapping > 0)
    aggregate.notes.push(`${overlapping} of ${studies.length} members overlap another event of their instrument: ${OVERLAP_NOTE}`);
}

function included(studies: readonly MemberStudy[]): IncludedMember[] {
  return studies.flatMap(({ member, estimates }) =>
    estimates === null ? [] : [{ estimates, cars: member.cars.map(({ car, scar }) => ({ car, scar })) }],
  );
}

/** Runs the study; throws RangeError naming the option when an option is invalid. */
export function runCrossSectionStudy(
  members: readonly CrossSectionMemberInput[],
  overrides: Partial<CrossSectionOptions> = {},
): CrossSectionStudy {
  const options = resolveCrossSectionOptions(overrides);
  const cache: BenchmarkCache = new WeakMap();
  const samples = members.map((m) => memberSample(m, options, cache));
  const overlapOf = overlaps(members, samples, options);
  const studies = members.map((m, k) => studyMember(m, options, cache, samples[k], overlapOf.get(k) ?? null));
  const aggregate = aggregateMembers(included(studies), options);
  const excluded = studies.filter((s) => s.estimates === null).length;
  if (excluded > 0) aggregate.notes.push(`${excluded} of ${studies.length} members are excluded (see their status)`);
  countOverlapping(studies, aggregate);

  const labels = [...new Set(studies.flatMap((s) => (s.member.subgroup === null ? [] : [s.member.subgroup])))];
  const subgroups = labels.map((subgroup) => {
    const ofGroup = studies.filter((s) => s.member.subgroup === subgroup);
    const groupAggregate = aggregateMembers(included(ofGroup), options);
    countOverlapping(ofGroup, groupAggregate);
    return { subgroup, aggregate: groupAggregate };
  });
  return { options, members: studies.map((s) => s.member), aggregate, subgroups, factorModel: factorModelSummary(studies, options) };
}
