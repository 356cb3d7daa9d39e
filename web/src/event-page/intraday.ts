// The event page's Intraday view (issue 22): per member the price path and the CAR path in event time, the selected
// member's matched time-of-day band and significant run, the group's CAAR with its tests, abnormal volume under it,
// an "as of" clock, the members' statuses and the method. Fed by GET /api/events/:slug/intraday, then kept current by
// the stream GET /api/events/:slug/intraday/stream (Server-Sent Events: the `study`, then a `bars` message per new bar): the charts
// take the new points in place, without a reload; the stream is followed while the study can still grow (a session
// pending, a path short of the window's end). Opens by itself for a recent event, the synthetic demo event, or
// #intraday in the address; an older one opens it with a button, so reading an old event costs no intraday study.
import type { Chart } from 'chart.js';
import {
  api,
  ApiError,
  type EventDetail,
  type Instrument,
  type IntradayBarsMessage,
  type IntradayMemberResult,
  type IntradayStudyMessage,
} from '../api';
import { chartCanvas, drawChart } from '../charts/draw';
import {
  drawnMembers,
  formatEventMinutes,
  groupCaarConfig,
  groupVolumeConfig,
  intervalMinutes,
  intradayCarConfig,
  intradayPriceConfig,
} from '../charts/intraday';
import { isolatingLegend } from '../charts/isolatingLegend';
import { el, empty, errorBox, instrumentLink, loading, replaceChildren } from '../dom';
import { formatInstant, formatP, formatPercent, formatT, MISSING } from '../format';
import { cardTable, type TableColumn } from '../table';
import { latestTests, memberStatusText, testSentence } from './intradayText';
import { stylesOf } from './state';

/** An event this recent (or still to come) opens its intraday view at once and follows the stream. */
const LIVE_DAYS = 7;
/** Where the study's route and options are described (the README with every formula is not served by the app). */
const METHOD_HREF = '/api/docs';

export interface IntradayViewProps {
  slug: string;
  event: EventDetail;
  instruments: readonly Instrument[];
  /** the instruments of the page's view (its ?symbols=, else those the impact measured): the study's members */
  symbols: () => Promise<readonly string[]>;
}

/** The members and options of the study: the page's ?group= or its instruments, and its ?benchmark= override. */
async function studyQuery(props: IntradayViewProps): Promise<URLSearchParams | null> {
  const page = new URLSearchParams(window.location.search);
  const q = new URLSearchParams();
  const group = page.get('group');
  if (group) q.set('group', group);
  else {
    const symbols = await props.symbols();
    if (symbols.length === 0) return null;
    q.set('symbols', symbols.join(','));
  }
  const benchmark = page.get('benchmark');
  if (benchmark) q.set('benchmark', benchmark);
  return q;
}

interface ViewState {
  study: IntradayStudyMessage | null;
  selected: string | null;
  /** the drawn members when the charts were made: the same list lets a new study update them in place */
  drawnKey: string;
  charts: Partial<Record<'price' | 'car' | 'caar' | 'volume', Chart>>;
  stream: EventSource | null;
}

/** True when the event or its instruments are the synthetic universe (never shown as real data). */
function isSynthetic(event: Pick<EventDetail, 'kind' | 'slug'>, instruments: readonly Instrument[], symbols: readonly string[]): boolean {
  if (/synthetic/i.test(event.kind) || /^synthetic-/i.test(event.slug)) return true;
  return instruments.some((i) => symbols.includes(i.symbol) && /synthetic/i.test(`${i.name} ${i.exchange}`));
}

/** Whether the event is recent enough to open its intraday view at once. */
function isRecent(event: EventDetail, now: number): boolean {
  if (!event.occurredAt) return false;
  return now - Date.parse(event.occurredAt) < LIVE_DAYS * 86_400_000;
}

/** A study that can still grow: a member's session is pending or its path ends before the window's end. */
function stillGrowing(study: IntradayStudyMessage): boolean {
  const end = study.options.window[1];
  return study.members.some(
    (m) => m.status === 'event_session_pending' || (m.status === 'ok' && (m.points.at(-1)?.k ?? Number.NEGATIVE_INFINITY) < end),
  );
}

