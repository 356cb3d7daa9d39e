// The version of each small table the result cache depends on (instruments, shares_outstanding_history, events,
// instrument_groups, instrument_group_members,
// factor_returns): a statement trigger raises it in every writing transaction
// (migration 20261208022000_data_versions), so a cached answer is compared with it instead of being trusted.

/** Tables whose every write raises their version. */
export type VersionedTable =
  | 'instruments'
  | 'shares_outstanding_history'
  | 'events'
  | 'instrument_groups'
  | 'instrument_group_members'
  | 'factor_returns';

/** A SQL expression: `name:version` of the tables named by the text[] parameter `param`, comma-separated, by name. */
export function dataVersionsSql(param: string): string {
  return `(SELECT coalesce(string_agg(name || ':' || version, ',' ORDER BY name), '') FROM data_versions WHERE name = ANY(${param}::text[]))`;
}
