// The study page's tables: the test battery per CAR window, the subgroups' CAARs, and the members sortable by CAR
// with their status in words. Cell texts come from the pure formatters below, so the browser test can rebuild them
// from the API's numbers.
import type { StudyResponse } from '../../src/studies/studyContract';
import { el } from './dom';
import { formatDate, formatNumber, formatOffset, formatP, formatPercent, MISSING } from './format';
import { cardTable, type TableColumn } from './table';

type AggregateCar = StudyResponse['aggregate']['cars'][number];
type Member = StudyResponse['members'][number];
type Subgroup = StudyResponse['subgroups'][number];

/** A member's status in words (the API's code is for programs). */
export const MEMBER_STATUS_WORDS: Record<Member['status'], string> = {
  ok: 'included',
  insufficient_estimation: 'too little history: excluded',
  no_data: 'no data: excluded',
  no_benchmark: 'no benchmark: excluded',
  no_factors: 'no factors for its region: excluded',
  overlap: 'overlaps another event: excluded',
};

/** What L1 is, said once under the members table and in the column's title. */
export const L1_MEANING = "L1: the estimation window's length in sessions (the paired returns the normal-return model was fitted on).";

export const TEST_COLUMNS = [
  ['csectT', 'Cross-sectional t'],
  ['patellZ', 'Patell Z'],
  ['bmpT', 'BMP t'],
  ['kpT', 'Kolari-Pynnönen t'],
  ['rankZ', 'Corrado rank z'],
  ['gsignZ', 'Generalised sign z'],
] as const;

/** *** p < 0.01, ** p < 0.05, * p < 0.10 */
function marks(p: number | null | undefined): string {
  if (p === null || p === undefined) return '';
  return p < 0.01 ? '***' : p < 0.05 ? '**' : p < 0.1 ? '*' : '';
}

/** "−2.85**" over "p 0.004": a statistic as the tests table shows it. */
export function statText(t: { stat: number; p: number } | null): string {
  return t === null ? MISSING : `${formatNumber(t.stat, 2)}${marks(t.p)}`;
}

export const windowText = (from: number, to: number) => `[${formatOffset(from)}, ${formatOffset(to)}]`;

export function testsTable(cars: readonly AggregateCar[]): HTMLElement {
  const statColumn = ([key, header]: (typeof TEST_COLUMNS)[number]): TableColumn<AggregateCar> => ({
    header,
    key,
    numeric: true,
    cell: (c) => [statText(c.tests[key]), el('span', { className: 'th-sub', text: `p ${formatP(c.tests[key]?.p)}` })],
  });
  const columns: TableColumn<AggregateCar>[] = [
    { header: 'Window', key: 'window', rowHeader: true, cell: (c) => windowText(c.from, c.to) },
    { header: 'N', key: 'n', numeric: true, cell: (c) => String(c.n) },
    { header: 'CAAR', key: 'caar', numeric: true, cell: (c) => formatPercent(c.caar) },
    ...TEST_COLUMNS.map(statColumn),
    {
      header: 'Wilcoxon W+',
      key: 'wilcoxon',
      numeric: true,
      cell: (c) => [
        c.wilcoxon ? `${c.wilcoxon.wPlus}${marks(c.wilcoxon.p)}` : MISSING,
        el('span', { className: 'th-sub', text: `p ${formatP(c.wilcoxon?.p)}` }),
      ],
    },
  ];
  return cardTable({
    id: 'study-tests',
    className: 'tests-table study-table',
    columns,
    rows: cars,
    caption: 'Tests per CAR window',
    region: 'Tests per CAR window',
  });
}

export type MemberSort = 'car-asc' | 'car-desc' | 'input';

/** The members in the order of `sort` by their CAR of the first CAR window (members without one last). */
export function sortMembers(members: readonly Member[], sort: MemberSort): Member[] {
  if (sort === 'input') return [...members];
  const carOf = (m: Member) => m.cars[0]?.car ?? null;
  const sign = sort === 'car-asc' ? 1 : -1;
  return [...members].sort((a, b) => {
    const x = carOf(a);
    const y = carOf(b);
    if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0);
    return sign * (x - y);
  });
}

