// HTTP: POST /api/instruments, adding (or refreshing) an instrument and backfilling its bars.
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context/appContext';
import { requireAdmin } from '../http/adminAuth';
import { AppError } from '../http/errors';
import { isoDate, parseBody, symbolParam } from '../http/validation';
import { presentInstrument } from '../instruments/instrumentRoutes';
import { describeRoute } from '../openapi/registry';
import { AddInstrumentError, addInstrument, type AddInstrumentErrorCode } from './addInstrument';
import { addInstrumentResponse, type AddInstrumentResponse } from './addInstrumentContract';
import { defaultBackfillFrom, ingestDepsOf } from './fetchAndStore';

const addInstrumentBody = z.object({
  symbol: symbolParam,
  /** default: the market's benchmark (US ^GSPC, Tokyo ^N225); null: none */
  benchmark: symbolParam.nullable().optional(),
  /** first date of the backfill; default BACKFILL_FROM */
  from: isoDate.optional(),
  /** false: store the instrument without fetching its bars */
  backfill: z.boolean().optional(),
});
describeRoute({
  method: 'post',
  path: '/api/instruments',
  summary: "Add (or refresh) an instrument: looked up with a quote, given its market's default benchmark, and backfilled",
  body: addInstrumentBody,
  admin: true,
  responses: {
    201: { description: 'Added, with the outcome of its backfill', schema: addInstrumentResponse },
    200: { description: 'Already tracked: refreshed', schema: addInstrumentResponse },
    404: 'Unknown symbol',
    502: 'Invalid answer from the provider',
    503: 'The provider cannot be reached',
  },
});
const ADD_ERROR_STATUS: Record<AddInstrumentErrorCode, number> = {
  unknown_symbol: 404,
  unsupported_instrument: 400,
  upstream_invalid: 502,
  upstream_unavailable: 503,
};

export function addInstrumentRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/', requireAdmin(ctx.config.ADMIN_TOKEN), async (req, res) => {
    const body = parseBody(req, addInstrumentBody);
    const symbol = body.symbol.toUpperCase();
    try {
      const result = await addInstrument(ingestDepsOf(ctx), {
        symbol,
        benchmark: body.benchmark === undefined || body.benchmark === null ? body.benchmark : body.benchmark.toUpperCase(),
        from: body.from ?? defaultBackfillFrom(ctx.config),
        backfill: body.backfill,
      });
      const answer: AddInstrumentResponse = {
        instrument: presentInstrument(result.instrument),
        created: result.created,
        sessions: result.sessions,
        sessionsNote: result.sessionsNote,
        benchmarkAdded: result.benchmarkAdded?.instrument.symbol ?? null,
        fxSeriesAdded: result.fxSeriesAdded?.instrument.symbol ?? null,
        fxSeriesNote: result.fxSeriesNote,
        backfill: result.backfill,
      };
      res.status(result.created ? 201 : 200).json(answer);
    } catch (err) {
      if (err instanceof AddInstrumentError) throw new AppError(ADD_ERROR_STATUS[err.code], err.code, err.message, { symbol: err.symbol });
      throw err;
    }
  });

  return router;
}
