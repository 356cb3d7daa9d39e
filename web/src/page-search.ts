// /search?q=…: the nav's search box. Instruments by symbol or name and events by title or address, from the
// stored lists; a query that is exactly one symbol (in any case) opens that instrument's page at once.
import { api, type EventSummary, type Instrument } from './api';
import { byId, el, empty, errorBox, instrumentLink, replaceChildren, showFatal } from './dom';
import { formatDate } from './format';

function matches(text: string, words: readonly string[]): boolean {
  const t = text.toLowerCase();
  return words.every((w) => t.includes(w));
}

function results(instruments: readonly Instrument[], events: readonly EventSummary[], q: string): HTMLElement[] {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const foundInstruments = instruments.filter((i) => matches(`${i.symbol} ${i.name}`, words));
  const foundEvents = events.filter((e) => matches(`${e.title} ${e.slug}`, words));
  const parts: HTMLElement[] = [];
  if (foundInstruments.length)
    parts.push(
      el('h3', { text: `Instruments (${foundInstruments.length})` }),
      el(
        'ul',
        { className: 'search-list', attrs: { id: 'found-instruments' } },
        ...foundInstruments.map((i) =>
          el('li', {}, instrumentLink(i.symbol), el('span', { className: 'muted', text: ` ${i.name} · ${i.exchange}` })),
        ),
      ),
    );
  if (foundEvents.length)
    parts.push(
      el('h3', { text: `Events (${foundEvents.length})` }),
      el(
        'ul',
        { className: 'search-list', attrs: { id: 'found-events' } },
        ...foundEvents.map((e) =>
          el(
            'li',
            {},
            el('a', { text: e.title, attrs: { href: `/events/${encodeURIComponent(e.slug)}` } }),
            el('span', { className: 'muted', text: ` ${formatDate(e.date)}` }),
          ),
        ),
      ),
    );
  return parts;
}

async function main(): Promise<void> {
  const target = byId('search-results');
  const q = (new URLSearchParams(window.location.search).get('q') ?? '').trim();
  const box = byId<HTMLInputElement>('nav-search');
  box.value = q;
  if (!q) {
    replaceChildren(target, empty('Type a symbol (NVDA), a name (Nvidia) or words of an event’s title in the search box above.'));
    return;
  }
  let instruments: Instrument[];
  let events: EventSummary[];
  try {
    [instruments, events] = await Promise.all([api.instruments(), api.events()]);
  } catch (err) {
    replaceChildren(target, errorBox('The search could not be done', err, 'Reload the page in a moment.'));
    return;
  }
  const exact = instruments.find((i) => i.symbol === q.toUpperCase());
  if (exact) {
    window.location.replace(`/instruments/${encodeURIComponent(exact.symbol)}`);
    return;
  }
  const found = results(instruments, events, q);
  if (found.length === 0) {
    replaceChildren(
      target,
      empty(`Nothing stored matches “${q}”.`),
      el(
        'p',
        { className: 'note' },
        'An instrument that is not tracked yet can be ',
        el('a', { text: 'added from Yahoo', attrs: { href: '/instruments/new' } }),
        '; an event can be ',
        el('a', { text: 'added by hand', attrs: { href: '/events/new' } }),
        '.',
      ),
    );
    return;
  }
  replaceChildren(target, ...found);
}

main().catch(showFatal);
