// /api/subscriptions: subscribe (open, rate-limited), the links of the emails (./linkRoutes: confirm and
// unsubscribe; ./manageRoutes: the manage page's reads and writes, a new confirmation email), and listing and
// deleting (admin token).
import { Router } from 'express';
import { z } from 'zod';
import { requireAdmin } from '../http/adminAuth';
import { tokenBucket } from '../http/rateLimit';
import type { AppContext } from '../context/appContext';
import type { Queryable } from '../db/transaction';
import { notFound } from '../errors/appError';
import { parseBody, parseParams } from '../http/validation';
import { describeRoute } from '../openapi/registry';
import { linkRoutes } from './linkRoutes';
import { manageRoutes } from './manageRoutes';
import { subscribeResponse, subscriptionListResponse, type SubscribeResponse, type SubscriptionListResponse } from './subscriptionContract';
import { subscribeBody } from './subscriptionSchemas';
import { listSubscriptions } from './subscriptionStore';
import { presentSubscription, removeSubscription, subscribe } from './subscriptions';

const RATE_WINDOW_MS = 10 * 60_000;

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
    'symbols: a list, a comma-separated string, or "all" (omitted = every tracked instrument); or group: the slug of a group, whose ' +
    'members at the time of each alert are followed (not both). minMovePct in percent (default 5); ' +
    'minAbnormalZ: |abnormal return / sigma| at the close (omitted = none); mode instant (an email as it happens) or digest ' +
    '(one email per exchange session). kind intraday_move (with a group and intradayCaarPct or intradayBmpT): an email when the ' +
    "group's intraday CAAR0 crosses the threshold in a session, once per session and event (or ad hoc window at the open); kind shocks " +
    '(with a group): an email per shock of the group when first detected. Both are instant only. The answer is the same whether the address is new or known. Rate-limited per client IP.',
  body: subscribeBody,
  responses: {
    202: { description: 'Accepted: the confirmation email is on its way (the same answer for a known address)', schema: subscribeResponse },
    404: 'Unknown symbol (unknown_symbol) or group (not_found)',
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
  method: 'delete',
  path: '/api/subscriptions/:id',
  summary: 'Delete a subscription with its alerts and queued emails',
  params: idParam,
  admin: true,
  responses: { 204: 'Deleted', 404: 'No such subscription' },
});

/** Alerts made for each subscription, by its id: the alerts are the triggers' (a capability above this one), so the composition root passes their count in. */
export type AlertCounts = (db: Queryable) => Promise<Map<number, number>>;

export function subscriptionRoutes(ctx: AppContext, alertCounts: AlertCounts): Router {
  const router = Router();
  const admin = requireAdmin(ctx.config.ADMIN_TOKEN);
  // one bucket for subscribing and for asking for a new confirmation email
  const rateLimit = tokenBucket({ capacity: ctx.config.SUBSCRIBE_RATE_LIMIT, refillMs: RATE_WINDOW_MS, what: 'subscription requests' });

  router.post('/', rateLimit, async (req, res) => {
    const body = parseBody(req, subscribeBody);
    const subscription = await subscribe(ctx, body);
    // the same answer whether the address is new, pending or already confirmed: it tells nobody who subscribed
    const { symbols, group, minMovePct, minAbnormalZ, mode, kind, intradayCaarPct, intradayBmpT } = presentSubscription(
      subscription,
      false,
    );
    // with email off the confirmation waits in the outbox: say so rather than promise an email
    const emailOn = Boolean(ctx.config.SMTP_URL);
    const answer: SubscribeResponse = {
      subscription: { symbols, group, minMovePct, minAbnormalZ, mode, kind, intradayCaarPct, intradayBmpT },
      confirmation: emailOn ? 'queued' : 'not_sent',
      message: emailOn
        ? 'Check your inbox: the subscription starts when you follow the confirmation link in the email we sent.'
        : 'Recorded; no email server is configured, so no confirmation email was sent. The subscription starts when its confirmation link is followed.',
    };
    res.status(202).json(answer);
  });

  router.get('/', admin, async (_req, res) => {
    const [rows, counts] = await Promise.all([listSubscriptions(ctx.db.pool), alertCounts(ctx.db.pool)]);
    const answer: SubscriptionListResponse = {
      subscriptions: rows.map((r) => ({ ...presentSubscription(r, true), alerts: counts.get(r.id) ?? 0 })),
    };
    res.json(answer);
  });

  router.use(linkRoutes(ctx));
  router.use(manageRoutes(ctx, rateLimit));

  router.delete('/:id', admin, async (req, res) => {
    const { id } = parseParams(req, idParam);
    if (!(await removeSubscription(ctx, id))) throw notFound(`No subscription ${id}`);
    res.status(204).end();
  });

  return router;
}
