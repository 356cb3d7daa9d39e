// HTTP: /api/shocks (reads are open; confirm and dismiss need the admin token). Issue 23.
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context/appContext';
import { eventResponse } from '../events/eventContract';
import { requireAdmin } from '../http/adminAuth';
import { isoDate, parseBody, parseParams, parseQuery, slugParam } from '../http/validation';
import { EVENT_KIND } from '../news/eventKind';
import { describeRoute } from '../openapi/registry';
import { SHOCK_KINDS, shockListResponse, shockResponse, type ShockListResponse, type ShockResponse } from './shockContract';
import { shockGroup } from './shockDetection';
import { confirmShock, dismissShock, shockById, shocksMatching } from './shockService';

const shockPathParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

const shockListQuery = z
  .object({
    group: slugParam.optional().describe('the group slug'),
    from: isoDate.optional().describe('shocks starting on or after this UTC date'),
    to: isoDate.optional().describe('shocks starting on or before this UTC date (inclusive)'),
    kind: z.enum(SHOCK_KINDS).optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be after to', path: ['from'] });

const confirmBody = z
  .object({
    kind: z
      .string()
      .regex(EVENT_KIND, 'must be a lowercase word such as model_release or earnings (letters, digits, _)')
      .optional()
      .describe('the event kind; default news'),
    title: z.string().trim().min(1).max(300).optional().describe('typed title; else the chosen news item title'),
    newsId: z.number().int().positive().optional().describe("one of the shock's news items: its title and publication time"),
    instant: z.iso
      .datetime({ offset: true })
      .optional()
      .describe("the event instant; default the news item's publication, else the shock start"),
  })
  .strict()
  .refine((b) => b.title !== undefined || b.newsId !== undefined, { message: 'give a title or a newsId', path: ['title'] });

describeRoute({
  method: 'get',
  path: '/api/shocks',
  summary: 'Detected group shocks, newest first',
  description: 'Daily: KP-adjusted Patell Z on the day-0 SARs with breadth; intraday: Lee-Mykland co-jumps (shared/methods/shocks.md).',
  query: shockListQuery,
  responses: {
    200: { description: 'The shocks with statistic, members, first bars and news', schema: shockListResponse },
    404: 'Unknown group',
  },
});
describeRoute({
  method: 'get',
  path: '/api/shocks/:id',
  summary: 'One shock',
  params: shockPathParams,
  responses: { 200: { description: 'The shock', schema: shockResponse }, 404: 'Unknown shock' },
});
describeRoute({
  method: 'post',
  path: '/api/shocks/:id/confirm',
  summary: 'Confirm a shock: it becomes an event linked to its news',
  params: shockPathParams,
  body: confirmBody,
  admin: true,
  responses: { 201: { description: 'The event created', schema: eventResponse }, 404: 'Unknown shock', 409: 'Confirmed already' },
});
describeRoute({
  method: 'post',
  path: '/api/shocks/:id/dismiss',
  summary: 'Dismiss a shock (its record stays)',
  params: shockPathParams,
  admin: true,
  responses: { 200: { description: 'The shock, dismissed', schema: shockResponse }, 404: 'Unknown shock' },
});

export function shockRoutes(ctx: AppContext): Router {
  const router = Router();
  const admin = requireAdmin(ctx.config.ADMIN_TOKEN);

  router.get('/', async (req, res) => {
    const q = parseQuery(req, shockListQuery);
    const group = q.group ? await shockGroup(ctx.db.pool, q.group) : null;
    const body: ShockListResponse = {
      shocks: await shocksMatching(ctx.db.pool, {
        groupId: group?.id ?? null,
        kind: q.kind ?? null,
        from: q.from ? new Date(`${q.from}T00:00:00Z`) : null,
        to: q.to ? new Date(`${q.to}T23:59:59.999Z`) : null,
      }),
    };
    res.json(body);
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseParams(req, shockPathParams);
    const body: ShockResponse = { shock: await shockById(ctx.db.pool, id) };
    res.json(body);
  });

  router.post('/:id/confirm', admin, async (req, res) => {
    const { id } = parseParams(req, shockPathParams);
    const b = parseBody(req, confirmBody);
    const answer = await confirmShock(ctx.db, id, {
      kind: b.kind ?? 'news',
      title: b.title ?? null,
      newsId: b.newsId ?? null,
      instant: b.instant ? new Date(b.instant) : null,
    });
    res.status(201).location(`/api/events/${answer.event.slug}`).json(answer);
  });

  router.post('/:id/dismiss', admin, async (req, res) => {
    const { id } = parseParams(req, shockPathParams);
    const body: ShockResponse = { shock: await dismissShock(ctx.db, id) };
    res.json(body);
  });

  return router;
}