export function membersTable(members: readonly Member[], cars: readonly { from: number; to: number }[]): HTMLElement {
  const withSubgroups = members.some((m) => m.subgroup !== null);
  const columns: TableColumn<Member>[] = [
    {
      header: 'Member',
      key: 'member',
      rowHeader: true,
      cell: (m) => [m.symbol, el('span', { className: 'th-sub', text: m.event ?? m.date ?? '' })],
    },
    ...(withSubgroups ? [{ header: 'Subgroup', key: 'subgroup', cell: (m: Member) => m.subgroup ?? MISSING }] : []),
    { header: 'Day 0', key: 'day0', className: 'nowrap', cell: (m) => (m.day0 ? formatDate(m.day0) : MISSING) },
    {
      header: 'Status',
      key: 'status',
      cell: (m) => [
        el('span', {
          className: `status-badge status-${m.status}`,
          text: MEMBER_STATUS_WORDS[m.status] ?? m.status,
          dataset: { field: 'status' },
        }),
        m.status === 'ok' ? null : el('span', { className: 'th-sub', text: m.statusReason }),
      ],
    },
    { header: 'Beta', key: 'beta', numeric: true, cell: (m) => formatNumber(m.model.beta, 2) },
    { header: 'L1', sub: 'sessions', label: 'L1 (estimation sessions)', key: 'n', numeric: true, cell: (m) => String(m.model.n) },
    ...cars.map(
      ({ from, to }, k): TableColumn<Member> => ({
        header: `CAR ${windowText(from, to)}`,
        key: `car-${k}`,
        numeric: true,
        className: (m) => ((m.cars[k]?.car ?? 0) < 0 ? 'neg nowrap' : 'pos nowrap'),
        cell: (m) => formatPercent(m.cars[k]?.car ?? null),
      }),
    ),
  ];
  const table = cardTable({
    id: 'study-members',
    className: 'members-table study-table',
    columns,
    rows: members,
    caption: 'Members',
    region: 'Members',
    rowData: (m) => ({ symbol: m.symbol, status: m.status }),
  });
  return el('div', {}, table, el('p', { className: 'note', attrs: { id: 'l1-meaning' }, text: L1_MEANING }));
}

/** "−6.12% (t −3.74*, n 3)": a subgroup's CAAR of one window with its cross-sectional test. */
export function subgroupCarText(car: AggregateCar | undefined): string {
  if (!car) return MISSING;
  const t = car.tests.csectT;
  return `${formatPercent(car.caar)} (t ${statText(t)}, n ${car.n})`;
}

/** The subgroups the API measured apart (members with a subgroup label): their CAAR per CAR window with its t. */
export function subgroupsTable(subgroups: readonly Subgroup[], cars: readonly { from: number; to: number }[]): HTMLElement {
  const columns: TableColumn<Subgroup>[] = [
    { header: 'Subgroup', key: 'subgroup', rowHeader: true, cell: (g) => g.subgroup },
    { header: 'N', key: 'n', numeric: true, cell: (g) => String(g.aggregate.n) },
    ...cars.map(
      ({ from, to }, k): TableColumn<Subgroup> => ({
        header: `CAAR ${windowText(from, to)}`,
        sub: 'cross-sectional t, members',
        label: `CAAR ${windowText(from, to)}`,
        key: `caar-${k}`,
        numeric: true,
        className: (g) => {
          const caar = g.aggregate.cars.find((c) => c.from === from && c.to === to)?.caar ?? 0;
          return caar < 0 ? 'neg' : 'pos';
        },
        cell: (g) => subgroupCarText(g.aggregate.cars.find((c) => c.from === from && c.to === to)),
      }),
    ),
  ];
  return cardTable({
    id: 'study-subgroups',
    className: 'subgroups-table study-table',
    columns,
    rows: subgroups,
    caption: 'Subgroups',
    region: 'Subgroups',
    rowData: (g) => ({ subgroup: g.subgroup }),
  });
}
