// The instrument page's chart as a configuration: daily closes on a time axis, a numbered line per event and
// a triangle per detected move. Pure: data in, ChartConfiguration out (the page says what a click on an event does).
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import type { DailyBar, DetectedMove, EventSummary, Instrument } from '../api';
import { formatInstrumentPrice, formatPercent } from '../format';
import { barTime, pointTooltip, stackedChartOptions } from './priceAxes';
import { DAY_ZERO_RED, MOVE_DOWN, MOVE_EDGE, MOVE_UP } from './style';

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
export function eventMarkers(events: readonly EventSummary[], openEvent: (slug: string) => void): Record<string, AnnotationOptions> {
  const annotations: Record<string, AnnotationOptions> = {};
  events.forEach((event, i) => {
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

export interface HistoryProps {
  instrument: Instrument;
  bars: readonly DailyBar[];
  /** the events to mark (see eventsWithin), numbered in this order */
  events: readonly EventSummary[];
  moves: readonly DetectedMove[];
  color: string;
  /** what a click on an event's marker does */
  openEvent: (slug: string) => void;
}

/** Closes, a numbered marker per event and a triangle per detected move (down: red, pointing down). */
export function historyConfig({
  instrument,
  bars,
  events,
  moves,
  color,
  openEvent,
}: HistoryProps): ChartConfiguration<'line', HistoryPoint[]> {
  const closeByDate = new Map(bars.map((b) => [b.date, b.close]));
  const movePoints = moves
    .filter((m) => closeByDate.has(m.date))
    .map((m) => ({ x: barTime(m.date), y: closeByDate.get(m.date)!, move: m.move }));
  const priceText = (v: number) => formatInstrumentPrice(instrument, v);
  const datasets: ChartDataset<'line', HistoryPoint[]>[] = [
    {
      label: `${instrument.symbol} close`,
      data: bars.map((b) => ({ x: barTime(b.date), y: b.close })),
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
  const config: ChartConfiguration<'line', HistoryPoint[]> = {
    type: 'line',
    data: { datasets },
    options: {
      ...stackedChartOptions(bars, { title: `close (${instrument.currency})`, tick: priceText }),
      plugins: {
        legend: { display: movePoints.length > 0, position: 'top' },
        tooltip: pointTooltip<HistoryPoint>((p, datasetIndex) => (datasetIndex === 1 ? `move ${formatPercent(p.move)}` : priceText(p.y))),
      },
    },
  };
  // set apart from the literal above: with the luxon adapter's types loaded, tsc overflows its stack comparing
  // typed AnnotationOptions with chart.js's deep-partial option types
  (config.options!.plugins as { annotation?: unknown }).annotation = { annotations: eventMarkers(events, openEvent) };
  return config;
}
