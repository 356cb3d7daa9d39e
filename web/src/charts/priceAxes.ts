// The axes the instrument page's stacked charts share (price above, volume below): one time range from the
// first to the last bar and a y axis of one fixed width, so that a date sits at the same x in both; and the rest of
// the options those charts have in common. Pure.
import type { Scale } from 'chart.js';

/** Midnight UTC of a session date: where a daily bar sits on a time axis. */
export const barTime = (date: string): number => Date.parse(`${date}T00:00:00Z`);

const HALF_DAY = 43_200_000;
/** room for "¥39,565.80" or "818.8m"; the same in every stacked chart, whatever its ticks need */
const Y_AXIS_WIDTH = 76;

/** A time axis from half a day before the first bar to half a day after the last (bars and candles fit whole). */
function sharedTimeAxis(bars: readonly { date: string }[]) {
  return {
    type: 'time' as const,
    adapters: { date: { zone: 'UTC' } },
    min: bars.length ? barTime(bars[0].date) - HALF_DAY : undefined,
    max: bars.length ? barTime(bars[bars.length - 1].date) + HALF_DAY : undefined,
    time: { unit: 'month' as const, tooltipFormat: 'd LLL yyyy' },
    // stated for every chart type: the bar and candlestick controllers' own defaults offset the axis by half a bar
    // and put a tick at every bar
    offset: false,
    grid: { offset: false },
    ticks: { source: 'auto' as const, maxRotation: 0, autoSkipPadding: 8, major: { enabled: false } },
    // chart.js pads an axis by the overhang of its last tick label, which differs from chart to chart: no
    // padding (the layout's EDGE_ROOM instead) keeps the plot areas the same width
    afterFit: (axis: Scale) => {
      axis.paddingLeft = 0;
      axis.paddingRight = 0;
    },
  };
}

/** room at the right for the last date label, the same in every stacked chart */
const EDGE_ROOM = { padding: { right: 18 } };

/** What a stacked chart's y axis says: its title and how a tick reads; a volume axis starts at zero. */
export interface StackedValueAxis {
  title: string;
  tick: (value: number) => string;
  beginAtZero?: true;
}

/**
 * The options every stacked chart has (its plugins aside): the shared time axis over all the bars, a y axis of the
 * fixed width, the room at the right, and the nearest point in time as what the pointer is over.
 */
export function stackedChartOptions(bars: readonly { date: string }[], y: StackedValueAxis) {
  return {
    layout: EDGE_ROOM,
    interaction: { mode: 'nearest' as const, axis: 'x' as const, intersect: false },
    scales: {
      x: sharedTimeAxis(bars),
      y: {
        afterFit: (axis: Scale) => {
          axis.width = Y_AXIS_WIDTH;
        },
        ...(y.beginAtZero ? { beginAtZero: true } : {}),
        title: { display: true, text: y.title },
        ticks: { callback: (value: number | string) => y.tick(Number(value)) },
      },
    },
  };
}

/** A tooltip whose line for a point is `label` of the point as the chart holds it (and of its dataset's index). */
export function pointTooltip<Point>(label: (point: Point, datasetIndex: number) => string) {
  return { callbacks: { label: (ctx: { raw: unknown; datasetIndex: number }) => label(ctx.raw as Point, ctx.datasetIndex) } };
}
