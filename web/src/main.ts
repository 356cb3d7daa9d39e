// Home: the events as a timeline with their headline impact (fetched lazily as they scroll into view), the
// tracked instruments with last price, last move and a sparkline, and how fresh the data of each exchange is.
import { api, ApiError, apiRequest, type DailyBar, type EventSummary, type Instrument } from './api';
import { chartCanvas, drawChart } from './charts/draw';
import { sparklineConfig } from './charts/sparkline';
import { byId, direction, el, empty, errorBox, instrumentLink, replaceChildren, showFatal } from './dom';
import { kindBadge, describeWhen } from './eventParts';
import { formatDate, formatInstant, formatInstrumentPrice, formatMoney, formatPercent, marketName } from './format';
import {
  exchangeOutage,
  freshnessByExchange,
  freshnessFromLatestBars,
  freshnessFromStatus,
  type ExchangeFreshness,
  type InstrumentFreshness,
} from './freshness';
import { basketAt, largestDayZeroMove } from './impactView';
import { instrumentStyles } from './instrumentStyle';
import { jobQueue, whenVisible } from './lazy';
import { type OfflineExchange, offlineBanner } from './offlineBanner';
import { marketZonesOf, shockCard } from './shockParts';
import { latestShock, type Shock } from './shockWords';
import { mountSubscribeForm } from './subscribeForm';

/** Sessions in a sparkline: about three months. */
const SPARKLINE_SESSIONS = 60;
/** Impact requests in flight at once while the timeline scrolls. */
const IMPACT_CONCURRENCY = 2;

// ---------- freshness ----------

async function loadFreshness(): Promise<{ freshness: InstrumentFreshness[]; source: 'status' | 'bars' }> {
  try {
    const fromStatus = freshnessFromStatus(await api.status());
    if (fromStatus) return { freshness: fromStatus, source: 'status' };
  } catch (err) {
    // a server without the status route still has its bars; any other failure is worth showing
    if (!(err instanceof ApiError && err.isMissingRoute)) throw err;
  }
  const readiness = await api.readiness();
  return { freshness: freshnessFromLatestBars(readiness.latestBars ?? {}), source: 'bars' };
}

function exchangeName(g: ExchangeFreshness): string {
  return marketName(g.exchange, g.timeZone);
}

function renderFreshness(target: HTMLElement, groups: ExchangeFreshness[], freshness: readonly InstrumentFreshness[]): void {
  if (groups.length === 0) {
    replaceChildren(target, empty('No tracked instruments yet.'));
    return;
  }
  const list = el('ul', 'freshness-list');
  // every exchange that cannot fetch at all shares one banner, said once (a fresh clone offline: all of them)
  const offline: OfflineExchange[] = [];
  for (const g of groups) {
    const outage = exchangeOutage(g, freshness);
    if (outage) offline.push({ name: exchangeName(g), group: g, outage });
  }
  if (offline.length > 0) list.append(offlineBanner(offline));
  for (const g of groups) {
    if (offline.some((o) => o.group === g)) continue;
    const age = g.ageDays === null ? '' : g.ageDays <= 0 ? ' (today)' : ` (${g.ageDays} day${g.ageDays === 1 ? '' : 's'} ago)`;
    const item = el(
      'li',
      { className: `freshness-badge ${g.stale ? 'stale' : 'fresh'}`, dataset: { exchange: g.exchange, stale: String(g.stale) } },
      el('span', { className: 'freshness-state', text: g.stale ? 'Stale' : 'Fresh' }),
      el('strong', { text: exchangeName(g) }),
      el('span', { className: 'freshness-detail', text: g.lastBar ? `last bar ${formatDate(g.lastBar)}${age}` : 'no bars yet' }),
    );
    if (g.stale) {
      const why = g.errors.length > 0 ? 'fetching fails' : (g.staleness ?? 'no new bar for longer than a long weekend');
      item.append(el('span', { className: 'freshness-warning', text: `Warning: data may be out of date: ${why}.` }));
    }
    for (const e of g.errors) {
      item.append(
        el('span', { className: 'freshness-error', text: `${e.symbol}: ${e.message}${e.at ? ` (${formatInstant(e.at, 'UTC')})` : ''}` }),
      );
    }
    list.append(item);
  }
  replaceChildren(target, list);
}

// ---------- events timeline ----------

