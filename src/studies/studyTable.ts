// The aggregate of a study as a terminal table (`aftershock study run`): one line per offset and per CAR
// window with n, AAR/CAAR and each test's statistic with its significance marks and p.
import type { AggregateCar, AggregateDay, CrossSectionAggregate, TestStatistic } from '../analysis';
import type { StudyResult } from './studyRuns';

/** *** p < 0.01, ** p < 0.05, * p < 0.10 (two-sided) */
function significanceMarks(p: number | null | undefined): string {
  if (p === null || p === undefined) return '';
  return p < 0.01 ? '***' : p < 0.05 ? '**' : p < 0.1 ? '*' : '';
}

const TESTS = ['csectT', 'patellZ', 'bmpT', 'kpT', 'rankZ', 'gsignZ'] as const;

const fixed = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? '-' : v.toFixed(digits));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${(v * 100).toFixed(3)}%`);
const stat = (t: TestStatistic | null) => (t === null ? '-' : `${t.stat.toFixed(3)}${significanceMarks(t.p)}`);

function testCells(row: AggregateDay | AggregateCar): string[] {
  const w = row.wilcoxon;
  return [
    ...TESTS.flatMap((t) => [stat(row.tests[t]), fixed(row.tests[t]?.p, 4)]),
    w ? `${w.wPlus}${significanceMarks(w.p)}` : '-',
    fixed(w?.p, 4),
  ];
}

function tableLines(aggregate: CrossSectionAggregate): string[] {
  const header = ['offset', 'n', 'AAR', 'CAAR', ...TESTS.flatMap((t) => [t, 'p']), 'W+', 'p'];
  const rows = [
    ...aggregate.days.map((d) => [String(d.offset), String(d.n), pct(d.aar), pct(d.caar), ...testCells(d)]),
    ...aggregate.cars.map((c) => [`[${c.from},${c.to}]`, String(c.n), '', pct(c.caar), ...testCells(c)]),
  ];
  const table = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...table.map((r) => r[c].length)));
  return table.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
}

/** The whole text: the aggregate, then each subgroup, then the members left out and why. */
export function studyTable(result: Omit<StudyResult, 'study'>): string {
  const lines = [
    `${result.aggregate.n} of ${result.members.length} members included; rbar ${fixed(result.aggregate.rbar, 4)}`,
    ...tableLines(result.aggregate),
  ];
  for (const s of result.subgroups) lines.push('', `subgroup ${s.subgroup} (${s.aggregate.n} members)`, ...tableLines(s.aggregate));
  const out = result.members.filter((m) => m.status !== 'ok');
  if (out.length > 0)
    lines.push('', 'not included:', ...out.map((m) => `  ${m.symbol} ${m.event ?? m.date}: ${m.status}: ${m.statusReason}`));
  lines.push('', 'significance: *** p < 0.01, ** p < 0.05, * p < 0.10 (two-sided)');
  return `${lines.join('\n')}\n`;
}