/** Mounts the view in `section` (#intraday-section): for a date-only event it only says why there is none. */
export function mountIntradayView(section: HTMLElement, props: IntradayViewProps): void {
  section.hidden = false;
  const body = section.querySelector<HTMLElement>('#intraday')!;
  if (props.event.dateOnly || !props.event.occurredAt) {
    replaceChildren(body, empty('No intraday view: the event is given by its date only, without a time.'));
    return;
  }
  const state: ViewState = { study: null, selected: null, drawnKey: '', charts: {}, stream: null };
  const open = () => void loadStudy(body, props, state);
  const synthetic = isSynthetic(props.event, props.instruments, []);
  if (synthetic || isRecent(props.event, Date.now()) || window.location.hash === '#intraday') {
    open();
    return;
  }
  const button = el('button', {
    className: 'button',
    text: 'Show the intraday view',
    attrs: { type: 'button', id: 'intraday-open', 'aria-controls': 'intraday' },
  });
  button.addEventListener('click', () => {
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#intraday`);
    open();
  });
  replaceChildren(
    body,
    el('p', { className: 'note', text: 'The event’s 5-minute bars around its instant, with the group’s tests.' }),
    button,
  );
}

async function loadStudy(body: HTMLElement, props: IntradayViewProps, state: ViewState): Promise<void> {
  replaceChildren(body, loading('Measuring the intraday study…'));
  let study: IntradayStudyMessage;
  let query: URLSearchParams | null;
  try {
    query = await studyQuery(props);
    if (!query) {
      replaceChildren(body, empty('No intraday view: the page shows no instrument.'));
      return;
    }
    study = await api.intraday(props.slug, query);
  } catch (err) {
    const missing = err instanceof ApiError && err.isMissingRoute;
    replaceChildren(
      body,
      missing
        ? empty('This server has no intraday study.')
        : errorBox('The intraday study could not be measured', err, 'Reload the page in a moment.'),
    );
    return;
  }
  showStudy(body, props, state, study);
  if (stillGrowing(study)) follow(body, props, state, query);
}

/** The study after a `bars` message: each member's points from its `from` on, and the aggregate's, replaced. */
function withBars(study: IntradayStudyMessage, bars: IntradayBarsMessage): IntradayStudyMessage {
  return {
    ...study,
    asOf: bars.asOf,
    members: bars.members.map(({ from, points, ...member }, i) => {
      const had = study.members[i]?.points ?? [];
      return { ...member, points: from === null ? had : had.filter((p) => p.k < from).concat(points) };
    }),
    aggregate:
      bars.aggregateFrom === null ? study.aggregate : study.aggregate.filter((g) => g.k < (bars.aggregateFrom ?? 0)).concat(bars.aggregate),
  };
}

/**
 * Follows the stream: a `study` message replaces the study shown, a `bars` message changes it in place (the
 * study it applies to is the last message's); EventSource reconnects by itself with the last id.
 */
function follow(body: HTMLElement, props: IntradayViewProps, state: ViewState, query: URLSearchParams): void {
  const stream = new EventSource(api.intradayStreamUrl(props.slug, query));
  state.stream = stream;
  const live = () => body.querySelector<HTMLElement>('[data-field="live"]');
  let lastId: string | null = null;
  const show = (next: IntradayStudyMessage, id: string, kind: 'study' | 'bars') => {
    lastId = id;
    showStudy(body, props, state, next);
    body.dataset.liveMessage = kind; // what the last update came as
    if (!stillGrowing(next)) stream.close();
  };
  stream.addEventListener('study', (message) => {
    const { data, lastEventId } = message as MessageEvent<string>;
    const next = JSON.parse(data) as IntradayStudyMessage;
    if (state.study && next.asOf === state.study.asOf && JSON.stringify(next) === JSON.stringify(state.study)) {
      lastId = lastEventId;
      return;
    }
    show(next, lastEventId, 'study');
  });
  stream.addEventListener('bars', (message) => {
    const { data, lastEventId } = message as MessageEvent<string>;
    const bars = JSON.parse(data) as IntradayBarsMessage;
    if (!state.study || bars.base !== lastId || bars.members.length !== state.study.members.length) {
      // not the study shown: start over with the whole study
      stream.close();
      follow(body, props, state, query);
      return;
    }
    show(withBars(state.study, bars), lastEventId, 'bars');
  });
  stream.addEventListener('open', () => {
    const l = live();
    if (l) l.textContent = 'live: updates as bars arrive';
  });
  stream.addEventListener('error', () => {
    const l = live();
    if (l) l.textContent = stream.readyState === EventSource.CLOSED ? 'live updates stopped: reload to resume' : 'live: reconnecting…';
  });
  window.addEventListener('pagehide', () => stream.close(), { once: true });
}

/** The "as of" clock: the end of the last bar used, in the reader's time and in UTC. */
function asOfText(asOf: string | null): string {
  if (!asOf) return 'no bar yet';
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return `${formatInstant(asOf, local)} (${formatInstant(asOf, 'UTC')})`;
}

