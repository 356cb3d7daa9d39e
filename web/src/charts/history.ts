// The instrument page's chart as a configuration: daily closes on a time axis, a numbered line per event and
// a triangle per detected move. Pure: data in, ChartConfiguration out (the page says what a click on an event does).
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import type { DailyBar, DetectedMove, EventSummary, Instrument } from '../api';
import { formatDate, formatInstrumentPrice, formatPercent } from '../format';
import { barTime, pointTooltip, stackedChartOptions } from './priceAxes';
import { DAY_ZERO_RED, MOVE_DOWN, MOVE_EDGE, MOVE_UP, REFERENCE_GREY } from './style';

export interface HistoryPoint {
  x: number;
  y: number;
  move?: number | null;
}

/** Where an event sits on a time axis: its instant, or midnight UTC of its date when only the date is known. */
export function eventTime(event: EventSummary): number {
  return event.occurredAt && !event.dateOnly ? Date.parse(event.occurredAt) : Date.parse(`${event.date}T00:00:00Z`);
}

/** The events that fall within the stored bars (through the end of the last bar's day). */
export function eventsWithin(bars: readonly DailyBar[], events: readonly EventSummary[]): EventSummary[] {
  if (bars.length === 0) return [];
  const first = barTime(bars[0].date);
  const last = barTime(bars[bars.length - 1].date) + 86_400_000;
  return events.filter((e) => eventTime(e) >= first && eventTime(e) <= last);
}

/** A dashed red line per event, numbered 1, 2, ... in the order given; a click on it calls `openEvent`. */
export function eventMarkers(
  events: readonly EventSummary[],
  openEvent: (slug: string) => void,
  numbers?: ReadonlyMap<string, number>,
): Record<string, AnnotationOptions> {
  const annotations: Record<string, AnnotationOptions> = {};
  events.forEach((event, k) => {
    // a range shows some of the events: each keeps the number it has in the list under the chart
    const i = (numbers?.get(event.slug) ?? k + 1) - 1;
    annotations[`event-${event.slug}`] = {
      type: 'line',
      scaleID: 'x',
      value: eventTime(event),
      borderColor: 'rgba(185, 28, 28, 0.65)',
      borderWidth: 1.5,
      borderDash: [5, 3],
      label: {
        display: true,
        content: String(i + 1),
        position: 'start',
        // neighbouring events (a day apart) would print their numbers on top of each other
        yAdjust: (i % 3) * 22,
        backgroundColor: DAY_ZERO_RED,
        color: '#fff',
        padding: { x: 6, y: 3 },
        font: { weight: 'bold' },
      },
      click: () => openEvent(event.slug),
      enter: ({ chart }) => {
        chart.canvas.style.cursor = 'pointer';
      },
      leave: ({ chart }) => {
        chart.canvas.style.cursor = '';
      },
    };
  });
  return annotations;
}

/** The range buttons of the instrument page: the last month, 3 or 6 months, a year, or every stored bar. */
export const PRICE_RANGES = ['1M', '3M', '6M', '1Y', 'max'] as const;
export type PriceRange = (typeof PRICE_RANGES)[number];
const RANGE_MONTHS: Record<Exclude<PriceRange, 'max'>, number> = { '1M': 1, '3M': 3, '6M': 6, '1Y': 12 };

/** The bars of the range: those from the same day `range` months before the last bar on ('max': all of them). */
export function barsInRange<B extends { date: string }>(bars: readonly B[], range: PriceRange): B[] {
  if (range === 'max' || bars.length === 0) return [...bars];
  const last = new Date(barTime(bars[bars.length - 1].date));
  const month = last.getUTCMonth() - RANGE_MONTHS[range];
  // 31 Mar less a month is 28 Feb (the month's last day), not 3 Mar as Date's overflow would make it
  const monthEnd = new Date(Date.UTC(last.getUTCFullYear(), month + 1, 0)).getUTCDate();
  const from = new Date(Date.UTC(last.getUTCFullYear(), month, Math.min(last.getUTCDate(), monthEnd))).toISOString().slice(0, 10);
  return bars.filter((b) => b.date >= from);
}

/**
 * Closes as the change since the first close of `bars`, a fraction (0.05 = +5%); what the %-change mode and the
 * benchmark overlay draw. A benchmark's change is taken from its own close on or before the first date shown.
 */
function changeSince(bars: readonly DailyBar[], fromDate: string): HistoryPoint[] {
  const base = [...bars].reverse().find((b) => b.date <= fromDate) ?? bars.find((b) => b.date >= fromDate);
  if (!base || !(base.close > 0)) return [];
  return bars.filter((b) => b.date >= fromDate).map((b) => ({ x: barTime(b.date), y: b.close / base.close - 1 }));
}

