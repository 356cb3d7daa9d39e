// A cross-sectional event study: every member's own results, then the aggregate over the members
// that have enough history, and one aggregate per subgroup label.
import { aggregateMembers, type CrossSectionAggregate, type IncludedMember } from './aggregate';
import { studyMember, type CrossSectionMember, type MemberStudy } from './member';
import type { BenchmarkCache, CrossSectionMemberInput } from './memberSample';
import { resolveCrossSectionOptions, type CrossSectionOptions } from './options';

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
  const studies = members.map((m) => studyMember(m, options, cache));
  const aggregate = aggregateMembers(included(studies), options);
  const excluded = studies.filter((s) => s.estimates === null).length;
  if (excluded > 0) aggregate.notes.push(`${excluded} of ${studies.length} members are excluded (see their status)`);

  const labels = [...new Set(studies.flatMap((s) => (s.member.subgroup === null ? [] : [s.member.subgroup])))];
  const subgroups = labels.map((subgroup) => ({
    subgroup,
    aggregate: aggregateMembers(included(studies.filter((s) => s.member.subgroup === subgroup)), options),
  }));
  return { options, members: studies.map((s) => s.member), aggregate, subgroups };
}
