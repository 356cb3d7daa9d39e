// Exchanges whose every instrument fails to fetch, said once: one banner for all of them ("Live updates unavailable
// since ...: Yahoo unreachable; stored data through ..."), with the exchanges and their per-symbol errors behind a
// disclosure, instead of a banner per exchange or an error per symbol.
import { el } from './dom';
import type { ExchangeFreshness, ExchangeOutage } from './freshness';
import { formatDate, formatInstant } from './format';

export interface OfflineExchange {
  name: string;
  group: ExchangeFreshness;
  outage: ExchangeOutage;
}

const earliestOf = (xs: (string | null)[]) =>
  xs.filter((x): x is string => x !== null).sort((a, b) => Date.parse(a) - Date.parse(b))[0] ?? null;

/** The one line of the banner: since the first exchange stopped, through the stalest stored data. */
function offlineSummary(offline: readonly OfflineExchange[]): string {
  const since = earliestOf(offline.map((o) => o.outage.since));
  // the stalest exchange decides, as on the per-exchange badges
  const through = offline
    .map((o) => o.outage.through)
    .filter((x): x is string => x !== null)
    .sort()[0];
  return `Live updates unavailable${since ? ` since ${formatInstant(since, 'UTC')}` : ''}: Yahoo unreachable; ${
    through ? `stored data through ${formatDate(through)}` : 'no stored data to show'
  }.`;
}

export function offlineBanner(offline: readonly OfflineExchange[]): HTMLLIElement {
  const errors = offline.reduce((n, o) => n + o.outage.errors.length, 0);
  const exchanges = offline.length === 1 ? offline[0].name : `${offline.length} exchanges`;
  return el(
    'li',
    {
      className: 'freshness-badge stale offline-banner',
      dataset: { exchanges: offline.map((o) => o.group.exchange).join(' '), stale: 'true', offline: 'true' },
      attrs: { role: 'status' },
    },
    el('span', { className: 'freshness-state', text: 'Offline' }),
    el('span', { className: 'offline-summary', text: offlineSummary(offline) }),
    el(
      'details',
      { className: 'offline-details' },
      el('summary', { text: `${exchanges}, ${errors} fetch error${errors === 1 ? '' : 's'}: every instrument fails` }),
      el(
        'ul',
        { className: 'offline-exchanges' },
        ...offline.map((o) =>
          el(
            'li',
            { dataset: { exchange: o.group.exchange } },
            el('strong', { text: o.name }),
            el('span', {
              className: 'muted',
              text: ` (${o.group.symbols.length} instrument${o.group.symbols.length === 1 ? '' : 's'}${
                o.outage.through ? `, stored data through ${formatDate(o.outage.through)}` : ''
              })`,
            }),
            el(
              'ul',
              {},
              ...o.outage.errors.map((e) =>
                el('li', {
                  className: 'freshness-error',
                  text: `${e.symbol}: ${e.message}${e.at ? ` (${formatInstant(e.at, 'UTC')})` : ''}`,
                }),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
