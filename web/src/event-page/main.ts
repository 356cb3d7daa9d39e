// The event page's start: the impact is asked for first (it takes longest), beside the event and the
// instruments; then the head, news and moves, the form, and the impact. The page's state lives here, in one object.
import { api, ApiError } from '../api';
import { byId, el, errorBox, replaceChildren } from '../dom';
import { renderEventHead, renderNewsList } from '../eventParts';
import { queryOfView, viewFromQuery } from '../impactView';
import { renderEventMoves } from './eventMoves';
import { mountIntradayView } from './intraday';
import { impactTargetsOf, loadImpact, startImpact, type ImpactContext } from './impact';
import { createEventPageState, slugFromPath } from './state';
import { mountSubscribeForm } from '../subscribeForm';
import { readViewForm, setupViewForm, viewFormOf } from './viewForm';

/** Reads the form into the URL (a new history entry) and measures that view. */
function applyViewForm(ctx: ImpactContext): void {
  ctx.form.message.textContent = '';
  const read = readViewForm(ctx.form, viewFromQuery(window.location.search), ctx.state.effective);
  if ('problem' in read) {
    ctx.form.message.textContent = read.problem;
    return;
  }
  const query = queryOfView(read.view).toString();
  history.pushState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
  void loadImpact(ctx);
}

export async function main(): Promise<void> {
  const state = createEventPageState(slugFromPath(window.location.pathname));
  const head = byId('event-head');
  const news = byId('news');
  if (!state.slug) {
    replaceChildren(head, errorBox('No event', new Error('this address names no event')));
    return;
  }
  // the impact takes longest: ask for it first, next to the event and the instruments, not after them
  const firstImpact = startImpact(state.slug, viewFromQuery(window.location.search));
  firstImpact.request.catch(() => undefined); // handled in loadImpact; this only keeps it from counting as unhandled meanwhile
  const ctx: ImpactContext = { state, form: viewFormOf(), targets: impactTargetsOf() };
  const instrumentsLoad = api.instruments().then(
    (list) => {
      state.instruments = list;
    },
    (err) => {
      ctx.form.message.replaceChildren(errorBox('The instrument list could not be loaded', err));
    },
  );
  const eventLoad = api.event(state.slug).then(
    async (event) => {
      await instrumentsLoad;
      state.event = event;
      document.title = `${event.title} · Aftershock`;
      // the event's instant also in the time zones of the exchanges it is measured on
      const zones = state.instruments.filter((i) => i.kind === 'equity').map((i) => i.timeZone);
      renderEventHead(head, event, zones);
      const studyHref = `/studies?${new URLSearchParams({ events: state.slug })}`;
      head.append(
        el(
          'p',
          { className: 'study-link' },
          el('a', { attrs: { href: studyHref, id: 'study-this-event' }, text: 'Study this event across a group' }),
        ),
      );
      renderNewsList(news, event.news);
      renderEventMoves(byId('moves-section'), byId('moves'), { moves: event.moves ?? [] });
    },
    (err) => {
      // one error for the page: the head says it, with the way forward; the form and the other sections go
      const missing = err instanceof ApiError && err.status === 404;
      replaceChildren(
        head,
        errorBox(
          missing ? 'No such event' : 'The event could not be loaded',
          missing ? new Error(`no event has the address ${state.slug}`) : err,
          missing
            ? el(
                'span',
                {},
                'See ',
                el('a', { text: 'the list of events', attrs: { href: '/' } }),
                ' or ',
                el('a', { text: 'search', attrs: { href: `/search?q=${encodeURIComponent(state.slug)}` } }),
                '.',
              )
            : 'Reload the page in a moment.',
        ),
      );
      for (const section of document.querySelectorAll<HTMLElement>('main > section:not(#event-head), main > form')) section.hidden = true;
    },
  );
  await instrumentsLoad;
  // the form ticks the instruments the impact shows once it is measured
  const measured = loadImpact(ctx, firstImpact);
  // the intraday view studies the page's instruments: those of ?symbols= at once, else the ones the impact measured
  const viewSymbols = viewFromQuery(window.location.search).symbols;
  void eventLoad.then(() => {
    const event = state.event;
    if (!event) return;
    mountIntradayView(byId('intraday-section'), {
      slug: state.slug,
      event,
      instruments: state.instruments,
      symbols: () => (viewSymbols ? Promise.resolve(viewSymbols) : measured.then(() => state.effective?.symbols ?? [])),
    });
  });
  mountSubscribeForm(byId('subscribe'), {
    instruments: Promise.resolve(state.instruments),
    symbols: measured.then(() => state.effective?.symbols ?? []),
  });
  setupViewForm(ctx.form, { instruments: state.instruments, pathname: window.location.pathname, onSubmit: () => applyViewForm(ctx) });
  window.addEventListener('popstate', () => void loadImpact(ctx));
  await Promise.all([eventLoad, measured]);
}
