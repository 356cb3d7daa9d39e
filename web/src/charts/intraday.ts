// The event page's intraday charts as configurations (shared/methods/intraday.md): every member's price path (% from
// the previous close) and CAR path in event time (x = minutes from its own event bar), the selected member's matched
// time-of-day band and significant run, the group's CAAR, and the group's abnormal volume. A bar that is missing,
// a lunch break and the night between two sessions are gaps in a line (a null point, spanGaps off): nothing is
// interpolated. Pure: data in, ChartConfiguration out.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { IntradayAggregatePoint, IntradayMemberResult, IntradayPoint, IntradayStudyResult } from '../api';
import { formatNumber, formatPercent } from '../format';
import type { InstrumentStyle } from '../instrumentStyle';
import { bandDatasets, DAY_ZERO_LINE, REFERENCE_GREY, withAlpha } from './style';

/** One point of an intraday chart: x in minutes of event time, y in % (null: a gap), the bar's start. */
export interface IntradayChartPoint {
  x: number;
  y: number | null;
  k: number;
  t: string | null;
}

const INTERVAL_MINUTES: Record<string, number> = { '1m': 1, '5m': 5, '15m': 15, '60m': 60 };

/** The bar length of a study in minutes (5 for '5m'). */
export function intervalMinutes(study: Pick<IntradayStudyResult, 'options'>): number {
  return INTERVAL_MINUTES[study.options.interval] ?? 5;
}

/** "+35 min", "-1 h", "0": minutes of event time as an axis or tooltip reads them. */
export function formatEventMinutes(minutes: number): string {
  if (minutes === 0) return '0';
  const sign = minutes > 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  if (abs % 60 === 0) return `${sign}${abs / 60} h`;
  if (abs > 60) return `${sign}${Math.floor(abs / 60)} h ${abs % 60} min`;
  return `${sign}${abs} min`;
}

/**
 * A member's points as a line: x = k × Δ minutes, y = value(point) × 100. Where the next stored point is not the next
 * bar of the same session stretch (a missing bar, a lunch break, another session), a null point between them breaks
 * the line.
 */
export function gappedLine(
  points: readonly IntradayPoint[],
  minutes: number,
  value: (p: IntradayPoint) => number | null,
): IntradayChartPoint[] {
  const out: IntradayChartPoint[] = [];
  let prev: IntradayPoint | null = null;
  for (const p of points) {
    const y = value(p);
    if (prev && breaksBetween(prev, p, minutes)) out.push({ x: (p.k - 0.5) * minutes, y: null, k: p.k, t: null });
    out.push({ x: p.k * minutes, y: y === null ? null : y * 100, k: p.k, t: p.t });
    prev = p;
  }
  return out;
}

/** True when b does not follow a directly: an offset skipped, another session, or time missing between the bars. */
function breaksBetween(a: IntradayPoint, b: IntradayPoint, minutes: number): boolean {
  if (b.k !== a.k + 1 || b.session !== a.session || b.slot !== a.slot + 1) return true;
  return Date.parse(b.t) - Date.parse(a.t) > minutes * 60_000;
}

/** The member's matched band on the CAR scale: lower/upper (for CAR0) + the CAR before the event bar. */
export function bandOnCarScale(
  member: IntradayMemberResult,
  minutes: number,
): { upper: IntradayChartPoint[]; lower: IntradayChartPoint[] } | null {
  const withBand = member.points.filter((p) => p.k >= 0 && p.lower !== null && p.upper !== null && p.car !== null && p.car0 !== null);
  if (withBand.length === 0) return null;
  const edge = (pick: (p: IntradayPoint) => number) =>
    gappedLine(
      withBand.map((p) => ({ ...p, car: pick(p) + (p.car! - p.car0!) })),
      minutes,
      (p) => p.car,
    );
  return { upper: edge((p) => p.upper!), lower: edge((p) => p.lower!) };
}

/** The significant run of a member in minutes of event time, or null. */
function significantRun(member: IntradayMemberResult, minutes: number): { from: number; through: number } | null {
  if (member.significantFrom === null || member.significantThrough === null) return null;
  return { from: member.significantFrom * minutes, through: member.significantThrough * minutes };
}

