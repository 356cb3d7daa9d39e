// HTTP: /api/events (reads are open; writes need the admin token)
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context/appContext';
import { requireAdmin } from '../http/adminAuth';
import { notFound } from '../errors/appError';
import { parseBody, parseParams, parseQuery, slugParam } from '../http/validation';
import { describeRoute } from '../openapi/registry';
import { eventListResponse, eventResponse, type EventListResponse, type EventResponse } from './eventContract';
import { attachNewsBody, createEventBody, detachNewsQuery, updateEventBody } from './eventSchemas';
import { attachNewsToEvent, createEvent, deleteEvent, detachNewsFromEvent, getEventDetail, updateEvent } from './eventWrites';
import { listEvents, presentEvent } from '../news/eventStore';

const eventPathParams = z.object({ slug: slugParam });

const eventAnswer = (description: string) => ({ description, schema: eventResponse });
const EVENT = 'The event with its news and its linked moves (with their session offset from day 0)';

describeRoute({
  method: 'get',
  path: '/api/events',
  summary: 'News events, in time order',
  responses: { 200: { description: 'The events with their news counts', schema: eventListResponse } },
});
describeRoute({
  method: 'get',
  path: '/api/events/:slug',
  summary: 'One event with its news and linked moves',
  params: eventPathParams,
  responses: { 200: eventAnswer(EVENT), 404: 'Unknown event' },
});
describeRoute({
  method: 'post',
  path: '/api/events',
  summary: 'Create an event',
  description:
    'Time: occurredAt as an instant with offset, or a local occurredAt with timeZone (IANA), or date with dateOnly: true. ' +
    'Moves around the new event are linked to it at once.',
  body: createEventBody,
  admin: true,
  responses: { 201: eventAnswer(`Created: ${EVENT}`), 409: 'The slug is taken' },
});
describeRoute({
  method: 'patch',
  path: '/api/events/:slug',
  summary: 'Change an event (a new time re-links its moves)',
  params: eventPathParams,
  body: updateEventBody,
  admin: true,
  responses: { 200: eventAnswer(EVENT), 404: 'Unknown event', 409: 'The new slug is taken' },
});
describeRoute({
  method: 'delete',
  path: '/api/events/:slug',
  summary: 'Delete an event and its links (news items and moves stay)',
  params: eventPathParams,
  admin: true,
  responses: { 204: 'Deleted', 404: 'Unknown event' },
});
describeRoute({
  method: 'post',
  path: '/api/events/:slug/news',
  summary: 'Attach a news item (by URL; a new URL is stored with the given title, publisher and time)',
  params: eventPathParams,
  body: attachNewsBody,
  admin: true,
  responses: {
    201: eventAnswer(`${EVENT}; the news item was new`),
    200: eventAnswer(`${EVENT}; an existing news item was attached`),
    404: 'Unknown event',
  },
});
describeRoute({
  method: 'delete',
  path: '/api/events/:slug/news',
  summary: 'Detach a news item from an event (the item itself stays)',
  params: eventPathParams,
  query: detachNewsQuery,
  admin: true,
  responses: { 200: eventAnswer(EVENT), 404: 'Unknown event, or that URL is not attached' },
});

export function eventRoutes(ctx: AppContext): Router {
  const router = Router();
  const admin = requireAdmin(ctx.config.ADMIN_TOKEN);

  const detail = async (slug: string): Promise<EventResponse> => {
    const event = await getEventDetail(ctx.db, slug);
    if (!event) throw notFound(`Unknown event ${slug}`);
    return { event };
  };

  router.get('/', async (_req, res) => {
    const events = await listEvents(ctx.db.pool);
    const body: EventListResponse = { events: events.map((e) => ({ ...presentEvent(e), newsCount: e.newsCount })) };
    res.json(body);
  });

  router.get('/:slug', async (req, res) => {
    const { slug } = parseParams(req, eventPathParams);
    res.json(await detail(slug));
  });

  router.post('/', admin, async (req, res) => {
    const input = parseBody(req, createEventBody);
    const slug = await createEvent(ctx.db, input);
    res
      .status(201)
      .location(`/api/events/${slug}`)
      .json(await detail(slug));
  });

  router.patch('/:slug', admin, async (req, res) => {
    const { slug } = parseParams(req, eventPathParams);
    const input = parseBody(req, updateEventBody);
    res.json(await detail(await updateEvent(ctx.db, slug, input)));
  });

  router.delete('/:slug', admin, async (req, res) => {
    const { slug } = parseParams(req, eventPathParams);
    await deleteEvent(ctx.db, slug);
    res.status(204).end();
  });

  router.post('/:slug/news', admin, async (req, res) => {
    const { slug } = parseParams(req, eventPathParams);
    const input = parseBody(req, attachNewsBody);
    const { created } = await attachNewsToEvent(ctx.db, slug, input);
    res.status(created ? 201 : 200).json(await detail(slug));
  });

  router.delete('/:slug/news', admin, async (req, res) => {
    const { slug } = parseParams(req, eventPathParams);
    const { url } = parseQuery(req, detachNewsQuery);
    await detachNewsFromEvent(ctx.db, slug, url);
    res.json(await detail(slug));
  });

  return router;
}
