// The study page's charts as configurations: the CAAR path in event time with its 95% band, the AAR bars, and
// each member's CAR ranked. Pure: the API's answer in, ChartConfiguration out (the browser test compares these
// data with the API).
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { StudyResponse } from '../../../src/studies/studyContract';
import { formatOffset, formatPercent } from '../format';
import { bandDatasets, DAY_ZERO_LINE, LOWER_BAND } from './style';

type Aggregate = StudyResponse['aggregate'];
type Member = StudyResponse['members'][number];

export interface XY {
  x: number;
  y: number;
}

/**
 * The CAAR path in percent, and the 95% band it would stay inside with no news: ±1.96 times the square root of
 * the summed squared cross-sectional standard errors of the AARs so far (se = AAR / csect t; days independent).
 */
export function caarPath(aggregate: Aggregate): { caar: XY[]; upper: XY[]; lower: XY[] } {
  const caar: XY[] = [];
  const upper: XY[] = [];
  const lower: XY[] = [];
  let variance = 0;
  for (const d of aggregate.days) {
    if (d.caar === null) continue;
    const t = d.tests.csectT?.stat;
    if (d.aar !== null && t) variance += (d.aar / t) ** 2;
    const half = 1.96 * Math.sqrt(variance) * 100;
    caar.push({ x: d.offset, y: d.caar * 100 });
    upper.push({ x: d.offset, y: half });
    lower.push({ x: d.offset, y: -half });
  }
  return { caar, upper, lower };
}

function aarBars(aggregate: Aggregate): XY[] {
  return aggregate.days.flatMap((d) => (d.aar === null ? [] : [{ x: d.offset, y: d.aar * 100 }]));
}

const dayZeroLine = { dayZero: DAY_ZERO_LINE };
const offsetAxis = {
  type: 'linear' as const,
  title: { display: true, text: 'trading days from day 0 (each member on its own exchange)' },
  ticks: { stepSize: 1, callback: (v: string | number) => formatOffset(v) },
};

export function caarConfig(aggregate: Aggregate): ChartConfiguration<'line', XY[]> {
  const { caar, upper, lower } = caarPath(aggregate);
  const datasets: ChartDataset<'line', XY[]>[] = [
    { label: 'CAAR', data: caar, borderColor: '#1d4ed8', backgroundColor: '#1d4ed8', borderWidth: 2.5, pointRadius: 3, tension: 0 },
    ...bandDatasets(upper, lower),
  ];
  return {
    type: 'line',
    data: { datasets },
    options: {
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: { x: offsetAxis, y: { title: { display: true, text: 'CAAR, %' } } },
      plugins: {
        legend: { labels: { filter: (item) => item.text !== LOWER_BAND } },
        tooltip: {
          filter: (item) => item.dataset.label !== LOWER_BAND,
          callbacks: { label: (c) => `${c.dataset.label}: ${formatPercent((c.parsed.y ?? 0) / 100)}` },
        },
        annotation: { annotations: dayZeroLine },
      },
    },
  };
}

export function aarConfig(aggregate: Aggregate): ChartConfiguration<'bar', XY[]> {
  const data = aarBars(aggregate);
  return {
    type: 'bar',
    data: { datasets: [{ label: 'AAR', data, backgroundColor: data.map((p) => (p.y < 0 ? '#b91c1c' : '#15803d')) }] },
    options: {
      scales: { x: offsetAxis, y: { title: { display: true, text: 'AAR, %' } } },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (c) => `AAR: ${formatPercent((c.parsed.y ?? 0) / 100)}` } },
        annotation: { annotations: dayZeroLine },
      },
    },
  };
}

/** Longest bar label: longer ones are cut at the end, so the ticker in front is never what a narrow chart loses. */
const MAX_LABEL = 22;

/**
 * A member's name on the ranked chart: its ticker, and its event (or date) where the study has more than one;
 * "NVDA" alone when every member shares the event (the page's head names it).
 */
function rankedLabel(m: Member, severalEvents: boolean): string {
  const label = severalEvents ? `${m.symbol} ${m.event ?? m.date ?? ''}`.trim() : m.symbol;
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

/** The members' CARs of one window in percent, lowest first (members without that CAR left out). */
function rankedCars(members: readonly Member[], from: number, to: number): { label: string; car: number }[] {
  const severalEvents = new Set(members.map((m) => m.event ?? m.date)).size > 1;
  return members
    .flatMap((m) => {
      const car = m.cars.find((c) => c.from === from && c.to === to)?.car;
      return car === null || car === undefined || m.status !== 'ok' ? [] : [{ label: rankedLabel(m, severalEvents), car: car * 100 }];
    })
    .sort((a, b) => a.car - b.car);
}

export function rankedCarConfig(members: readonly Member[], from: number, to: number): ChartConfiguration<'bar', number[], string> {
  const ranked = rankedCars(members, from, to);
  return {
    type: 'bar',
    data: {
      labels: ranked.map((r) => r.label),
      datasets: [
        {
          label: `CAR [${from},${to}]`,
          data: ranked.map((r) => r.car),
          backgroundColor: ranked.map((r) => (r.car < 0 ? '#b91c1c' : '#15803d')),
        },
      ],
    },
    options: {
      indexAxis: 'y',
      scales: { x: { title: { display: true, text: `CAR [${formatOffset(from)}, ${formatOffset(to)}], %` } } },
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => `CAR: ${formatPercent((c.parsed.x ?? 0) / 100)}` } } },
    },
  };
}