/** The members drawn: status ok with at least one point. */
export function drawnMembers(study: IntradayStudyResult): IntradayMemberResult[] {
  return study.members.filter((m) => m.status === 'ok' && m.points.length > 0);
}

/** The x range of the points drawn (no empty hours after the last bar). */
function xExtent(lines: readonly (readonly IntradayChartPoint[])[]): { min?: number; max?: number } {
  const xs = lines.flatMap((l) => l.map((p) => p.x));
  return xs.length ? { min: Math.min(...xs), max: Math.max(...xs) } : {};
}

/** One width for the y axis of every intraday chart, so that their x axes line up one under the other. */
const Y_AXIS_WIDTH = 64;
function fixedWidth(scale: { width: number }): void {
  scale.width = Y_AXIS_WIDTH;
}

/** Ticks on whole half hours (hours beyond three) of event time inside [min, max]: no label at an odd edge. */
function eventTimeTicks(axis: { min: number; max: number; ticks: { value: number }[] }): void {
  const step = axis.max - axis.min > 180 ? 60 : 30;
  const ticks: { value: number }[] = [];
  for (let v = Math.ceil(axis.min / step) * step; v <= axis.max; v += step) ticks.push({ value: v });
  axis.ticks = ticks;
}

function xAxis(title: string, extent: { min?: number; max?: number } = {}) {
  return {
    type: 'linear' as const,
    ...extent,
    title: { display: true, text: title },
    afterBuildTicks: eventTimeTicks,
    ticks: { maxRotation: 0, autoSkipPadding: 8, callback: (v: string | number) => formatEventMinutes(Number(v)) },
  };
}

const X_TITLE = 'minutes from each member’s event bar (its own exchange and session)';

/** A y axis in % of the fixed width. */
function percentAxis(title: string) {
  return { title: { display: true, text: title }, afterFit: fixedWidth, ticks: { callback: (v: string | number) => `${v}%` } };
}

/** The axes of a chart with a line per member: event time over the points drawn, a % axis. */
function memberScales(datasets: readonly { data: IntradayChartPoint[] }[], yTitle: string) {
  return { x: xAxis(X_TITLE, xExtent(datasets.map((d) => d.data))), y: percentAxis(yTitle) };
}

function memberLine(
  member: IntradayMemberResult,
  style: InstrumentStyle,
  data: IntradayChartPoint[],
  selected: boolean,
): ChartDataset<'line', IntradayChartPoint[]> {
  return {
    label: member.symbol,
    data,
    borderColor: selected ? style.color : withAlpha(style.color, 0.55),
    backgroundColor: style.color,
    borderDash: style.dash,
    borderWidth: selected ? 2.5 : 1.5,
    pointRadius: 0,
    pointHoverRadius: 4,
    pointStyle: style.pointStyle,
    spanGaps: false,
    tension: 0,
  };
}

function tooltipTitle(items: { raw: unknown }[]): string {
  if (!items.length) return '';
  const p = items[0].raw as IntradayChartPoint;
  return `${formatEventMinutes(p.x)} (bar ${p.k >= 0 ? '+' : ''}${p.k})`;
}

export interface IntradayChartProps {
  study: IntradayStudyResult;
  styles: ReadonlyMap<string, InstrumentStyle>;
  /** the member whose band and run are drawn */
  selected: string | null;
}

/** Every drawn member's close ÷ its previous session close − 1, in %, by minutes from its own event bar. */
export function intradayPriceConfig({ study, styles, selected }: IntradayChartProps): ChartConfiguration<'line', IntradayChartPoint[]> {
  const minutes = intervalMinutes(study);
  const members = drawnMembers(study);
  const datasets = members.map((m) =>
    memberLine(
      m,
      styles.get(m.symbol)!,
      gappedLine(m.points, minutes, (p) => p.fromPrevClose),
      m.symbol === selected,
    ),
  );
  return {
    type: 'line',
    data: { datasets },
    options: {
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: memberScales(datasets, '% from the previous close'),
      plugins: {
        legend: { display: false },
        tooltip: {
          filter: (item) => (item.raw as IntradayChartPoint).y !== null,
          callbacks: {
            title: tooltipTitle,
            label: (ctx) => `${ctx.dataset.label}: ${formatPercent(((ctx.raw as IntradayChartPoint).y ?? Number.NaN) / 100)}`,
          },
        },
        annotation: {
          annotations: {
            eventBar: DAY_ZERO_LINE,
            base: { type: 'line', scaleID: 'y', value: 0, borderColor: REFERENCE_GREY, borderWidth: 1, borderDash: [4, 4] },
          },
        },
      },
    },
  };
}

