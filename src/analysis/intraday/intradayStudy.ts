// The intraday event study (shared/methods/intraday.md): every member on its own exchange's slot grid around one
// event instant, and the group aggregate. Pure: bars in, numbers out; `event.now` says how far "live" reaches.
import { type LiveSessionCache, SessionSeriesCache } from './estimation';
import { groupAggregate } from './groupAggregate';
import type { IntradayEventInput, IntradayMemberInput, IntradayOptions, IntradayStudyResult } from './intradayTypes';
import { memberStudy } from './memberStudy';

export function intradayStudy(
  members: readonly IntradayMemberInput[],
  event: IntradayEventInput,
  options: IntradayOptions,
  /** a live study's sessions kept from its previous call (prepared with this call's now); else read afresh */
  live: LiveSessionCache | null = null,
): IntradayStudyResult {
  const nowMs = event.now.getTime();
  const ctx = { tau: event.instant.getTime(), nowMs, cache: live ?? new SessionSeriesCache(nowMs) };
  const results = members.map((m) => memberStudy(m, event, options, ctx));
  let asOf: string | null = null;
  for (const r of results) if (r.asOf !== null && (asOf === null || r.asOf > asOf)) asOf = r.asOf;
  return {
    instant: event.instant.toISOString(),
    options,
    members: results,
    aggregate: groupAggregate(results, options.window),
    asOf,
  };
}
