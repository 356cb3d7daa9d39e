// HTTP: /api/moves (detected price moves, their events, candidate news) and manual link decisions (admin).
import { Router } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { AppContext } from '../context/appContext';
import { requireAdmin } from '../http/adminAuth';
import { AppError, notFound, unknownSymbolError } from '../errors/appError';
import { isoDate, parseBody, parseParams, parseQuery, slugParam, symbolList } from '../http/validation';
import { getInstrument, listInstruments } from '../instruments/instrumentStore';
import { describeRoute } from '../openapi/registry';
import {
  moveListResponse,
  moveResponse,
  type DetectedMove,
  type MoveDetail,
  type MoveListResponse,
  type MoveResponse,
} from './moveContract';
import { decideLink } from './moveDetection';
import { getCandidateNews } from '../news/newsStore';
import { getMoveView, getUnlinkedEvents, listMoves, type MoveView } from './moveStore';

/** News this many calendar days before..after the move's session date (instrument's time zone) is offered as candidates. */
const CANDIDATE_NEWS_DAYS = { before: 3, after: 1 } as const;

const movesQuery = z
  .object({
    symbol: symbolList.optional().describe('one symbol or a comma-separated list'),
    from: isoDate.optional().describe('first session date, YYYY-MM-DD'),
    to: isoDate.optional().describe('last session date, YYYY-MM-DD'),
    min: z
      .string()
      .regex(/^\d{1,3}(\.\d{1,6})?$/, 'must be a percentage such as 5 or 7.5')
      .transform(Number)
      .pipe(z.number().max(100, 'must be at most 100'))
      .optional()
      .describe('smallest |move| in percent'),
    limit: z
      .string()
      .regex(/^\d{1,5}$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().min(1, 'must be at least 1').max(5000, 'must be at most 5000'))
      .optional()
      .describe('most moves returned (default 1000)'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be after to', path: ['from'] });

const moveIdParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a move id (a positive whole number)')
    .transform(Number),
});
const moveLinkParams = moveIdParams.extend({ eventSlug: slugParam });
const linkBody = z.object({ eventSlug: slugParam.describe('the event to link this move to') });

describeRoute({
  method: 'get',
  path: '/api/moves',
  summary: 'Detected price moves (|move| >= 5% or |abnormal return / sigma| >= 3, per-instrument thresholds) with their linked events',
  description:
    'move, return and abnormalReturn are fractions (-0.1697 = -16.97%); z = abnormal return / residual sigma of the rolling market model; ' +
    "rule: move | abnormal | both. events: linked events with the move's session offset from the event's day 0.",
  query: movesQuery,
  responses: { 200: { description: 'The moves, in session order', schema: moveListResponse }, 404: 'Unknown symbol (unknown_symbol)' },
});
describeRoute({
  method: 'get',
  path: '/api/moves/:id',
  summary: 'One move with its linked events, events unlinked by hand, and candidate news',
  description: `candidateNews: news published from ${CANDIDATE_NEWS_DAYS.before} calendar days before to ${CANDIDATE_NEWS_DAYS.after} after the move's session date (in the instrument's time zone) that names the symbol or no symbol.`,
  params: moveIdParams,
  responses: { 200: { description: 'The move', schema: moveResponse }, 404: 'Unknown move' },
});
describeRoute({
  method: 'post',
  path: '/api/moves/:id/links',
  summary: 'Link a move to an event by hand (kept across re-detection)',
  params: moveIdParams,
  body: linkBody,
  admin: true,
  responses: {
    200: { description: 'The move after the decision', schema: moveResponse },
    404: 'Unknown move or event',
    409: "The event has no day 0 in the instrument's bars yet",
  },
});
describeRoute({
  method: 'delete',
  path: '/api/moves/:id/links/:eventSlug',
  summary: 'Unlink a move from an event by hand (re-detection will not link it again)',
  params: moveLinkParams,
  admin: true,
  responses: {
    200: { description: 'The move after the decision', schema: moveResponse },
    404: 'Unknown move or event',
    409: 'No offset can be given for this pair',
  },
});

const presentMove = (m: MoveView): DetectedMove => ({ ...m, detectedAt: m.detectedAt.toISOString() });

export function moveRoutes(ctx: AppContext): Router {
  const router = Router();
  const admin = requireAdmin(ctx.config.ADMIN_TOKEN);

  router.get('/', async (req, res) => {
    const q = parseQuery(req, movesQuery);
    if (q.symbol) {
      const known = new Set((await listInstruments(ctx.db.pool)).map((i) => i.symbol));
      const unknown = q.symbol.filter((s) => !known.has(s));
      if (unknown.length) throw unknownSymbolError(unknown, 'symbol');
    }
    const moves = await listMoves(ctx.db.pool, {
      symbols: q.symbol ?? null,
      from: q.from ?? null,
      to: q.to ?? null,
      minAbsMove: q.min === undefined ? null : q.min / 100,
      limit: q.limit ?? 1000,
    });
    const body: MoveListResponse = { moves: moves.map(presentMove) };
    res.json(body);
  });

  const moveDetail = async (id: number): Promise<MoveDetail> => {
    const move = await getMoveView(ctx.db.pool, id);
    if (!move) throw notFound(`Unknown move ${id}`);
    const instrument = await getInstrument(ctx.db.pool, move.symbol);
    const zone = instrument?.timeZone ?? 'UTC';
    const day = DateTime.fromISO(move.date, { zone });
    const [unlinkedEvents, candidateNews] = await Promise.all([
      getUnlinkedEvents(ctx.db.pool, id),
      getCandidateNews(
        ctx.db.pool,
        move.symbol,
        day.minus({ days: CANDIDATE_NEWS_DAYS.before }).toJSDate(),
        day.plus({ days: CANDIDATE_NEWS_DAYS.after + 1 }).toJSDate(),
      ),
    ]);
    return {
      ...presentMove(move),
      unlinkedEvents,
      candidateNews: candidateNews.map((n) => ({ ...n, publishedAt: n.publishedAt.toISOString() })),
    };
  };

  router.get('/:id', async (req, res) => {
    const { id } = parseParams(req, moveIdParams);
    const body: MoveResponse = { move: await moveDetail(id) };
    res.json(body);
  });

  const decide = async (id: number, eventSlug: string, linked: boolean) => {
    const result = await decideLink(ctx.db, id, eventSlug, linked);
    if (result.status === 'unknown_move') throw notFound(`Unknown move ${id}`);
    if (result.status === 'unknown_event') throw notFound(`Unknown event ${eventSlug}`);
    if (result.status === 'no_day_zero') {
      throw new AppError(
        409,
        'conflict',
        `${eventSlug} has no day 0 in the bars of ${result.symbol} (last bar ${result.lastDate ?? 'none'}), so the move's offset from it is unknown`,
      );
    }
    return moveDetail(id);
  };

  router.post('/:id/links', admin, async (req, res) => {
    const { id } = parseParams(req, moveIdParams);
    const { eventSlug } = parseBody(req, linkBody);
    const body: MoveResponse = { move: await decide(id, eventSlug, true) };
    res.json(body);
  });

  router.delete('/:id/links/:eventSlug', admin, async (req, res) => {
    const { id, eventSlug } = parseParams(req, moveLinkParams);
    const body: MoveResponse = { move: await decide(id, eventSlug, false) };
    res.json(body);
  });

  return router;
}
