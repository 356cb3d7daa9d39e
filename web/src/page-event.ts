// /events/:slug: every instrument's price path in event time, abnormal returns and CARs with their 95% band,
// the impact table, the news; the view's parameters live in the URL so a view can be shared.
import { api, ApiError, type EventDetail, type EventImpact, type ImpactResponse, type Instrument } from './api';
import { abnormalReturnsConfig, pricePathsConfig } from './charts/eventTime';
import { chartCanvas, drawChart } from './charts/draw';
import { byId, direction, el, empty, errorBox, loading, replaceChildren, showFatal } from './dom';
import { cityOfTimeZone, formatDate, formatMoney, formatNumber, formatOffset, formatP, formatPercent, formatT, formatWindow, utcOffsetMinutes } from './format';
import {
  abnormalReturnBars,
  basketAt,
  carBand,
  dateSpan,
  dayAt,
  queryOfView,
  rebasedPath,
  sessionsInOrder,
  statusLabel,
  viewFromQuery,
  windowOf,
  windowStartOf,
  type EventTimePoint,
  type ImpactViewParams,
} from './impactView';
import { instrumentStyles, type InstrumentStyle } from './instrumentStyle';
import { renderEventHead, renderNewsList } from './eventParts';

interface PageState {
  slug: string;
  instruments: Instrument[];
  /** what the last impact answer used, to fill the form and spot unchanged defaults */
  effective: ImpactViewParams | null;
  inflight: AbortController | null;
}

const state: PageState = { slug: '', instruments: [], effective: null, inflight: null };

function slugFromPath(): string {
  const m = /^\/events\/([^/]+)\/?$/.exec(window.location.pathname);
  return m ? decodeURIComponent(m[1]) : '';
}

function instrumentOf(symbol: string): Instrument | undefined {
  return state.instruments.find((i) => i.symbol === symbol);
}

function stylesFor(results: readonly EventImpact[]): Map<string, InstrumentStyle> {
  return instrumentStyles(
    state.instruments.map((i) => i.symbol),
    results.map((r) => r.symbol),
  );
}

// ---------- the form (view settings) ----------

function formInputs() {
  return {
    windowFrom: byId<HTMLInputElement>('window-from'),
    windowTo: byId<HTMLInputElement>('window-to'),
    estimationFrom: byId<HTMLInputElement>('estimation-from'),
    estimationTo: byId<HTMLInputElement>('estimation-to'),
    minObs: byId<HTMLInputElement>('min-obs'),
    benchmark: byId<HTMLSelectElement>('benchmark'),
    symbols: byId('symbol-choices'),
    message: byId('view-form-message'),
  };
}

function setupForm(): void {
  const f = formInputs();
  const benchmarks = state.instruments.filter((i) => i.kind === 'index' || i.kind === 'etf');
  for (const b of benchmarks) f.benchmark.append(el('option', { text: `${b.symbol} · ${b.name}`, attrs: { value: b.symbol } }));
  byId<HTMLAnchorElement>('view-reset').href = window.location.pathname;
  byId<HTMLFormElement>('view-form').addEventListener('submit', (e) => {
    e.preventDefault();
    applyForm();
  });
}

/** Checkboxes for the instruments an event study can run on (not FX); results' symbols always appear. */
function renderSymbolChoices(checked: readonly string[]): void {
  const f = formInputs();
  // indexes are what instruments are measured against; offered as benchmarks, not as instruments
  const candidates = state.instruments.filter((i) => i.kind === 'equity' || i.kind === 'etf').map((i) => i.symbol);
  for (const s of checked) if (!candidates.includes(s)) candidates.push(s);
  const styles = instrumentStyles(state.instruments.map((i) => i.symbol), candidates);
  replaceChildren(
    f.symbols,
    ...candidates.map((symbol) => {
      const input = el('input', { attrs: { type: 'checkbox', name: 'symbols', value: symbol, id: `symbol-${symbol}` } });
      input.checked = checked.includes(symbol);
      const swatch = el('span', { className: `swatch dash-${styles.get(symbol)?.dashName.replace(/\s+/g, '-')}`, attrs: { 'aria-hidden': 'true' } });
      swatch.style.borderTopColor = styles.get(symbol)?.color ?? '#000';
      return el('label', { className: 'symbol-choice', attrs: { for: `symbol-${symbol}` } }, input, swatch, symbol);
    }),
  );
}

