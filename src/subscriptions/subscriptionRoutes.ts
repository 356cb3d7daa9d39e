// /api/subscriptions: subscribe (open, rate-limited), the signed confirm and unsubscribe links (a GET from the
// email shows a page with one button, its POST does it; RFC 8058 one-click POSTs too), and listing and deleting
// (admin token).
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { requireAdmin } from '../http/adminAuth';
import type { AppContext } from '../context/appContext';
import { AppError, notFound } from '../http/errors';
import { parseBody, parseParams, parseQuery, symbolParam } from '../http/validation';
import { describeRoute } from '../openapi/registry';
import { escapeHtml } from '../outbox/emailContent';
import { tokenBucket } from './rateLimit';
import {
  subscribeResponse,
  subscriptionListResponse,
  subscriptionResponse,
  type SubscribeResponse,
  type SubscriptionListResponse,
  type SubscriptionResponse,
} from './subscriptionContract';
import { listSubscriptions } from './subscriptionStore';
import {
  confirm,
  getSubscription,
  presentSubscription,
  removeSubscription,
  subscribe,
  subscriptionFromToken,
  unsubscribe,
} from './subscriptions';

const RATE_WINDOW_MS = 10 * 60_000;

const symbolsField = z.union([
  z
    .string()
    .regex(/^all$/i)
    .transform(() => null),
  z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(symbolParam).min(1, 'must name at least one symbol, or be "all"').max(200)),
  z.array(symbolParam).min(1, 'must name at least one symbol, or be "all"').max(200),
]);

const subscribeBody = z.strictObject({
  email: z
    .string()
    .trim()
    .max(254, 'is too long')
    .pipe(z.email({ message: 'must be an email address' })),
  symbols: symbolsField.nullish().transform((v) => v ?? null),
  minMovePct: z.number({ message: 'must be a number (percent)' }).gt(0, 'must be more than 0').max(100, 'must be at most 100').default(5),
  minAbnormalZ: z
    .number({ message: 'must be a number' })
    .gt(0, 'must be more than 0')
    .max(50, 'must be at most 50')
    .nullish()
    .transform((v) => v ?? null),
  mode: z.enum(['instant', 'digest'], { message: 'must be "instant" or "digest"' }).default('instant'),
});

const tokenQuery = z.object({ token: z.string().min(1, 'is required').max(200) });
const idParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});

describeRoute({
  method: 'post',
  path: '/api/subscriptions',
  summary: 'Subscribe an address to alert emails (double opt-in: a confirmation email is sent first)',
  description:
    'symbols: a list, a comma-separated string, or "all" (omitted = every tracked instrument). minMovePct in percent (default 5); ' +
    'minAbnormalZ: |abnormal return / sigma| at the close (omitted = none); mode instant (an email as it happens) or digest ' +
    '(one email per exchange session). The answer is the same whether the address is new or known. Rate-limited per client IP.',
  body: subscribeBody,
  responses: {
    202: { description: 'Accepted: the confirmation email is on its way (the same answer for a known address)', schema: subscribeResponse },
    429: 'Too many requests from this address (Retry-After)',
  },
});
describeRoute({
  method: 'get',
  path: '/api/subscriptions',
  summary: 'Every subscription with its address, status and alert count',
  admin: true,
  responses: { 200: { description: 'The subscriptions', schema: subscriptionListResponse } },
});
describeRoute({
  method: 'get',
  path: '/api/subscriptions/confirm',
  summary: 'The signed link of the confirmation email (valid 7 days): a page with one button that POSTs the confirmation',
  description: 'Changes nothing (mail scanners follow links): the page answers HTML whatever the Accept header.',
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
  summary: 'The unsubscribe link in every email: a page with one button that POSTs the unsubscription',
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
describeRoute({
  method: 'delete',
  path: '/api/subscriptions/:id',
  summary: 'Delete a subscription with its alerts and queued emails',
  params: idParam,
  admin: true,
  responses: { 204: 'Deleted', 404: 'No such subscription' },
});

/** The page a GET of a link shows: it changes nothing, its one button POSTs to the same link. */
function buttonPage(res: Response, req: Request, title: string, message: string, button: string): void {
  const action = escapeHtml(req.originalUrl);
  res
    .status(200)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>` +
        `<form method="post" action="${action}"><button type="submit">${escapeHtml(button)}</button></form><p><a href="/">Aftershock</a></p></body></html>`,
    );
}

function linkPage(res: Response, req: Request, status: number, title: string, message: string, json: SubscriptionResponse): void {
  res.status(status);
  if (req.accepts(['json', 'html']) === 'html') {
    res
      .type('html')
      .send(
        `<!doctype html><html><head><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">Aftershock</a></p></body></html>`,
      );
  } else res.json(json);
}

