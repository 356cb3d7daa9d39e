// Pieces of a shock shown on more than one page (the Shocks list, a shock's own page, the home page): its card
// (group, when, how strong, who moved first, its news, its status) and the admin's confirm and dismiss form.
import { announceWritesOff, keepToken, readToken } from './adminToken';
import { apiRequest } from './api';
import { el, errorBox, externalLink, replaceChildren } from './dom';
import { formatInstant, formatMoney } from './format';
import {
  directionWords,
  firstMoverWords,
  kindWords,
  type MarketZones,
  type Shock,
  type ShockNews,
  statisticWords,
  statusWords,
  strengthWords,
  whenWords,
} from './shockWords';

/** The event kind a confirmed shock gets unless the admin types another (the confirm route's default). */
const DEFAULT_KIND = 'news';

const shockHref = (shock: Pick<Shock, 'id'>): string => `/shocks/${shock.id}`;

/** The exchange code -> IANA zone of the instruments (their exchange is the market code the API gives a member). */
export function marketZonesOf(instruments: readonly { exchange: string; timeZone: string }[]): Map<string, string> {
  return new Map(instruments.map((i) => [i.exchange, i.timeZone]));
}

function statusBadge(shock: Shock): HTMLElement {
  const badge = el('span', { className: `shock-status shock-status-${shock.status}`, text: statusWords(shock.status) });
  if (shock.status !== 'confirmed' || !shock.eventSlug) return badge;
  return el('span', {}, badge, ' ', el('a', { text: 'the event', attrs: { href: `/events/${encodeURIComponent(shock.eventSlug)}` } }));
}

/** The attached news, linked: most members named first, as the API ranks them. */
export function newsList(news: readonly ShockNews[]): HTMLElement {
  if (news.length === 0) return el('p', { className: 'muted shock-news-none', text: 'No stored news names a member in that window.' });
  return el(
    'ul',
    { className: 'shock-news' },
    ...news.map((n) =>
      el(
        'li',
        { dataset: { newsId: String(n.id) } },
        externalLink(n.url, n.title, 'shock-news-title'),
        el(
          'span',
          { className: 'muted' },
          [
            n.source,
            n.publishedAt ? formatInstant(n.publishedAt, 'UTC') : null,
            n.membersNamed.length ? `names ${n.membersNamed.join(', ')}` : null,
          ]
            .filter(Boolean)
            .map((part) => ` · ${part}`)
            .join(''),
        ),
      ),
    ),
  );
}

/** News items a compact card (the home page's) shows; its page has them all. */
const COMPACT_NEWS = 1;

/**
 * The shock as a card: group, kind and status; when; how strong; who moved first; the news. `compact` (the home
 * page) names only the first market and the top news item, and says how many more its page has.
 */