function fillForm(view: ImpactViewParams, effective: ImpactViewParams | null): void {
  const f = formInputs();
  const w = view.window ?? effective?.window;
  const est = view.estimation ?? effective?.estimation;
  f.windowFrom.value = w ? String(w[0]) : '';
  f.windowTo.value = w ? String(w[1]) : '';
  f.estimationFrom.value = est ? String(est[0]) : '';
  f.estimationTo.value = est ? String(est[1]) : '';
  const minObs = view.minObs ?? effective?.minObs;
  f.minObs.value = minObs === undefined ? '' : String(minObs);
  const benchmark = view.benchmark ?? '';
  if (benchmark && ![...f.benchmark.options].some((o) => o.value === benchmark)) f.benchmark.append(el('option', { text: benchmark, attrs: { value: benchmark } }));
  f.benchmark.value = benchmark;
  renderSymbolChoices(view.symbols ?? effective?.symbols ?? []);
}

function readInt(input: HTMLInputElement): number | undefined {
  const v = input.value.trim();
  return v === '' || !/^-?\d+$/.test(v) ? undefined : Number(v);
}

function sameList(a: readonly (string | number)[] | undefined, b: readonly (string | number)[] | undefined): boolean {
  return !!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]);
}

function applyForm(): void {
  const f = formInputs();
  f.message.textContent = '';
  const current = viewFromQuery(window.location.search);
  const eff = state.effective ?? {};
  const next: ImpactViewParams = {};
  const pair = (from: HTMLInputElement, to: HTMLInputElement, name: string): [number, number] | undefined | 'bad' => {
    const a = readInt(from);
    const b = readInt(to);
    if (a === undefined && b === undefined) return undefined;
    if (a === undefined || b === undefined) {
      f.message.textContent = `${name}: give both ends as whole numbers of trading days.`;
      return 'bad';
    }
    if (a > b) {
      f.message.textContent = `${name}: "from" must not be after "to".`;
      return 'bad';
    }
    return [a, b];
  };
  const w = pair(f.windowFrom, f.windowTo, 'Event window');
  if (w === 'bad') return;
  const est = pair(f.estimationFrom, f.estimationTo, 'Estimation window');
  if (est === 'bad') return;
  // a value equal to the default in force stays out of the URL, unless the URL already named it
  if (w && (current.window || !sameList(w, eff.window))) next.window = w;
  if (est && (current.estimation || !sameList(est, eff.estimation))) next.estimation = est;
  const minObs = readInt(f.minObs);
  if (minObs !== undefined && (current.minObs !== undefined || minObs !== eff.minObs)) next.minObs = minObs;
  if (f.benchmark.value) next.benchmark = f.benchmark.value;
  const symbols = [...f.symbols.querySelectorAll<HTMLInputElement>('input[name=symbols]:checked')].map((i) => i.value);
  if (symbols.length === 0) {
    f.message.textContent = 'Choose at least one instrument.';
    return;
  }
  if (current.symbols || !sameList(symbols, eff.symbols)) next.symbols = symbols;
  const query = queryOfView(next).toString();
  history.pushState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
  void loadImpact();
}

// ---------- impact: sequence, charts, table, downloads ----------

const impactTargets = () => ({
  sequence: byId('sequence'),
  paths: byId('paths'),
  ar: byId('ar-charts'),
  table: byId('impact-table'),
  downloads: byId('downloads'),
});

