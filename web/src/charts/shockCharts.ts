// A shock's charts as configurations: the members' abnormal returns ranked (bars), and for an intraday shock the
// co-jump bars on a timeline (how many members' first jump fell in each 5-minute bar, UTC). Pure: the API's
// shock in, ChartConfiguration out (the browser test compares these data with the API).
import type { ChartConfiguration } from 'chart.js';
import type { Shock } from '../../../src/shocks/shockContract';
import { formatPercent } from '../format';
import { MOVE_DOWN, MOVE_UP } from './style';

/** The members with an AR, lowest first, in percent. */
export function rankedMemberArs(shock: Shock): { symbol: string; ar: number }[] {
  return shock.members.flatMap((m) => (m.ar === null ? [] : [{ symbol: m.symbol, ar: m.ar * 100 }])).sort((a, b) => a.ar - b.ar);
}

export function memberArConfig(shock: Shock): ChartConfiguration<'bar', number[], string> {
  const ranked = rankedMemberArs(shock);
  const what = shock.kind === 'daily' ? 'Abnormal return on the day' : 'Abnormal return in the first flagged bar';
  return {
    type: 'bar',
    data: {
      labels: ranked.map((r) => r.symbol),
      datasets: [{ label: what, data: ranked.map((r) => r.ar), backgroundColor: ranked.map((r) => (r.ar < 0 ? MOVE_DOWN : MOVE_UP)) }],
    },
    options: {
      indexAxis: 'y',
      scales: { x: { title: { display: true, text: `${what}, %` } } },
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => `AR: ${formatPercent((c.parsed.x ?? 0) / 100)}` } } },
    },
  };
}

export interface CoJumpBar {
  /** the bar's start, ms since the epoch (UTC) */
  start: number;
  /** where the bar is drawn: the middle of its 5 minutes */
  x: number;
  /** members whose first jump of the episode is this bar */
  y: number;
  symbols: string[];
}

const FIVE_MINUTES = 300_000;
/** the timeline's ticks: every 15 minutes */
const TICK_STEP = 3 * FIVE_MINUTES;

/** The episode's bars with a member's first jump, in time order: each bar's start and the members that jumped in it. */
export function coJumpBars(shock: Shock): CoJumpBar[] {
  const bars = new Map<number, string[]>();
  for (const m of shock.members) {
    if (!m.jumped || !m.firstBar) continue;
    const t = Date.parse(m.firstBar);
    bars.set(t, [...(bars.get(t) ?? []), m.symbol]);
  }
  return [...bars.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, symbols]) => ({ start, x: start + FIVE_MINUTES / 2, y: symbols.length, symbols }));
}

/** "14:35" in UTC */
const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

/**
 * The share of the space chart.js gives a bar (the least distance between bars or ticks) that 5 minutes take, so
 * that a bar spans its own 5 minutes on the time axis.
 */
function fiveMinuteShare(bars: readonly CoJumpBar[]): number {
  let least = TICK_STEP;
  for (let k = 1; k < bars.length; k++) least = Math.min(least, bars[k].x - bars[k - 1].x);
  return Math.min(1, FIVE_MINUTES / least);
}

export function coJumpConfig(shock: Shock): ChartConfiguration<'bar', CoJumpBar[]> {
  const bars = coJumpBars(shock);
  const start = Date.parse(shock.start);
  const end = Date.parse(shock.end);
  const min = Math.min(start, ...bars.map((b) => b.start)) - 6 * FIVE_MINUTES;
  const max = Math.max(end, ...bars.map((b) => b.start + FIVE_MINUTES)) + 6 * FIVE_MINUTES;
  return {
    type: 'bar',
    data: {
      datasets: [
        {
          label: 'Members jumping for the first time in the bar',
          data: bars,
          backgroundColor: shock.direction === 'down' ? MOVE_DOWN : MOVE_UP,
          barPercentage: fiveMinuteShare(bars),
          categoryPercentage: 1,
        },
      ],
    },
    options: {
      parsing: false,
      scales: {
        x: {
          type: 'linear',
          min,
          max,
          title: { display: true, text: 'bar start, UTC' },
          ticks: { stepSize: TICK_STEP, callback: (v) => hhmm(Number(v)), maxRotation: 0, autoSkipPadding: 8 },
        },
        y: { beginAtZero: true, ticks: { stepSize: 1, precision: 0 }, title: { display: true, text: 'members' } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => `${hhmm((items[0]?.raw as CoJumpBar | undefined)?.start ?? 0)} UTC bar`,
            label: (c) => (c.raw as CoJumpBar).symbols.join(', '),
          },
        },
        annotation: {
          annotations: {
            episode: {
              type: 'box',
              xMin: start,
              xMax: end,
              backgroundColor: 'rgba(249, 115, 22, 0.10)',
              borderColor: 'rgba(249, 115, 22, 0.5)',
              borderWidth: 1,
            },
          },
        },
      },
    },
  };
}
