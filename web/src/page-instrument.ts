// /instruments/:symbol: daily closes (or candles) on a time axis with the events marked (each marker leads to its
// event), the volume under them with abnormal volume marked around events, and the detected moves with their
// linked events and candidate news.
import 'chartjs-adapter-luxon';
import { api, ApiError, type DailyBar, type DetectedMove, type EventImpact, type EventSummary, type Instrument } from './api';
import { eventsWithin } from './charts/history';
import { mountSubscribeForm } from './subscribeForm';
import { byId, el, empty, errorBox, externalLink, replaceChildren, showFatal } from './dom';
import { kindBadge } from './eventParts';
import { formatDate, formatInstrumentPrice, formatMoney, formatNumber, formatOffset } from './format';
import { moveFigureColumns } from './moveColumns';
import { cardTable, type TableColumn } from './table';
import { instrumentStyles } from './instrumentStyle';
import { jobQueue, whenVisible } from './lazy';
import { renderPriceChart } from './instrument-page/priceChart';
import { renderSessionChart } from './instrument-page/sessionChart';
import { renderVolumeChart, showVolumeSpan } from './instrument-page/volumeChart';
import { formatRatio } from './volumeFormat';

function symbolFromPath(): string {
  const m = /^\/instruments\/([^/]+)\/?$/.exec(window.location.pathname);
  return m ? decodeURIComponent(m[1]) : '';
}

/**
 * Market capitalisation = the stored shares outstanding × the last stored close, in the quote's currency (pence
 * for a GBp quote): shares are a snapshot (sharesAsOf), so this is the value at that close with those shares.
 */
function marketCap(instrument: Instrument, lastBar: DailyBar | undefined): HTMLElement | null {
  if (instrument.kind !== 'equity') return null;
  if (!instrument.sharesOutstanding || !lastBar)
    return el('p', { className: 'market-cap muted', text: 'Market capitalisation unknown: no shares outstanding are stored.' });
  return el(
    'p',
    { className: 'market-cap' },
    'Market capitalisation ',
    el('strong', {
      className: 'figure',
      dataset: { figure: 'market-cap' },
      text: formatMoney(instrument.sharesOutstanding * lastBar.close, instrument.currency),
    }),
    el('span', {
      className: 'muted',
      text: ` = ${formatNumber(instrument.sharesOutstanding / 1e9, 3)}bn shares outstanding${instrument.sharesAsOf ? ` (as of ${formatDate(instrument.sharesAsOf)})` : ''} × the close of ${formatDate(lastBar.date)}, ${formatInstrumentPrice(instrument, lastBar.close)}`,
    }),
  );
}

function renderHead(target: HTMLElement, instrument: Instrument, lastBar: DailyBar | undefined): void {
  const shares = instrument.sharesOutstanding
    ? `${formatNumber(instrument.sharesOutstanding / 1e9, 3)}bn shares outstanding${instrument.sharesAsOf ? ` (as of ${formatDate(instrument.sharesAsOf)})` : ''}`
    : 'shares outstanding unknown';
  replaceChildren(
    target,
    el('p', { className: 'breadcrumb' }, el('a', { text: '← Home', attrs: { href: '/' } })),
    el('h1', {}, instrument.symbol, el('span', { className: 'h1-sub', text: ` ${instrument.name}` })),
    el(
      'p',
      'event-meta',
      kindBadge(instrument.kind),
      ' ',
      el('span', {
        className: 'muted',
        text: [
          `${instrument.exchange} · ${instrument.timeZone}`,
          instrument.currency,
          instrument.benchmark ? `benchmark ${instrument.benchmark}` : 'no benchmark',
          instrument.kind === 'equity' ? shares : null,
        ]
          .filter(Boolean)
          .join(' · '),
      }),
    ),
    marketCap(instrument, lastBar),
  );
}

function renderMarkers(markersTarget: HTMLElement, shown: EventSummary[]): void {
  replaceChildren(
    markersTarget,
    ...shown.map((event) =>
      el(
        'li',
        { dataset: { slug: event.slug } },
        el('time', { text: formatDate(event.date), attrs: { datetime: event.occurredAt ?? event.date } }),
        ' ',
        el('a', { text: event.title, attrs: { href: `/events/${encodeURIComponent(event.slug)}` } }),
        el('span', { className: 'muted', dataset: { field: 'day0-volume' } }),
      ),
    ),
  );
  if (shown.length === 0) markersTarget.replaceChildren(el('li', { className: 'muted', text: 'No event falls within the stored prices.' }));
}

