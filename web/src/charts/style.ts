// Colours the chart builders share: day 0 in red, neutral greys for reference lines and bands. Pure.

/** day 0 and event markers */
export const DAY_ZERO_RED = '#b91c1c';
/** a reference line (the rebased 100) */
export const REFERENCE_GREY = 'rgba(60,66,82,0.45)';
/** the edge and fill of the 95% band */
export const BAND_EDGE = 'rgba(60,66,82,0.25)';
export const BAND_FILL = 'rgba(60,66,82,0.10)';

/** a detected move's triangle: a fall, a rise, and its edge */
export const MOVE_DOWN = '#dc2626';
export const MOVE_UP = '#16a34a';
export const MOVE_EDGE = '#111';

/** Colour with alpha from a #rrggbb colour. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
