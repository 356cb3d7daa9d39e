// The dashboard's chart configurations, built from worked data without a browser: which datasets a chart has,
// their labels and styles, day 0 marked, the 95% band, the event markers of the instrument chart.
import type { DailyBar, DetectedMove, EventSummary, Instrument } from '../../web/src/api';
import { abnormalReturnsConfig, pathLabel, pricePathsConfig } from '../../web/src/charts/eventTime';
import { eventsWithin, eventTime, historyConfig } from '../../web/src/charts/history';
import { barsWithOhlc, candleConfig, candleMoveMarkers, candlePoints } from '../../web/src/charts/candles';
import { sparklineConfig } from '../../web/src/charts/sparkline';
import { ABNORMAL_VOLUME_MARK, VOLUME_COLOURS, volumeColour, volumeConfig, volumeMarks, volumePoints } from '../../web/src/charts/volume';
import { withAlpha } from '../../web/src/charts/style';
import { instrumentStyles } from '../../web/src/instrumentStyle';
import { day, impact } from './impactFixtures';

function instrument(symbol: string, name: string, timeZone: string, kind = 'equity', currency = 'USD'): Instrument {
  return {
    symbol,
    name,
    exchange: 'X',
    currency,
    timeZone,
    kind,
    benchmark: null,
    sharesOutstanding: null,
    sharesAsOf: null,
    sharesSource: null,
    tracked: true,
  };
}

const INSTRUMENTS = [
  instrument('6857.T', 'Advantest Corporation', 'Asia/Tokyo', 'equity', 'JPY'),
  instrument('NVDA', 'NVIDIA Corporation', 'America/New_York'),
];
const STYLES = instrumentStyles(INSTRUMENTS.map((i) => i.symbol));

type Annotation = { type: string; scaleID?: string; value?: number; label?: { content?: string }; click?: (...args: unknown[]) => void };
/** The annotations of a configuration (read through unknown: chart.js's deep option types are too deep to compare). */
function annotationsOf(config: unknown): Record<string, Annotation> {
  return (config as { options: { plugins: { annotation: { annotations: Record<string, Annotation> } } } }).options.plugins.annotation
    .annotations;
}
function tickText(config: unknown, axis: string, value: number): string {
  return (config as { options: { scales: Record<string, { ticks: { callback: (v: number) => string } }> } }).options.scales[
    axis
  ].ticks.callback(value);
}

describe('price paths in event time', () => {
  const nvda = impact({
    symbol: 'NVDA',
    days: [day(-1, { rebased: 100 }), day(0, { rebased: 83.03, move: -0.1697 }), day(1, { rebased: 86.1, move: 0.0893 })],
  });
  const advantest = impact({
    symbol: '6857.T',
    currency: 'JPY',
    days: [day(-1, { rebased: 100 }), day(0, { rebased: 91.41, move: -0.0859 }), day(1, { rebased: null })],
  });
  const config = pricePathsConfig({ results: [advantest, nvda], styles: STYLES, instruments: INSTRUMENTS });

  it('draws one line per instrument, labelled with its name, city and day-0 move, in its own colour and dash', () => {
    expect(config.type).toBe('line');
    const datasets = config.data.datasets;
    expect(datasets.map((d) => d.label)).toEqual(['6857.T Advantest (Tokyo, -8.59% on day 0)', 'NVDA NVIDIA (New York, -16.97% on day 0)']);
    // only the days with a rebased close
    expect(datasets[0].data).toEqual([
      { x: -1, y: 100, date: '2025-01-26' },
      { x: 0, y: 91.41, date: '2025-01-27' },
    ]);
    expect(datasets[1].data.map((p) => p.y)).toEqual([100, 83.03, 86.1]);
    expect(datasets.map((d) => [d.borderColor, d.borderDash, d.pointStyle])).toEqual([
      [STYLES.get('6857.T')!.color, STYLES.get('6857.T')!.dash, STYLES.get('6857.T')!.pointStyle],
      [STYLES.get('NVDA')!.color, STYLES.get('NVDA')!.dash, STYLES.get('NVDA')!.pointStyle],
    ]);
    expect(datasets[0].borderDash).not.toEqual(datasets[1].borderDash);
  });

  it('marks day 0 with a labelled line and the rebased 100 with a dashed one', () => {
    const annotations = annotationsOf(config);
    expect(annotations.dayZero).toMatchObject({ type: 'line', scaleID: 'x', value: 0, label: { content: 'day 0' } });
    expect(annotations.base).toMatchObject({ type: 'line', scaleID: 'y', value: 100 });
  });

  it('writes offsets with their sign on the x axis and keeps the y range around the paths', () => {
    expect([-2, 0, 3].map((v) => tickText(config, 'x', v))).toEqual(['-2', '0', '+3']);
    expect(config.options?.scales?.y).toMatchObject({ suggestedMin: 82.03, suggestedMax: 101 });
  });

  it('names an instrument the list does not know by its symbol, still with its day-0 move', () => {
    expect(pathLabel(impact({ symbol: 'SMH', days: [day(0, { move: 0.01 })] }), undefined)).toMatch(/^SMH \(.*\+1\.00% on day 0\)$/);
  });
});