/** Each event's day-0 abnormal volume, in words after its marker. */
function showDayZeroVolumes(markersTarget: HTMLElement, results: ReadonlyMap<string, EventImpact>): void {
  for (const item of markersTarget.querySelectorAll<HTMLElement>('li[data-slug]')) {
    const result = results.get(item.dataset.slug!);
    const cell = item.querySelector<HTMLElement>('[data-field="day0-volume"]')!;
    if (result?.abnormalVolume != null)
      cell.textContent = ` · day 0 (${formatDate(result.day0)}): volume ${formatRatio(result.abnormalVolume)} normal`;
  }
}

interface HistoryTargets {
  history: HTMLElement;
  priceView: HTMLElement;
  volume: HTMLElement;
  markers: HTMLElement;
}

async function renderHistory(
  t: HistoryTargets,
  instrument: Instrument,
  bars: DailyBar[],
  events: EventSummary[],
  moves: DetectedMove[],
  color: string,
): Promise<void> {
  if (bars.length === 0) {
    replaceChildren(t.history, empty(`No daily bars of ${instrument.symbol} are stored yet.`));
    replaceChildren(t.volume);
    return;
  }
  const shown = eventsWithin(bars, events);
  let span: [number, number] | null = null;
  const benchmarkSymbol = instrument.benchmark;
  let benchmarkLoad: Promise<DailyBar[]> | null = null;
  renderPriceChart(t.history, t.priceView, {
    instrument,
    bars,
    events: shown,
    moves,
    color,
    benchmarkBars: () => {
      if (!benchmarkSymbol) return Promise.resolve([]);
      benchmarkLoad ??= api.bars(benchmarkSymbol).then((r) => r.bars);
      return benchmarkLoad;
    },
    onSpan: (s) => {
      span = s;
      showVolumeSpan(s);
    },
  });
  renderMarkers(t.markers, shown);
  showDayZeroVolumes(t.markers, await renderVolumeChart(t.volume, { instrument, bars, events: shown, span: () => span }));
}

/** Candidate news per move comes from GET /api/moves/:id: fetched as its row scrolls into view, two at a time. */
function lazyCandidateNews(): (row: HTMLElement, cell: HTMLElement, id: number) => void {
  const enqueue = jobQueue(2);
  const onVisible = whenVisible('300px');
  const load = (cell: HTMLElement, id: number) => async () => {
    try {
      const detail = await api.move(id);
      const news = detail.candidateNews;
      if (news.length === 0) {
        replaceChildren(cell, el('span', { className: 'muted', text: 'none found' }));
        return;
      }
      replaceChildren(
        cell,
        el(
          'ul',
          'compact-list',
          ...news.map((n) =>
            el(
              'li',
              {},
              externalLink(n.url, n.title),
              el('span', {
                className: 'muted',
                text: ` · ${[n.publisher, formatDate(n.publishedAt.slice(0, 10))].filter(Boolean).join(' · ')}`,
              }),
            ),
          ),
        ),
      );
    } catch (err) {
      replaceChildren(cell, errorBox('Candidate news', err));
    }
  };
  return (row, cell, id) => onVisible(row, () => enqueue(load(cell, id)));
}

function linkedEvents(m: DetectedMove): HTMLElement {
  const links = m.events.map((e) =>
    el(
      'li',
      {},
      el('a', { text: e.title, attrs: { href: `/events/${encodeURIComponent(e.slug)}` } }),
      el('span', { className: 'muted', text: ` (day ${formatOffset(e.offset)}${e.origin === 'manual' ? ', linked by hand' : ''})` }),
    ),
  );
  return links.length ? el('ul', 'compact-list', ...links) : el('span', { className: 'muted', text: 'none' });
}

const MOVE_COLUMNS: readonly TableColumn<DetectedMove>[] = [
  { header: 'Date', className: 'nowrap', cell: (m) => formatDate(m.date) },
  ...moveFigureColumns<DetectedMove>(),
  { key: 'events', header: 'Linked events', className: 'wide', cell: linkedEvents },
  // filled by lazyCandidateNews as the row comes into view
  { key: 'news', header: 'Candidate news', className: 'wide', cell: () => el('span', { className: 'muted', text: 'Loading…' }) },
];

