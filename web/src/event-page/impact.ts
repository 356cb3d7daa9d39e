// Measuring the view in the URL: one impact request at a time (a newer view aborts the older), loading and
// error states in every section, then the sequence, the charts, the table and the downloads.
import { api, ApiError, type ImpactResponse, type Instrument } from '../api';
import { byId, el, empty, errorBox, loading, replaceChildren } from '../dom';
import { queryOfView, viewFromQuery, windowOf, windowStartOf, type ImpactViewParams } from '../impactView';
import { renderAbnormalReturns, renderPricePaths } from './charts';
import { renderDownloads } from './downloads';
import { renderHeadline } from './headline';
import { renderImpactTable } from './impactTable';
import { renderSequence } from './sequence';
import { stylesOf, type EventPageState } from './state';
import { renderViewForm, type ViewForm } from './viewForm';

export interface ImpactTargets {
  headline: HTMLElement;
  sequence: HTMLElement;
  paths: HTMLElement;
  ar: HTMLElement;
  table: HTMLElement;
  downloads: HTMLElement;
  /** where the stored prices cut the event window short, per instrument */
  windowNotes: HTMLElement;
}

export function impactTargetsOf(): ImpactTargets {
  return {
    headline: byId('headline-figures'),
    sequence: byId('sequence'),
    paths: byId('paths'),
    ar: byId('ar-charts'),
    table: byId('impact-table'),
    downloads: byId('downloads'),
    windowNotes: byId('window-notes'),
  };
}

/** What the page needs to measure a view: its state and where things go. */
export interface ImpactContext {
  state: EventPageState;
  form: ViewForm;
  targets: ImpactTargets;
}

/** A request for the impact already under way (the first one, sent before anything else). */
export interface StartedImpact {
  request: Promise<ImpactResponse>;
  controller: AbortController;
}

export function startImpact(slug: string, view: ImpactViewParams): StartedImpact {
  const controller = new AbortController();
  return { request: api.impact(slug, queryOfView(view), controller.signal), controller };
}

/** Measures the view in the URL; `started` is a request for it already under way. */
export async function loadImpact({ state, form, targets: t }: ImpactContext, started?: StartedImpact): Promise<void> {
  const view = viewFromQuery(window.location.search);
  renderViewForm(form, { view, effective: state.effective, instruments: state.instruments });
  state.inflight?.abort();
  const controller = started?.controller ?? new AbortController();
  state.inflight = controller;
  replaceChildren(t.headline, loading('Measuring the impact…'));
  showResults(t, true);
  form.message.querySelector('.impact-problem')?.remove();
  replaceChildren(t.sequence, loading('Measuring the impact…'));
  replaceChildren(t.paths, loading('Loading price paths…'));
  replaceChildren(t.ar, loading('Loading abnormal returns…'));
  replaceChildren(t.table, loading('Loading the impact table…'));
  replaceChildren(t.downloads);
  replaceChildren(t.windowNotes);
  let impact: ImpactResponse;
  try {
    impact = await (started?.request ?? api.impact(state.slug, queryOfView(view), controller.signal));
  } catch (err) {
    if ((err as Error).name === 'AbortError') return;
    // one error for the page: the result sections go; a missing event is said once, in the page head (main.ts)
    showResults(t, false);
    if (err instanceof ApiError && err.status === 404 && !err.isMissingRoute) return;
    const what =
      err instanceof ApiError && err.isMissingRoute ? 'The impact API is not available on this server' : 'The impact could not be measured';
    replaceChildren(t.headline);
    const forward =
      err instanceof ApiError && err.status === 400
        ? 'Change the settings above and press Apply, or go back to the defaults.'
        : 'Reload the page in a moment.';
    const box = errorBox(what, err, forward);
    box.classList.add('impact-problem');
    form.message.replaceChildren(box);
    return;
  } finally {
    if (state.inflight === controller) state.inflight = null;
  }
  state.effective = {
    window: windowOf(impact.params.window),
    estimation: windowOf(impact.params.estimation),
    minObs: typeof impact.params.minObs === 'number' ? impact.params.minObs : undefined,
    symbols: impact.results.map((r) => r.symbol),
  };
  renderViewForm(form, { view, effective: state.effective, instruments: state.instruments });
  renderImpact(t, { impact, slug: state.slug, instruments: state.instruments });
}

/** Shows or hides the sections the impact fills (all of them go when it could not be measured). */
function showResults(t: ImpactTargets, shown: boolean): void {
  for (const target of [t.sequence, t.paths, t.ar, t.table]) {
    const section = target.closest('section');
    if (section) section.hidden = !shown;
  }
}

/** Says, once per instrument, where its stored prices end inside the window and why a figure is missing. */
function renderWindowNotes(target: HTMLElement, results: ImpactResponse['results']): void {
  const cut = results.filter((r) => r.windowNote);
  if (cut.length === 0) return;
  replaceChildren(
    target,
    el('p', { className: 'note', text: 'The window reaches beyond the stored prices:' }),
    el('ul', { className: 'note' }, ...cut.map((r) => el('li', { dataset: { symbol: r.symbol }, text: `${r.windowNote}.` }))),
  );
}

interface ImpactProps {
  impact: ImpactResponse;
  slug: string;
  instruments: readonly Instrument[];
}

function renderImpact(t: ImpactTargets, { impact, slug, instruments }: ImpactProps): void {
  const { results } = impact;
  if (results.length === 0) {
    replaceChildren(t.headline);
    for (const target of [t.sequence, t.paths, t.ar, t.table])
      replaceChildren(target, empty('No instruments to measure: choose some above.'));
    return;
  }
  const styles = stylesOf(
    instruments,
    results.map((r) => r.symbol),
  );
  renderHeadline(t.headline, { impact, slug });
  renderSequence(t.sequence, { results, instruments, sessions: impact.sessions });
  renderPricePaths(t.paths, { results, styles, instruments });
  renderAbnormalReturns(t.ar, { results, styles, instruments, windowStart: windowStartOf(impact.params, results) });
  renderWindowNotes(t.windowNotes, results);
  renderImpactTable(t.table, { impact, instruments });
  renderDownloads(t.downloads, { slug, results, query: queryOfView(viewFromQuery(window.location.search)) });
}
