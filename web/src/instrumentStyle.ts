// Instruments are told apart by colour AND line style (dash pattern, point shape), so the charts still read
// in greyscale and for colour-blind readers. Colours: the Okabe-Ito palette (without its yellow, too faint
// on white). An instrument keeps its style on every page because the index comes from the full
// instrument list of /api/instruments, in the API's order.

export interface InstrumentStyle {
  color: string;
  /** canvas setLineDash pattern; [] = solid */
  dash: number[];
  /** how the dash looks, for a legend in text */
  dashName: string;
  pointStyle: 'circle' | 'triangle' | 'rect' | 'rectRot' | 'star' | 'crossRot' | 'rectRounded';
}

const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const DASHES: { dash: number[]; name: string }[] = [
  { dash: [], name: 'solid' },
  { dash: [9, 4], name: 'dashed' },
  { dash: [2, 3], name: 'dotted' },
  { dash: [10, 3, 2, 3], name: 'dash-dot' },
  { dash: [16, 5], name: 'long dashes' },
];
const POINTS: InstrumentStyle['pointStyle'][] = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot', 'rectRounded'];

function styleAt(index: number): InstrumentStyle {
  const i = Math.max(0, index);
  const dash = DASHES[i % DASHES.length];
  return { color: COLORS[i % COLORS.length], dash: dash.dash, dashName: dash.name, pointStyle: POINTS[i % POINTS.length] };
}

/** A style per symbol: `allSymbols` fixes the order (the full list), `symbols` are the ones to style. */
export function instrumentStyles(allSymbols: readonly string[], symbols: readonly string[] = allSymbols): Map<string, InstrumentStyle> {
  const order = [...allSymbols];
  for (const s of symbols) if (!order.includes(s)) order.push(s);
  return new Map(symbols.map((s) => [s, styleAt(order.indexOf(s))]));
}