function renderMoves(target: HTMLElement, moves: DetectedMove[]): void {
  if (moves.length === 0) {
    replaceChildren(target, empty('No unusual moves detected in the stored prices.'));
    return;
  }
  const candidateNews = lazyCandidateNews();
  // newest first: the recent moves are the ones being asked about
  const rows = [...moves].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  const table = cardTable({
    id: 'moves-table',
    className: 'data-table moves-table',
    region: 'Detected moves',
    columns: MOVE_COLUMNS,
    rows,
    rowData: (m) => ({ date: m.date, moveId: String(m.id) }),
  });
  replaceChildren(target, table);
  table
    .querySelectorAll<HTMLTableRowElement>('tbody tr')
    .forEach((row, i) => candidateNews(row, row.querySelector<HTMLElement>('td[data-col="news"]')!, rows[i].id));
}

/** Links onward from a symbol that is not there: search the stored instruments and events, or add it from Yahoo. */
function wayForward(symbol: string): HTMLElement {
  const q = symbol ? `?q=${encodeURIComponent(symbol)}` : '';
  return el(
    'span',
    {},
    'Check the symbol, ',
    el('a', { text: 'search the stored instruments and events', attrs: { href: `/search${q}` } }),
    ', or ',
    el('a', { text: 'add it from Yahoo', attrs: { href: '/instruments/new' } }),
    '.',
  );
}

/** Shows `box` in the page head and hides every other section. */
function showOnly(head: HTMLElement, box: HTMLElement): void {
  replaceChildren(head, box);
  for (const id of ['history-section', 'session-section', 'moves-section', 'subscribe']) byId(id).hidden = true;
}

async function main(): Promise<void> {
  const symbol = symbolFromPath();
  const head = byId('instrument-head');
  const targets: HistoryTargets = {
    history: byId('history'),
    priceView: byId('price-view-switch'),
    volume: byId('volume'),
    markers: byId('event-markers'),
  };
  const history = targets.history;
  const movesTarget = byId('moves');
  const markers = targets.markers;
  if (!symbol) {
    showOnly(head, errorBox('No instrument', new Error('this address names no instrument'), wayForward('')));
    return;
  }
  const instrumentsLoad = api.instruments();
  const [instrument, bars, events, moves, all] = await Promise.allSettled([
    api.instrument(symbol),
    api.bars(symbol),
    api.events(),
    api.moves(symbol),
    instrumentsLoad,
  ]);
  if (instrument.status === 'rejected') {
    // one error for the page, in words, with the way forward; no empty charts, moves or subscribe form under it
    const missing = instrument.reason instanceof ApiError && instrument.reason.status === 404;
    showOnly(
      head,
      errorBox(
        missing ? `No instrument ${symbol} is tracked` : `${symbol} could not be loaded`,
        missing ? new Error('the symbol is not in the list of instruments this server stores') : instrument.reason,
        missing ? wayForward(symbol) : 'Reload the page in a moment.',
      ),
    );
    return;
  }
  mountSubscribeForm(byId('subscribe'), { instruments: instrumentsLoad, symbols: [symbol] });
  document.title = `${instrument.value.symbol} · Aftershock`;
  renderHead(head, instrument.value, bars.status === 'fulfilled' ? bars.value.bars.at(-1) : undefined);
  const eventList = events.status === 'fulfilled' ? events.value : [];
  const moveList = moves.status === 'fulfilled' ? moves.value : [];
  const color = all.status === 'fulfilled' ? (instrumentStyles(all.value.map((i) => i.symbol)).get(symbol)?.color ?? '#0072B2') : '#0072B2';
  // the price chart is drawn at once; the abnormal-volume marks follow after one impact request per event
  const historyDrawn =
    bars.status === 'fulfilled' ? renderHistory(targets, instrument.value, bars.value.bars, eventList, moveList, color) : Promise.resolve();
  if (bars.status === 'rejected') {
    replaceChildren(history, errorBox('The prices could not be loaded', bars.reason));
    replaceChildren(targets.volume);
  }
  const sessionDrawn = renderSessionChart(byId('session-chart'), {
    instrument: instrument.value,
    dailyBars: bars.status === 'fulfilled' ? bars.value.bars : [],
    color,
  });
  if (events.status === 'rejected') markers.replaceChildren(el('li', {}, errorBox('The events could not be loaded', events.reason)));
  if (moves.status === 'fulfilled') renderMoves(movesTarget, moveList);
  else replaceChildren(movesTarget, errorBox('The detected moves could not be loaded', moves.reason));
  await Promise.all([historyDrawn, sessionDrawn]);
}

main().catch(showFatal);
