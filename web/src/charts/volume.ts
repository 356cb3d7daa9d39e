// The instrument page's volume bars, under the price chart on the same dates, and the abnormal-volume marks around
// events: per session, the volume over its mean in the estimation window of the event (the impact API's
// days[].abnormalVolume). Pure: data in, ChartConfiguration out.
import type { ChartConfiguration } from 'chart.js';
import type { DailyBar, EventImpact, EventSummary, Instrument } from '../api';
import { formatOffset } from '../format';
import { formatRatio, formatVolume } from '../volumeFormat';
import { barTime, pointTooltip, stackedChartOptions } from './priceAxes';

/** From this many times its normal volume a session is marked (2x: well beyond a normal day's spread). */
export const ABNORMAL_VOLUME_MARK = 2;
/** the sessions around each event that are measured: from the day before day 0 to 5 after, as moves are linked */
export const VOLUME_MARK_WINDOW = '-1,5';

/** Okabe-Ito orange for a marked session, sky blue for the other measured ones, grey elsewhere */
export const VOLUME_COLOURS = { marked: '#E69F00', measured: '#56B4E9', other: 'rgba(60, 66, 82, 0.32)' } as const;

export interface VolumeMark {
  ratio: number | null;
  offset: number;
  event: Pick<EventSummary, 'slug' | 'title'>;
}

export interface VolumePoint {
  x: number;
  y: number;
  date: string;
}

/**
 * Per session date, the abnormal volume of the event whose day 0 is nearest (events a few days apart measure
 * overlapping sessions, each against its own estimation window).
 */
export function volumeMarks(
  studies: readonly { event: Pick<EventSummary, 'slug' | 'title'>; result: EventImpact }[],
): Map<string, VolumeMark> {
  const marks = new Map<string, VolumeMark>();
  for (const { event, result } of studies) {
    for (const day of result.days) {
      const held = marks.get(day.date);
      if (held && Math.abs(held.offset) <= Math.abs(day.offset)) continue;
      marks.set(day.date, { ratio: day.abnormalVolume, offset: day.offset, event });
    }
  }
  return marks;
}

/** Bars that report a volume (indices and FX report none, or 0). */
export function volumePoints(bars: readonly DailyBar[]): VolumePoint[] {
  return bars.filter((b) => b.volume !== null && b.volume > 0).map((b) => ({ x: barTime(b.date), y: b.volume!, date: b.date }));
}

export function volumeColour(mark: VolumeMark | undefined): string {
  if (!mark) return VOLUME_COLOURS.other;
  return mark.ratio !== null && mark.ratio >= ABNORMAL_VOLUME_MARK ? VOLUME_COLOURS.marked : VOLUME_COLOURS.measured;
}

export interface VolumeProps {
  instrument: Instrument;
  /** all the bars of the price chart: the time axis spans them, whether or not each has a volume */
  bars: readonly DailyBar[];
  marks: ReadonlyMap<string, VolumeMark>;
}

export function volumeConfig({ instrument, bars, marks }: VolumeProps): ChartConfiguration<'bar', VolumePoint[]> {
  const points = volumePoints(bars);
  return {
    type: 'bar',
    data: {
      datasets: [
        {
          label: `${instrument.symbol} volume`,
          data: points,
          backgroundColor: points.map((p) => volumeColour(marks.get(p.date))),
          borderWidth: 0,
          barPercentage: 1,
          categoryPercentage: 0.9,
        },
      ],
    },
    options: {
      ...stackedChartOptions(bars, { title: 'volume', tick: (v) => (v === 0 ? '0' : formatVolume(v)), beginAtZero: true }),
      plugins: {
        legend: { display: false },
        tooltip: pointTooltip<VolumePoint>((p) => {
          const mark = marks.get(p.date);
          const shares = `${formatVolume(p.y)} shares`;
          if (!mark) return shares;
          return `${shares} · ${formatRatio(mark.ratio)} normal (day ${formatOffset(mark.offset)} of ${mark.event.title})`;
        }),
      },
    },
  };
}