/** Measures the view in the URL; `started` is a request for it already under way (the first one, sent early). */
async function loadImpact(started?: { request: Promise<ImpactResponse>; controller: AbortController }): Promise<void> {
  const view = viewFromQuery(window.location.search);
  fillForm(view, state.effective);
  const t = impactTargets();
  state.inflight?.abort();
  const controller = started?.controller ?? new AbortController();
  state.inflight = controller;
  replaceChildren(t.sequence, loading('Measuring the impact…'));
  replaceChildren(t.paths, loading('Loading price paths…'));
  replaceChildren(t.ar, loading('Loading abnormal returns…'));
  replaceChildren(t.table, loading('Loading the impact table…'));
  replaceChildren(t.downloads);
  let impact: ImpactResponse;
  try {
    impact = await (started?.request ?? api.impact(state.slug, queryOfView(view), controller.signal));
  } catch (err) {
    if ((err as Error).name === 'AbortError') return;
    const what = err instanceof ApiError && err.isMissingRoute ? 'The impact API is not available on this server' : 'The impact could not be measured';
    for (const target of [t.sequence, t.paths, t.ar, t.table]) replaceChildren(target, errorBox(what, err));
    return;
  } finally {
    if (state.inflight === controller) state.inflight = null;
  }
  const effective: ImpactViewParams = {
    window: windowOf(impact.params.window),
    estimation: windowOf(impact.params.estimation),
    minObs: typeof impact.params.minObs === 'number' ? impact.params.minObs : undefined,
    symbols: impact.results.map((r) => r.symbol),
  };
  state.effective = effective;
  fillForm(view, effective);
  renderImpact(impact);
}

function renderImpact(impact: ImpactResponse): void {
  const t = impactTargets();
  const results = impact.results;
  if (results.length === 0) {
    for (const target of [t.sequence, t.paths, t.ar, t.table]) replaceChildren(target, empty('No instruments to measure: choose some above.'));
    return;
  }
  const styles = stylesFor(results);
  renderSequence(t.sequence, results);
  renderPaths(t.paths, results, styles);
  renderAbnormalReturns(t.ar, results, styles, windowStartOf(impact.params, results));
  renderTable(t.table, impact);
  renderDownloads(t.downloads, results);
}

function renderSequence(target: HTMLElement, results: EventImpact[]): void {
  const groups = sessionsInOrder(
    results,
    (symbol) => instrumentOf(symbol)?.timeZone ?? 'UTC',
    (timeZone, isoDate) => utcOffsetMinutes(timeZone, new Date(`${isoDate}T12:00:00Z`)),
  );
  if (groups.length === 0) {
    replaceChildren(target, empty('No instrument has a session after this event in the stored data yet.'));
    return;
  }
  const list = el('ol', 'sequence');
  for (const g of groups) {
    const moves = el('ul', 'sequence-moves');
    for (const r of [...g.results].sort((a, b) => (dayAt(a, 0)?.move ?? 0) - (dayAt(b, 0)?.move ?? 0))) {
      const move = dayAt(r, 0)?.move ?? null;
      moves.append(
        el('li', {}, el('a', { text: r.symbol, attrs: { href: `/instruments/${encodeURIComponent(r.symbol)}` } }), ' ', el('span', { className: `figure ${direction(move)}`, text: formatPercent(move) })),
      );
    }
    list.append(
      el(
        'li',
        'sequence-step',
        el('span', 'sequence-when', el('strong', { text: `${cityOfTimeZone(g.timeZone)} session` }), ` · day 0 = ${formatDate(g.day0, true)}`),
        moves,
      ),
    );
  }
  replaceChildren(target, list);
}

