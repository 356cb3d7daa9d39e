// /shocks/:id: one detected shock (GET /api/shocks/:id): its card in full, the members' abnormal returns as ranked
// bars and a table, for an intraday shock the co-jump bars of the episode on a timeline, who moved first, the news
// attached, and the admin's confirm and dismiss.
import { api, apiRequest } from './api';
import { chartCanvas, drawChart } from './charts/draw';
import { coJumpBars, coJumpConfig, memberArConfig, rankedMemberArs } from './charts/shockCharts';
import { byId, direction, el, errorBox, instrumentLink, replaceChildren, showFatal } from './dom';
import { formatInstant, formatNumber, formatPercent, MISSING, marketName } from './format';
import { marketZonesOf, newsList, shockActions, shockCard, mountAdminBox } from './shockParts';
import { firstMoverWords, type MarketZones, type Shock, type ShockMember, strengthWords } from './shockWords';
import { cardTable, type TableColumn } from './table';

const idOfPath = (pathname: string): string => decodeURIComponent(pathname.replace(/^\/shocks\//, '').replace(/\/$/, ''));

function memberColumns(shock: Shock, zones: MarketZones): TableColumn<ShockMember>[] {
  const intraday = shock.kind === 'intraday';
  const columns: TableColumn<ShockMember>[] = [
    { key: 'symbol', header: 'Member', rowHeader: true, cell: (m) => instrumentLink(m.symbol) },
    { key: 'market', header: 'Market', cell: (m) => marketName(m.market, zones.get(m.market) ?? 'UTC') },
    {
      key: 'ar',
      header: 'Abnormal return',
      sub: intraday ? 'first flagged bar' : 'on the day',
      numeric: true,
      className: (m) => direction(m.ar),
      cell: (m) => formatPercent(m.ar),
    },
    {
      key: 'sar',
      header: intraday ? 'Jump statistic L' : 'Standardised AR',
      sub: intraday ? 'AR / σ of the bar' : 'SAR',
      numeric: true,
      className: (m) => direction(m.sar),
      cell: (m) => formatNumber(m.sar),
    },
  ];
  if (intraday) {
    columns.push(
      { key: 'jumped', header: 'Jumped', cell: (m) => (m.jumped ? 'yes' : 'no') },
      {
        key: 'first-bar',
        header: 'First jump bar',
        sub: 'local time',
        cell: (m) => (m.firstBar ? formatInstant(m.firstBar, zones.get(m.market) ?? 'UTC') : MISSING),
      },
    );
  } else {
    // the breadth counts |SAR| >= 2 in the shock's own direction only (shocks.md 1)
    const sign = shock.direction === 'down' ? -1 : 1;
    columns.push({
      key: 'breadth',
      header: 'In the breadth',
      sub: "|SAR| ≥ 2, the shock's sign",
      cell: (m) => (m.sar === null ? MISSING : Math.abs(m.sar) >= 2 && Math.sign(m.sar) === sign ? 'yes' : 'no'),
    });
  }
  return columns;
}

/** Members by AR, lowest first; those without an AR last. */
const byAr = (members: readonly ShockMember[]): ShockMember[] =>
  [...members].sort((a, b) => (a.ar ?? Number.POSITIVE_INFINITY) - (b.ar ?? Number.POSITIVE_INFINITY));

function render(shock: Shock, zones: MarketZones, token: HTMLInputElement): void {
  document.title = `${shock.group.name}: shock ${shock.sessionDate ?? ''} · Aftershock`;
  const head = byId('shock-head');
  replaceChildren(
    head,
    el('p', { className: 'breadcrumb' }, el('a', { text: '← All shocks', attrs: { href: '/shocks' } })),
    shockCard(shock, zones, { heading: 'h2', link: false }),
  );
  // the page's one h1: the card's title
  const title = head.querySelector('.shock-title');
  if (title) title.replaceWith(el('h1', { className: 'shock-title', text: title.textContent ?? '', attrs: { id: 'shock-title' } }));
  head.querySelector('.shock-news-box')?.remove();
  head.querySelector('.shock-first')?.remove();

  const ranked = rankedMemberArs(shock);
  const chart = chartCanvas('shock-ars', `The members' abnormal returns, ${strengthWords(shock)}`, 'chart chart-ranked');
  chart.box.style.height = `${Math.max(160, 28 * ranked.length + 60)}px`;
  replaceChildren(byId('ar-chart'), ranked.length ? chart.box : null);
  if (ranked.length) drawChart(chart.canvas, memberArConfig(shock));
  replaceChildren(
    byId('ar-table'),
    cardTable({
      id: 'shock-members',
      className: 'data-table shock-members',
      caption: "The members' abnormal returns",
      region: 'Members',
      columns: memberColumns(shock, zones),
      rows: byAr(shock.members),
      rowData: (m) => ({ symbol: m.symbol }),
    }),
  );

  const cojump = byId('cojump-section');
  cojump.hidden = shock.kind !== 'intraday';
  if (shock.kind === 'intraday') {
    const bars = coJumpBars(shock);
    const timeline = chartCanvas('shock-cojumps', 'Members jumping per 5-minute bar of the episode, UTC', 'chart chart-cojumps');
    replaceChildren(byId('cojump-chart'), timeline.box);
    drawChart(timeline.canvas, coJumpConfig(shock));
    replaceChildren(
      byId('cojump-table'),
      el(
        'ol',
        { className: 'cojump-list' },
        ...bars.map((b) => el('li', { text: `${formatInstant(new Date(b.start).toISOString(), 'UTC')}: ${b.symbols.join(', ')}` })),
      ),
    );
  }

  const first = firstMoverWords(shock, zones);
  byId('first-subtitle').textContent =
    shock.kind === 'daily'
      ? "each exchange's session open on the day, earliest first, with its members (a daily shock is known to the session)"
      : 'the first flagged bar per exchange, earliest first, with the members that jumped';
  replaceChildren(
    byId('shock-first'),
    first.length
      ? el('ol', { className: 'shock-first-list' }, ...first.map((f) => el('li', { text: f })))
      : el('p', { className: 'muted', text: MISSING }),
  );
  replaceChildren(byId('shock-news'), newsList(shock.news));
  replaceChildren(
    byId('shock-actions'),
    shock.eventSlug
      ? el('p', {}, 'It became ', el('a', { text: 'this event', attrs: { href: `/events/${encodeURIComponent(shock.eventSlug)}` } }), '.')
      : null,
    shockActions(shock, token, (updated) => render(updated, zones, token)),
  );
}

async function main(): Promise<void> {
  const token = mountAdminBox(byId('shock-admin-box'));
  const id = idOfPath(window.location.pathname);
  const [shock, instruments] = await Promise.allSettled([
    apiRequest<{ shock: Shock }>(`/api/shocks/${encodeURIComponent(id)}`).then((r) => r.shock),
    api.instruments(),
  ]);
  if (shock.status === 'rejected') {
    for (const section of document.querySelectorAll<HTMLElement>('main > section.section')) section.hidden = true;
    replaceChildren(
      byId('shock-head'),
      errorBox('The shock could not be loaded', shock.reason, el('a', { text: 'All shocks', attrs: { href: '/shocks' } })),
    );
    return;
  }
  render(shock.value, marketZonesOf(instruments.status === 'fulfilled' ? instruments.value : []), token);
}

main().catch(showFatal);
