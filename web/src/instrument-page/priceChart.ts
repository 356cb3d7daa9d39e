// The instrument page's price chart with its controls: the close line (with the detected moves and their %) or
// candles (open, high, low, close); a range (1M, 3M, 6M, 1Y, max); the change in % instead of the price; the
// benchmark overlaid (as its change over the same dates). The choices live in the URL (?chart=candles&range=1Y
// &scale=percent&compare=benchmark), so a link shows the same chart.
import type { Chart } from 'chart.js';
import type { ZoomPluginOptions } from 'chartjs-plugin-zoom/types/options';
import type { DailyBar, DetectedMove, EventSummary, Instrument } from '../api';
import { barsWithOhlc, candleConfig, type Candle } from '../charts/candles';
import { chartCanvas, drawChart } from '../charts/draw';
import { barsInRange, eventsWithin, historyConfig, PRICE_RANGES, type HistoryPoint, type PriceRange } from '../charts/history';
import { barTime } from '../charts/priceAxes';
import { el, replaceChildren } from '../dom';

type PriceView = 'line' | 'candles';

interface ChartChoice {
  view: PriceView;
  range: PriceRange;
  percent: boolean;
  compare: boolean;
}

export interface PriceChartProps {
  instrument: Instrument;
  bars: DailyBar[];
  /** the events within the bars, numbered in this order */
  events: EventSummary[];
  moves: DetectedMove[];
  color: string;
  /** the benchmark's daily bars, asked for when the overlay is first switched on */
  benchmarkBars: () => Promise<DailyBar[]>;
  /** the time span shown changed: [first, last] instant of the x axis (the volume chart follows it) */
  onSpan: (span: [number, number]) => void;
}

const HALF_DAY = 43_200_000;

function choiceFromUrl(): ChartChoice {
  const q = new URLSearchParams(window.location.search);
  const range = q.get('range');
  return {
    view: q.get('chart') === 'candles' ? 'candles' : 'line',
    range: PRICE_RANGES.find((r) => r === range) ?? 'max',
    percent: q.get('scale') === 'percent',
    compare: q.get('compare') === 'benchmark',
  };
}

function keepChoiceInUrl(c: ChartChoice): void {
  const url = new URL(window.location.href);
  const set = (name: string, value: string | null) => (value ? url.searchParams.set(name, value) : url.searchParams.delete(name));
  set('chart', c.view === 'candles' ? 'candles' : null);
  set('range', c.range === 'max' ? null : c.range);
  set('scale', c.percent ? 'percent' : null);
  set('compare', c.compare ? 'benchmark' : null);
  window.history.replaceState(null, '', url);
}

function openEvent(slug: string): void {
  window.location.href = `/events/${encodeURIComponent(slug)}`;
}

async function draw(canvas: HTMLCanvasElement, c: ChartChoice, props: PriceChartProps): Promise<void> {
  const { instrument } = props;
  const bars = barsInRange(props.bars, c.range);
  const events = eventsWithin(bars, props.events);
  const shownDates = new Set(bars.map((b) => b.date));
  const moves = props.moves.filter((m) => shownDates.has(m.date));
  const eventNumbers = new Map(props.events.map((e, i) => [e.slug, i + 1]));
  canvas.dataset.view = c.view;
  canvas.dataset.range = c.range;
  if (bars.length) props.onSpan([barTime(bars[0].date) - HALF_DAY, barTime(bars[bars.length - 1].date) + HALF_DAY]);
  if (c.view === 'candles') {
    const label = `Daily open, high, low and close of ${instrument.symbol} as candles, with ${events.length} events and ${moves.length} detected moves marked`;
    canvas.setAttribute('aria-label', label);
    canvas.textContent = label;
    drawChart<'candlestick', Candle[]>(
      canvas,
      withZoom(candleConfig({ instrument, bars, events, moves, openEvent, eventNumbers }), props.onSpan),
    );
    return;
  }
  const benchmark = c.compare && instrument.benchmark ? { symbol: instrument.benchmark, bars: await props.benchmarkBars() } : null;
  const asChange = c.percent || benchmark !== null;
  const label = `Daily ${asChange ? 'change in % of the close' : 'closes'} of ${instrument.symbol}${benchmark ? ` and of its benchmark ${benchmark.symbol}` : ''} with ${events.length} events marked`;
  canvas.setAttribute('aria-label', label);
  canvas.textContent = label;
  canvas.dataset.scale = asChange ? 'percent' : 'price';
  drawChart<'line', HistoryPoint[]>(
    canvas,
    withZoom(
      historyConfig({
        instrument,
        bars,
        events,
        moves,
        color: props.color,
        openEvent,
        percent: c.percent,
        benchmark,
        eventNumbers,
      }),
      props.onSpan,
    ),
  );
}

/**
 * Zoom and pan along the time axis (chartjs-plugin-zoom): drag to pan, Ctrl + wheel or a pinch to zoom (a plain
 * wheel keeps scrolling the page), within the bars of the range; the volume bars follow.
 */
