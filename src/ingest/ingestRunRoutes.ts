// HTTP: GET /api/ingest-runs/:id, how a recorded ingest run is doing (for an add: its backfills so far).
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context/appContext';
import { AppError } from '../errors/appError';
import { parseParams } from '../http/validation';
import { describeRoute } from '../openapi/registry';
import { ingestRunProgress } from './addInBackground';
import { ingestRunProgressResponse } from './instrumentSearchContract';

const runIdParams = z.object({
  id: z.coerce
    .number({ message: 'must be a run id (a positive integer)' })
    .int('must be a run id (a positive integer)')
    .positive('must be a run id (a positive integer)')
    .max(2 ** 31 - 1),
});
describeRoute({
  method: 'get',
  path: '/api/ingest-runs/:id',
  summary:
    "An ingest run's progress: status, rows so far, and for an add (POST /api/instruments with background: true) its backfills with the sessions stored",
  params: runIdParams,
  responses: { 200: { description: 'The run', schema: ingestRunProgressResponse }, 404: 'No such run' },
});

export function ingestRunRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/:id', async (req, res) => {
    const { id } = parseParams(req, runIdParams);
    const progress = await ingestRunProgress({ pool: ctx.db.pool }, id);
    if (!progress) throw new AppError(404, 'not_found', `No ingest run ${id}`, { id });
    res.json(progress);
  });
  return router;
}
