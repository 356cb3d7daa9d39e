// The event page's charts in their boxes: the price paths of all instruments, and a small abnormal-return chart
// per instrument. What they show is built in ../charts/eventTime.ts.
import type { EventImpact, Instrument } from '../api';
import { abnormalReturnsConfig, pathLabel, pricePathsConfig, sharedYRange } from '../charts/eventTime';
import { chartCanvas, drawChart } from '../charts/draw';
import { isolatingLegend } from '../charts/isolatingLegend';
import { el, empty, replaceChildren } from '../dom';
import { abnormalReturnBars, carBand, rebasedPath, type EventTimePoint } from '../impactView';
import type { InstrumentStyle } from '../instrumentStyle';
import { instrumentOf } from './state';

export interface ImpactChartProps {
  results: readonly EventImpact[];
  styles: ReadonlyMap<string, InstrumentStyle>;
  instruments: readonly Instrument[];
}

/** Every instrument with a path on one chart; the others named below it with the reason. */
export function renderPricePaths(target: HTMLElement, { results, styles, instruments }: ImpactChartProps): void {
  const drawn = results.filter((r) => rebasedPath(r).length > 0);
  if (drawn.length === 0) {
    replaceChildren(target, empty('No price path to draw: no instrument has a close on day −1 and after.'));
    return;
  }
  const { box, canvas } = chartCanvas(
    'chart-paths',
    `Rebased price paths of ${drawn.map((r) => r.symbol).join(', ')} around day 0`,
    'chart-paths',
  );
  const missing = results.filter((r) => !drawn.includes(r));
  replaceChildren(
    target,
    box,
    missing.length
      ? el('p', { className: 'note', text: `Not drawn: ${missing.map((r) => `${r.symbol} (${r.statusReason})`).join('; ')}` })
      : null,
  );
  const chart = drawChart<'line', EventTimePoint[]>(canvas, pricePathsConfig({ results: drawn, styles, instruments }));
  // the legend in HTML above the chart: it wraps on a phone, and picks out or isolates a line
  box.before(
    isolatingLegend(
      chart,
      drawn.map((r) => ({ label: pathLabel(r, instrumentOf(instruments, r.symbol)), style: styles.get(r.symbol)! })),
      'Price paths: the instruments',
    ),
  );
}

/** Small multiples: per instrument its abnormal returns, CAR and band, or why there are none. */
export function renderAbnormalReturns(
  target: HTMLElement,
  { results, styles, instruments, windowStart }: ImpactChartProps & { windowStart: number },
): void {
  const grid = el('div', 'small-multiples');
  replaceChildren(target, grid);
  // one y scale for all of them: a 2% bar looks the same size in every chart
  const yRange = sharedYRange(results, windowStart) ?? undefined;
  for (const r of results) {
    const style = styles.get(r.symbol)!;
    const instrument = instrumentOf(instruments, r.symbol);
    const card = el('figure', { className: 'small-chart', dataset: { symbol: r.symbol } });
    const heading = el(
      'figcaption',
      {},
      el('strong', { text: r.symbol }),
      ` ${instrument?.name ?? ''}`,
      r.benchmark ? el('span', { className: 'muted', text: ` vs ${r.benchmark}` }) : null,
    );
    card.append(heading);
    grid.append(card);
    if (abnormalReturnBars(r).length === 0) {
      card.append(empty(`No abnormal returns: ${r.statusReason}`));
      continue;
    }
    const { box, canvas } = chartCanvas(
      `chart-ar-${r.symbol.replace(/[^A-Za-z0-9]/g, '_')}`,
      `Abnormal returns and CAR of ${r.symbol}`,
      'chart-small',
    );
    card.append(box);
    if (!carBand(r, windowStart)) card.append(el('p', { className: 'note', text: `No 95% band: ${r.statusReason}.` }));
    drawChart<'bar', EventTimePoint[]>(canvas, abnormalReturnsConfig({ result: r, style, windowStart, yRange }));
  }
}
