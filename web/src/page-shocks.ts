// /shocks: the detected group shocks (GET /api/shocks), newest first: each with its group, when (UTC and local),
// how strong in numbers and in words, who moved first, its news and status; an admin who gives the token confirms
// a candidate as an event or dismisses it. The filters are a plain GET form: the address of the page is its view.
import { api, apiRequest } from './api';
import { byId, el, empty, errorBox, replaceChildren, showFatal } from './dom';
import { marketZonesOf, shockActions, shockCard, mountAdminBox } from './shockParts';
import { type MarketZones, newestFirst, type Shock } from './shockWords';

const FILTERS = ['group', 'kind', 'from', 'to'] as const;

function filtersFromUrl(): URLSearchParams {
  const here = new URLSearchParams(window.location.search);
  const query = new URLSearchParams();
  for (const name of FILTERS) {
    const value = here.get(name);
    if (value) query.set(name, value);
  }
  return query;
}

function showFilters(query: URLSearchParams, groups: readonly { slug: string; title: string }[]): void {
  const groupSelect = byId<HTMLSelectElement>('shock-group');
  groupSelect.append(...groups.map((g) => el('option', { attrs: { value: g.slug }, text: g.title })));
  for (const name of FILTERS) {
    const control = byId<HTMLSelectElement | HTMLInputElement>(`shock-${name}`);
    const value = query.get(name) ?? '';
    if (control instanceof HTMLSelectElement && value && ![...control.options].some((o) => o.value === value))
      control.append(el('option', { attrs: { value }, text: value }));
    control.value = value;
  }
}

function renderList(target: HTMLElement, shocks: readonly Shock[], zones: MarketZones, token: HTMLInputElement, filtered: boolean): void {
  if (shocks.length === 0) {
    replaceChildren(
      target,
      empty(
        filtered
          ? 'No shock matches these filters.'
          : 'No shock detected yet. The detector runs as bars arrive; `aftershock shocks scan` looks back over stored history.',
      ),
    );
    return;
  }
  const list = el('ol', { className: 'shock-list' });
  for (const shock of newestFirst(shocks)) {
    const item = el('li', { className: 'shock-item' });
    const draw = (s: Shock, eventSlug: string | null = null) => {
      replaceChildren(
        item,
        shockCard(s, zones),
        eventSlug && s.status === 'confirmed'
          ? el(
              'p',
              { className: 'state state-ok', attrs: { role: 'status' } },
              'Confirmed: ',
              el('a', { text: 'open the event', attrs: { href: `/events/${encodeURIComponent(eventSlug)}` } }),
            )
          : null,
        shockActions(s, token, draw),
      );
    };
    draw(shock);
    list.append(item);
  }
  replaceChildren(target, list);
}

async function main(): Promise<void> {
  const target = byId('shocks');
  const query = filtersFromUrl();
  const token = mountAdminBox(byId('shock-admin-box'));
  const details = byId<HTMLDetailsElement>('shock-admin');
  const sync = () => document.body.classList.toggle('admin-open', details.open);
  details.addEventListener('toggle', sync);
  if (token.value) details.open = true;
  sync();

  const shocksLoad = apiRequest<{ shocks: Shock[] }>(`/api/shocks${query.size ? `?${query}` : ''}`);
  shocksLoad.catch(() => undefined); // handled below
  const [groups, instruments] = await Promise.all([
    apiRequest<{ groups: { slug: string; title: string }[] }>('/api/groups')
      .then((r) => r.groups)
      .catch(() => []),
    api.instruments().catch(() => []),
  ]);
  showFilters(query, groups);
  try {
    renderList(target, (await shocksLoad).shocks, marketZonesOf(instruments), token, query.size > 0);
  } catch (err) {
    replaceChildren(target, errorBox('The shocks could not be loaded', err));
  }
}

main().catch(showFatal);
