// The event study of GET /api/events/:slug/impact as CSV: one row per instrument and offset, carrying every
// field of the impact API, with the per-instrument and per-request values repeated on each row so that any
// row read alone says what it is (event, benchmark, model, windows, n, status). The numbers are the impact
// service's own (computeEventImpact); nothing is recomputed here.
import { Readable } from 'node:stream';
import type { Window } from '../analysis';
import type { ImpactResponse } from '../impact/impactContract';
import { computeEventImpact } from '../impact/eventImpact';
import type { CsvExport, ExportDeps } from './csvExports';
import { csvRecord, headerRecord, type CsvColumn } from './csvFormat';
import type { ImpactExportParams } from './exportParams';

type Result = ImpactResponse['results'][number];
type Day = Result['days'][number];
type BasketDay = ImpactResponse['basket'][number];

interface ImpactColumn extends CsvColumn {
  value(impact: ImpactResponse, result: Result, day: Day | undefined, basket: BasketDay | undefined): unknown;
}

const windowLabel = ([from, to]: Window) => `${from}_${to}`;

/** The expected-return model behind a status: the impact API fits the market model when it can (status ok)
 * and falls back to the market-adjusted model (alpha 0, beta 1) when the estimation window falls short. */
const MODEL_OF_STATUS: Record<string, string | null> = {
  ok: 'market_model',
  insufficient_estimation: 'market_adjusted',
  no_benchmark: null,
  no_data: null,
  no_factors: null,
};

/** The model column: a factor model's name with its region and file vintage (model=ff3...), else by the status. */
function modelText(r: ImpactResponse['results'][number]): string | null {
  const { kind, factorRegion, factorVintage } = r.model;
  if (kind) return r.status === 'ok' ? `${kind} (${factorRegion} factors, ${factorVintage})` : null;
  return MODEL_OF_STATUS[r.status] ?? null;
}

function impactColumns(carWindows: readonly Window[]): ImpactColumn[] {
  const perCar = carWindows.flatMap((w, i): ImpactColumn[] => [
    { name: `car_${windowLabel(w)}`, kind: 'number', value: (_i, r) => r.cars[i]?.car },
    { name: `t_${windowLabel(w)}`, kind: 'number', value: (_i, r) => r.cars[i]?.t },
    { name: `p_${windowLabel(w)}`, kind: 'number', value: (_i, r) => r.cars[i]?.p },
  ]);
  return [
    { name: 'eventSlug', kind: 'text', value: (i) => i.event.slug },
    { name: 'symbol', kind: 'text', value: (_i, r) => r.symbol },
    { name: 'benchmark', kind: 'text', value: (_i, r) => r.benchmark },
    { name: 'currency', kind: 'text', value: (_i, r) => r.currency },
    { name: 'day0', kind: 'iso', value: (_i, r) => r.day0 },
    { name: 'status', kind: 'text', value: (_i, r) => r.status },
    { name: 'statusReason', kind: 'text', value: (_i, r) => r.statusReason },
    { name: 'model', kind: 'text', value: (_i, r) => modelText(r) },
    { name: 'alpha', kind: 'number', value: (_i, r) => r.model.alpha },
    { name: 'beta', kind: 'number', value: (_i, r) => r.model.beta },
    { name: 'sigma', kind: 'number', value: (_i, r) => r.model.sigma },
    { name: 'r2', kind: 'number', value: (_i, r) => r.model.r2 },
    { name: 'n', kind: 'number', value: (_i, r) => r.model.n },
    { name: 'estimationFrom', kind: 'number', value: (i) => i.params.estimation[0] },
    { name: 'estimationTo', kind: 'number', value: (i) => i.params.estimation[1] },
    { name: 'windowFrom', kind: 'number', value: (i) => i.params.window[0] },
    { name: 'windowTo', kind: 'number', value: (i) => i.params.window[1] },
    { name: 'minObs', kind: 'number', value: (i) => i.params.minObs },
    { name: 'offset', kind: 'number', value: (_i, _r, d) => d?.offset },
    { name: 'date', kind: 'iso', value: (_i, _r, d) => d?.date },
    { name: 'close', kind: 'number', value: (_i, _r, d) => d?.close },
    { name: 'volume', kind: 'number', value: (_i, _r, d) => d?.volume },
    { name: 'abnormalVolume', kind: 'number', value: (_i, _r, d) => d?.abnormalVolume },
    { name: 'return', kind: 'number', value: (_i, _r, d) => d?.return },
    { name: 'benchmarkReturn', kind: 'number', value: (_i, _r, d) => d?.benchmarkReturn },
    { name: 'abnormalReturn', kind: 'number', value: (_i, _r, d) => d?.abnormalReturn },
    { name: 'car', kind: 'number', value: (_i, _r, d) => d?.car },
    { name: 'rebased', kind: 'number', value: (_i, _r, d) => d?.rebased },
    { name: 'move', kind: 'number', value: (_i, _r, d) => d?.move },
    { name: 'marketValueChange', kind: 'number', value: (_i, _r, d) => d?.marketValueChange },
    { name: 'marketValueChangeUsd', kind: 'number', value: (_i, _r, d) => d?.marketValueChangeUsd },
    { name: 'bhar', kind: 'number', value: (_i, r) => r.bhar },
    { name: 'volumeBaselineMean', kind: 'number', value: (_i, r) => r.volumeBaseline.mean },
    { name: 'volumeBaselineN', kind: 'number', value: (_i, r) => r.volumeBaseline.n },
    { name: 'marketValueNote', kind: 'text', value: (_i, r) => r.marketValueNote },
    { name: 'windowNote', kind: 'text', value: (_i, r) => r.windowNote },
    ...perCar,
    // the basket (all instruments of the request) at this row's offset
    { name: 'basketMarketValueChangeUsd', kind: 'number', value: (_i, _r, _d, b) => b?.marketValueChangeUsd },
    { name: 'basketContributors', kind: 'number', value: (_i, _r, _d, b) => b?.contributors },
    { name: 'basketInstruments', kind: 'number', value: (_i, _r, _d, b) => b?.instruments },
    { name: 'basketMissing', kind: 'text', value: (_i, _r, _d, b) => b?.missing.join(' ') },
  ];
}

/** The CSV of a computed event study, in records grouped into chunks of about 64 KB. */
function* impactCsv(impact: ImpactResponse, bom: boolean): Generator<string> {
  const columns = impactColumns(impact.params.carWindows);
  const basketByOffset = new Map(impact.basket.map((b) => [b.offset, b]));
  let chunk = headerRecord(columns, bom);
  const row = (result: Result, day: Day | undefined) =>
    csvRecord(
      columns,
      columns.map((c) => c.value(impact, result, day, day ? basketByOffset.get(day.offset) : undefined)),
    );
  for (const result of impact.results) {
    // an instrument without days (no data) still gets its row: its status says why
    const days: (Day | undefined)[] = result.days.length ? result.days : [undefined];
    for (const day of days) {
      chunk += row(result, day);
      if (chunk.length >= 64 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk) yield chunk;
}

export async function impactExport(deps: ExportDeps, slug: string, p: ImpactExportParams): Promise<CsvExport> {
  // computed before a byte is sent: an unknown event (404) or symbol (400) is answered as JSON
  const impact = await computeEventImpact(deps.db, slug, p.impact);
  return {
    filename: `aftershock-impact-${slug}.csv`,
    open: async () => Readable.from(impactCsv(impact, p.bom), { objectMode: false }),
  };
}