export function shockCard(
  shock: Shock,
  zones: MarketZones,
  opts: { heading?: 'h2' | 'h3'; link?: boolean; compact?: boolean } = {},
): HTMLElement {
  const when = whenWords(shock, zones);
  const title = `${shock.group.name} ${directionWords(shock)}`;
  const heading = el(
    opts.heading ?? 'h3',
    { className: 'shock-title' },
    opts.link === false ? title : el('a', { text: title, attrs: { href: shockHref(shock) } }),
  );
  const allFirst = firstMoverWords(shock, zones);
  const first = opts.compact ? allFirst.slice(0, 1) : allFirst;
  const news = opts.compact ? shock.news.slice(0, COMPACT_NEWS) : shock.news;
  const moreNews = shock.news.length - news.length;
  const firstLabel = opts.compact
    ? shock.kind === 'daily'
      ? 'First session: '
      : 'Moved first: '
    : shock.kind === 'daily'
      ? 'Sessions, first open first: '
      : 'Who moved first: ';
  return el(
    'article',
    { className: `shock-card shock-${shock.direction}`, dataset: { shockId: String(shock.id), status: shock.status, kind: shock.kind } },
    el('p', { className: 'shock-meta' }, el('span', { className: 'kind-badge', text: kindWords(shock) }), ' ', statusBadge(shock)),
    heading,
    el(
      'p',
      { className: 'shock-when' },
      el('time', { className: 'shock-when-headline', text: when.headline, attrs: { datetime: shock.sessionDate ?? shock.start } }),
      el('span', { className: 'muted shock-when-utc', text: ` · ${when.utc}` }),
    ),
    when.local.length ? el('p', { className: 'muted shock-when-local', text: `Local: ${when.local.join(' · ')}` }) : null,
    el(
      'p',
      { className: 'shock-strength' },
      el('strong', { className: `figure ${shock.direction}`, text: strengthWords(shock) }),
      el('span', { className: 'muted', text: ` · ${statisticWords(shock)}` }),
      shock.size.valueChangeUsd === null
        ? null
        : el('span', { className: 'muted', text: ` · market value ${formatMoney(shock.size.valueChangeUsd, 'USD')}` }),
    ),
    first.length
      ? el(
          'div',
          { className: 'shock-first' },
          el('span', { className: 'shock-label', text: firstLabel }),
          opts.compact
            ? el('span', { className: 'shock-first-one', text: first[0] })
            : el('ol', { className: 'shock-first-list' }, ...first.map((f) => el('li', { text: f }))),
        )
      : null,
    el(
      'div',
      { className: 'shock-news-box' },
      el('span', { className: 'shock-label', text: 'News: ' }),
      newsList(news),
      moreNews > 0
        ? el('a', { className: 'shock-more-news', text: `${moreNews} more news on its page`, attrs: { href: shockHref(shock) } })
        : null,
    ),
  );
}

/** The body of POST /api/shocks/:id/confirm: the event's kind, and its title from a news item (and its time) or typed. */
interface ConfirmBody {
  kind: string;
  newsId?: number;
  title?: string;
}

/**
 * The admin's form under a candidate: the event's title (one of its news items, or typed), its kind, Confirm and
 * Dismiss. The token comes from the page's token field (kept in this tab's session storage, as on the other
 * write pages). `done` gets the shock as the API returns it after the action.
 */
