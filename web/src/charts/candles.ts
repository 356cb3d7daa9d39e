// The instrument page's price chart as candles (chartjs-chart-financial): one candle per daily bar with its open,
// high, low and close, on the same time axis as the close line and the volume bars, with the same event markers
// and a triangle per detected move (above the candle for a rise, below it for a fall).
// Pure: data in, ChartConfiguration out.
import type { ChartConfiguration } from 'chart.js';
import type { AnnotationOptions } from 'chartjs-plugin-annotation';
// its types extend chart.js's with the candlestick chart type (the page registers its controller in draw.ts)
import type {} from 'chartjs-chart-financial';
import type { DailyBar, DetectedMove, EventSummary, Instrument } from '../api';
import { formatInstrumentPrice } from '../format';
import { MOVE_DOWN, MOVE_EDGE, MOVE_UP } from './style';
import { eventMarkers } from './history';
import { barTime, pointTooltip, stackedChartOptions } from './priceAxes';

/** Okabe-Ito bluish green and vermilion: up and down stay apart for colour-blind readers too */
const UP = '#009E73';
const DOWN = '#D55E00';
const UNCHANGED = '#5b6270';

/** A candle as chartjs-chart-financial reads it (its Candle, which its types do not export). */
export interface Candle {
  x: number;
  o: number;
  h: number;
  l: number;
  c: number;
}

type OhlcBar = DailyBar & { open: number; high: number; low: number };

/** Bars with all of open, high, low and close (derived series may lack them). */
export function barsWithOhlc(bars: readonly DailyBar[]): OhlcBar[] {
  return bars.filter((b): b is OhlcBar => b.open !== null && b.high !== null && b.low !== null);
}

/** One candle per bar: x the session's date, o/h/l/c the bar's open, high, low and close. */
export function candlePoints(bars: readonly DailyBar[]): Candle[] {
  return barsWithOhlc(bars).map((b) => ({ x: barTime(b.date), o: b.open, h: b.high, l: b.low, c: b.close }));
}

export interface CandleProps {
  instrument: Instrument;
  bars: readonly DailyBar[];
  /** the events to mark, numbered in this order (as on the close line) */
  events: readonly EventSummary[];
  moves: readonly DetectedMove[];
  openEvent: (slug: string) => void;
  /** each event's number in the list under the chart, when `events` is part of it */
  eventNumbers?: ReadonlyMap<string, number>;
}

/** A triangle per detected move on a bar with a candle: pointing up above its high, or down below its low. */
export function candleMoveMarkers(bars: readonly DailyBar[], moves: readonly DetectedMove[]): Record<string, AnnotationOptions> {
  const byDate = new Map(barsWithOhlc(bars).map((b) => [b.date, b]));
  const markers: Record<string, AnnotationOptions> = {};
  for (const m of moves) {
    const bar = byDate.get(m.date);
    if (!bar) continue;
    const down = (m.move ?? 0) < 0;
    markers[`move-${m.date}`] = {
      type: 'point',
      xValue: barTime(m.date),
      yValue: down ? bar.low : bar.high,
      yAdjust: down ? 9 : -9,
      pointStyle: 'triangle',
      rotation: down ? 180 : 0,
      radius: 6,
      borderColor: MOVE_EDGE,
      borderWidth: 1,
      backgroundColor: down ? MOVE_DOWN : MOVE_UP,
    };
  }
  return markers;
}

export function candleConfig({
  instrument,
  bars,
  events,
  moves,
  openEvent,
  eventNumbers,
}: CandleProps): ChartConfiguration<'candlestick', Candle[]> {
  const priceText = (v: number) => formatInstrumentPrice(instrument, v);
  const config: ChartConfiguration<'candlestick', Candle[]> = {
    type: 'candlestick',
    data: {
      datasets: [
        {
          label: `${instrument.symbol} open, high, low, close`,
          data: candlePoints(bars),
          borderColors: { up: UP, down: DOWN, unchanged: UNCHANGED },
          backgroundColors: { up: UP, down: DOWN, unchanged: UNCHANGED },
        },
      ],
    },
    options: {
      ...stackedChartOptions(bars, { title: `price (${instrument.currency})`, tick: priceText }),
      plugins: {
        legend: { display: false },
        tooltip: pointTooltip<Candle>(
          (p) => `open ${priceText(p.o)} · high ${priceText(p.h)} · low ${priceText(p.l)} · close ${priceText(p.c)}`,
        ),
      },
    },
  };
  // set apart from the literal, as in history.ts: tsc overflows comparing typed annotations with chart.js's options
  (config.options!.plugins as { annotation?: unknown }).annotation = {
    annotations: { ...candleMoveMarkers(bars, moves), ...eventMarkers(events, openEvent, eventNumbers) },
  };
  return config;
}
