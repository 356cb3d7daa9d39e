// What the emails say: confirmation, instant alert, digest. Pure: data in, subject/text/html/headers out.
// Every value that reaches HTML goes through escapeHtml, including our own numbers.
import type { AlertRule } from '../analysis/alertRules';

export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export interface SubscriptionTerms {
  symbols: string[];
  /** the slug of the group it follows (then symbols are not used) */
  group: string | null;
  minMovePct: number;
  minAbnormalZ: number | null;
  mode: 'instant' | 'digest';
  /** moves (the default), intraday_move (a group's intraday CAAR0), shocks (of a group) */
  kind?: 'moves' | 'intraday_move' | 'shocks';
  intradayCaarPct?: number | null;
  intradayBmpT?: number | null;
}

interface EventLink {
  slug: string;
  title: string;
}

interface NewsLink {
  title: string;
  url: string;
  publisher: string | null;
}

/** One instrument's move in one session, with the rules of this email it crossed. */
export interface MoveForEmail {
  symbol: string;
  name: string;
  currency: string;
  sessionDate: string;
  rules: AlertRule[];
  move: number;
  abnormalReturn: number | null;
  z: number | null;
  price: number | null;
  previousClose: number | null;
  event: EventLink | null;
  news: NewsLink[];
}

export interface EmailLinks {
  baseUrl: string;
  unsubscribeUrl: string;
  /** the page where the subscriber changes the terms or unsubscribes */
  manageUrl: string;
}

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const sign = (x: number) => (x < 0 ? '-' : '+');
/** -0.16968 -> "-16.97%" */
const formatPct = (fraction: number, digits = 2) => `${sign(fraction)}${Math.abs(fraction * 100).toFixed(digits)}%`;
const formatZ = (z: number) => `${sign(z)}${Math.abs(z).toFixed(1)}`;
const formatPrice = (price: number, currency: string) =>
  `${price.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;

/** Event titles can be long sentences; a subject wants the headline. */
export function shortTitle(title: string, max = 70): string {
  let t = title.trim();
  for (const cut of [' (', '; ', ', ']) {
    const at = t.indexOf(cut);
    if (at >= 20) t = t.slice(0, at);
  }
  if (t.length <= max) return t;
  const words = t.slice(0, max - 1).replace(/\s+\S*$/, '');
  return `${words}…`;
}

const eventUrl = (baseUrl: string, slug: string) => `${baseUrl}/events/${encodeURIComponent(slug)}`;

const isIntraday = (m: MoveForEmail) => m.rules.includes('intraday_move');

/** "NVDA -16.97% (abnormal -14.6%, z -7.1)" or "NVDA -10.12% intraday" */
function moveHeadline(m: MoveForEmail): string {
  const figures = m.abnormalReturn !== null && m.z !== null ? ` (abnormal ${formatPct(m.abnormalReturn, 1)}, z ${formatZ(m.z)})` : '';
  return `${m.symbol} ${formatPct(m.move)}${isIntraday(m) ? ' intraday' : figures}`;
}

function ruleText(rule: AlertRule): string {
  if (rule === 'intraday_move') return 'intraday move against the previous close';
  if (rule === 'close_move') return 'move at the close';
  return 'abnormal return at the close';
}

/** "NVDA, 6857.T", "the group bundled-equities" or "every instrument Aftershock tracks" */
function describeFollowed(t: Pick<SubscriptionTerms, 'symbols' | 'group'>): string {
  if (t.group !== null) return `the instruments of the group ${t.group}`;
  return t.symbols.length ? t.symbols.join(', ') : 'every instrument Aftershock tracks';
}

/** What an intraday_move or shocks subscription alerts on, in words. */
export function describeGroupAlerts(t: Pick<SubscriptionTerms, 'kind' | 'intradayCaarPct' | 'intradayBmpT'>): string {
  if (t.kind === 'shocks') return 'each shock of the group, when first detected';
  const threshold =
    t.intradayCaarPct !== null && t.intradayCaarPct !== undefined
      ? `|CAAR0| of ${t.intradayCaarPct}% or more`
      : `|bmpT| of ${t.intradayBmpT} or more`;
  return `the group's intraday abnormal move: ${threshold} within a session, once per session and event`;
}

