// The event page's two charts as configurations: every instrument's rebased price path in event time, and per
// instrument its abnormal returns (bars), CAR (line) and 95% band. Pure: data in, ChartConfiguration out.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { EventImpact, Instrument } from '../api';
import { formatDate, formatNumber, formatOffset, formatPercent, placeOf } from '../format';
import { abnormalReturnBars, carBand, carLine, dayAt, rebasedPath, type EventTimePoint } from '../impactView';
import type { InstrumentStyle } from '../instrumentStyle';
import { bandDatasets, DAY_ZERO_LINE, DAY_ZERO_RED, REFERENCE_GREY, withAlpha } from './style';

/** The point under a tooltip item (the data of both charts are EventTimePoints). */
function pointOf(ctx: { raw: unknown }): EventTimePoint {
  return ctx.raw as EventTimePoint;
}

/** "NVDA NVIDIA (New York, -16.97% on day 0)": the symbol, the name without its legal form, where, how much. */
export function pathLabel(result: EventImpact, instrument: Instrument | undefined): string {
  const name = instrument ? ` ${instrument.name.replace(/ (Corporation|Corp\.|Limited|Inc\.)$/, '')}` : '';
  return `${result.symbol}${name} (${placeOf(instrument?.exchange ?? '', instrument?.timeZone ?? '')}, ${formatPercent(dayAt(result, 0)?.move)} on day 0)`;
}

export interface PricePathsProps {
  /** the instruments to draw, each with a rebased path */
  results: readonly EventImpact[];
  styles: ReadonlyMap<string, InstrumentStyle>;
  instruments: readonly Instrument[];
}

/** Rebased closes (day −1 = 100) of every instrument by trading day from its own day 0, day 0 marked. */
export function pricePathsConfig({ results, styles, instruments }: PricePathsProps): ChartConfiguration<'line', EventTimePoint[]> {
  const datasets: ChartDataset<'line', EventTimePoint[]>[] = results.map((r) => {
    const s = styles.get(r.symbol)!;
    return {
      label: pathLabel(
        r,
        instruments.find((i) => i.symbol === r.symbol),
      ),
      data: rebasedPath(r),
      borderColor: s.color,
      backgroundColor: s.color,
      borderDash: s.dash,
      borderWidth: 2.5,
      pointStyle: s.pointStyle,
      pointRadius: 3,
      pointHoverRadius: 6,
      tension: 0,
    };
  });
  const ys = datasets.flatMap((d) => d.data.map((p) => p.y));
  return {
    type: 'line',
    data: { datasets },
    options: {
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: 'trading days from day 0 (each instrument on its own exchange)' },
          ticks: { stepSize: 1, maxRotation: 0, autoSkipPadding: 6, callback: (v) => formatOffset(v) },
        },
        y: { title: { display: true, text: 'close, day −1 = 100' }, suggestedMin: Math.min(...ys) - 1, suggestedMax: Math.max(...ys) + 1 },
      },
      plugins: {
        // the legend is HTML beside the canvas (../charts/isolatingLegend): it wraps on a phone and isolates a line
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => (items.length ? `day ${formatOffset(pointOf(items[0]).x)}` : ''),
            label: (ctx) => {
              const p = pointOf(ctx);
              const r = results[ctx.datasetIndex];
              return `${r.symbol}: ${formatNumber(p.y)} on ${formatDate(p.date)} (move ${formatPercent(dayAt(r, p.x)?.move)})`;
            },
          },
        },
        annotation: {
          annotations: {
            dayZero: {
              type: 'line',
              scaleID: 'x',
              value: 0,
              borderColor: DAY_ZERO_RED,
              borderWidth: 2,
              label: {
                display: true,
                content: 'day 0',
                position: 'start',
                backgroundColor: DAY_ZERO_RED,
                color: '#fff',
                font: { weight: 'bold' },
              },
            },
            base: { type: 'line', scaleID: 'y', value: 100, borderColor: REFERENCE_GREY, borderWidth: 1, borderDash: [4, 4] },
          },
        },
      },
    },
  };
}

export interface AbnormalReturnsProps {
  result: EventImpact;
  style: InstrumentStyle;
  /** the event window's first offset: where the CAR and its band start */
  windowStart: number;
  /** the y axis (in %) every small chart of the page shares, so that their bars compare at a glance */
  yRange?: { min: number; max: number };
}

/**
 * One y range (in %) for the small abnormal-return charts of a page: from the lowest to the highest abnormal
 * return, CAR or band edge of any of them, with a little room, rounded out to whole percent.
 */
export function sharedYRange(results: readonly EventImpact[], windowStart: number): { min: number; max: number } | null {
  const values = results.flatMap((r) => {
    const band = carBand(r, windowStart);
    return [...abnormalReturnBars(r), ...carLine(r), ...(band ? [...band.upper, ...band.lower] : [])].map((p) => p.y);
  });
  if (values.length === 0) return null;
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  const room = (high - low) * 0.05;
  return { min: Math.floor(low - room), max: Math.ceil(high + room) };
}

/** One instrument's abnormal returns (bars, day 0 darker), its CAR (line) and, with a fitted model, the 95% band. */
export function abnormalReturnsConfig({
  result,
  style,
  windowStart,
  yRange,
}: AbnormalReturnsProps): ChartConfiguration<'bar', EventTimePoint[]> {
  const bars = abnormalReturnBars(result);
  const band = carBand(result, windowStart);
  const datasets: ChartDataset<'bar' | 'line', EventTimePoint[]>[] = [
    {
      type: 'line',
      label: 'CAR',
      data: carLine(result),
      borderColor: style.color,
      backgroundColor: style.color,
      borderDash: style.dash,
      borderWidth: 2.5,
      pointRadius: 2,
      pointStyle: style.pointStyle,
      order: 1,
    },
    {
      type: 'bar',
      label: 'abnormal return',
      data: bars,
      backgroundColor: bars.map((p) => withAlpha(style.color, p.x === 0 ? 0.95 : 0.45)),
      borderWidth: 0,
      order: 2,
    },
  ];
  if (band) {
    datasets.push(...bandDatasets(band.upper, band.lower).map((d) => ({ ...d, type: 'line' as const, order: 3 })));
  }
  return {
    type: 'bar',
    data: { datasets: datasets as ChartDataset<'bar', EventTimePoint[]>[] },
    options: {
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: {
          type: 'linear',
          offset: true,
          ticks: { stepSize: 1, maxRotation: 0, autoSkipPadding: 4, callback: (v) => formatOffset(v) },
          grid: { display: false },
        },
        y: { ...(yRange ? { min: yRange.min, max: yRange.max } : {}), ticks: { callback: (v) => `${v}%` } },
      },
      plugins: {
        legend: {
          display: true,
          position: 'bottom',
          labels: { boxWidth: 14, boxHeight: 8, filter: (item) => !item.text.includes('(lower)') },
        },
        tooltip: {
          filter: (item) => !(item.dataset.label ?? '').includes('(lower)'),
          callbacks: {
            title: (items) => (items.length ? `day ${formatOffset(pointOf(items[0]).x)} · ${formatDate(pointOf(items[0]).date)}` : ''),
            label: (ctx) => {
              const label = ctx.dataset.label ?? '';
              const y = pointOf(ctx).y;
              return label === '95% band' ? `95% band: ±${y.toFixed(2)}%` : `${label}: ${formatPercent(y / 100)}`;
            },
          },
        },
        annotation: { annotations: { dayZero: DAY_ZERO_LINE } },
      },
    },
  };
}