async function loadHeadline(event: EventSummary, target: HTMLElement): Promise<void> {
  try {
    const impact = await api.impact(event.slug, new URLSearchParams());
    const largest = largestDayZeroMove(impact.results);
    const basket = basketAt(impact.basket, 0);
    if (!largest && !basket) {
      replaceChildren(target, el('span', { className: 'muted', text: 'No session after this event in the data yet.' }));
      return;
    }
    replaceChildren(
      target,
      largest
        ? el(
            'span',
            { className: 'headline-figure', dataset: { figure: 'largest-move' } },
            'Largest move ',
            el('strong', { text: largest.symbol }),
            ' ',
            el('span', { className: `figure ${direction(largest.move)}`, text: formatPercent(largest.move) }),
            largest.day0 ? el('span', { className: 'muted', text: ` on ${formatDate(largest.day0)}` }) : null,
          )
        : null,
      basket && basket.marketValueChangeUsd !== null
        ? el(
            'span',
            { className: 'headline-figure', dataset: { figure: 'basket' } },
            'Basket ',
            el('span', {
              className: `figure ${direction(basket.marketValueChangeUsd)}`,
              text: formatMoney(basket.marketValueChangeUsd, 'USD'),
            }),
            el('span', { className: 'muted', text: ` on day 0 (${basket.contributors} of ${basket.instruments} instruments)` }),
          )
        : null,
    );
  } catch (err) {
    replaceChildren(target, errorBox('Impact', err));
  }
}

function renderEvents(target: HTMLElement, events: EventSummary[], zones: string[]): void {
  if (events.length === 0) {
    replaceChildren(
      target,
      empty('No events yet. Add one to see how the market took it.'),
      el('a', { text: 'Add an event', attrs: { href: '/events/new' }, className: 'button' }),
    );
    return;
  }
  const enqueue = jobQueue(IMPACT_CONCURRENCY);
  const onVisible = whenVisible('200px');
  const headlines = new Map<Element, () => void>();
  const list = el('ol', 'timeline');
  for (const event of events) {
    const headline = el('p', { className: 'headline', text: 'Measuring the impact…', attrs: { 'aria-live': 'polite' } });
    const item = el(
      'li',
      { className: 'timeline-item', dataset: { slug: event.slug } },
      el('time', { className: 'timeline-date', text: formatDate(event.date), attrs: { datetime: event.date } }),
      el(
        'div',
        'timeline-body',
        el(
          'h3',
          { className: 'timeline-title' },
          el('a', { text: event.title, attrs: { href: `/events/${encodeURIComponent(event.slug)}` } }),
        ),
        el(
          'p',
          { className: 'event-meta' },
          kindBadge(event.kind),
          ' ',
          el('span', { className: 'muted', text: describeWhen(event, zones) }),
          event.newsCount ? el('span', { className: 'muted', text: ` · ${event.newsCount} news` }) : null,
        ),
        headline,
      ),
    );
    headlines.set(item, () => enqueue(() => loadHeadline(event, headline)));
    list.append(item);
  }
  replaceChildren(target, list);
  for (const item of list.children) onVisible(item, headlines.get(item)!);
}

// ---------- instruments ----------