/** Label of the shaded band (its lower edge is hidden from the legend and tooltips by the word "lower"). */
export const BAND_LABEL = 'matched time-of-day band';

/**
 * Every drawn member's CAR (from the window's start) by minutes from its event bar; for the selected member the
 * matched time-of-day band (shifted onto the CAR scale by the CAR before the event bar) and its significant run.
 */
export function intradayCarConfig({ study, styles, selected }: IntradayChartProps): ChartConfiguration<'line', IntradayChartPoint[]> {
  const minutes = intervalMinutes(study);
  const members = drawnMembers(study);
  const chosen = members.find((m) => m.symbol === selected) ?? null;
  const datasets: ChartDataset<'line', IntradayChartPoint[]>[] = members.map((m) => ({
    ...memberLine(
      m,
      styles.get(m.symbol)!,
      gappedLine(m.points, minutes, (p) => p.car),
      m.symbol === selected,
    ),
    order: m.symbol === selected ? 0 : 1,
  }));
  const band = chosen ? bandOnCarScale(chosen, minutes) : null;
  if (chosen && band) {
    const [upper, lower] = bandDatasets(band.upper, band.lower);
    datasets.push(
      { ...upper, label: `${chosen.symbol} ${BAND_LABEL}`, spanGaps: false, order: 2 },
      { ...lower, label: `${chosen.symbol} ${BAND_LABEL} (lower)`, spanGaps: false, order: 2 },
    );
  }
  const run = chosen ? significantRun(chosen, minutes) : null;
  const annotations: Record<string, object> = { eventBar: DAY_ZERO_LINE };
  if (run && chosen) {
    annotations.significantRun = {
      type: 'box',
      xMin: run.from - minutes / 2,
      xMax: run.through + minutes / 2,
      backgroundColor: 'rgba(185, 28, 28, 0.08)',
      borderColor: 'rgba(185, 28, 28, 0.6)',
      borderWidth: 1,
      borderDash: [3, 3],
      label: {
        display: true,
        content: [`${chosen.symbol} outside`, 'the band'],
        position: { x: 'start', y: 'start' },
        color: '#7f1d1d',
        font: { size: 11 },
      },
    };
  }
  return {
    type: 'line',
    data: { datasets },
    options: {
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: memberScales(datasets, 'CAR (%)'),
      plugins: {
        legend: { display: false },
        tooltip: {
          filter: (item) => (item.raw as IntradayChartPoint).y !== null && !(item.dataset.label ?? '').includes('(lower)'),
          callbacks: {
            title: tooltipTitle,
            label: (ctx) => {
              const label = ctx.dataset.label ?? '';
              const p = ctx.raw as IntradayChartPoint;
              if (label.endsWith(BAND_LABEL) && chosen) {
                const point = chosen.points.find((q) => q.k === p.k);
                return `band for CAR0: ${formatPercent(point?.lower)} to ${formatPercent(point?.upper)}`;
              }
              return `${label} CAR: ${formatPercent((p.y ?? Number.NaN) / 100)}`;
            },
          },
        },
        annotation: { annotations },
      },
    },
  };
}

/** The group's CAAR path (and CAAR0 from the event bar) by offset, in minutes of event time. */
function groupPath(
  aggregate: readonly IntradayAggregatePoint[],
  minutes: number,
): { caar: IntradayChartPoint[]; caar0: IntradayChartPoint[] } {
  const caar: IntradayChartPoint[] = [];
  const caar0: IntradayChartPoint[] = [];
  let prevK: number | null = null;
  for (const a of aggregate) {
    if (prevK !== null && a.k !== prevK + 1) {
      caar.push({ x: (a.k - 0.5) * minutes, y: null, k: a.k, t: null });
      caar0.push({ x: (a.k - 0.5) * minutes, y: null, k: a.k, t: null });
    }
    caar.push({ x: a.k * minutes, y: a.caar * 100, k: a.k, t: null });
    if (a.caar0 !== null) caar0.push({ x: a.k * minutes, y: a.caar0 * 100, k: a.k, t: null });
    prevK = a.k;
  }
  return { caar, caar0 };
}

