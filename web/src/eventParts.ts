// Pieces of an event shown on more than one page: its heading and its news list.
import type { EventDetail, EventSummary, NewsItem } from './api';
import { el, empty, externalLink, replaceChildren } from './dom';
import { cityOfTimeZone, formatDate, formatInstant } from './format';

const PART_OF_DAY_WORDS: Record<string, string> = {
  before_open: 'before the open',
  during_session: 'during the session',
  after_close: 'evening, after the close',
};

/** The local calendar date of an instant in a zone (YYYY-MM-DD). */
function localDateOf(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** "New York time (America/New_York)" */
function zoneWords(timeZone: string): string {
  return `${cityOfTimeZone(timeZone)} time (${timeZone})`;
}

/**
 * How precisely the time is known, in words: "Sun 26 Jan 2025 (date only, time not known)", "Mon 27 Jan 2025,
 * evening, after the close, New York time (America/New_York); exact time not known", "between ... and ...", or
 * "20 Jan 2025, 12:19 UTC" plus the same instant in the given zones.
 */
export function describeWhen(event: EventSummary, timeZones: readonly string[] = []): string {
  if (event.dateOnly || !event.occurredAt) return `${formatDate(event.date, true)} (date only, time not known)`;
  const part = PART_OF_DAY_WORDS[event.precision];
  if (part && event.timeZone) {
    const date = formatDate(localDateOf(event.occurredAt, event.timeZone), true);
    return `${date}, ${part}, ${zoneWords(event.timeZone)}; exact time not known`;
  }
  if (event.precision === 'interval' && event.timeZone && event.occurredUntil) {
    return `between ${formatInstant(event.occurredAt, event.timeZone)} and ${formatInstant(event.occurredUntil, event.timeZone)}, ${zoneWords(event.timeZone)}; exact time not known`;
  }
  const zones = [...new Set(timeZones)].filter((z) => z !== 'UTC');
  const local = zones.map((z) => `${cityOfTimeZone(z)} ${formatInstant(event.occurredAt, z).replace(/^.*, /, '')}`);
  return [formatInstant(event.occurredAt, 'UTC'), ...local].join(' · ');
}

export function kindBadge(kind: string): HTMLElement {
  return el('span', { className: 'kind-badge', text: kind.replace(/_/g, ' ') });
}

export function renderEventHead(target: HTMLElement, event: EventDetail, timeZones: readonly string[] = []): void {
  replaceChildren(
    target,
    el('p', { className: 'breadcrumb' }, el('a', { text: '← All events', attrs: { href: '/' } })),
    el('h1', { text: event.title, attrs: { id: 'event-title' } }),
    el(
      'p',
      { className: 'event-meta' },
      kindBadge(event.kind),
      ' ',
      el('time', { text: describeWhen(event, timeZones), attrs: { datetime: event.occurredAt ?? event.date } }),
    ),
    event.description ? el('p', { className: 'event-description', text: event.description }) : null,
  );
}

/** News with links that open elsewhere (noopener noreferrer); primary sources first as the API orders them. */
export function renderNewsList(target: HTMLElement, news: readonly NewsItem[]): void {
  if (news.length === 0) {
    replaceChildren(target, empty('No news is attached to this event.'));
    return;
  }
  const list = el('ul', 'news-list');
  for (const n of news) {
    const when = n.publishedAt && !n.dateOnly ? formatInstant(n.publishedAt, 'UTC') : formatDate(n.date);
    list.append(
      el(
        'li',
        'news-item',
        externalLink(n.url, n.title, 'news-title'),
        el(
          'span',
          'news-meta',
          n.role === 'source' ? el('span', { className: 'role-badge', text: 'primary source' }) : null,
          n.role === 'source' ? ' ' : null,
          el('time', { text: when, attrs: { datetime: n.publishedAt ?? n.date } }),
          n.publisher ? ` · ${n.publisher}` : null,
          n.kind ? ` · ${n.kind.replace(/_/g, ' ')}` : null,
        ),
      ),
    );
  }
  replaceChildren(target, list);
}
