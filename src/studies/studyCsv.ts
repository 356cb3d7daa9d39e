// The CSVs of a study, in the export conventions (src/export/csvFormat.ts): members.csv, one row per member
// and offset with the member's model and CARs; aggregate.csv, one row per offset and per CAR window (for all
// members, then for each subgroup) with every statistic and its p. Rows are computed in Node from the result.
import { Readable } from 'node:stream';
import type { AggregateCar, AggregateDay, CrossSectionAggregate, TestStatistic, Window } from '../analysis';
import type { CsvDownload } from '../http/csvResponse';
import { csvRecord, headerRecord, type CsvColumn } from '../export/csvFormat';
import type { StudyResult } from './studyRuns';

export type StudyCsvPart = 'members' | 'aggregate';

const text = (name: string): CsvColumn => ({ name, kind: 'text' });
const num = (name: string): CsvColumn => ({ name, kind: 'number' });
const iso = (name: string): CsvColumn => ({ name, kind: 'iso' });

const carName = ([from, to]: Window) => `${from}_${to}`;

function* membersCsv(result: Omit<StudyResult, 'study'>, bom: boolean): Generator<string> {
  const cars = result.options.cars;
  // factor models: the region, the files' vintage and every coefficient with its standard error
  const coefficientNames = result.factorModel ? ['const', ...result.factorModel.factors] : [];
  const factorColumns: CsvColumn[] = result.factorModel
    ? [text('factorRegion'), text('factorVintage'), ...coefficientNames.flatMap((c) => [num(`coef_${c}`), num(`se_${c}`)])]
    : [];
  const columns: CsvColumn[] = [
    text('symbol'),
    text('event'),
    iso('memberDate'),
    iso('day0'),
    text('status'),
    text('statusReason'),
    text('subgroup'),
    num('alpha'),
    num('beta'),
    num('sigma'),
    num('n'),
    num('dof'),
    ...factorColumns,
    num('offset'),
    iso('date'),
    num('return'),
    num('benchmarkReturn'),
    num('abnormalReturn'),
    num('sar'),
    ...cars.flatMap((w) => [num(`car_${carName(w)}`), num(`scar_${carName(w)}`)]),
  ];
  yield headerRecord(columns, bom);
  for (const m of result.members) {
    const head = [
      m.symbol,
      m.event,
      m.date,
      m.day0,
      m.status,
      m.statusReason,
      m.subgroup,
      m.model.alpha,
      m.model.beta,
      m.model.sigma,
      m.model.n,
      m.model.dof,
      ...(result.factorModel
        ? [
            m.model.factorRegion ?? null,
            m.model.factorVintage ?? null,
            ...coefficientNames.flatMap((_, j) => {
              const c = m.model.coefficients?.[j];
              return [c?.value ?? null, c?.se ?? null];
            }),
          ]
        : []),
    ];
    const carCells = cars.flatMap(([from, to]) => {
      const car = m.cars.find((c) => c.from === from && c.to === to);
      return [car?.car ?? null, car?.scar ?? null];
    });
    if (m.days.length === 0) yield csvRecord(columns, [...head, null, null, null, null, null, null, ...carCells]);
    for (const d of m.days)
      yield csvRecord(columns, [...head, d.offset, d.date, d.return, d.benchmarkReturn, d.abnormalReturn, d.sar, ...carCells]);
  }
}

const TESTS = ['csectT', 'patellZ', 'bmpT', 'kpT', 'rankZ', 'gsignZ'] as const;
const EXTRAS = ['bw1980T', 'bw1985T', 'signZ', 'csignZ'] as const;

const AGGREGATE_COLUMNS: CsvColumn[] = [
  text('subgroup'),
  text('row'),
  num('offset'),
  num('from'),
  num('to'),
  num('n'),
  num('aar'),
  num('caar'),
  num('meanCar'),
  ...[...TESTS, ...EXTRAS].flatMap((t) => [num(t), num(`${t}_p`)]),
  num('wilcoxonWPlus'),
  num('wilcoxonN'),
  num('wilcoxonZ'),
  num('wilcoxonP'),
  num('wilcoxonPExact'),
  num('rbar'),
  text('notes'),
];

function statCells(row: AggregateDay | AggregateCar): unknown[] {
  const pair = (t: TestStatistic | null) => [t?.stat ?? null, t?.p ?? null];
  const w = row.wilcoxon;
  return [
    ...TESTS.flatMap((t) => pair(row.tests[t])),
    ...EXTRAS.flatMap((t) => pair(row.extras[t])),
    w?.wPlus ?? null,
    w?.n ?? null,
    w?.z ?? null,
    w?.p ?? null,
    w?.pExact ?? null,
  ];
}

function* aggregateRows(subgroup: string | null, a: CrossSectionAggregate): Generator<string> {
  for (const d of a.days) {
    yield csvRecord(AGGREGATE_COLUMNS, [
      subgroup,
      'day',
      d.offset,
      null,
      null,
      d.n,
      d.aar,
      d.caar,
      null,
      ...statCells(d),
      a.rbar,
      d.notes.join('; ') || null,
    ]);
  }
  for (const c of a.cars) {
    yield csvRecord(AGGREGATE_COLUMNS, [
      subgroup,
      'car',
      null,
      c.from,
      c.to,
      c.n,
      null,
      c.caar,
      c.meanCar,
      ...statCells(c),
      a.rbar,
      c.notes.join('; ') || null,
    ]);
  }
}

function* aggregateCsv(result: Omit<StudyResult, 'study'>, bom: boolean): Generator<string> {
  yield headerRecord(AGGREGATE_COLUMNS, bom);
  yield* aggregateRows(null, result.aggregate);
  for (const s of result.subgroups) yield* aggregateRows(s.subgroup, s.aggregate);
}

/** The records of the part, one string each (a compute worker writes them to the response as they come). */
export function studyCsvRecords(result: Omit<StudyResult, 'study'>, part: StudyCsvPart, bom: boolean): Generator<string> {
  return part === 'members' ? membersCsv(result, bom) : aggregateCsv(result, bom);
}

export const studyCsvFilename = (name: string, part: StudyCsvPart) => `aftershock-study-${name}-${part}.csv`;

/** The part as a CsvDownload (what `aftershock export` sends). */
export function studyCsvExport(result: Omit<StudyResult, 'study'>, name: string, part: StudyCsvPart, bom: boolean): CsvDownload {
  const rows = studyCsvRecords(result, part, bom);
  return { filename: studyCsvFilename(name, part), open: async () => Readable.from(rows, { objectMode: false }) };
}
