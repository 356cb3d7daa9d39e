// HTTP: /api/events (reads)
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../api/context';
import { notFound } from '../api/errors';
import { parseParams, slugParam } from '../api/validation';
import { presentEvent, presentNews } from './eventStore';

export function eventRoutes(ctx: AppContext): Router {
  const router = Router();
  const prisma = ctx.db.prisma;

  router.get('/', async (_req, res) => {
    const events = await prisma.event.findMany({ orderBy: { occurredAt: 'asc' }, include: { _count: { select: { news: true } } } });
    res.json({ events: events.map((e) => ({ ...presentEvent(e), newsCount: e._count.news })) });
  });

  router.get('/:slug', async (req, res) => {
    const { slug } = parseParams(req, z.object({ slug: slugParam }));
    const event = await prisma.event.findUnique({
      where: { slug },
      include: { news: { include: { news: true }, orderBy: [{ role: 'desc' }, { news: { publishedAt: 'asc' } }] } },
    });
    if (!event) throw notFound(`Unknown event ${slug}`);
    res.json({ event: { ...presentEvent(event), news: event.news.map((en) => presentNews(en.news, en.role)) } });
  });

  return router;
}
