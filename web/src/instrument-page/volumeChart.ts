// The instrument page's volume bars under the price chart, then the abnormal-volume marks once the impact API has
// measured the sessions around each event (one request per event, for this instrument only).
import { api, type DailyBar, type EventImpact, type EventSummary, type Instrument } from '../api';
import { chartCanvas, drawChart } from '../charts/draw';
import { VOLUME_MARK_WINDOW, volumeConfig, volumeMarks, volumePoints, type VolumeMark, type VolumePoint } from '../charts/volume';
import { empty, errorBox, replaceChildren } from '../dom';
import { jobQueue } from '../lazy';

export interface VolumeChartProps {
  instrument: Instrument;
  bars: DailyBar[];
  /** the events within the bars */
  events: EventSummary[];
  /** the time span the price chart shows, which the volume bars follow (null: all of them) */
  span: () => [number, number] | null;
}

/** Shows `span` of the time axis (the price chart's range or zoom); the y axis fits the bars within it. */
export function showVolumeSpan(span: [number, number]): void {
  const chart = window.__aftershockCharts?.['chart-volume'];
  if (!chart?.options.scales?.x) return;
  chart.options.scales.x.min = span[0];
  chart.options.scales.x.max = span[1];
  chart.update('none');
}

/** This instrument's impact around one event: only the sessions -1..+5 are needed. */
async function impactAround(symbol: string, event: EventSummary): Promise<{ event: EventSummary; result: EventImpact } | null> {
  const query = new URLSearchParams({ symbols: symbol, window: VOLUME_MARK_WINDOW, cars: '0,0' });
  const impact = await api.impact(event.slug, query);
  const result = impact.results.find((r) => r.symbol === symbol);
  return result ? { event, result } : null;
}

/**
 * Draws the volume bars, then marks them; resolves with the marks and the day-0 results per event (empty when
 * the series has no volume). A failed measurement leaves the bars unmarked and says so under them.
 */
export async function renderVolumeChart(target: HTMLElement, props: VolumeChartProps): Promise<Map<string, EventImpact>> {
  const { instrument, bars, events } = props;
  if (volumePoints(bars).length === 0) {
    replaceChildren(target, empty(`${instrument.symbol} reports no volume (indices and FX series have none).`));
    return new Map();
  }
  const { box, canvas } = chartCanvas(
    'chart-volume',
    `Daily volume of ${instrument.symbol}, on the dates of the price chart`,
    'chart-volume',
  );
  replaceChildren(target, box);
  const draw = (marks: ReadonlyMap<string, VolumeMark>) => {
    drawChart<'bar', VolumePoint[]>(canvas, volumeConfig({ instrument, bars, marks }));
    const span = props.span();
    if (span) showVolumeSpan(span);
  };
  draw(new Map());
  // three at a time: an instrument with many events must not flood the server
  const enqueue = jobQueue(3);
  const settled = await Promise.allSettled(
    events.map(
      (e) =>
        new Promise<Awaited<ReturnType<typeof impactAround>>>((resolve, reject) =>
          enqueue(() => impactAround(instrument.symbol, e).then(resolve, reject)),
        ),
    ),
  );
  const studies = settled.flatMap((s) => (s.status === 'fulfilled' && s.value ? [s.value] : []));
  draw(volumeMarks(studies));
  canvas.dataset.marked = 'true';
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) target.append(errorBox('Abnormal volume could not be measured around every event', failed.reason));
  return new Map(studies.map((s) => [s.event.slug, s.result]));
}