export function shockActions(
  shock: Shock,
  tokenField: HTMLInputElement,
  done: (updated: Shock, event: string | null) => void,
): HTMLElement {
  const id = `shock-${shock.id}`;
  const box = el('div', { className: 'shock-actions', dataset: { shockId: String(shock.id) } });
  if (shock.status !== 'candidate') {
    box.append(el('p', { className: 'muted', text: `${statusWords(shock.status)}; nothing more to decide.` }));
    return box;
  }
  const titleChoice = el('select', { attrs: { id: `${id}-title-choice`, name: 'titleChoice' } });
  for (const n of shock.news) titleChoice.append(el('option', { attrs: { value: String(n.id) }, text: n.title }));
  titleChoice.append(el('option', { attrs: { value: 'typed' }, text: 'Type a title…' }));
  const typed = el('input', { attrs: { id: `${id}-title`, name: 'title', type: 'text', maxlength: '200', autocomplete: 'off' } });
  const typedField = el('div', { className: 'field field-title' }, el('label', { text: 'Title', attrs: { for: `${id}-title` } }), typed);
  const kind = el('input', {
    attrs: {
      id: `${id}-kind`,
      name: 'kind',
      type: 'text',
      value: DEFAULT_KIND,
      list: 'shock-event-kinds',
      maxlength: '40',
      autocomplete: 'off',
      spellcheck: 'false',
      pattern: '[a-z][a-z0-9_]*',
    },
  });
  const confirm = el('button', { className: 'button', text: 'Confirm as an event', attrs: { type: 'submit' } });
  const dismiss = el('button', { className: 'button button-quiet', text: 'Dismiss', attrs: { type: 'button' } });
  const message = el('div', { className: 'shock-action-result', attrs: { 'aria-live': 'polite' } });
  const showTyped = () => {
    typedField.hidden = titleChoice.value !== 'typed';
  };
  titleChoice.addEventListener('change', showTyped);
  showTyped();

  const form = el(
    'form',
    { className: 'view-form shock-action-form', attrs: { novalidate: '', 'aria-label': `Confirm or dismiss shock ${shock.id}` } },
    el('div', { className: 'field field-title' }, el('label', { text: 'Event title from', attrs: { for: titleChoice.id } }), titleChoice),
    typedField,
    el('div', { className: 'field' }, el('label', { text: 'Kind', attrs: { for: kind.id } }), kind),
    el('div', { className: 'form-actions' }, confirm, ' ', dismiss),
  );

  const act = async (action: 'confirm' | 'dismiss', body: ConfirmBody | undefined) => {
    const token = tokenField.value;
    if (!token) {
      tokenField.setAttribute('aria-invalid', 'true');
      replaceChildren(
        message,
        el('p', { className: 'state state-error', attrs: { role: 'alert' }, text: 'Give the admin token above first.' }),
      );
      tokenField.closest('details')?.setAttribute('open', '');
      tokenField.focus();
      return;
    }
    tokenField.removeAttribute('aria-invalid');
    keepToken(token);
    confirm.disabled = dismiss.disabled = true;
    try {
      const url = `/api/shocks/${shock.id}`;
      if (action === 'confirm') {
        // 201 with the event it became; the shock is read again for its new status
        const answer = await apiRequest<{ event: { slug: string } }>(`${url}/confirm`, { method: 'POST', body, token });
        done((await apiRequest<{ shock: Shock }>(url)).shock, answer.event.slug);
      } else {
        done((await apiRequest<{ shock: Shock }>(`${url}/dismiss`, { method: 'POST', token })).shock, null);
      }
    } catch (err) {
      replaceChildren(
        message,
        errorBox(action === 'confirm' ? 'The shock could not be confirmed' : 'The shock could not be dismissed', err),
      );
      confirm.disabled = dismiss.disabled = false;
    }
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body: ConfirmBody = { kind: kind.value.trim() || DEFAULT_KIND };
    if (titleChoice.value === 'typed') {
      if (!typed.value.trim()) {
        typed.setAttribute('aria-invalid', 'true');
        replaceChildren(
          message,
          el('p', { className: 'state state-error', attrs: { role: 'alert' }, text: 'Type a title, or pick a news item.' }),
        );
        typed.focus();
        return;
      }
      typed.removeAttribute('aria-invalid');
      body.title = typed.value.trim();
    } else body.newsId = Number(titleChoice.value);
    void act('confirm', body);
  });
  dismiss.addEventListener('click', () => void act('dismiss', undefined));
  box.append(form, message);
  return box;
}

/**
 * The admin's form of a Shocks page, in `target`: the admin token (filled from this tab's session storage, and
 * said to be off up front when the server has no ADMIN_TOKEN) and the kinds the confirm forms suggest (the kinds
 * of the stored events). Returns the token field the confirm and dismiss buttons read.
 */
export function mountAdminBox(target: HTMLElement): HTMLInputElement {
  const token = el('input', {
    attrs: { id: 'admin-token', name: 'adminToken', type: 'password', autocomplete: 'off', spellcheck: 'false' },
  });
  token.value = readToken();
  const form = el(
    'form',
    { className: 'view-form', attrs: { id: 'shock-admin-form', novalidate: '' } },
    el(
      'div',
      { className: 'field' },
      el('label', { text: 'Admin token', attrs: { for: 'admin-token' } }),
      token,
      el(
        'p',
        { className: 'hint' },
        'Sent as ',
        el('code', { text: 'Authorization: Bearer …' }),
        "; kept in this tab's session storage only.",
      ),
    ),
  );
  form.addEventListener('submit', (ev) => ev.preventDefault());
  const kinds = el('datalist', { attrs: { id: 'shock-event-kinds' } }, el('option', { attrs: { value: DEFAULT_KIND } }));
  replaceChildren(target, form, kinds);
  void announceWritesOff(form, [token]);
  void apiRequest<{ events: { kind: string }[] }>('/api/events')
    .then(({ events }) => {
      const known = [...new Set(events.map((e) => e.kind))].filter((k) => k !== DEFAULT_KIND).sort();
      kinds.append(...known.map((k) => el('option', { attrs: { value: k } })));
    })
    .catch(() => undefined); // suggestions only: the field takes any kind
  return token;
}
