// The instrument page's price chart with its switch: the close line (with the detected moves) or candles (open,
// high, low, close); the choice is a pair of radio buttons and lives in the URL (?chart=candles).
import type { DailyBar, DetectedMove, EventSummary, Instrument } from '../api';
import { barsWithOhlc, candleConfig, type Candle } from '../charts/candles';
import { chartCanvas, drawChart } from '../charts/draw';
import { historyConfig, type HistoryPoint } from '../charts/history';
import { el, replaceChildren } from '../dom';

type PriceView = 'line' | 'candles';

export interface PriceChartProps {
  instrument: Instrument;
  bars: DailyBar[];
  /** the events within the bars, numbered in this order */
  events: EventSummary[];
  moves: DetectedMove[];
  color: string;
}

function viewFromUrl(): PriceView {
  return new URLSearchParams(window.location.search).get('chart') === 'candles' ? 'candles' : 'line';
}

function keepViewInUrl(view: PriceView): void {
  const url = new URL(window.location.href);
  if (view === 'candles') url.searchParams.set('chart', 'candles');
  else url.searchParams.delete('chart');
  window.history.replaceState(null, '', url);
}

function openEvent(slug: string): void {
  window.location.href = `/events/${encodeURIComponent(slug)}`;
}

function draw(canvas: HTMLCanvasElement, view: PriceView, props: PriceChartProps): void {
  const { instrument, bars, events, moves } = props;
  canvas.dataset.view = view;
  if (view === 'candles') {
    const label = `Daily open, high, low and close of ${instrument.symbol} as candles, with ${events.length} events and ${moves.length} detected moves marked`;
    canvas.setAttribute('aria-label', label);
    canvas.textContent = label;
    drawChart<'candlestick', Candle[]>(canvas, candleConfig({ instrument, bars, events, moves, openEvent }));
    return;
  }
  const label = `Daily closes of ${instrument.symbol} with ${events.length} events marked`;
  canvas.setAttribute('aria-label', label);
  canvas.textContent = label;
  drawChart<'line', HistoryPoint[]>(canvas, historyConfig({ ...props, openEvent }));
}

/** The switch: a labelled group of two radio buttons (arrow keys move between them, as for any radio group). */
function viewSwitch(current: PriceView, candlesPossible: boolean, onChange: (view: PriceView) => void): HTMLFieldSetElement {
  const option = (value: PriceView, text: string, disabled = false) => {
    const input = el('input', { attrs: { type: 'radio', name: 'price-view', value, id: `price-view-${value}` } });
    input.checked = value === current;
    input.disabled = disabled;
    input.addEventListener('change', () => {
      if (input.checked) onChange(value);
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

/** Draws the price chart into `target` with its switch in `switchTarget`. */
export function renderPriceChart(target: HTMLElement, switchTarget: HTMLElement, props: PriceChartProps): void {
  const candlesPossible = barsWithOhlc(props.bars).length > 0;
  const initial = candlesPossible ? viewFromUrl() : 'line';
  const { box, canvas } = chartCanvas('chart-history', '', 'chart-history');
  replaceChildren(target, box);
  draw(canvas, initial, props);
  replaceChildren(
    switchTarget,
    viewSwitch(initial, candlesPossible, (view) => {
      keepViewInUrl(view);
      draw(canvas, view, props);
    }),
  );
}