/** A label with its % beside each detected move's triangle: above a rise, below a fall. */
function moveLabels(points: readonly HistoryPoint[]): Record<string, AnnotationOptions> {
  const labels: Record<string, AnnotationOptions> = {};
  points.forEach((p, i) => {
    const down = (p.move ?? 0) < 0;
    labels[`move-${i}`] = {
      type: 'label',
      // on a phone-wide chart the labels would cover the line: the triangles alone there (their % in the tooltip)
      display: ({ chart }) => chart.width >= 600,
      xValue: p.x,
      yValue: p.y,
      yAdjust: down ? 16 : -16,
      content: formatPercent(p.move, 1),
      color: down ? MOVE_DOWN : MOVE_UP,
      font: { size: 10, weight: 'bold' },
      backgroundColor: 'rgba(255,255,255,0.8)',
      padding: 1,
    };
  });
  return labels;
}

export interface HistoryProps {
  instrument: Instrument;
  bars: readonly DailyBar[];
  /** the events to mark (see eventsWithin), numbered in this order */
  events: readonly EventSummary[];
  moves: readonly DetectedMove[];
  color: string;
  /** what a click on an event's marker does */
  openEvent: (slug: string) => void;
  /** each event's number in the list under the chart, when `events` is part of it */
  eventNumbers?: ReadonlyMap<string, number>;
  /** draw the change since the first bar shown instead of the price (forced on by a benchmark overlay) */
  percent?: boolean;
  /** the benchmark's bars, drawn as its change over the same dates */
  benchmark?: { symbol: string; bars: readonly DailyBar[] } | null;
}

/** Closes, a numbered marker per event and a triangle per detected move (down: red, pointing down). */
export function historyConfig({
  instrument,
  bars,
  events,
  moves,
  color,
  openEvent,
  percent = false,
  benchmark = null,
  eventNumbers,
}: HistoryProps): ChartConfiguration<'line', HistoryPoint[]> {
  const asChange = percent || benchmark !== null;
  const firstDate = bars[0]?.date ?? '';
  const line = asChange ? changeSince(bars, firstDate) : bars.map((b) => ({ x: barTime(b.date), y: b.close }));
  const valueByTime = new Map(line.map((p) => [p.x, p.y]));
  const movePoints = moves
    .filter((m) => valueByTime.has(barTime(m.date)))
    .map((m) => ({ x: barTime(m.date), y: valueByTime.get(barTime(m.date))!, move: m.move }));
  const priceText = (v: number) => formatInstrumentPrice(instrument, v);
  const valueText = asChange ? (v: number) => formatPercent(v, Math.abs(v) < 0.1 ? 1 : 0) : priceText;
  const datasets: ChartDataset<'line', HistoryPoint[]>[] = [
    {
      label: asChange ? `${instrument.symbol} change` : `${instrument.symbol} close`,
      data: line,
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2,
      pointRadius: 0,
      pointHoverRadius: 4,
      tension: 0,
    },
  ];
  if (movePoints.length) {
    datasets.push({
      label: 'detected move',
      data: movePoints,
      showLine: false,
      pointStyle: 'triangle',
      pointRadius: 6,
      pointHoverRadius: 8,
      pointRotation: movePoints.map((p) => ((p.move ?? 0) < 0 ? 180 : 0)),
      borderColor: MOVE_EDGE,
      backgroundColor: movePoints.map((p) => ((p.move ?? 0) < 0 ? MOVE_DOWN : MOVE_UP)),
    });
  }
  if (benchmark) {
    datasets.push({
      label: `${benchmark.symbol} (benchmark) change`,
      data: changeSince(benchmark.bars, firstDate).filter((p) => p.x <= barTime(bars[bars.length - 1]?.date ?? firstDate)),
      borderColor: REFERENCE_GREY,
      backgroundColor: REFERENCE_GREY,
      borderWidth: 1.5,
      borderDash: [6, 4],
      pointRadius: 0,
      pointHoverRadius: 3,
      tension: 0,
    });
  }
  const tooltipText = (p: HistoryPoint, datasetIndex: number): string => {
    if (p.move !== undefined) return `move ${formatPercent(p.move)}`;
    if (datasetIndex === 0 && asChange) {
      const bar = bars.find((b) => barTime(b.date) === p.x);
      return `${formatPercent(p.y)} (${bar ? priceText(bar.close) : ''})`;
    }
    return asChange ? formatPercent(p.y) : priceText(p.y);
  };
  const config: ChartConfiguration<'line', HistoryPoint[]> = {
    type: 'line',
    data: { datasets },
    options: {
      ...stackedChartOptions(bars, {
        title: asChange ? `change since ${formatDate(firstDate)}` : `close (${instrument.currency})`,
        tick: valueText,
      }),
      plugins: {
        legend: { display: movePoints.length > 0 || benchmark !== null, position: 'top' },
        tooltip: pointTooltip<HistoryPoint>(tooltipText),
      },
    },
  };
  // set apart from the literal above: with the luxon adapter's types loaded, tsc overflows its stack comparing
  // typed AnnotationOptions with chart.js's deep-partial option types
  (config.options!.plugins as { annotation?: unknown }).annotation = {
    annotations: { ...moveLabels(movePoints), ...eventMarkers(events, openEvent, eventNumbers) },
  };
  return config;
}