function describeTerms(t: SubscriptionTerms): string {
  if (t.kind === 'intraday_move' || t.kind === 'shocks') return `the group ${t.group}: ${describeGroupAlerts(t)}; an email as it happens`;
  const what = describeFollowed(t);
  const abnormal = t.minAbnormalZ !== null ? `, or an abnormal return of |z| ${t.minAbnormalZ} or more` : '';
  const how = t.mode === 'digest' ? 'one digest email after each market close' : 'an email as it happens';
  return `${what}: moves of ${t.minMovePct}% or more${abnormal}; ${how}`;
}

function unsubscribeHeaders(unsubscribeUrl: string): Record<string, string> {
  // RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to this URL
  return { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

function page(bodyHtml: string, links: EmailLinks): string {
  return `<!doctype html><html><body style="font-family: sans-serif; line-height: 1.4">${bodyHtml}<hr><p style="color:#666; font-size: 12px">Aftershock alerts. <a href="${escapeHtml(links.manageUrl)}">Change this subscription</a> (instruments, thresholds, mode) or <a href="${escapeHtml(links.unsubscribeUrl)}">unsubscribe</a> with one click.</p></body></html>`;
}

/** The last lines of every plain-text email: the manage and unsubscribe links. */
const textFooter = (links: EmailLinks) => [
  `Change this subscription (instruments, thresholds, mode): ${links.manageUrl}`,
  `Unsubscribe (one click): ${links.unsubscribeUrl}`,
];

function moveText(m: MoveForEmail, baseUrl: string): string {
  const lines: string[] = [];
  const when = isIntraday(m) ? `intraday in the session of ${m.sessionDate}` : `at the close on ${m.sessionDate}`;
  const price = m.price !== null ? `: ${formatPrice(m.price, m.currency)}` : '';
  const previous = m.previousClose !== null ? `, previous close ${formatPrice(m.previousClose, m.currency)}` : '';
  lines.push(`${m.symbol} (${m.name}) moved ${formatPct(m.move)} ${when}${price}${previous}.`);
  if (m.abnormalReturn !== null) {
    lines.push(`Abnormal return against its market: ${formatPct(m.abnormalReturn, 1)}${m.z !== null ? ` (z ${formatZ(m.z)})` : ''}.`);
  }
  lines.push(`Alert: ${m.rules.map(ruleText).join('; ')}.`);
  if (m.event) lines.push(`Event: ${m.event.title}\n  ${eventUrl(baseUrl, m.event.slug)}`);
  if (m.news.length) {
    lines.push('News:');
    for (const n of m.news) lines.push(`  - ${n.title}${n.publisher ? ` (${n.publisher})` : ''}\n    ${n.url}`);
  }
  return lines.join('\n');
}

function moveHtml(m: MoveForEmail, baseUrl: string): string {
  const when = isIntraday(m) ? `intraday in the session of ${m.sessionDate}` : `at the close on ${m.sessionDate}`;
  const rows: [string, string][] = [['Move', `${formatPct(m.move)} ${when}`]];
  if (m.price !== null) rows.push(['Price', formatPrice(m.price, m.currency)]);
  if (m.previousClose !== null) rows.push(['Previous close', formatPrice(m.previousClose, m.currency)]);
  if (m.abnormalReturn !== null)
    rows.push(['Abnormal return', `${formatPct(m.abnormalReturn, 1)}${m.z !== null ? ` (z ${formatZ(m.z)})` : ''}`]);
  rows.push(['Alert', m.rules.map(ruleText).join('; ')]);
  let html = `<h2>${escapeHtml(m.symbol)} <small>${escapeHtml(m.name)}</small></h2><table>`;
  for (const [k, v] of rows) html += `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`;
  html += '</table>';
  if (m.event) html += `<p>Event: <a href="${escapeHtml(eventUrl(baseUrl, m.event.slug))}">${escapeHtml(m.event.title)}</a></p>`;
  if (m.news.length) {
    html += '<ul>';
    for (const n of m.news)
      html += `<li><a href="${escapeHtml(n.url)}">${escapeHtml(n.title)}</a>${n.publisher ? ` (${escapeHtml(n.publisher)})` : ''}</li>`;
    html += '</ul>';
  }
  return html;
}

/** The context a subject names: the first move's event, else its first news item. */
function contextTitle(moves: MoveForEmail[]): string | null {
  const withEvent = moves.find((m) => m.event);
  if (withEvent) return shortTitle(withEvent.event!.title);
  const withNews = moves.find((m) => m.news.length);
  return withNews ? shortTitle(withNews.news[0].title) : null;
}

export function composeAlertEmail(moves: MoveForEmail[], terms: SubscriptionTerms, links: EmailLinks): ComposedEmail {
  if (moves.length === 0) throw new Error('an alert email needs at least one move');
  const shown = moves.slice(0, 2).map(moveHeadline).join(', ');
  const more = moves.length > 2 ? ` and ${moves.length - 2} more` : '';
  const context = contextTitle(moves);
  const subject = `${shown}${more}${context ? ` · ${context}` : ''}`;
  const text = [
    ...moves.map((m) => moveText(m, links.baseUrl)),
    `You get this email because you subscribed to Aftershock alerts for ${describeTerms(terms)}.`,
    ...textFooter(links),
  ].join('\n\n');
  const html = page(
    `${moves.map((m) => moveHtml(m, links.baseUrl)).join('')}<p>You get this email because you subscribed to Aftershock alerts for ${escapeHtml(describeTerms(terms))}.</p>`,
    links,
  );
  return { subject, text, html, headers: unsubscribeHeaders(links.unsubscribeUrl) };
}

export function composeDigestEmail(
  exchangeName: string,
  sessionDate: string,
  moves: MoveForEmail[],
  terms: SubscriptionTerms,
  links: EmailLinks,
): ComposedEmail {
  if (moves.length === 0) throw new Error('a digest needs at least one move');
  const count = `${moves.length} ${moves.length === 1 ? 'move' : 'moves'}`;
  const subject = `Aftershock digest ${sessionDate} · ${exchangeName} · ${count}: ${moves.slice(0, 3).map(moveHeadline).join(', ')}${moves.length > 3 ? ', …' : ''}`;
  const text = [
    `Aftershock digest of the ${exchangeName} session of ${sessionDate}: ${count}.`,
    ...moves.map((m) => moveText(m, links.baseUrl)),
    `You get this digest because you subscribed to Aftershock alerts for ${describeTerms(terms)}.`,
    ...textFooter(links),
  ].join('\n\n');
  const html = page(
    `<h1>${escapeHtml(exchangeName)} · ${escapeHtml(sessionDate)}</h1><p>${escapeHtml(count)}</p>${moves.map((m) => moveHtml(m, links.baseUrl)).join('')}<p>You get this digest because you subscribed to Aftershock alerts for ${escapeHtml(describeTerms(terms))}.</p>`,
    links,
  );
  return { subject, text, html, headers: unsubscribeHeaders(links.unsubscribeUrl) };
}

export function composeConfirmationEmail(terms: SubscriptionTerms, links: EmailLinks & { confirmUrl: string }): ComposedEmail {
  const terms_ = describeTerms(terms);
  const text = [
    'Someone (hopefully you) asked Aftershock to email this address when these instruments move hard:',
    `  ${terms_}`,
    `Confirm the subscription: ${links.confirmUrl}`,
    'If you did not ask for this, ignore this email: nothing else will be sent to this address.',
    `Change the instruments, thresholds or mode first: ${links.manageUrl}`,
    `Cancel (one click): ${links.unsubscribeUrl}`,
  ].join('\n\n');
  const html = page(
    `<p>Someone (hopefully you) asked Aftershock to email this address when these instruments move hard:</p><p><b>${escapeHtml(terms_)}</b></p>` +
      `<p><a href="${escapeHtml(links.confirmUrl)}">Confirm the subscription</a></p>` +
      '<p>If you did not ask for this, ignore this email: nothing else will be sent to this address.</p>',
    links,
  );
  return { subject: 'Confirm your Aftershock alerts', text, html, headers: unsubscribeHeaders(links.unsubscribeUrl) };
}

/** The links of each active subscription of an address, for someone who lost them (the resend form). */
export function composeLinksEmail(subscriptions: { terms: SubscriptionTerms; links: EmailLinks }[]): ComposedEmail {
  const [newest] = subscriptions;
  const text = [
    'Someone (hopefully you) asked for the links of the Aftershock alert subscriptions of this address:',
    ...subscriptions.map(
      ({ terms, links }) =>
        `  ${describeTerms(terms)}\n  Change it: ${links.manageUrl}\n  Unsubscribe (one click): ${links.unsubscribeUrl}`,
    ),
    'If you did not ask for this, ignore this email: nothing has changed.',
  ].join('\n\n');
  const html = page(
    '<p>Someone (hopefully you) asked for the links of the Aftershock alert subscriptions of this address:</p><ul>' +
      subscriptions
        .map(
          ({ terms, links }) =>
            `<li><b>${escapeHtml(describeTerms(terms))}</b>: <a href="${escapeHtml(links.manageUrl)}">change it</a> or <a href="${escapeHtml(links.unsubscribeUrl)}">unsubscribe</a></li>`,
        )
        .join('') +
      '</ul><p>If you did not ask for this, ignore this email: nothing has changed.</p>',
    newest.links,
  );
  return { subject: 'Your Aftershock alert links', text, html, headers: unsubscribeHeaders(newest.links.unsubscribeUrl) };
}

/** A group's intraday abnormal move that crossed a subscription's threshold within a session. */
export interface GroupIntradayMoveForEmail {
  group: string;
  sessionDate: string;
  /** the event the study is about, or null for the ad hoc window from the session's open */
  event: EventLink | null;
  /** the study's event instant (the event's, or the session's open) */
  instant: string;
  /** the first crossing: offset from the event bar, the bar's start (ISO UTC), CAAR0 (fraction), bmpT, members */
  crossing: { k: number; t: string; caar0: number; bmpT: number | null; n: number };
  /** where it stands at the study's live end */
  latest: { k: number; caar0: number | null; bmpT: number | null; n: number };
  asOf: string | null;
  /** the page that shows it live */
  liveUrl: string;
  news: (NewsLink & { symbols: string[] })[];
  /** the data are synthetic (tests, the offline demo): said in the subject and the body */
  synthetic?: boolean;
}

const formatT = (t: number | null) => (t === null ? 'n/a' : t.toFixed(2));
const utcMinute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

function groupIntradayLines(m: GroupIntradayMoveForEmail): [string, string][] {
  const window = m.event ? `event ${m.event.title} (${utcMinute(m.instant)})` : `the session from its open (${utcMinute(m.instant)})`;
  return [
    ['Window', window],
    [
      'Crossed',
      `CAAR0 ${formatPct(m.crossing.caar0)} at bar ${m.crossing.k} (${utcMinute(m.crossing.t)}), bmpT ${formatT(m.crossing.bmpT)}, ${m.crossing.n} members`,
    ],
    [
      'Now',
      `CAAR0 ${m.latest.caar0 === null ? 'n/a' : formatPct(m.latest.caar0)} at bar ${m.latest.k}, bmpT ${formatT(m.latest.bmpT)}, ${m.latest.n} members${m.asOf ? `, as of ${utcMinute(m.asOf)}` : ''}`,
    ],
  ];
}

export function composeGroupIntradayEmail(m: GroupIntradayMoveForEmail, terms: SubscriptionTerms, links: EmailLinks): ComposedEmail {
  const label = m.synthetic ? ' [synthetic data]' : '';
  const context = m.event ? shortTitle(m.event.title) : m.news.length ? shortTitle(m.news[0].title) : null;
  const subject = `${m.group} intraday CAAR0 ${formatPct(m.crossing.caar0)} (${m.sessionDate})${context ? ` · ${context}` : ''}${label}`;
  const lines = groupIntradayLines(m);
  const newsText = m.news.map(
    (n) => `  - ${n.title}${n.publisher ? ` (${n.publisher})` : ''}${n.symbols.length ? ` [${n.symbols.join(', ')}]` : ''}\n    ${n.url}`,
  );
  const text = [
    `The group ${m.group} moves abnormally together in the session of ${m.sessionDate}${m.synthetic ? ' (synthetic data)' : ''}.`,
    lines.map(([k, v]) => `${k}: ${v}`).join('\n'),
    `Watch it live: ${m.liveUrl}`,
    ...(newsText.length ? [`Latest news of its members:\n${newsText.join('\n')}`] : []),
    `You get this email because you subscribed to Aftershock alerts for ${describeTerms(terms)}.`,
    ...textFooter(links),
  ].join('\n\n');
  let body = `<h2>${escapeHtml(m.group)} <small>${escapeHtml(m.sessionDate)}${escapeHtml(label)}</small></h2><table>`;
  for (const [k, v] of lines) body += `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`;
  body += `</table><p><a href="${escapeHtml(m.liveUrl)}">Watch it live</a></p>`;
  if (m.news.length)
    body += `<p>Latest news of its members:</p><ul>${m.news.map((n) => `<li><a href="${escapeHtml(n.url)}">${escapeHtml(n.title)}</a>${n.publisher ? ` (${escapeHtml(n.publisher)})` : ''}</li>`).join('')}</ul>`;
  const html = page(
    `${body}<p>You get this email because you subscribed to Aftershock alerts for ${escapeHtml(describeTerms(terms))}.</p>`,
    links,
  );
  return { subject, text, html, headers: unsubscribeHeaders(links.unsubscribeUrl) };
}

/** A group shock (issue 23) as its alert email tells it. */
export interface ShockForEmail {
  group: string;
  groupName: string;
  kind: 'daily' | 'intraday';
  sessionDate: string | null;
  start: string;
  z: number | null;
  p: number | null;
  n: number;
  breadth: { count: number; share: number };
  direction: 'up' | 'down';
  aar: number | null;
  /** who moved first: the earliest first */
  firstBarByExchange: { market: string; t: string }[];
  news: { title: string; url: string; source: string | null; membersNamed: string[] }[];
  /** the shock's page */
  url: string;
}

/** "9 of 12 members, average abnormal return -6.8%, p < 0.001" */
function shockInWords(s: Pick<ShockForEmail, 'breadth' | 'n' | 'aar' | 'p' | 'direction'>): string {
  const p = s.p === null ? null : s.p < 0.001 ? 'p < 0.001' : `p = ${s.p.toFixed(3)}`;
  const aar = s.aar === null ? null : `average abnormal return ${formatPct(s.aar, 1)}`;
  return [`${s.breadth.count} of ${s.n} members moved ${s.direction}`, aar, p].filter(Boolean).join(', ');
}

export function composeShockEmail(s: ShockForEmail, terms: SubscriptionTerms, links: EmailLinks): ComposedEmail {
  const when = s.kind === 'daily' ? `the session of ${s.sessionDate}` : `intraday from ${utcMinute(s.start)}`;
  const statistic = s.z === null ? '' : ` (${s.kind === 'daily' ? 'Patell Z' : 'mean L'} ${s.z.toFixed(1)})`;
  const words = shockInWords(s);
  const subject = `Shock: ${s.groupName} ${s.direction} ${s.aar === null ? '' : `${formatPct(s.aar, 1)} `}· ${s.kind === 'daily' ? s.sessionDate : utcMinute(s.start)}${s.news.length ? ` · ${shortTitle(s.news[0].title)}` : ''}`;
  const first = s.firstBarByExchange.map((f) => `${f.market} ${utcMinute(f.t)}`).join(', ');
  const newsText = s.news.map(
    (n) =>
      `  - ${n.title}${n.source ? ` (${n.source})` : ''}${n.membersNamed.length ? ` [${n.membersNamed.join(', ')}]` : ''}\n    ${n.url}`,
  );
  const text = [
    `Aftershock detected a shock of the group ${s.groupName} (${s.group}) in ${when}: ${words}${statistic}.`,
    ...(first ? [`Who moved first: ${first}.`] : []),
    `See it: ${s.url}`,
    ...(newsText.length ? [`News:\n${newsText.join('\n')}`] : []),
    `You get this email because you subscribed to Aftershock alerts for ${describeTerms(terms)}.`,
    ...textFooter(links),
  ].join('\n\n');
  let body = `<h2>${escapeHtml(s.groupName)} <small>${escapeHtml(when)}</small></h2><p>${escapeHtml(words + statistic)}.</p>`;
  if (first) body += `<p>Who moved first: ${escapeHtml(first)}.</p>`;
  body += `<p><a href="${escapeHtml(s.url)}">See the shock</a></p>`;
  if (s.news.length)
    body += `<ul>${s.news.map((n) => `<li><a href="${escapeHtml(n.url)}">${escapeHtml(n.title)}</a>${n.source ? ` (${escapeHtml(n.source)})` : ''}</li>`).join('')}</ul>`;
  const html = page(
    `${body}<p>You get this email because you subscribed to Aftershock alerts for ${escapeHtml(describeTerms(terms))}.</p>`,
    links,
  );
  return { subject, text, html, headers: unsubscribeHeaders(links.unsubscribeUrl) };
}