function withZoom<C extends { options?: { plugins?: unknown } }>(config: C, onSpan: PriceChartProps['onSpan']): C {
  const follow = ({ chart }: { chart: Chart }) => onSpan([chart.scales.x.min, chart.scales.x.max]);
  const zoom: ZoomPluginOptions = {
    limits: { x: { min: 'original', max: 'original', minRange: 5 * 86_400_000 } },
    pan: { enabled: true, mode: 'x', onPanComplete: follow },
    zoom: { wheel: { enabled: true, modifierKey: 'ctrl' }, pinch: { enabled: true }, mode: 'x', onZoomComplete: follow },
  };
  (config.options!.plugins as { zoom?: ZoomPluginOptions }).zoom = zoom;
  return config;
}

/** The chart type: a labelled group of two radio buttons (arrow keys move between them, as for any radio group). */
function viewSwitch(c: ChartChoice, candlesPossible: boolean, onChange: () => void): HTMLFieldSetElement {
  const option = (value: PriceView, text: string, disabled = false) => {
    const input = el('input', { attrs: { type: 'radio', name: 'price-view', value, id: `price-view-${value}` } });
    input.checked = value === c.view;
    input.disabled = disabled;
    input.addEventListener('change', () => {
      if (!input.checked) return;
      c.view = value;
      onChange();
    });
    return el('label', { attrs: { for: input.id } }, input, ` ${text}`);
  };
  return el(
    'fieldset',
    { className: 'chart-switch', attrs: { id: 'price-view' } },
    el('legend', { text: 'Price chart' }),
    option('line', 'Close line'),
    option('candles', 'Candles (open, high, low, close)', !candlesPossible),
    candlesPossible ? null : el('span', { className: 'muted', text: 'no open, high and low are stored for this series' }),
  );
}

/** The range buttons: one pressed at a time (aria-pressed). */
function rangeButtons(c: ChartChoice, onChange: () => void): HTMLElement {
  const buttons = PRICE_RANGES.map((range) => {
    const b = el('button', {
      className: 'range-button',
      text: range === 'max' ? 'Max' : range,
      attrs: { type: 'button', 'aria-pressed': String(range === c.range) },
      dataset: { range },
    });
    b.addEventListener('click', () => {
      c.range = range;
      for (const other of buttons) other.setAttribute('aria-pressed', String(other === b));
      onChange();
    });
    return b;
  });
  return el('div', { className: 'range-buttons', attrs: { role: 'group', 'aria-label': 'Range', id: 'price-range' } }, ...buttons);
}

/** The %-change and benchmark switches (the line only: candles are prices). */
function lineOptions(c: ChartChoice, instrument: Instrument, onChange: () => void): { box: HTMLElement; sync: () => void } {
  const check = (id: string, text: string, checked: boolean, set: (on: boolean) => void) => {
    const input = el('input', { attrs: { type: 'checkbox', id } });
    input.checked = checked;
    input.addEventListener('change', () => {
      set(input.checked);
      onChange();
    });
    return { input, label: el('label', { attrs: { for: id } }, input, ` ${text}`) };
  };
  const percent = check('price-percent', '% change', c.percent, (on) => {
    c.percent = on;
  });
  const compare = instrument.benchmark
    ? check('price-compare', `Compare with ${instrument.benchmark}`, c.compare, (on) => {
        c.compare = on;
      })
    : null;
  const sync = () => {
    percent.input.disabled = c.view === 'candles' || c.compare;
    // the benchmark is in other units: overlaid, both lines are drawn as their change in %
    percent.input.checked = c.percent || (c.compare && c.view === 'line');
    if (compare) compare.input.disabled = c.view === 'candles';
  };
  sync();
  return { box: el('div', { className: 'line-options' }, percent.label, compare?.label), sync };
}

/** Draws the price chart into `target` with its controls in `switchTarget`. */
export function renderPriceChart(target: HTMLElement, switchTarget: HTMLElement, props: PriceChartProps): void {
  const candlesPossible = barsWithOhlc(props.bars).length > 0;
  const choice = choiceFromUrl();
  if (!candlesPossible) choice.view = 'line';
  const { box, canvas } = chartCanvas('chart-history', '', 'chart-history');
  replaceChildren(target, box);
  let options: { sync: () => void } | null = null;
  const redraw = () => {
    keepChoiceInUrl(choice);
    options?.sync();
    void draw(canvas, choice, props).catch((err: Error) => {
      // the benchmark's bars could not be loaded: the line alone, and say why
      choice.compare = false;
      options?.sync();
      target.append(el('p', { className: 'state state-error', text: `The benchmark could not be loaded: ${err.message}` }));
      void draw(canvas, choice, props);
    });
  };
  const lineControls = lineOptions(choice, props.instrument, redraw);
  options = lineControls;
  replaceChildren(
    switchTarget,
    el('div', { className: 'chart-controls' }, rangeButtons(choice, redraw), lineControls.box, viewSwitch(choice, candlesPossible, redraw)),
  );
  const reset = el('button', {
    className: 'button button-quiet zoom-reset',
    text: 'Reset zoom',
    attrs: { type: 'button', id: 'zoom-reset' },
  });
  reset.addEventListener('click', redraw);
  switchTarget.append(el('p', { className: 'chart-note zoom-hint' }, 'Drag the chart to pan; Ctrl + wheel or pinch to zoom. ', reset));
  redraw();
}
