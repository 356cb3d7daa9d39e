// One exchange whose every instrument fails to fetch, said once: a compact banner in the freshness list with the
// per-symbol errors behind a disclosure, instead of a wall of the same error per symbol.
import { el } from './dom';
import type { ExchangeFreshness, ExchangeOutage } from './freshness';
import { formatDate, formatInstant } from './format';

export function offlineBanner(name: string, g: ExchangeFreshness, outage: ExchangeOutage): HTMLLIElement {
  const since = outage.since ? ` since ${formatInstant(outage.since, 'UTC')}` : '';
  const through = outage.through ? `showing stored data through ${formatDate(outage.through)}` : 'no stored data to show';
  const count = outage.errors.length;
  return el(
    'li',
    {
      className: 'freshness-badge stale offline-banner',
      dataset: { exchange: g.exchange, stale: 'true', offline: 'true' },
      attrs: { role: 'status' },
    },
    el('span', { className: 'freshness-state', text: 'Offline' }),
    el('strong', { text: name }),
    el('span', { className: 'offline-summary', text: `Live updates unavailable${since}, Yahoo unreachable; ${through}.` }),
    el(
      'details',
      { className: 'offline-details' },
      el('summary', {
        text: `${count} fetch error${count === 1 ? '' : 's'} (${count === g.symbols.length ? 'every instrument' : 'some instruments'})`,
      }),
      el(
        'ul',
        {},
        ...outage.errors.map((e) =>
          el('li', { className: 'freshness-error', text: `${e.symbol}: ${e.message}${e.at ? ` (${formatInstant(e.at, 'UTC')})` : ''}` }),
        ),
      ),
    ),
  );
}