function renderPaths(target: HTMLElement, results: EventImpact[], styles: Map<string, InstrumentStyle>): void {
  const drawn = results.filter((r) => rebasedPath(r).length > 0);
  if (drawn.length === 0) {
    replaceChildren(target, empty('No price path to draw: no instrument has a close on day −1 and after.'));
    return;
  }
  const { box, canvas } = chartCanvas('chart-paths', `Rebased price paths of ${drawn.map((r) => r.symbol).join(', ')} around day 0`, 'chart-paths');
  const missing = results.filter((r) => !drawn.includes(r));
  replaceChildren(target, box, missing.length ? el('p', { className: 'note', text: `Not drawn: ${missing.map((r) => `${r.symbol} (${r.statusReason})`).join('; ')}` }) : null);
  drawChart<'line', EventTimePoint[]>(canvas, pricePathsConfig({ results: drawn, styles, instruments: state.instruments }));
}

function renderAbnormalReturns(target: HTMLElement, results: EventImpact[], styles: Map<string, InstrumentStyle>, windowStart: number): void {
  const grid = el('div', 'small-multiples');
  replaceChildren(target, grid);
  for (const r of results) {
    const s = styles.get(r.symbol)!;
    const instrument = instrumentOf(r.symbol);
    const card = el('figure', { className: 'small-chart', dataset: { symbol: r.symbol } });
    const heading = el('figcaption', {}, el('strong', { text: r.symbol }), ` ${instrument?.name ?? ''}`, r.benchmark ? el('span', { className: 'muted', text: ` vs ${r.benchmark}` }) : null);
    card.append(heading);
    grid.append(card);
    const bars = abnormalReturnBars(r);
    if (bars.length === 0) {
      card.append(empty(`No abnormal returns: ${r.statusReason}`));
      continue;
    }
    const { box, canvas } = chartCanvas(`chart-ar-${r.symbol.replace(/[^A-Za-z0-9]/g, '_')}`, `Abnormal returns and CAR of ${r.symbol}`, 'chart-small');
    card.append(box);
    if (!carBand(r, windowStart)) card.append(el('p', { className: 'note', text: `No 95% band: ${r.statusReason}.` }));
    drawChart<'bar', EventTimePoint[]>(canvas, abnormalReturnsConfig({ result: r, style: s, windowStart }));
  }
}