/** The x range both group charts share (the CAAR's offsets and the volume's), so their bars sit under the line. */
function groupExtent(study: IntradayStudyResult): { min?: number; max?: number } {
  const minutes = intervalMinutes(study);
  const e = xExtent([groupPath(study.aggregate, minutes).caar, groupAbnormalVolume(study)]);
  // a bar is as wide as its slot: half a slot of room at each end
  return e.min === undefined ? e : { min: e.min - minutes / 2, max: e.max! + minutes / 2 };
}

const GROUP_COLOR = '#111827';

/** The group's CAAR (from the window's start) and CAAR0 (from the event bar), with the event bar marked. */
export function groupCaarConfig(study: IntradayStudyResult): ChartConfiguration<'line', IntradayChartPoint[]> {
  const minutes = intervalMinutes(study);
  const { caar, caar0 } = groupPath(study.aggregate, minutes);
  return {
    type: 'line',
    data: {
      datasets: [
        {
          label: 'CAAR',
          data: caar,
          borderColor: GROUP_COLOR,
          backgroundColor: GROUP_COLOR,
          borderWidth: 2.5,
          pointRadius: 0,
          spanGaps: false,
          tension: 0,
        },
        {
          label: 'CAAR0 (from the event bar)',
          data: caar0,
          borderColor: '#b45309',
          backgroundColor: '#b45309',
          borderDash: [6, 3],
          borderWidth: 2,
          pointRadius: 0,
          spanGaps: false,
          tension: 0,
        },
      ],
    },
    options: {
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: xAxis('minutes from the event bar', groupExtent(study)),
        y: percentAxis('CAAR (%)'),
      },
      plugins: {
        legend: { display: true, position: 'bottom', labels: { boxWidth: 14, boxHeight: 8 } },
        tooltip: {
          filter: (item) => (item.raw as IntradayChartPoint).y !== null,
          callbacks: {
            title: tooltipTitle,
            label: (ctx) => {
              const p = ctx.raw as IntradayChartPoint;
              const n = study.aggregate.find((a) => a.k === p.k)?.n;
              return `${ctx.dataset.label}: ${formatPercent((p.y ?? Number.NaN) / 100)} (${n ?? 0} members)`;
            },
          },
        },
        annotation: {
          annotations: {
            eventBar: DAY_ZERO_LINE,
            base: { type: 'line', scaleID: 'y', value: 0, borderColor: REFERENCE_GREY, borderWidth: 1, borderDash: [4, 4] },
          },
        },
      },
    },
  };
}

/** The members' mean abnormal volume per offset (ratio to the slot's usual volume), for the bars under the CAAR. */
export function groupAbnormalVolume(study: IntradayStudyResult): IntradayChartPoint[] {
  const minutes = intervalMinutes(study);
  const byK = new Map<number, number[]>();
  for (const m of drawnMembers(study)) {
    for (const p of m.points) {
      if (p.av === null) continue;
      const list = byK.get(p.k) ?? [];
      list.push(p.av);
      byK.set(p.k, list);
    }
  }
  return [...byK.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, avs]) => ({ x: k * minutes, y: avs.reduce((s, v) => s + v, 0) / avs.length, k, t: null }));
}

