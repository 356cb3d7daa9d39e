// The confirm and unsubscribe links of the emails. A GET (what a person, and every mail scanner, does first)
// changes nothing: it shows the subscription and one button; the button's POST does it, as does the RFC 8058
// one-click POST of List-Unsubscribe. A browser gets dashboard pages, an API client JSON.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context/appContext';
import { notFound } from '../errors/appError';
import { parseQuery } from '../http/validation';
import { linkSigner, manageUrl } from '../notifications/linkTokens';
import { describeRoute } from '../openapi/registry';
import { buttonFormHtml, htmlErrorPages, linkHtml, sendPage, termsHtml, wantsHtml } from './linkPages';
import { subscriptionResponse, type SubscriptionResponse } from './subscriptionContract';
import { tokenQuery } from './subscriptionSchemas';
import type { SubscriptionRow } from './subscriptionStore';
import {
  cancelledSubscription,
  confirm,
  existingSubscription,
  goneOrCancelled,
  presentSubscription,
  subscriptionIdOfLink,
  unsubscribe,
} from './subscriptions';

describeRoute({
  method: 'get',
  path: '/api/subscriptions/confirm',
  summary: 'The signed link of the confirmation email (valid 7 days): a page with the terms and one button that POSTs the confirmation',
  description:
    'Changes nothing (mail scanners follow links): the page answers HTML whatever the Accept header. A bad or expired link: ' +
    'a page that offers a new confirmation email (JSON 400 invalid_token for an API client).',
  query: tokenQuery,
  produces: 'text/html',
  responses: { 200: 'An HTML page with one button', 400: 'Invalid or expired link' },
});
describeRoute({
  method: 'post',
  path: '/api/subscriptions/confirm',
  summary: 'Confirm a subscription (the button of the confirmation page)',
  query: tokenQuery,
  responses: {
    200: { description: 'Confirmed (an HTML page for a browser)', schema: subscriptionResponse },
    404: 'The subscription was deleted',
    409: 'The subscription was cancelled',
  },
});
describeRoute({
  method: 'get',
  path: '/api/subscriptions/unsubscribe',
  summary: 'The unsubscribe link in every email: a page with the terms and one button that POSTs the unsubscription',
  description: 'Changes nothing (mail scanners follow links): the page answers HTML whatever the Accept header.',
  query: tokenQuery,
  produces: 'text/html',
  responses: { 200: 'An HTML page with one button', 400: 'Invalid link' },
});
describeRoute({
  method: 'post',
  path: '/api/subscriptions/unsubscribe',
  summary: 'Unsubscribe: the button of the unsubscribe page, and RFC 8058 one-click (List-Unsubscribe-Post)',
  query: tokenQuery,
  responses: {
    200: { description: 'Unsubscribed (an HTML page for a browser)', schema: subscriptionResponse },
    404: 'The subscription was deleted',
  },
});

const BAD_CONFIRM = 'Invalid or expired confirmation link: subscribe again to get a new one';
const BAD_UNSUBSCRIBE = 'Invalid unsubscribe link';

export function linkRoutes(ctx: AppContext): Router {
  const router = Router();

  const idFromLink = (req: Request, purpose: 'confirm' | 'unsubscribe') =>
    subscriptionIdOfLink(ctx, parseQuery(req, tokenQuery).token, purpose, purpose === 'confirm' ? BAD_CONFIRM : BAD_UNSUBSCRIBE);
  const existing = (id: number) => existingSubscription(ctx, id);
  const manageLink = async (id: number) => manageUrl('', await linkSigner(ctx.db.pool, ctx.config), id);
  const answer = (req: Request, res: Response, row: SubscriptionRow, page: () => Promise<void>) => {
    const json: SubscriptionResponse = { subscription: presentSubscription(row, false) };
    return wantsHtml(req) ? page() : Promise.resolve(void res.json(json));
  };

  // GET: the link in the email (scanners follow it too): a page whose button POSTs; POST: the confirmation
  router.get('/confirm', async (req, res) => {
    const row = await existing(await idFromLink(req, 'confirm'));
    if (row.unsubscribedAt) throw cancelledSubscription();
    sendPage(res, {
      title: 'Confirm your subscription',
      lede: row.confirmedAt
        ? 'This subscription is active already; confirming again changes nothing.'
        : 'Press the button to start getting Aftershock alerts by email for these terms:',
      bodyHtml: termsHtml(row) + buttonFormHtml(req.originalUrl, 'Confirm subscription'),
    });
  });

  router.post('/confirm', async (req, res) => {
    const id = await idFromLink(req, 'confirm');
    const row = await confirm(ctx, id);
    if (!row) return goneOrCancelled(ctx, id);
    await answer(req, res, row, async () =>
      sendPage(res, {
        title: 'Subscription confirmed',
        lede: 'Your subscription is active: you will get Aftershock alerts by email from now on. Every email has a link to change it and a one-click unsubscribe link.',
        bodyHtml: termsHtml(row) + linkHtml(await manageLink(id), 'Change the instruments, thresholds or mode', 'manage-link'),
      }),
    );
  });

  router.get('/unsubscribe', async (req, res) => {
    const row = await existing(await idFromLink(req, 'unsubscribe'));
    sendPage(res, {
      title: 'Unsubscribe',
      lede: row.unsubscribedAt
        ? 'This subscription is cancelled already: no more alerts are sent for it.'
        : 'Press the button to stop the Aftershock alerts of this subscription:',
      bodyHtml: termsHtml(row) + buttonFormHtml(req.originalUrl, 'Unsubscribe'),
    });
  });

  // POST: the page's button, and RFC 8058 one-click from the mail client (body "List-Unsubscribe=One-Click")
  router.post('/unsubscribe', async (req, res) => {
    const row = await unsubscribe(ctx, await idFromLink(req, 'unsubscribe'));
    if (!row) throw notFound('This subscription no longer exists');
    await answer(req, res, row, async () =>
      sendPage(res, {
        title: 'Unsubscribed',
        lede: 'You will get no more Aftershock alerts for this subscription. Anything still queued for it was cancelled.',
        bodyHtml: `${termsHtml(row)}${linkHtml('/#subscribe', 'Subscribe again')}`,
      }),
    );
  });

  router.use(htmlErrorPages);
  return router;
}
