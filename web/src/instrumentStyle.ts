// Instruments are told apart by colour AND line style (dash pattern, point shape), so the charts still read
// in greyscale and for colour-blind readers. Colours: the Okabe-Ito palette (without its yellow, too faint
// on white) and then Paul Tol's darker distinct ones, 13 in all. The symbols drawn together get the palette
// in turn, in the order of the full instrument list of /api/instruments: no two of up to 13 share a colour
// (with a style per position in the full list, 26 instruments on 7 colours had pairs on one chart), and every
// chart of a page that draws the same set styles each symbol alike.

export interface InstrumentStyle {
  color: string;
  /** canvas setLineDash pattern; [] = solid */
  dash: number[];
  /** how the dash looks, for a legend in text */
  dashName: string;
  pointStyle: 'circle' | 'triangle' | 'rect' | 'rectRot' | 'star' | 'crossRot' | 'rectRounded';
}

const COLORS = [
  '#0072B2', // blue
  '#D55E00', // vermilion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#000000', // black
  '#882255', // wine
  '#332288', // indigo
  '#999933', // olive
  '#661100', // brown
  '#888888', // grey
  '#117733', // dark green
];
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

/**
 * A style per symbol of `symbols` (the ones drawn together), each its own colour up to the palette's size and its
 * own colour and dash pair beyond; `allSymbols` (the full list) fixes the order they take the palette in.
 */
export function instrumentStyles(allSymbols: readonly string[], symbols: readonly string[] = allSymbols): Map<string, InstrumentStyle> {
  const order = [...allSymbols];
  for (const s of symbols) if (!order.includes(s)) order.push(s);
  const drawn = [...new Set(symbols)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return new Map(symbols.map((s) => [s, styleAt(drawn.indexOf(s))]));
}