export function subscriptionRoutes(ctx: AppContext): Router {
  const router = Router();
  const admin = requireAdmin(ctx.config.ADMIN_TOKEN);

  router.post('/', tokenBucket({ capacity: ctx.config.SUBSCRIBE_RATE_LIMIT, refillMs: RATE_WINDOW_MS }), async (req, res) => {
    const body = parseBody(req, subscribeBody);
    const subscription = await subscribe(ctx, body);
    // the same answer whether the address is new, pending or already confirmed: it tells nobody who subscribed
    const { symbols, minMovePct, minAbnormalZ, mode } = presentSubscription(subscription, false);
    const answer: SubscribeResponse = {
      subscription: { symbols, minMovePct, minAbnormalZ, mode },
      message: 'Check your inbox: the subscription starts when you follow the confirmation link in the email we sent.',
    };
    res.status(202).json(answer);
  });

  router.get('/', admin, async (_req, res) => {
    const rows = await listSubscriptions(ctx.db.pool);
    const answer: SubscriptionListResponse = { subscriptions: rows.map((r) => ({ ...presentSubscription(r, true), alerts: r.alerts })) };
    res.json(answer);
  });

  // GET: the link in the email (scanners follow it too): a page whose button POSTs; POST: the confirmation
  router.get('/confirm', async (req, res) => {
    const { token } = parseQuery(req, tokenQuery);
    if ((await subscriptionFromToken(ctx, token, 'confirm')) === null)
      throw new AppError(400, 'invalid_token', 'Invalid or expired confirmation link: subscribe again to get a new one');
    buttonPage(res, req, 'Confirm your subscription', 'Press the button to start getting Aftershock alerts.', 'Confirm subscription');
  });

  router.post('/confirm', async (req, res) => {
    const { token } = parseQuery(req, tokenQuery);
    const id = await subscriptionFromToken(ctx, token, 'confirm');
    if (id === null) throw new AppError(400, 'invalid_token', 'Invalid or expired confirmation link: subscribe again to get a new one');
    const row = await confirm(ctx, id);
    if (!row) {
      const existing = await getSubscription(ctx.db.pool, id);
      if (!existing) throw notFound('This subscription no longer exists');
      throw new AppError(409, 'unsubscribed', 'This subscription was cancelled: subscribe again to get alerts');
    }
    linkPage(
      res,
      req,
      200,
      'Subscription confirmed',
      'You will get Aftershock alerts from now on. Every email has a one-click unsubscribe link.',
      {
        subscription: presentSubscription(row, false),
      },
    );
  });

  const unsubscribeHandler = async (req: Request, res: Response) => {
    const { token } = parseQuery(req, tokenQuery);
    const id = await subscriptionFromToken(ctx, token, 'unsubscribe');
    if (id === null) throw new AppError(400, 'invalid_token', 'Invalid unsubscribe link');
    const row = await unsubscribe(ctx, id);
    if (!row) throw notFound('This subscription no longer exists');
    linkPage(res, req, 200, 'Unsubscribed', 'You will get no more Aftershock alerts for this subscription.', {
      subscription: presentSubscription(row, false),
    });
  };
  // GET: the link in the email body, a page whose button POSTs; POST: that button, and RFC 8058 one-click from
  // the mail client (body "List-Unsubscribe=One-Click")
  router.get('/unsubscribe', async (req, res) => {
    const { token } = parseQuery(req, tokenQuery);
    if ((await subscriptionFromToken(ctx, token, 'unsubscribe')) === null)
      throw new AppError(400, 'invalid_token', 'Invalid unsubscribe link');
    buttonPage(res, req, 'Unsubscribe', 'Press the button to stop the Aftershock alerts of this subscription.', 'Unsubscribe');
  });
  router.post('/unsubscribe', unsubscribeHandler);

  router.delete('/:id', admin, async (req, res) => {
    const { id } = parseParams(req, idParam);
    if (!(await removeSubscription(ctx, id))) throw notFound(`No subscription ${id}`);
    res.status(204).end();
  });

  return router;
}