/** Abnormal volume bars (the members' mean ratio to their usual volume in that slot), 1 = usual; 2× and more darker. */
export function groupVolumeConfig(study: IntradayStudyResult): ChartConfiguration<'bar', IntradayChartPoint[]> {
  const data = groupAbnormalVolume(study);
  return {
    type: 'bar',
    data: {
      datasets: [
        {
          label: 'abnormal volume (members’ mean, × usual for the slot)',
          data,
          backgroundColor: data.map((p) => ((p.y ?? 0) >= 2 ? 'rgba(194, 65, 12, 0.85)' : 'rgba(60, 66, 82, 0.45)')),
          borderWidth: 0,
          barPercentage: 1,
          categoryPercentage: 0.9,
        },
      ],
    },
    options: {
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { ...xAxis('minutes from the event bar', groupExtent(study)), offset: false },
        y: {
          title: { display: true, text: 'volume ÷ usual' },
          afterFit: fixedWidth,
          beginAtZero: true,
          ticks: { callback: (v) => `${v}×` },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: tooltipTitle,
            label: (ctx) => `abnormal volume ${formatNumber((ctx.raw as IntradayChartPoint).y)}×`,
          },
        },
        annotation: {
          annotations: {
            eventBar: DAY_ZERO_LINE,
            usual: { type: 'line', scaleID: 'y', value: 1, borderColor: REFERENCE_GREY, borderWidth: 1, borderDash: [4, 4] },
          },
        },
      },
    },
  };
}

/** A stored intraday bar as GET /api/instruments/:symbol/bars?interval=5m gives it. */
export interface SessionBar {
  ts: string;
  close: number;
}

/** The exchange-local date of an instant ("2025-01-27"). */
function localDate(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** The bars of the latest exchange-local date among `bars` (ascending), and that date. */
export function latestSession<B extends SessionBar>(bars: readonly B[], timeZone: string): { date: string; bars: B[] } | null {
  if (bars.length === 0) return null;
  const date = localDate(bars[bars.length - 1].ts, timeZone);
  return { date, bars: bars.filter((b) => localDate(b.ts, timeZone) === date) };
}

/** One session's closes on a time axis; a missing bar or a lunch break (more than one bar's time apart) is a gap. */
export function sessionLine(bars: readonly SessionBar[], minutes = 5): { x: number; y: number | null }[] {
  const out: { x: number; y: number | null }[] = [];
  let prev: number | null = null;
  for (const b of bars) {
    const x = Date.parse(b.ts);
    if (prev !== null && x - prev > minutes * 60_000) out.push({ x: prev + minutes * 60_000, y: null });
    out.push({ x, y: b.close });
    prev = x;
  }
  return out;
}

export interface SessionChartProps {
  bars: readonly SessionBar[];
  /** the exchange's zone: the axis reads in its local time */
  timeZone: string;
  color: string;
  /** the previous session's close, drawn as a reference line */
  previousClose: number | null;
  format: (value: number) => string;
}

/** The latest session's 5-minute closes in the exchange's local time, the previous close as a dashed line. */
export function sessionChartConfig({
  bars,
  timeZone,
  color,
  previousClose,
  format,
}: SessionChartProps): ChartConfiguration<'line', { x: number; y: number | null }[]> {
  const data = sessionLine(bars);
  return {
    type: 'line',
    data: {
      datasets: [
        {
          label: 'close (5-minute bars)',
          data,
          borderColor: color,
          backgroundColor: color,
          borderWidth: 2,
          pointRadius: 0,
          pointHoverRadius: 4,
          spanGaps: false,
          tension: 0,
        },
      ],
    },
    options: {
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: {
          type: 'time',
          adapters: { date: { zone: timeZone } },
          time: { unit: 'hour', tooltipFormat: 'd LLL yyyy, HH:mm', displayFormats: { hour: 'HH:mm' } },
          ticks: { maxRotation: 0, autoSkipPadding: 8 },
          title: { display: true, text: `local time (${timeZone})` },
        },
        y: { ticks: { callback: (v) => format(Number(v)) } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          filter: (item) => (item.raw as { y: number | null }).y !== null,
          callbacks: { label: (ctx) => `close ${format((ctx.raw as { y: number }).y)}` },
        },
        annotation: {
          annotations:
            previousClose === null
              ? {}
              : {
                  previousClose: {
                    type: 'line',
                    scaleID: 'y',
                    value: previousClose,
                    borderColor: REFERENCE_GREY,
                    borderWidth: 1,
                    borderDash: [4, 4],
                    label: {
                      display: true,
                      content: 'previous close',
                      position: 'start',
                      backgroundColor: 'rgba(60,66,82,0.7)',
                      font: { size: 10 },
                    },
                  },
                },
        },
      },
    },
  };
}
