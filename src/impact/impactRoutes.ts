// HTTP: GET /api/events/:slug/impact (mounted at /api/events next to the event routes)
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context/appContext';
import { parseParams, parseQuery, slugParam } from '../http/validation';
import { describeRoute } from '../openapi/registry';
import { transferListOf } from '../compute/barColumns';
import { JSON_CONTENT_TYPE } from '../compute/computePool';
import { readWatermark, type DataDependencies } from '../bars/barVersions';
import { impactResponse } from './impactContract';
import { impactQuerySchema } from './impactParams';
import { IMPACT_TABLES, impactDependencies, prepareImpactJob, resolveImpact } from './eventImpact';
import type { ImpactTask } from './impactTask';

const impactPathParams = z.object({ slug: slugParam });

describeRoute({
  method: 'get',
  path: '/api/events/:slug/impact',
  summary: 'Event study: how hard the event moved each instrument, and whether that is unusual',
  description:
    'Per symbol: day 0 on its own exchange, the market model fitted on the estimation window (alpha, beta, sigma, R², n), ' +
    'daily returns, abnormal returns, CAR and rebased close over the event window, CARs with t and two-sided p, BHAR, ' +
    'and market value changes in local currency and USD; status ok | insufficient_estimation | no_benchmark | no_data ' +
    'with statusReason. basket: the USD market value change of all symbols per offset. Unknown symbols give a 404 unknown_symbol.',
  params: impactPathParams,
  query: impactQuerySchema,
  responses: {
    200: { description: 'The event, the parameters used, one result per symbol and the basket', schema: impactResponse },
    404: 'Unknown event (not_found) or symbol (unknown_symbol)',
  },
});

export function impactRoutes(ctx: AppContext): Router {
  const router = Router();
  // the impact of many instruments is heavy: budget checked first, then a place in the queue, then a worker
  router.get('/:slug/impact', ctx.compute.perClient, async (req, res) => {
    const { slug } = parseParams(req, impactPathParams);
    const query = parseQuery(req, impactQuerySchema);
    const request = {
      route: 'impact',
      key: `impact ${slug} ${JSON.stringify(query)}`,
      early: IMPACT_TABLES,
      watermark: (deps: DataDependencies) => readWatermark(ctx.db.pool, deps),
    };
    await ctx.resultCache.send(ctx.compute, req, res, request, async () => {
      const resolved = await resolveImpact(ctx.db, slug, query, ctx.config);
      return {
        deps: impactDependencies(resolved),
        answer: { contentType: JSON_CONTENT_TYPE },
        prepare: async () => {
          const job = await prepareImpactJob(ctx.db, resolved);
          const task: Omit<ImpactTask, 'port'> = { job };
          return { name: 'impact', payload: task, transfer: transferListOf([...job.instrumentBars.values(), ...job.contextBars.values()]) };
        },
      };
    });
  });
  return router;
}