describe('abnormal returns and CAR', () => {
  const days = [
    day(-1, { abnormalReturn: 0.01, car: 0.01 }),
    day(0, { abnormalReturn: -0.12, car: -0.11 }),
    day(1, { abnormalReturn: 0.02, car: -0.09 }),
  ];
  const style = STYLES.get('NVDA')!;

  it('has the CAR as a line, the abnormal returns as bars (day 0 darker) and the 95% band of a fitted model', () => {
    const config = abnormalReturnsConfig({ result: impact({ symbol: 'NVDA', days }), style, windowStart: -1 });
    const datasets = config.data.datasets as {
      type?: string;
      label?: string;
      data: { x: number; y: number }[];
      backgroundColor?: unknown;
      fill?: unknown;
    }[];
    expect(datasets.map((d) => [d.type, d.label])).toEqual([
      ['line', 'CAR'],
      ['bar', 'abnormal return'],
      ['line', '95% band'],
      ['line', '95% band (lower)'],
    ]);
    // in percent
    expect(datasets[0].data.map((p) => Number(p.y.toFixed(6)))).toEqual([1, -11, -9]);
    expect(datasets[1].data.map((p) => Number(p.y.toFixed(6)))).toEqual([1, -12, 2]);
    expect(datasets[1].backgroundColor).toEqual([withAlpha(style.color, 0.45), withAlpha(style.color, 0.95), withAlpha(style.color, 0.45)]);
    // ±1.96·sigma·sqrt(L) from the window's start, sigma 2%
    expect(datasets[2].data.map((p) => Number(p.y.toFixed(4)))).toEqual([3.92, 5.5437, 6.7896]);
    expect(datasets[3].data.map((p) => p.y)).toEqual(datasets[2].data.map((p) => -p.y));
    expect(datasets[2].fill).toBe('+1');
    expect(annotationsOf(config).dayZero).toMatchObject({ type: 'line', scaleID: 'x', value: 0 });
  });

  it('keeps the lower band out of the legend', () => {
    const config = abnormalReturnsConfig({ result: impact({ symbol: 'NVDA', days }), style, windowStart: -1 });
    const filter = config.options!.plugins!.legend!.labels!.filter as (item: { text: string }) => boolean;
    expect(['CAR', '95% band', '95% band (lower)'].filter((text) => filter({ text }))).toEqual(['CAR', '95% band']);
  });

  it('draws no band without a fitted market model', () => {
    const config = abnormalReturnsConfig({
      result: impact({ symbol: '8035.T', status: 'insufficient_estimation', days }),
      style,
      windowStart: -1,
    });
    expect(config.data.datasets.map((d) => d.label)).toEqual(['CAR', 'abnormal return']);
  });
});