function methodLine(study: IntradayStudyMessage): HTMLElement {
  const o = study.options;
  const model =
    o.model === 'market'
      ? 'market model (OLS on the benchmark)'
      : o.model === 'market_adjusted'
        ? 'market-adjusted returns'
        : 'constant mean';
  return el(
    'p',
    { className: 'note intraday-method', dataset: { field: 'method' } },
    `Method: ${o.interval} bars, window ${o.window[0]} to +${o.window[1]} bars around each member’s event bar; ${model} fitted on the ` +
      `intraday returns of the ${o.estimationDays} sessions before (at least ${o.minDays}; opening returns kept out of the fit); ` +
      `each abnormal return scaled by its time of day; the band is the range of the same slots’ CARs on those quiet sessions ` +
      `(Rinaudo & Saha, p = ${o.bandP}), the run counted from bar ${o.initialBars}. Nothing is interpolated: a missing bar, a lunch ` +
      `break or the night is a gap. `,
    'Every formula: the README’s Methodology, “Intraday event study”; the route and its options: ',
    el('a', { text: 'the API documentation', attrs: { href: METHOD_HREF } }),
    '.',
  );
}

function memberColumns(minutes: number): TableColumn<IntradayMemberResult>[] {
  const last = (m: IntradayMemberResult) => m.points.at(-1) ?? null;
  return [
    {
      header: 'Member',
      rowHeader: true,
      cell: (m) => [instrumentLink(m.symbol), m.benchmark ? el('span', { className: 'muted', text: ` vs ${m.benchmark}` }) : null],
    },
    { header: 'Status', key: 'status', className: 'wide', cell: (m) => memberStatusText(m) },
    { header: 'Event bar', key: 'event-bar', cell: (m) => (m.eventBar ? formatInstant(m.eventBar, 'UTC') : MISSING) },
    { header: 'Last bar', key: 'last', cell: (m) => (last(m) ? formatEventMinutes(last(m)!.k * minutes) : MISSING) },
    { header: 'CAR0', key: 'car0', numeric: true, cell: (m) => formatPercent(last(m)?.car0) },
    { header: 'Z', key: 'z', numeric: true, cell: (m) => formatT(last(m)?.z) },
    { header: 'p', key: 'p', numeric: true, cell: (m) => formatP(last(m)?.p) },
    {
      header: 'Outside the band',
      key: 'run',
      cell: (m) =>
        m.significantFrom === null || m.significantThrough === null
          ? 'no'
          : `${formatEventMinutes(m.significantFrom * minutes)} to ${formatEventMinutes(m.significantThrough * minutes)} (${m.direction === -1 ? 'down' : 'up'})`,
    },
  ];
}

/** Draws the charts, or updates the ones drawn for the same members in place (a live update keeps the reader's place). */
function drawOrUpdate(
  state: ViewState,
  name: keyof ViewState['charts'],
  canvas: HTMLCanvasElement | null,
  config: Parameters<typeof drawChart>[1],
): void {
  const chart = state.charts[name];
  if (chart && chart.canvas === canvas) {
    chart.data = config.data as Chart['data'];
    chart.options = config.options as Chart['options'];
    chart.update('none');
    return;
  }
  if (canvas) state.charts[name] = drawChart(canvas, config) as unknown as Chart;
}