function renderTable(target: HTMLElement, impact: ImpactResponse): void {
  const results = impact.results;
  const carWindows = results.find((r) => r.cars.length > 0)?.cars.map((c) => [c.from, c.to] as const) ?? [];
  const eventWindow = windowOf(impact.params.window);
  const bharWindow = eventWindow ? formatWindow(eventWindow[0], eventWindow[1]) : 'event window';
  // [column key, heading, sub-heading]; the label also heads the cell when the table turns into cards on a phone
  const columns: [string, string, string][] = [
    ['day0', 'Day 0', ''],
    ['move', 'Move', 'day 0'],
    ['ar', 'AR', 'day 0'],
    ...carWindows.map(([from, to]): [string, string, string] => [`car:${from},${to}`, `CAR ${formatWindow(from, to)}`, 't · p']),
    ['bhar', 'BHAR', bharWindow],
    ['mv', 'Market value', 'day 0, local · USD'],
  ];
  const columnCount = columns.length + 1;
  const labelOf = (key: string) => {
    const c = columns.find(([k]) => k === key)!;
    return c[2] ? `${c[1]} (${c[2]})` : c[1];
  };
  const head = el(
    'tr',
    {},
    el('th', { text: 'Instrument', attrs: { scope: 'col' } }),
    ...columns.map(([, text, sub]) => el('th', { attrs: { scope: 'col' } }, text, sub ? el('span', { className: 'th-sub', text: sub }) : null)),
  );
  const body = el('tbody');
  for (const r of results) {
    const day0 = dayAt(r, 0);
    const instrument = instrumentOf(r.symbol);
    const cell = (col: string, text: string, className = '') => el('td', { className, text, dataset: { col, label: labelOf(col) } });
    const row = el('tr', { dataset: { symbol: r.symbol, status: r.status, card: '' } });
    row.append(
      el('th', { attrs: { scope: 'row' }, dataset: { col: 'symbol' } }, el('a', { text: r.symbol, attrs: { href: `/instruments/${encodeURIComponent(r.symbol)}` } }), instrument ? el('span', { className: 'th-sub', text: instrument.name }) : null),
      cell('day0', formatDate(r.day0)),
      cell('move', formatPercent(day0?.move), `num ${direction(day0?.move)}`),
      cell('ar', formatPercent(day0?.abnormalReturn), `num ${direction(day0?.abnormalReturn)}`),
    );
    for (const [from, to] of carWindows) {
      const car = r.cars.find((c) => c.from === from && c.to === to);
      const col = `car:${from},${to}`;
      row.append(
        el(
          'td',
          { className: `num ${direction(car?.car)}`, dataset: { col, label: labelOf(col) } },
          el('span', { className: 'car-value', text: formatPercent(car?.car), dataset: { field: 'car' } }),
          el('span', 'car-stats', 't ', el('span', { text: formatT(car?.t), dataset: { field: 't' } }), ' · p ', el('span', { text: formatP(car?.p), dataset: { field: 'p' } })),
        ),
      );
    }
    row.append(
      cell('bhar', formatPercent(r.bhar), `num ${direction(r.bhar)}`),
      el(
        'td',
        { className: `num ${direction(day0?.marketValueChange)}`, dataset: { col: 'mv', label: labelOf('mv') } },
        el('span', { className: 'mv-value', text: formatMoney(day0?.marketValueChange, r.currency), dataset: { field: 'mv-local' } }),
        // in USD as well where the local currency is another one
        r.currency === 'USD' ? null : el('span', { className: 'mv-usd', text: formatMoney(day0?.marketValueChangeUsd, 'USD'), dataset: { field: 'mv-usd' } }),
      ),
    );
    body.append(row);
    // the status in words gets a full-width line of its own: the reasons are sentences, not figures
    body.append(
      el(
        'tr',
        { className: 'status-row', dataset: { statusOf: r.symbol } },
        el(
          'td',
          { attrs: { colspan: String(columnCount) }, dataset: { col: 'status' } },
          el('span', { className: `status-badge status-${r.status}`, text: statusLabel(r), dataset: { field: 'status' } }),
          ' ',
          el('span', { className: 'status-reason', text: `${r.statusReason}.`, dataset: { field: 'status-reason' } }),
          r.marketValueNote ? el('span', { className: 'status-reason', text: ` Market value: ${r.marketValueNote}.`, dataset: { field: 'market-value-note' } }) : null,
        ),
      ),
    );
  }
  const basket0 = basketAt(impact.basket, 0);
  const foot = el('tfoot');
  if (basket0) {
    foot.append(
      el(
        'tr',
        { dataset: { row: 'basket' } },
        el('th', {
          attrs: { scope: 'row', colspan: String(columnCount - 1) },
          text: `Basket, day 0: ${basket0.contributors} of ${basket0.instruments} instruments${basket0.missing.length ? ` (without ${basket0.missing.join(', ')})` : ''}`,
        }),
        el('td', { className: `num ${direction(basket0.marketValueChangeUsd)}`, text: formatMoney(basket0.marketValueChangeUsd, 'USD'), dataset: { col: 'basket-usd' } }),
      ),
    );
  }
  const table = el(
    'table',
    { className: 'impact-table card-table', attrs: { id: 'impact' } },
    el('caption', { className: 'visually-hidden', text: 'Impact per instrument around day 0' }),
    el('thead', {}, head),
    body,
    foot,
  );
  replaceChildren(target, el('div', { className: 'table-scroll', attrs: { tabindex: '0', role: 'region', 'aria-label': 'Impact table' } }, table));
}

