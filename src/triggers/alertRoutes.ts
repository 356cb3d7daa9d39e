// /api/alerts: the alerts made and what became of their emails. Open to read; addresses only with the admin token.
import { scrubAddresses } from '../outbox/addressScrub';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { requireAdmin } from '../http/adminAuth';
import type { AppContext } from '../context/appContext';
import { parseQuery, symbolParam } from '../http/validation';
import { describeRoute } from '../openapi/registry';
import { alertListResponse, outboxResponse, type AlertListResponse, type OutboxResponse } from './alertContract';
import { listAlerts } from './alertStore';
import { outboxBacklog } from '../outbox/outboxStore';

const alertQuery = z.object({
  status: z
    .enum(['pending', 'sending', 'sent', 'failed', 'cancelled'], { message: 'must be pending, sending, sent, failed or cancelled' })
    .optional(),
  symbol: symbolParam.optional(),
  subscription: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1)
    .optional(),
  before: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1)
    .optional()
    .describe('an alert id: only older alerts (paging: the nextBefore of the previous page)'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

describeRoute({
  method: 'get',
  path: '/api/alerts',
  summary: 'Alerts, newest first (paged with before), with their figures, event and email delivery',
  description:
    "rule: intraday_move | close_move | close_abnormal; move and abnormalReturn are fractions; status: the email's status " +
    '(pending also while no email carries the alert yet: coalescing, or waiting for a digest). Addresses and Message-IDs ' +
    'only with the admin token.',
  query: alertQuery,
  responses: { 200: { description: 'Whether email is on, and the alerts', schema: alertListResponse } },
});
describeRoute({
  method: 'get',
  path: '/api/alerts/outbox',
  summary: 'The email outbox backlog: pending, sending, failed, age of the oldest pending',
  responses: { 200: { description: 'The backlog', schema: outboxResponse } },
});

/** Without an Authorization header: a public reader. With one: it must be the admin token. */
function optionalAdmin(adminToken: string | undefined): RequestHandler {
  const admin = requireAdmin(adminToken);
  return (req, res, next) => {
    res.locals.admin = false;
    if (!req.headers.authorization) return next();
    admin(req, res, (err?: unknown) => {
      if (err) return next(err);
      res.locals.admin = true;
      next();
    });
  };
}

export function alertRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/', optionalAdmin(ctx.config.ADMIN_TOKEN), async (req, res) => {
    const q = parseQuery(req, alertQuery);
    const rows = await listAlerts(ctx.db.pool, {
      status: q.status,
      symbol: q.symbol,
      subscriptionId: q.subscription,
      before: q.before,
      limit: q.limit,
    });
    const withEmail = res.locals.admin === true;
    const body: AlertListResponse = {
      email: ctx.config.SMTP_URL ? 'on' : 'off',
      alerts: rows.map((r) => ({
        id: r.id,
        subscriptionId: r.subscriptionId,
        ...(withEmail ? { email: r.email } : {}),
        mode: r.mode,
        symbol: r.symbol,
        sessionDate: r.sessionDate,
        rule: r.rule,
        move: r.move,
        abnormalReturn: r.abnormalReturn,
        z: r.z,
        price: r.price,
        event: r.eventSlug ? { slug: r.eventSlug, title: r.eventTitle } : null,
        createdAt: r.createdAt.toISOString(),
        status: r.emailStatus ?? 'pending',
        delivery:
          r.emailId === null
            ? null
            : {
                emailId: r.emailId,
                kind: r.emailKind,
                status: r.emailStatus,
                attempts: r.emailAttempts,
                // stored scrubbed; rows written before that are scrubbed here for a public reader
                lastError: r.emailLastError !== null && !withEmail ? scrubAddresses(r.emailLastError) : r.emailLastError,
                sentAt: r.emailSentAt?.toISOString() ?? null,
                nextAttemptAt: r.emailStatus === 'pending' ? (r.emailNextAttemptAt?.toISOString() ?? null) : null,
                ...(withEmail ? { messageId: r.emailMessageId } : {}),
              },
      })),
      // a full page may have more behind it; the empty next page then says so
      nextBefore: rows.length === q.limit ? rows[rows.length - 1].id : null,
    };
    res.json(body);
  });

  router.get('/outbox', async (_req, res) => {
    const body: OutboxResponse = { email: ctx.config.SMTP_URL ? 'on' : 'off', ...(await outboxBacklog(ctx.db.pool)) };
    res.json(body);
  });

  return router;
}
