// CSV downloads of the view on screen: the impact and the daily bars of its window.
import type { EventImpact } from '../api';
import { el, replaceChildren } from '../dom';
import { dateSpan } from '../impactView';

export interface DownloadsProps {
  slug: string;
  results: readonly EventImpact[];
  /** the view's query, as the page URL and the export API take it */
  query: URLSearchParams;
}

export function renderDownloads(target: HTMLElement, { slug, results, query }: DownloadsProps): void {
  const impactCsv = `/api/export/events/${encodeURIComponent(slug)}/impact.csv${query.toString() ? `?${query}` : ''}`;
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
    el('a', {
      className: 'button button-quiet',
      text: 'Daily bars of this window (CSV)',
      attrs: { href: `/api/export/bars.csv?${barsQuery}`, download: '' },
    }),
  );
}