function showStudy(body: HTMLElement, props: IntradayViewProps, state: ViewState, study: IntradayStudyMessage): void {
  state.study = study;
  const members = drawnMembers(study);
  const symbols = study.members.map((m) => m.symbol);
  const styles = stylesOf(props.instruments, symbols);
  if (!state.selected || !members.some((m) => m.symbol === state.selected))
    state.selected = (members.find((m) => m.significantFrom !== null) ?? members[0])?.symbol ?? null;
  const drawnKey = members.map((m) => m.symbol).join(',');
  const synthetic = isSynthetic(props.event, props.instruments, symbols);
  const minutes = intervalMinutes(study);
  if (drawnKey !== state.drawnKey || !body.querySelector('.intraday-view')) {
    state.drawnKey = drawnKey;
    state.charts = {};
    buildLayout(body, props, state, study, synthetic);
  }
  // the parts that change with each bar
  const clock = body.querySelector<HTMLElement>('[data-field="as-of"]')!;
  clock.textContent = asOfText(study.asOf);
  if (study.asOf) clock.setAttribute('datetime', study.asOf);
  const tests = latestTests(study.aggregate);
  replaceChildren(body.querySelector<HTMLElement>('[data-field="tests"]')!, testSentence(tests, minutes, members.length));
  const table = body.querySelector<HTMLElement>('[data-field="members"]')!;
  replaceChildren(
    table,
    cardTable({
      id: 'intraday-members',
      className: 'data-table intraday-members',
      region: 'Intraday members',
      caption: 'Each member’s status, event bar and latest reaction',
      columns: memberColumns(minutes),
      rows: study.members,
      rowData: (m) => ({ symbol: m.symbol, status: m.status }),
    }),
  );
  if (members.length === 0) return;
  const props2 = { study, styles, selected: state.selected };
  drawOrUpdate(state, 'price', body.querySelector('#chart-intraday-price'), intradayPriceConfig(props2) as never);
  drawOrUpdate(state, 'car', body.querySelector('#chart-intraday-car'), intradayCarConfig(props2) as never);
  drawOrUpdate(state, 'caar', body.querySelector('#chart-intraday-caar'), groupCaarConfig(study) as never);
  drawOrUpdate(state, 'volume', body.querySelector('#chart-intraday-volume'), groupVolumeConfig(study) as never);
  const legend = body.querySelector<HTMLElement>('[data-field="legend"]');
  if (legend && !legend.firstChild && state.charts.price)
    legend.append(
      isolatingLegend(
        state.charts.price as never,
        members.map((m) => ({ label: m.symbol, style: styles.get(m.symbol)! })),
        'Intraday price paths: the members',
      ),
    );
  body.dataset.asOf = study.asOf ?? '';
}

function buildLayout(body: HTMLElement, props: IntradayViewProps, state: ViewState, study: IntradayStudyMessage, synthetic: boolean): void {
  const members = drawnMembers(study);
  const tag = synthetic ? 'synthetic ' : '';
  const view = el('div', { className: 'intraday-view', dataset: { synthetic: String(synthetic) } });
  const header = el(
    'div',
    'intraday-status',
    synthetic
      ? el('p', { className: 'synthetic-label', text: 'Synthetic data: generated instruments and bars, not market prices.' })
      : null,
    el(
      'p',
      { className: 'as-of' },
      'As of ',
      el('time', { className: 'figure', dataset: { field: 'as-of' }, attrs: { 'aria-live': 'polite' } }),
      ' · ',
      el('span', { className: 'muted', dataset: { field: 'live' }, text: 'not live' }),
    ),
  );
  view.append(header, methodLine(study));
  if (members.length === 0) {
    view.append(empty('No member has intraday bars in the event window yet; their statuses are below.'));
  } else {
    const select = el(
      'select',
      { attrs: { id: 'intraday-member' } },
      ...members.map((m) => el('option', { text: m.symbol, attrs: { value: m.symbol } })),
    );
    select.value = state.selected ?? '';
    select.addEventListener('change', () => {
      state.selected = select.value;
      if (state.study) showStudy(body, props, state, state.study);
    });
    const price = chartCanvas(
      'chart-intraday-price',
      `${tag}Intraday price paths of ${members.map((m) => m.symbol).join(', ')} in minutes from each one's event bar`,
      'chart-intraday',
    );
    const car = chartCanvas(
      'chart-intraday-car',
      `${tag}Intraday CAR paths, with the selected member's matched time-of-day band and significant run`,
      'chart-intraday',
    );
    const caar = chartCanvas(
      'chart-intraday-caar',
      `${tag}The group's intraday CAAR in minutes from the event bar`,
      'chart-intraday-group',
    );
    const volume = chartCanvas('chart-intraday-volume', `${tag}The group's abnormal volume per bar`, 'chart-intraday-volume');
    const legendHolder = el('div', { className: 'intraday-legend', dataset: { field: 'legend' } });
    view.append(
      el('h3', { text: `${synthetic ? 'Synthetic price' : 'Price'} paths (% from the previous close)` }),
      legendHolder,
      price.box,
      el('h3', { text: 'CAR paths' }),
      el('div', 'field field-inline', el('label', { text: 'Band and run of ', attrs: { for: 'intraday-member' } }), select),
      car.box,
      el(
        'p',
        { className: 'chart-note' },
        'Shaded: the selected member’s matched time-of-day band (where its CAR from the event bar would lie on 95% of quiet sessions at this time of day), drawn on the CAR scale; boxed: the run where it is outside.',
      ),
      el('h3', { text: 'The group' }),
      el('p', { className: 'intraday-tests', dataset: { field: 'tests' } }),
      caar.box,
      volume.box,
    );
  }
  if (members.length === 0) view.append(el('p', { className: 'intraday-tests', dataset: { field: 'tests' } }));
  view.append(el('h3', { text: 'Members' }), el('div', { dataset: { field: 'members' } }));
  replaceChildren(body, view);
}