/** A start date about `days` calendar days before a date. */
function daysBefore(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

function instrumentCard(instrument: Instrument, color: string): { card: HTMLElement; fill: (bars: DailyBar[] | Error) => void } {
  const figures = el('div', 'instrument-figures', el('span', { className: 'muted', text: 'Loading…' }));
  const { box, canvas } = chartCanvas(
    `spark-${instrument.symbol.replace(/[^A-Za-z0-9]/g, '_')}`,
    `Closes of ${instrument.symbol} over the last ${SPARKLINE_SESSIONS} sessions`,
    'sparkline',
  );
  const card = el(
    'li',
    { className: 'instrument-card', dataset: { symbol: instrument.symbol } },
    el('div', 'instrument-name', instrumentLink(instrument.symbol), el('span', { className: 'muted', text: ` ${instrument.name}` })),
    figures,
    box,
  );
  const fill = (bars: DailyBar[] | Error) => {
    if (bars instanceof Error) {
      replaceChildren(figures, errorBox('Prices', bars));
      box.remove();
      return;
    }
    if (bars.length === 0) {
      replaceChildren(figures, empty('No bars yet'));
      box.remove();
      return;
    }
    const last = bars[bars.length - 1];
    const previous = bars.length > 1 ? bars[bars.length - 2] : null;
    const move = previous && previous.close > 0 ? last.close / previous.close - 1 : null;
    const price = formatInstrumentPrice(instrument, last.close);
    replaceChildren(
      figures,
      el('span', { className: 'instrument-price', text: price, dataset: { figure: 'last-price' } }),
      el('span', { className: `figure ${direction(move)}`, text: formatPercent(move), dataset: { figure: 'last-move' } }),
      el('span', { className: 'muted', text: formatDate(last.date) }),
    );
    drawChart<'line', number[]>(canvas, sparklineConfig(bars.slice(-SPARKLINE_SESSIONS), color));
  };
  return { card, fill };
}

async function renderInstruments(target: HTMLElement, instruments: Instrument[], latest: Map<string, string>): Promise<void> {
  const tracked = instruments.filter((i) => i.tracked);
  if (tracked.length === 0) {
    replaceChildren(target, empty('No instruments are tracked.'));
    return;
  }
  const styles = instrumentStyles(instruments.map((i) => i.symbol));
  const list = el('ul', 'instrument-grid');
  const cards = tracked.map((i) => ({ instrument: i, ...instrumentCard(i, styles.get(i.symbol)?.color ?? '#333') }));
  for (const c of cards) list.append(c.card);
  replaceChildren(target, list);
  await Promise.all(
    cards.map(async ({ instrument, fill }) => {
      const lastBar = latest.get(instrument.symbol);
      // about 60 sessions need ~90 calendar days; ask for a little more to survive holidays
      const range = lastBar ? { from: daysBefore(lastBar, 100) } : {};
      try {
        fill((await api.bars(instrument.symbol, range)).bars);
      } catch (err) {
        fill(err instanceof Error ? err : new Error(String(err)));
      }
    }),
  );
}

// ---------- the latest shock ----------

async function renderLatestShock(target: HTMLElement, instruments: Promise<Instrument[]>): Promise<void> {
  let shocks: Shock[];
  try {
    shocks = (await apiRequest<{ shocks: Shock[] }>('/api/shocks')).shocks;
  } catch (err) {
    replaceChildren(target, errorBox('The shocks could not be loaded', err));
    return;
  }
  const latest = latestShock(shocks);
  if (!latest) {
    replaceChildren(target, empty('No group shock detected yet (or every one was dismissed).'));
    return;
  }
  const zones = marketZonesOf(await instruments.catch(() => []));
  replaceChildren(target, shockCard(latest, zones, { compact: true }));
}

async function main(): Promise<void> {
  const eventsTarget = byId('events');
  const instrumentsTarget = byId('instruments');
  const freshnessTarget = byId('freshness');
  const instrumentsLoad = api.instruments();
  mountSubscribeForm(byId('subscribe'), { instruments: instrumentsLoad });
  const latestShock = renderLatestShock(byId('latest-shock'), instrumentsLoad);
  const [instruments, events, freshness] = await Promise.allSettled([instrumentsLoad, api.events(), loadFreshness()]);

  if (instruments.status === 'rejected') {
    replaceChildren(instrumentsTarget, errorBox('The instruments could not be loaded', instruments.reason));
    replaceChildren(freshnessTarget, errorBox('Freshness', instruments.reason));
  }
  const instrumentList = instruments.status === 'fulfilled' ? instruments.value : [];
  const zones = [...new Set(instrumentList.filter((i) => i.kind === 'equity').map((i) => i.timeZone))];

  if (events.status === 'fulfilled') renderEvents(eventsTarget, events.value, zones);
  else replaceChildren(eventsTarget, errorBox('The events could not be loaded', events.reason));

  const latest = new Map<string, string>();
  if (freshness.status === 'fulfilled') {
    for (const f of freshness.value.freshness) if (f.lastBar) latest.set(f.symbol, f.lastBar);
    if (instruments.status === 'fulfilled')
      renderFreshness(
        freshnessTarget,
        freshnessByExchange(instrumentList, freshness.value.freshness, new Date(), freshness.value.source),
        freshness.value.freshness,
      );
  } else if (instruments.status === 'fulfilled') {
    replaceChildren(freshnessTarget, errorBox('How fresh the data is could not be checked', freshness.reason));
  }
  if (instruments.status === 'fulfilled') await renderInstruments(instrumentsTarget, instrumentList, latest);
  await latestShock;
}

main().catch(showFatal);
