// /alerts: the recent alerts, newest first, with their move (linked to the instrument), their event and what became
// of their email; filters by delivery status and instrument, and pages of 25 to 100 (GET /api/alerts, whose public
// answer holds no address). The filters are a plain GET form: the address of the page is its view.
import type { AlertListResponse } from '../../src/triggers/alertContract';
import { type Alert, attemptsText, deliveryWords, ruleWords } from './alertDelivery';
import { api, apiRequest } from './api';
import { byId, direction, el, empty, errorBox, instrumentLink, replaceChildren, showFatal } from './dom';
import { formatDate, formatInstant, formatPercent, formatPrice } from './format';
import { cardTable, type TableColumn } from './table';

const FILTERS = ['status', 'symbol', 'limit'] as const;

/** The table's columns; prices in each instrument's currency where the instrument is known. */
const columnsOf = (currencyOf: ReadonlyMap<string, string>): TableColumn<Alert>[] => [
  { key: 'symbol', header: 'Instrument', rowHeader: true, cell: (a) => instrumentLink(a.symbol) },
  { key: 'created', header: 'Raised', sub: 'UTC', className: 'nowrap', cell: (a) => formatInstant(a.createdAt) },
  { key: 'session', header: 'Session', className: 'nowrap', cell: (a) => formatDate(a.sessionDate) },
  {
    key: 'move',
    header: 'Move',
    sub: 'and price',
    numeric: true,
    className: (a) => direction(a.move),
    cell: (a) => [
      el('span', { className: 'car-value', text: formatPercent(a.move) }),
      a.price === null
        ? null
        : el('span', {
            className: 'car-stats',
            text: currencyOf.has(a.symbol) ? formatPrice(a.price, currencyOf.get(a.symbol)!) : String(a.price),
          }),
    ],
  },
  {
    key: 'abnormal',
    header: 'Abnormal return',
    sub: 'z',
    numeric: true,
    className: (a) => direction(a.abnormalReturn),
    cell: (a) => [
      el('span', { className: 'car-value', text: formatPercent(a.abnormalReturn) }),
      el('span', { className: 'car-stats', text: a.z === null ? 'z –' : `z ${a.z.toFixed(1)}` }),
    ],
  },
  { key: 'rule', header: 'Why', cell: (a) => ruleWords(a.rule) },
  {
    key: 'event',
    header: 'Event',
    className: 'wide',
    cell: (a) =>
      a.event
        ? el('a', { text: a.event.title ?? a.event.slug, attrs: { href: `/events/${encodeURIComponent(a.event.slug)}` } })
        : el('span', { className: 'muted', text: 'none linked' }),
  },
  {
    key: 'delivery',
    header: 'Email',
    className: 'wide',
    cell: (a) => {
      const words = deliveryWords(a);
      return [
        el('span', { className: `status-badge delivery-${words.label}`, text: words.label, dataset: { field: 'delivery-status' } }),
        el('span', { className: 'delivery-detail', text: ` ${words.detail}`, dataset: { field: 'delivery-detail' } }),
      ];
    },
  },
  { key: 'attempts', header: 'Attempts', numeric: true, cell: (a) => attemptsText(a.delivery?.attempts ?? 0) },
];

function filtersFromUrl(): URLSearchParams {
  const here = new URLSearchParams(window.location.search);
  const query = new URLSearchParams();
  for (const name of [...FILTERS, 'before'] as const) {
    const value = here.get(name);
    if (value) query.set(name, value);
  }
  if (!query.has('limit')) query.set('limit', '50');
  return query;
}

function showFilters(query: URLSearchParams): void {
  for (const name of FILTERS) {
    const select = byId<HTMLSelectElement>(`alert-${name}`);
    const value = query.get(name) ?? '';
    // a value the list lacks (a symbol no longer tracked) is still shown as chosen
    if (value && ![...select.options].some((o) => o.value === value)) select.append(el('option', { attrs: { value }, text: value }));
    select.value = value;
  }
}

function paging(target: HTMLElement, query: URLSearchParams, nextBefore: number | null): void {
  const link = (text: string, change: (q: URLSearchParams) => void, rel?: string) => {
    const q = new URLSearchParams(query);
    change(q);
    return el('a', { className: 'button button-quiet', text, attrs: { href: `/alerts?${q}`, rel } });
  };
  replaceChildren(
    target,
    query.has('before') ? link('← Newest', (q) => q.delete('before'), 'first') : null,
    nextBefore === null ? null : link('Older alerts →', (q) => q.set('before', String(nextBefore)), 'next'),
  );
}

async function main(): Promise<void> {
  const target = byId('alerts');
  const query = filtersFromUrl();
  const symbolSelect = byId<HTMLSelectElement>('alert-symbol');
  // both requests at once: the alerts do not wait for the instrument list (it fills the filter and the currencies)
  const alertsLoad = apiRequest<AlertListResponse>(`/api/alerts?${query}`);
  alertsLoad.catch(() => undefined); // handled below
  const instruments = await api.instruments().catch(() => []);
  symbolSelect.append(...instruments.map((i) => el('option', { attrs: { value: i.symbol }, text: `${i.symbol} · ${i.name}` })));
  showFilters(query);
  let body: AlertListResponse;
  try {
    body = await alertsLoad;
  } catch (err) {
    replaceChildren(target, errorBox('The alerts could not be loaded', err));
    return;
  }
  const emailNote = byId('email-switch');
  emailNote.hidden = body.email === 'on';
  emailNote.textContent = 'Email is off on this server (no SMTP_URL): alerts are recorded and shown here, not emailed.';
  byId('alerts-summary').textContent = `${body.alerts.length} shown${query.has('before') ? ', older ones' : ''}`;
  if (body.alerts.length === 0) {
    replaceChildren(
      target,
      empty(query.has('status') || query.has('symbol') ? 'No alert matches these filters.' : 'No alert has been raised yet.'),
    );
  } else {
    replaceChildren(
      target,
      cardTable({
        id: 'alerts-table',
        className: 'data-table alerts-table',
        caption: 'Recent alerts, newest first',
        region: 'Recent alerts',
        columns: columnsOf(new Map(instruments.map((i) => [i.symbol, i.currency]))),
        rows: body.alerts,
        rowData: (a) => ({ alertId: String(a.id), status: a.status }),
      }),
    );
  }
  paging(byId('alerts-paging'), query, body.nextBefore);
}

main().catch(showFatal);
