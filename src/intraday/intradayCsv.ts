// The CSVs of an intraday study, in the export conventions (src/export/csvFormat.ts): members.csv, one row per
// member and offset (a member without points has one row with its status); aggregate.csv, one row per offset
// of the group with its tests. Both start with the event (or the ad hoc instant) the study is about.
import { Readable } from 'node:stream';
import type { TestOutcome } from '../analysis/crossSection/testStatistics';
import type { IntradayPoint } from '../analysis/intraday/intradayTypes';
import { csvRecord, headerRecord, type CsvColumn } from '../export/csvFormat';
import type { CsvDownload } from '../http/csvResponse';
import type { IntradayAnswer } from './intradayCompute';

export type IntradayCsvPart = 'members' | 'aggregate';

const text = (name: string): CsvColumn => ({ name, kind: 'text' });
const num = (name: string): CsvColumn => ({ name, kind: 'number' });
const iso = (name: string): CsvColumn => ({ name, kind: 'iso' });
const bool = (name: string): CsvColumn => ({ name, kind: 'boolean' });

const HEAD: CsvColumn[] = [text('event'), iso('instant'), iso('asOf')];

const MEMBER_COLUMNS: CsvColumn[] = [
  ...HEAD,
  text('symbol'),
  text('benchmark'),
  text('market'),
  text('status'),
  text('reason'),
  iso('eventSession'),
  iso('eventBar'),
  num('eventSlot'),
  text('model'),
  num('alpha'),
  num('beta'),
  num('s2'),
  num('L1'),
  num('estimationSessions'),
  num('offGrid'),
  num('significantFrom'),
  num('significantThrough'),
  num('direction'),
  iso('memberAsOf'),
  num('k'),
  iso('t'),
  iso('session'),
  num('slot'),
  num('close'),
  num('fromPrevClose'),
  num('ret'),
  num('ar'),
  num('sar'),
  num('sigma'),
  num('car'),
  num('car0'),
  num('z'),
  num('p'),
  num('lower'),
  num('upper'),
  bool('outside'),
  num('av'),
  text('notes'),
];

const POINT_CELLS = 18;

function pointCells(p: IntradayPoint, sigma: number | null): unknown[] {
  return [
    p.k,
    p.t,
    p.session,
    p.slot,
    p.close,
    p.fromPrevClose,
    p.ret,
    p.ar,
    p.sar,
    sigma,
    p.car,
    p.car0,
    p.z,
    p.p,
    p.lower,
    p.upper,
    p.outside,
    p.av,
  ];
}

function* membersCsv(a: IntradayAnswer, bom: boolean): Generator<string> {
  yield headerRecord(MEMBER_COLUMNS, bom);
  const head = [a.event?.slug ?? null, a.instant, a.asOf];
  for (const m of a.members) {
    const member = [
      ...head,
      m.symbol,
      m.benchmark,
      m.market,
      m.status,
      m.reason,
      m.eventSession,
      m.eventBar,
      m.eventSlot,
      m.model?.kind ?? null,
      m.model?.alpha ?? null,
      m.model?.beta ?? null,
      m.model?.s2 ?? null,
      m.model?.L1 ?? null,
      m.model?.sessions.length ?? null,
      m.offGrid,
      m.significantFrom,
      m.significantThrough,
      m.direction,
      m.asOf,
    ];
    const notes = m.notes.join('; ') || null;
    if (m.points.length === 0) yield csvRecord(MEMBER_COLUMNS, [...member, ...new Array(POINT_CELLS).fill(null), notes]);
    for (const p of m.points) yield csvRecord(MEMBER_COLUMNS, [...member, ...pointCells(p, m.sigma[p.slot] ?? null), notes]);
  }
}

const AGGREGATE_COLUMNS: CsvColumn[] = [
  ...HEAD,
  num('k'),
  num('n'),
  num('aar'),
  num('caar'),
  num('caar0'),
  num('csectT'),
  num('csectT_p'),
  num('stoufferZ'),
  num('stoufferZ_p'),
  num('bmpT'),
  num('bmpT_p'),
  num('nZ'),
];

const pair = (t: TestOutcome | null) => (t && 'stat' in t ? [t.stat, t.p] : [null, null]);

function* aggregateCsv(a: IntradayAnswer, bom: boolean): Generator<string> {
  yield headerRecord(AGGREGATE_COLUMNS, bom);
  const head = [a.event?.slug ?? null, a.instant, a.asOf];
  for (const g of a.aggregate)
    yield csvRecord(AGGREGATE_COLUMNS, [
      ...head,
      g.k,
      g.n,
      g.aar,
      g.caar,
      g.caar0,
      ...pair(g.csectT),
      ...pair(g.stoufferZ),
      ...pair(g.bmpT),
      g.nZ,
    ]);
}

/** The records of the part, one string each (a compute worker writes them to the response as they come). */
export function intradayCsvRecords(a: IntradayAnswer, part: IntradayCsvPart, bom: boolean): Generator<string> {
  return part === 'members' ? membersCsv(a, bom) : aggregateCsv(a, bom);
}

export const intradayCsvFilename = (name: string, part: IntradayCsvPart) => `aftershock-intraday-${name}-${part}.csv`;

/** The part as a CsvDownload (what the CLI writes). */
export function intradayCsvExport(a: IntradayAnswer, name: string, part: IntradayCsvPart, bom: boolean): CsvDownload {
  return {
    filename: intradayCsvFilename(name, part),
    open: async () => Readable.from(intradayCsvRecords(a, part, bom), { objectMode: false }),
  };
}
