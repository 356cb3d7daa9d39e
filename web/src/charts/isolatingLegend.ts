// A chart's legend in HTML beside the canvas, for charts with a line per instrument: entries wrap at any width (a
// canvas legend clips long labels on a phone), each shows its line's colour and dash, hovering or focusing an entry
// fades the other lines, and clicking it shows that line alone (clicking it again brings the others back).
import type { UpdateMode } from 'chart.js';
import { el } from '../dom';
import type { InstrumentStyle } from '../instrumentStyle';
import { withAlpha } from './style';

export interface LegendEntry {
  label: string;
  style: InstrumentStyle;
}

/** What the legend does to a chart (any chart.js chart whose datasets are lines). */
interface LegendChart {
  data: { datasets: { borderColor?: unknown; backgroundColor?: unknown }[] };
  update(mode?: UpdateMode): void;
  setDatasetVisibility(index: number, visible: boolean): void;
}

/** How faint the other lines get while an entry is hovered. */
const FADED = 0.15;

function swatch(style: InstrumentStyle): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', '36');
  svg.setAttribute('height', '10');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(ns, 'line');
  line.setAttribute('x1', '1');
  line.setAttribute('x2', '35');
  line.setAttribute('y1', '5');
  line.setAttribute('y2', '5');
  line.setAttribute('stroke', style.color);
  line.setAttribute('stroke-width', '3');
  if (style.dash.length) line.setAttribute('stroke-dasharray', style.dash.join(' '));
  svg.append(line);
  return svg;
}

/** The legend of `chart`, whose datasets are the entries in the same order. */
export function isolatingLegend(chart: LegendChart, entries: readonly LegendEntry[], name: string): HTMLElement {
  let isolated: number | null = null;
  const colour = (i: number, faded: boolean) => (faded ? withAlpha(entries[i].style.color, FADED) : entries[i].style.color);
  const highlight = (focus: number | null) => {
    chart.data.datasets.forEach((d, i) => {
      const c = colour(i, focus !== null && i !== focus);
      d.borderColor = c;
      d.backgroundColor = c;
    });
    chart.update('none');
  };
  const buttons = entries.map((entry, i) => {
    const button = el(
      'button',
      { className: 'legend-entry', attrs: { type: 'button', 'aria-pressed': 'false' }, dataset: { index: String(i) } },
      swatch(entry.style),
      el('span', { text: entry.label }),
    );
    button.addEventListener('mouseenter', () => highlight(i));
    button.addEventListener('focus', () => highlight(i));
    button.addEventListener('mouseleave', () => highlight(null));
    button.addEventListener('blur', () => highlight(null));
    button.addEventListener('click', () => {
      isolated = isolated === i ? null : i;
      entries.forEach((_, j) => {
        chart.setDatasetVisibility(j, isolated === null || j === isolated);
        buttons[j].setAttribute('aria-pressed', String(isolated === j));
      });
      chart.update('none');
    });
    return button;
  });
  return el(
    'div',
    { className: 'chart-legend', attrs: { role: 'group', 'aria-label': name } },
    el('span', { className: 'legend-hint', text: 'Hover to pick out a line, click to show it alone:' }),
    ...buttons.map((b) => el('span', {}, b)),
  );
}
