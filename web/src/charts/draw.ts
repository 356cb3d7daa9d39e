// The one chart wrapper every chart of the dashboard goes through: registers only the chart.js parts we use
// (keeps the bundle small), sets the house style, marks the first chart paint for the bench, and keeps each
// chart reachable for the browser tests as window.__aftershockCharts[canvasId]. What a chart shows comes from
// the pure builders beside this file (a ChartConfiguration from data, no DOM).
import { Chart, type ChartConfiguration, type ChartType, type DefaultDataPoint, type Plugin } from 'chart.js';
// the parts named once, through their modules: esbuild still bundles only the parts used
import * as chartjs from 'chart.js';
import * as financial from 'chartjs-chart-financial';
import annotationPlugin from 'chartjs-plugin-annotation';
import zoomPlugin from 'chartjs-plugin-zoom';
import { FIRST_CHART_PAINT } from '../marks';

declare global {
  interface Window {
    __aftershockCharts?: Record<string, Chart>;
  }
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  Chart.register(
    chartjs.BarController,
    chartjs.BarElement,
    chartjs.CategoryScale,
    chartjs.Filler,
    chartjs.Legend,
    chartjs.LinearScale,
    chartjs.LineController,
    chartjs.LineElement,
    chartjs.PointElement,
    chartjs.TimeScale,
    chartjs.Tooltip,
    annotationPlugin,
    // zoom and pan of the instrument page's price chart (off unless a chart's options turn it on)
    zoomPlugin,
    // the instrument page's candles (chartjs-chart-financial, chart.js's own financial charts)
    financial.CandlestickController,
    financial.CandlestickElement,
    financial.OhlcController,
    financial.OhlcElement,
  );
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#3b4252';
  Chart.defaults.borderColor = 'rgba(60, 66, 82, 0.12)';
  Chart.defaults.animation = false; // charts are read, not watched; and the first paint comes sooner
  Chart.defaults.maintainAspectRatio = false; // the CSS of each chart's box decides its height
  Chart.defaults.responsive = true;
}

const paintMarker: Plugin = {
  id: 'aftershockPaint',
  afterDraw(chart) {
    const canvas = chart.canvas;
    if (canvas.dataset.drawn === 'true') return;
    canvas.dataset.drawn = 'true';
    if (performance.getEntriesByName(FIRST_CHART_PAINT, 'mark').length === 0) performance.mark(FIRST_CHART_PAINT);
  },
};

/** Draws a chart on the canvas (replacing any chart already on it) and returns it. */
export function drawChart<T extends ChartType, D = DefaultDataPoint<T>>(
  canvas: HTMLCanvasElement,
  config: ChartConfiguration<T, D>,
): Chart<T, D> {
  register();
  Chart.getChart(canvas)?.destroy();
  delete canvas.dataset.drawn;
  config.plugins = [...(config.plugins ?? []), paintMarker as unknown as Plugin<T>];
  const chart = new Chart<T, D>(canvas, config);
  const charts = (window.__aftershockCharts ??= {});
  if (canvas.id) charts[canvas.id] = chart as unknown as Chart;
  return chart;
}

/** A canvas with an accessible name and a text alternative for screen readers. */
export function chartCanvas(id: string, label: string, className = 'chart'): { box: HTMLDivElement; canvas: HTMLCanvasElement } {
  const box = document.createElement('div');
  box.className = `chart-box ${className}`;
  const canvas = document.createElement('canvas');
  canvas.id = id;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  canvas.textContent = label;
  box.append(canvas);
  return { box, canvas };
}