describe('daily closes with the events marked', () => {
  const nvda = instrument('NVDA', 'NVIDIA Corporation', 'America/New_York');
  const bars: DailyBar[] = ['2025-01-24', '2025-01-27', '2025-01-28'].map((date, i) => ({
    date,
    open: null,
    high: null,
    low: null,
    close: [142.62, 118.42, 128.99][i],
    adjClose: null,
    volume: null,
    provisional: false,
  }));
  const event = (slug: string, date: string, occurredAt: string | null = null): EventSummary => ({
    slug,
    title: slug,
    occurredAt,
    date,
    dateOnly: occurredAt === null,
    precision: occurredAt === null ? 'date' : 'instant',
    timeZone: null,
    occurredUntil: null,
    kind: 'other',
    description: null,
  });
  const events = [event('before', '2024-12-31'), event('deepseek', '2025-01-20', '2025-01-27T01:00:00Z'), event('date-only', '2025-01-28')];
  const moves: DetectedMove[] = [
    {
      id: 1,
      symbol: 'NVDA',
      date: '2025-01-27',
      move: -0.1697,
      return: -0.1697,
      abnormalReturn: -0.15,
      z: -5.2,
      rule: 'z',
      detectedAt: '2025-01-27T22:00:00.000Z',
      events: [],
    },
  ];

  it('marks only the events within the stored prices, at their instant or else their date', () => {
    const shown = eventsWithin(bars, events);
    expect(shown.map((e) => e.slug)).toEqual(['deepseek', 'date-only']);
    expect(eventTime(shown[0])).toBe(Date.parse('2025-01-27T01:00:00Z'));
    expect(eventTime(shown[1])).toBe(Date.parse('2025-01-28T00:00:00Z'));
    expect(eventsWithin([], events)).toEqual([]);
  });

  it('draws the closes and the detected moves as triangles, numbers the event lines and opens an event on click', () => {
    const opened: string[] = [];
    const config = historyConfig({
      instrument: nvda,
      bars,
      events: eventsWithin(bars, events),
      moves,
      color: '#0072B2',
      openEvent: (slug) => opened.push(slug),
    });
    const [closes, detected] = config.data.datasets;
    expect(closes.label).toBe('NVDA close');
    expect(closes.data).toEqual(bars.map((b) => ({ x: Date.parse(`${b.date}T00:00:00Z`), y: b.close })));
    expect(detected).toMatchObject({
      label: 'detected move',
      showLine: false,
      pointStyle: 'triangle',
      pointRotation: [180],
      backgroundColor: ['#dc2626'],
    });
    expect(detected.data).toEqual([{ x: Date.parse('2025-01-27T00:00:00Z'), y: 118.42, move: -0.1697 }]);
    expect(config.options?.plugins?.legend?.display).toBe(true);
    const { 'move-0': moveLabel, ...annotations } = annotationsOf(config);
    // the move's triangle carries its % (below a fall)
    expect(moveLabel).toMatchObject({
      type: 'label',
      xValue: Date.parse('2025-01-27T00:00:00Z'),
      yValue: 118.42,
      content: '-17.0%',
      yAdjust: 16,
    });
    expect(Object.keys(annotations)).toEqual(['event-deepseek', 'event-date-only']);
    expect(Object.values(annotations).map((a) => [a.scaleID, a.value, a.label?.content])).toEqual([
      ['x', Date.parse('2025-01-27T01:00:00Z'), '1'],
      ['x', Date.parse('2025-01-28T00:00:00Z'), '2'],
    ]);
    annotations['event-date-only'].click?.();
    expect(opened).toEqual(['date-only']);
  });

  it('has no legend without detected moves', () => {
    const config = historyConfig({ instrument: nvda, bars, events: [], moves: [], color: '#0072B2', openEvent: () => undefined });
    expect(config.data.datasets).toHaveLength(1);
    expect(config.options?.plugins?.legend?.display).toBe(false);
    expect(annotationsOf(config)).toEqual({});
  });
});