function renderDownloads(target: HTMLElement, results: EventImpact[]): void {
  const query = queryOfView(viewFromQuery(window.location.search));
  const impactCsv = `/api/export/events/${encodeURIComponent(state.slug)}/impact.csv${query.toString() ? `?${query}` : ''}`;
  const span = dateSpan(results);
  const barsQuery = new URLSearchParams({ symbols: results.map((r) => r.symbol).join(',') });
  if (span) {
    barsQuery.set('from', span.from);
    barsQuery.set('to', span.to);
  }
  replaceChildren(
    target,
    el('span', { className: 'muted', text: 'Download: ' }),
    el('a', { className: 'button button-quiet', text: 'Impact (CSV)', attrs: { href: impactCsv, download: '' } }),
    ' ',
    el('a', { className: 'button button-quiet', text: 'Daily bars of this window (CSV)', attrs: { href: `/api/export/bars.csv?${barsQuery}`, download: '' } }),
  );
}

// ---------- the event itself ----------

function renderMoves(event: EventDetail): void {
  const moves = event.moves ?? [];
  const section = byId('moves-section');
  if (moves.length === 0) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  const headings = ['Instrument', 'Date', 'Day', 'Move', 'Abnormal return', 'AR / σ', 'Link'];
  const rows = moves.map((m) => {
    const td = (i: number, text: string, className = '') => el('td', { className, text, dataset: { label: headings[i] } });
    return el(
      'tr',
      { dataset: { symbol: m.symbol, date: m.date, card: '' } },
      el('th', { attrs: { scope: 'row' } }, el('a', { text: m.symbol, attrs: { href: `/instruments/${encodeURIComponent(m.symbol)}` } })),
      td(1, formatDate(m.date)),
      td(2, formatOffset(m.offset), 'num'),
      td(3, formatPercent(m.move), `num ${direction(m.move)}`),
      td(4, formatPercent(m.abnormalReturn), `num ${direction(m.abnormalReturn)}`),
      td(5, m.z === null ? '–' : formatNumber(m.z, 1), 'num'),
      td(6, m.origin === 'manual' ? 'by hand' : 'detected'),
    );
  });
  replaceChildren(
    byId('moves'),
    el(
      'div',
      'table-scroll',
      el('table', { className: 'data-table card-table', attrs: { id: 'event-moves' } }, el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', { text: h, attrs: { scope: 'col' } })))), el('tbody', {}, ...rows)),
    ),
  );
}

async function main(): Promise<void> {
  state.slug = slugFromPath();
  const head = byId('event-head');
  const news = byId('news');
  if (!state.slug) {
    replaceChildren(head, errorBox('No event', new Error('this address names no event')));
    return;
  }
  // the impact takes longest: ask for it first, next to the event and the instruments, not after them
  const firstController = new AbortController();
  const firstImpact = { request: api.impact(state.slug, queryOfView(viewFromQuery(window.location.search)), firstController.signal), controller: firstController };
  firstImpact.request.catch(() => undefined); // handled in loadImpact; this only keeps it from counting as unhandled meanwhile
  const instrumentsLoad = api.instruments().then(
    (list) => {
      state.instruments = list;
    },
    (err) => {
      formInputs().message.replaceChildren(errorBox('The instrument list could not be loaded', err));
    },
  );
  const eventLoad = api.event(state.slug).then(
    async (event) => {
      await instrumentsLoad;
      document.title = `${event.title} · Aftershock`;
      // the event's instant also in the time zones of the exchanges it is measured on
      const zones = state.instruments.filter((i) => i.kind === 'equity').map((i) => i.timeZone);
      renderEventHead(head, event, zones);
      renderNewsList(news, event.news);
      renderMoves(event);
    },
    (err) => {
      replaceChildren(head, errorBox('The event could not be loaded', err));
      replaceChildren(news, errorBox('No news', err));
    },
  );
  await instrumentsLoad;
  setupForm();
  window.addEventListener('popstate', () => void loadImpact());
  await Promise.all([eventLoad, loadImpact(firstImpact)]);
}

main().catch(showFatal);
