// /instruments/new: search Yahoo by name (GET /api/instruments/search), see for each candidate the exchange, currency
// and benchmark it will get, add it with the admin token (POST /api/instruments, background: true), follow its
// backfills (GET /api/ingest-runs/:id) and open its page when they are done.
import type {
  AddStartedResponse,
  IngestRunProgress,
  InstrumentCandidate,
  InstrumentSearchResponse,
} from '../../src/ingest/instrumentSearchContract';
import { announceWritesOff, keepToken, readToken } from './adminToken';
import { ApiError, apiRequest } from './api';
import { byId, el, empty, errorBox, loading, replaceChildren, showFatal } from './dom';
import { formatNumber } from './format';
import { cardTable } from './table';

/** How often the progress is asked for while the backfills run. */
const POLL_MS = 500;

function inputs() {
  return {
    form: byId<HTMLFormElement>('search-form'),
    query: byId<HTMLInputElement>('search-query'),
    queryProblem: byId('query-problem'),
    addTyped: byId<HTMLButtonElement>('add-typed'),
    token: byId<HTMLInputElement>('admin-token'),
    candidates: byId('candidates'),
    progressSection: byId('progress-section'),
    progress: byId('add-progress'),
  };
}
type Inputs = ReturnType<typeof inputs>;

/** A problem with what was typed, said next to the field (or cleared with null). */
function fieldProblem(field: HTMLInputElement, target: HTMLElement, message: string | null): void {
  target.textContent = message ?? '';
  target.hidden = message === null;
  if (message === null) field.removeAttribute('aria-invalid');
  else {
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }
}

function storedAs(c: InstrumentCandidate): string {
  if (c.exchange === null) return '–';
  return c.sessions === null ? `${c.exchange} (sessions unknown)` : c.exchange;
}

function renderCandidates(f: Inputs, answer: InstrumentSearchResponse): void {
  if (answer.candidates.length === 0) {
    replaceChildren(f.candidates, empty(`Yahoo knows no stock, ETF, index or currency named “${answer.query}”.`));
    return;
  }
  const addButton = (c: InstrumentCandidate) => {
    const button = el('button', {
      className: 'button',
      text: c.tracked ? 'Refresh' : 'Add',
      attrs: { type: 'button', 'data-symbol': c.symbol, 'aria-label': `${c.tracked ? 'Refresh' : 'Add'} ${c.symbol}` },
    });
    if (c.problem !== null) button.disabled = true;
    button.addEventListener('click', () => void add(f, c.symbol));
    return button;
  };
  const table = cardTable<InstrumentCandidate>({
    id: 'candidate-table',
    className: 'data-table candidate-table',
    caption: `Symbols matching ${answer.query}`,
    rowData: (c) => ({ symbol: c.symbol }),
    rows: answer.candidates,
    columns: [
      { header: 'Symbol', rowHeader: true, cell: (c) => el('strong', { text: c.symbol }) },
      {
        header: 'Name',
        key: 'name',
        cell: (c) => [c.name, c.problem ? el('span', { className: 'candidate-problem', text: c.problem }) : null],
      },
      { header: 'Listed on', key: 'listed', cell: (c) => `${c.listedOn} · ${c.kind}` },
      { header: 'Exchange', key: 'exchange', cell: storedAs },
      { header: 'Currency', key: 'currency', cell: (c) => c.currency ?? '–' },
      { header: 'Benchmark', key: 'benchmark', cell: (c) => c.benchmark ?? 'none' },
      { header: 'FX series', key: 'fx', cell: (c) => c.fxSeries ?? '–' },
      { header: '', key: 'add', label: 'Add', cell: addButton },
    ],
  });
  replaceChildren(f.candidates, table);
}

async function search(f: Inputs): Promise<void> {
  const q = f.query.value.trim();
  fieldProblem(f.query, f.queryProblem, q ? null : 'Give a name or a symbol to search for.');
  if (!q) return;
  replaceChildren(f.candidates, loading('Searching Yahoo…'));
  try {
    renderCandidates(f, await apiRequest<InstrumentSearchResponse>(`/api/instruments/search?q=${encodeURIComponent(q)}`));
  } catch (err) {
    replaceChildren(f.candidates, searchProblem(err));
  }
}

/**
 * A failed search in words: Yahoo out of reach (503 upstream_unavailable: no network, DNS, refused) is said as
 * such, without the chain of wrapped messages; the technical cause stays behind a disclosure.
 */
function searchProblem(err: unknown): HTMLElement {
  if (!(err instanceof ApiError) || err.code !== 'upstream_unavailable') return errorBox('The search failed', err);
  const box = errorBox('The search failed', new Error('Yahoo cannot be reached from this machine; try again later.'));
  box.dataset.status = String(err.status);
  box.dataset.code = err.code;
  box.append(el('details', { className: 'problem-cause' }, el('summary', { text: 'What went wrong' }), el('p', { text: err.message })));
  return box;
}