describe('candles and volume under the price chart', () => {
  const nvda = instrument('NVDA', 'NVIDIA Corporation', 'America/New_York');
  // 24, 27, 28 Jan 2025 as in NVDA.csv; the third bar without open, high and low (a derived series)
  const bars: DailyBar[] = [
    { date: '2025-01-24', open: 148.87, high: 149, low: 141.88, close: 142.62, adjClose: null, volume: 234_657_600, provisional: false },
    { date: '2025-01-27', open: 124.8, high: 128.4, low: 116.7, close: 118.42, adjClose: null, volume: 818_830_900, provisional: false },
    { date: '2025-01-28', open: null, high: null, low: null, close: 128.99, adjClose: null, volume: null, provisional: false },
  ];
  const t = (date: string) => Date.parse(`${date}T00:00:00Z`);
  const event = { slug: 'deepseek', title: 'DeepSeek tops the App Store' };

  it('draws a candle per bar that has open, high, low and close, on the time axis the other charts share', () => {
    expect(barsWithOhlc(bars).map((b) => b.date)).toEqual(['2025-01-24', '2025-01-27']);
    expect(candlePoints(bars)).toEqual([
      { x: t('2025-01-24'), o: 148.87, h: 149, l: 141.88, c: 142.62 },
      { x: t('2025-01-27'), o: 124.8, h: 128.4, l: 116.7, c: 118.42 },
    ]);
    const config = candleConfig({ instrument: nvda, bars, events: [], moves: [], openEvent: () => undefined });
    expect(config.type).toBe('candlestick');
    expect(config.data.datasets[0].data).toEqual(candlePoints(bars));
    const x = config.options!.scales!.x as { type: string; min: number; max: number; offset: boolean };
    // half a day either side of the first and last bar, whether or not that bar has a candle
    expect(x).toMatchObject({ type: 'time', min: t('2025-01-24') - 43_200_000, max: t('2025-01-28') + 43_200_000, offset: false });
    expect(tickText(config, 'y', 118.42)).toBe('$118.42');
  });

  it('marks a detected move on its candle: a fall below the low, a rise above the high, none on a bar without a candle', () => {
    const move = (date: string, pct: number) => ({
      id: 1,
      symbol: 'NVDA',
      date,
      move: pct,
      return: pct,
      abnormalReturn: null,
      z: null,
      rule: 'move',
      detectedAt: '',
      events: [],
    });
    const markers = candleMoveMarkers(bars, [
      move('2025-01-24', 0.06),
      move('2025-01-27', -0.1697),
      move('2025-01-28', 0.089),
    ] as DetectedMove[]);
    expect(Object.keys(markers)).toEqual(['move-2025-01-24', 'move-2025-01-27']);
    expect(markers['move-2025-01-27']).toMatchObject({ type: 'point', xValue: t('2025-01-27'), yValue: 116.7, rotation: 180 });
    expect(markers['move-2025-01-24']).toMatchObject({ xValue: t('2025-01-24'), yValue: 149, rotation: 0 });
    const config = candleConfig({
      instrument: nvda,
      bars,
      events: [],
      moves: [move('2025-01-27', -0.1697)] as DetectedMove[],
      openEvent: () => undefined,
    });
    const annotations = (config.options!.plugins as { annotation: { annotations: Record<string, unknown> } }).annotation.annotations;
    expect(Object.keys(annotations)).toEqual(['move-2025-01-27']);
  });

  it('marks the sessions measured around an event by their abnormal volume, the nearest day 0 deciding', () => {
    const near = impact({ symbol: 'NVDA', days: [day(0, { abnormalVolume: 3.65 }), day(1, { abnormalVolume: 1.2 })] });
    // an event a day later measures 27 Jan as its day -1 against its own baseline: the nearer day 0 wins
    const later = impact({
      symbol: 'NVDA',
      days: [day(-1, { date: '2025-01-27', abnormalVolume: 3.4 }), day(0, { date: '2025-01-28', abnormalVolume: 1.3 })],
    });
    const marks = volumeMarks([
      { event, result: near },
      { event: { slug: 'later', title: 'later' }, result: later },
    ]);
    expect(marks.get('2025-01-27')).toEqual({ ratio: 3.65, offset: 0, event });
    expect(marks.get('2025-01-28')).toEqual({ ratio: 1.3, offset: 0, event: { slug: 'later', title: 'later' } });
    expect(ABNORMAL_VOLUME_MARK).toBe(2);
    expect(volumeColour(marks.get('2025-01-27'))).toBe(VOLUME_COLOURS.marked);
    expect(volumeColour(marks.get('2025-01-28'))).toBe(VOLUME_COLOURS.measured);
    expect(volumeColour({ ratio: null, offset: 0, event })).toBe(VOLUME_COLOURS.measured);
    expect(volumeColour(undefined)).toBe(VOLUME_COLOURS.other);

    const config = volumeConfig({ instrument: nvda, bars, marks: new Map([['2025-01-27', marks.get('2025-01-27')!]]) });
    expect(config.type).toBe('bar');
    // the bar without a volume has no bar; the axis still spans it
    expect(volumePoints(bars)).toEqual([
      { x: t('2025-01-24'), y: 234_657_600, date: '2025-01-24' },
      { x: t('2025-01-27'), y: 818_830_900, date: '2025-01-27' },
    ]);
    expect(config.data.datasets[0].data).toEqual(volumePoints(bars));
    expect(config.data.datasets[0].backgroundColor).toEqual([VOLUME_COLOURS.other, VOLUME_COLOURS.marked]);
    expect((config.options!.scales!.x as { max: number }).max).toBe(t('2025-01-28') + 43_200_000);
    expect(tickText(config, 'y', 500_000_000)).toBe('500.0m');
    expect(tickText(config, 'y', 0)).toBe('0');
  });
});

describe('sparkline', () => {
  it('is the closes as a bare line: no axes, no legend, no tooltip, no events', () => {
    const bars = [
      { date: '2025-01-24', close: 142.62 },
      { date: '2025-01-27', close: 118.42 },
    ] as DailyBar[];
    const config = sparklineConfig(bars, '#009E73');
    expect(config.data.labels).toEqual(['2025-01-24', '2025-01-27']);
    expect(config.data.datasets).toEqual([expect.objectContaining({ data: [142.62, 118.42], borderColor: '#009E73', pointRadius: 0 })]);
    expect(config.options).toMatchObject({
      events: [],
      scales: { x: { display: false }, y: { display: false } },
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
    });
  });
});
