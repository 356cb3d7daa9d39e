// Colours the chart builders share: day 0 in red, neutral greys for reference lines and bands. Pure.

/** day 0 and event markers */
export const DAY_ZERO_RED = '#b91c1c';
/** a reference line (the rebased 100) */
export const REFERENCE_GREY = 'rgba(60,66,82,0.45)';
/** the edge and fill of the 95% band */
const BAND_EDGE = 'rgba(60,66,82,0.25)';
const BAND_FILL = 'rgba(60,66,82,0.10)';

/** a detected move's triangle: a fall, a rise, and its edge */
export const MOVE_DOWN = '#dc2626';
export const MOVE_UP = '#16a34a';
export const MOVE_EDGE = '#111';

/** The label of a 95% band's lower edge: hidden from legends and tooltips. */
export const LOWER_BAND = '95% band (lower)';

/** A 95% band as two line datasets: the upper edge filled down to the lower one. */
export function bandDatasets<T>(upper: T[], lower: T[]) {
  return [
    {
      label: '95% band',
      data: upper,
      borderColor: BAND_EDGE,
      borderWidth: 1,
      backgroundColor: BAND_FILL,
      pointRadius: 0,
      fill: '+1' as const,
    },
    { label: LOWER_BAND, data: lower, borderColor: BAND_EDGE, borderWidth: 1, pointRadius: 0, fill: false as const },
  ];
}

/** The vertical line at day 0 of an event-time chart (a chartjs-plugin-annotation line). */
export const DAY_ZERO_LINE = { type: 'line' as const, scaleID: 'x', value: 0, borderColor: DAY_ZERO_RED, borderWidth: 1.5 };

/** Colour with alpha from a #rrggbb colour. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
