// The study page's tables: the test battery per CAR window, and the members sortable by CAR with their status.
// Cell texts come from the pure formatters below, so the browser test can rebuild them from the API's numbers.
import type { StudyResponse } from '../../src/studies/studyContract';
import { memberLabel } from './charts/studyCharts';
import { el } from './dom';
import { formatNumber, formatOffset, formatP, formatPercent, MISSING } from './format';
import { cardTable, type TableColumn } from './table';

type AggregateCar = StudyResponse['aggregate']['cars'][number];
type Member = StudyResponse['members'][number];

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
    className: 'tests-table',
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
  const columns: TableColumn<Member>[] = [
    { header: 'Member', key: 'member', rowHeader: true, cell: (m) => memberLabel(m) },
    { header: 'Day 0', key: 'day0', cell: (m) => m.day0 ?? MISSING },
    {
      header: 'Status',
      key: 'status',
      cell: (m) => (m.status === 'ok' ? 'ok' : [m.status, el('span', { className: 'th-sub', text: m.statusReason })]),
    },
    { header: 'Beta', key: 'beta', numeric: true, cell: (m) => formatNumber(m.model.beta, 2) },
    { header: 'L1', key: 'n', numeric: true, cell: (m) => String(m.model.n) },
    ...cars.map(
      ({ from, to }, k): TableColumn<Member> => ({
        header: `CAR ${windowText(from, to)}`,
        key: `car-${k}`,
        numeric: true,
        className: (m) => ((m.cars[k]?.car ?? 0) < 0 ? 'neg' : 'pos'),
        cell: (m) => formatPercent(m.cars[k]?.car ?? null),
      }),
    ),
  ];
  return cardTable({
    id: 'study-members',
    className: 'members-table',
    columns,
    rows: members,
    caption: 'Members',
    region: 'Members',
    rowData: (m) => ({ symbol: m.symbol, status: m.status }),
  });
}