function roleOf(symbol: string | null, started: AddStartedResponse): string {
  if (symbol === started.candidate.symbol) return 'the instrument';
  if (symbol === started.candidate.benchmark) return 'its benchmark';
  if (symbol === started.candidate.fxSeries) return 'its FX series';
  return 'added with it';
}

function renderProgress(f: Inputs, started: AddStartedResponse, p: IngestRunProgress): void {
  const symbol = started.candidate.symbol;
  const rows = p.steps.reduce((n, s) => n + s.rowsNew + s.rowsUpdated + s.rowsUnchanged, 0);
  const sessions = p.steps.reduce((n, s) => n + s.sessions, 0);
  const steps = el(
    'ol',
    { className: 'add-steps', attrs: { id: 'add-steps' } },
    ...p.steps.map((s) =>
      el(
        'li',
        { className: `add-step add-step-${s.status}`, dataset: { symbol: s.symbol ?? '', status: s.status } },
        el('strong', { text: s.symbol ?? '' }),
        ` (${roleOf(s.symbol, started)}): `,
        s.status === 'running' ? 'fetching daily prices…' : null,
        s.status === 'ok'
          ? `${formatNumber(s.sessions, 0)} sessions stored, ${formatNumber(s.rowsNew, 0)} rows new${s.rowsUpdated ? `, ${formatNumber(s.rowsUpdated, 0)} updated` : ''}`
          : null,
        s.status === 'error' ? el('span', { className: 'add-step-error', text: `failed: ${s.error ?? 'unknown error'}` }) : null,
      ),
    ),
  );
  const summary =
    p.run.status === 'running'
      ? el('p', {
          className: 'state state-loading',
          attrs: { role: 'status', id: 'add-summary' },
          text: `Adding ${symbol}: ${formatNumber(rows, 0)} rows and ${formatNumber(sessions, 0)} sessions so far…`,
        })
      : p.run.status === 'ok'
        ? el('p', {
            className: 'state state-ok',
            attrs: { role: 'status', id: 'add-summary' },
            text: `${symbol} added: ${formatNumber(p.sessions, 0)} sessions stored. Opening its page…`,
          })
        : el(
            'div',
            { className: 'state state-error', attrs: { role: 'alert', id: 'add-summary' } },
            el('strong', { text: `${symbol} could not be added completely: ` }),
            p.run.error ?? 'the add failed',
            p.sessions > 0 || p.steps.some((s) => s.symbol === symbol)
              ? el(
                  'span',
                  {},
                  ' ',
                  el('a', { text: `Open ${symbol} as stored`, attrs: { href: `/instruments/${encodeURIComponent(symbol)}` } }),
                )
              : null,
          );
  replaceChildren(f.progress, summary, p.steps.length > 0 ? steps : null);
}

async function follow(f: Inputs, started: AddStartedResponse): Promise<void> {
  for (;;) {
    const p = await apiRequest<IngestRunProgress>(started.progressUrl);
    renderProgress(f, started, p);
    if (p.done) {
      if (p.run.status === 'ok') window.location.assign(`/instruments/${encodeURIComponent(started.candidate.symbol)}`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function add(f: Inputs, symbol: string): Promise<void> {
  fieldProblem(f.query, f.queryProblem, null);
  const token = f.token.value;
  if (!token) {
    f.token.setAttribute('aria-invalid', 'true');
    f.progressSection.hidden = false;
    replaceChildren(
      f.progress,
      el('p', { className: 'state state-error', attrs: { role: 'alert' }, text: 'Give the admin token to add an instrument.' }),
    );
    f.token.focus();
    return;
  }
  f.token.removeAttribute('aria-invalid');
  keepToken(token);
  const buttons = [...document.querySelectorAll<HTMLButtonElement>('#candidates button, #add-typed')];
  for (const b of buttons) b.disabled = true;
  f.progressSection.hidden = false;
  replaceChildren(f.progress, loading(`Looking up ${symbol}…`));
  try {
    const started = await apiRequest<AddStartedResponse>('/api/instruments', { method: 'POST', body: { symbol, background: true }, token });
    await follow(f, started);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'unknown_symbol') {
      // the symbol typed is what is wrong: said at the field
      replaceChildren(f.progress);
      f.progressSection.hidden = true;
      fieldProblem(f.query, f.queryProblem, err.message);
    } else replaceChildren(f.progress, errorBox(`${symbol} was not added`, err));
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

function main(): void {
  const f = inputs();
  f.token.value = readToken();
  void announceWritesOff(f.form, [f.token, f.addTyped]);
  f.form.addEventListener('submit', (e) => {
    e.preventDefault();
    void search(f);
  });
  f.addTyped.addEventListener('click', () => {
    const symbol = f.query.value.trim().toUpperCase();
    if (!/^[A-Z0-9^=.-]{1,32}$/.test(symbol)) {
      fieldProblem(
        f.query,
        f.queryProblem,
        symbol ? `“${f.query.value.trim()}” is not a ticker symbol: search for it by name instead.` : 'Give the symbol to add, e.g. SU.PA.',
      );
      return;
    }
    void add(f, symbol);
  });
}

try {
  main();
} catch (err) {
  showFatal(err);
}
