// The pages a person sees after following a link of an email (confirm, unsubscribe, an expired or forged link),
// rendered on the server in the dashboard's look: the same stylesheet and site header, no script, every value
// escaped. A page for a browser, JSON for an API client (see wantsHtml).
import type { ErrorRequestHandler, Request, Response } from 'express';
import { isDatabaseUnavailableError } from '../db/retry';
import { AppError } from '../errors/appError';
import { describeGroupAlerts, escapeHtml } from '../notifications/emailContent';
import type { SubscriptionRow } from './subscriptionStore';
import { subscriptionStatus } from './subscriptions';

/** A browser (Accept: text/html first); an API client, or no Accept header, gets JSON. */
export const wantsHtml = (req: Request) => req.accepts(['json', 'html']) === 'html';

interface PageParts {
  title: string;
  lede: string;
  /** trusted HTML built here from escaped values */
  bodyHtml?: string;
  status?: number;
}

export function sendPage(res: Response, p: PageParts): void {
  const title = escapeHtml(p.title);
  res
    .status(p.status ?? 200)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(
      `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>${title} · Aftershock</title>
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/styles.css">
</head>
<body class="page-link">
  <header class="site-header">
    <div class="wrap site-header-inner">
      <a class="brand" href="/">Aftershock</a>
      <nav aria-label="Main"><ul class="nav"><li><a href="/">Events</a></li><li><a href="/events/new">Add an event</a></li><li><a href="/studies">Studies</a></li></ul></nav>
    </div>
  </header>
  <main id="main" class="wrap narrow">
    <h1>${title}</h1>
    <p class="lede">${escapeHtml(p.lede)}</p>
    ${p.bodyHtml ?? ''}
    <p class="link-back"><a href="/">Back to the dashboard</a></p>
  </main>
</body>
</html>
`,
    );
}

const STATUS_TEXT = { pending_confirmation: 'waiting for confirmation', active: 'active', unsubscribed: 'unsubscribed' } as const;

function followedText(s: Pick<SubscriptionRow, 'symbols' | 'group'>): string {
  if (s.group !== null) return `the instruments of the group ${s.group}, as its members change`;
  return s.symbols.length ? s.symbols.join(', ') : 'every instrument Aftershock tracks';
}

/** What a subscription follows, its thresholds, mode and status, as a definition list. */
export function termsHtml(s: SubscriptionRow): string {
  const rows: [string, string][] =
    s.kind === 'moves'
      ? [
          ['Instruments', followedText(s)],
          ['Move', `${s.minMovePct}% or more, at the close or during a session`],
          ['Abnormal return', s.minAbnormalZ !== null ? `|z| of ${s.minAbnormalZ} or more at the close` : 'not used'],
          ['Emails', s.mode === 'digest' ? 'one digest after each market close' : 'one email per alert, as it happens'],
        ]
      : [
          ['Group', s.group ?? ''],
          ['Alerts', describeGroupAlerts(s)],
          ['Emails', 'one email per alert, as it happens'],
        ];
  rows.push(['Status', STATUS_TEXT[subscriptionStatus(s)]]);
  const items = rows.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('');
  return `<dl class="terms" id="subscription-terms">${items}</dl>`;
}

/** One button that POSTs to the link itself: the GET before it changed nothing. */
export function buttonFormHtml(action: string, label: string): string {
  return `<form method="post" action="${escapeHtml(action)}" class="link-form"><button type="submit" class="button">${escapeHtml(label)}</button></form>`;
}

export const linkHtml = (href: string, text: string, id?: string) =>
  `<p><a href="${escapeHtml(href)}"${id ? ` id="${escapeHtml(id)}"` : ''}>${escapeHtml(text)}</a></p>`;

/** The form of the page of a bad link: an address, to the normal (rate-limited) resend path. */
function resendFormHtml(): string {
  return `<form method="post" action="/api/subscriptions/resend" class="event-form resend-form" id="resend-form">
      <div class="field">
        <label for="resend-email">Your email address</label>
        <input id="resend-email" name="email" type="email" required maxlength="254" autocomplete="email">
      </div>
      <div class="form-actions"><button type="submit" class="button">Send a new confirmation email</button></div>
    </form>`;
}

/** An expired, forged or malformed link: say so, and offer a new confirmation email. */
function sendBadLinkPage(res: Response, message: string): void {
  sendPage(res, {
    status: 400,
    title: 'This link does not work',
    lede: `${message}. Links in our emails are signed; this one is expired, incomplete or was changed.`,
    bodyHtml: `<p>Type your address: if you subscribed and have not confirmed yet, we send you a new confirmation email with fresh links; if your subscription is active, an email with its links to change it or unsubscribe.</p>${resendFormHtml()}`,
  });
}

/** 540 -> "9 minutes", 30 -> "30 seconds" */
function inWords(seconds: number): string {
  if (seconds < 60) return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

const ERROR_TITLES: Record<number, string> = {
  404: 'This subscription no longer exists',
  409: 'This subscription was cancelled',
  429: 'Too many requests',
};

/**
 * Errors of the link routes as a page for a browser (a JSON error for an API client): never a stack trace.
 * A bad token gets the page that offers a new confirmation email.
 */
export const htmlErrorPages: ErrorRequestHandler = (err, req, res, next) => {
  if (!wantsHtml(req) || res.headersSent) return next(err);
  if (isDatabaseUnavailableError(err)) {
    res.setHeader('Retry-After', '5');
    sendPage(res, {
      status: 503,
      title: 'Please try again shortly',
      lede: 'The database cannot be reached right now. Nothing was changed.',
    });
    return;
  }
  // a body the parser refused (too large, malformed): a 4xx of its own
  if (!(err instanceof AppError) && typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
    sendPage(res, { status: err.status, title: 'That did not work', lede: err.expose ? err.message : 'The request could not be read.' });
    return;
  }
  if (!(err instanceof AppError) || err.status >= 500) {
    req.log?.error({ err }, 'error on a subscription link page');
    sendPage(res, { status: 500, title: 'Something went wrong', lede: 'Nothing was changed. Please try the link again in a minute.' });
    return;
  }
  if (err.code === 'invalid_token') return sendBadLinkPage(res, err.message.replace(/:.*$/, ''));
  if (err.code === 'invalid_parameter' && /token/.test(err.message)) return sendBadLinkPage(res, 'This link is incomplete');
  const retryAfter = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  const lede = retryAfter ? `Too many requests from this address. Try again in ${inWords(retryAfter)}.` : err.message;
  sendPage(res, { status: err.status, title: ERROR_TITLES[err.status] ?? 'That did not work', lede });
};
