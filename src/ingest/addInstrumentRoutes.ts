// HTTP: POST /api/instruments, adding (or refreshing) an instrument and backfilling its bars (or, with background: true,
// answering 202 at once with the run to follow), and GET /api/instruments/search, the candidates of a name search.
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context/appContext';
import { requireAdmin } from '../http/adminAuth';
import { AppError } from '../errors/appError';
import { isoDate, parseBody, parseQuery, symbolParam } from '../http/validation';
import { isMarketDataError, UpstreamInvalidResponseError, type MarketDataError } from '../marketdata/errors';
import { presentInstrument } from '../instruments/presentInstrument';
import { describeRoute } from '../openapi/registry';
import { AddInstrumentError, addInstrument, type AddInstrumentErrorCode } from './addInstrument';
import { addInstrumentResponse, type AddInstrumentResponse } from './addInstrumentContract';
import { startAddInBackground } from './addInBackground';
import { defaultBackfillFrom, ingestDepsOf } from './fetchAndStore';
import { searchInstruments } from './instrumentSearch';
import { addStartedResponse, instrumentSearchResponse, type InstrumentSearchResponse } from './instrumentSearchContract';

const addInstrumentBody = z.object({
  symbol: symbolParam,
  /** default: the market's benchmark (US ^GSPC, Tokyo ^N225); null: none */
  benchmark: symbolParam.nullable().optional(),
  /** first date of the backfill; default BACKFILL_FROM */
  from: isoDate.optional(),
  /** false: store the instrument without fetching its bars */
  backfill: z.boolean().optional(),
  /** true: answer 202 once the symbol is looked up; the add and its backfill go on (GET /api/ingest-runs/:id) */
  background: z.boolean().optional(),
});
const searchQuery = z.object({ q: z.string().trim().min(1, 'is required').max(100) });
describeRoute({
  method: 'get',
  path: '/api/instruments/search',
  summary:
    'Search symbols by name or ticker through the market-data provider, each with the exchange, currency and benchmark adding it would give it',
  query: searchQuery,
  responses: {
    200: { description: 'The candidates, best first (at most 6); none when nothing matches', schema: instrumentSearchResponse },
    502: 'Invalid answer from the provider',
    503: 'The provider cannot be reached',
  },
});
describeRoute({
  method: 'post',
  path: '/api/instruments',
  summary: "Add (or refresh) an instrument: looked up with a quote, given its market's default benchmark, and backfilled",
  body: addInstrumentBody,
  admin: true,
  responses: {
    201: { description: 'Added, with the outcome of its backfill', schema: addInstrumentResponse },
    202: { description: 'background: true: looked up and being added; follow progressUrl', schema: addStartedResponse },
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

/** A failed search, as the add route answers a failed lookup. */
function searchError(err: MarketDataError): AppError {
  if (err instanceof UpstreamInvalidResponseError && !err.retryable)
    return new AppError(502, 'upstream_invalid', `The symbol search failed: ${err.message}`);
  return new AppError(503, 'upstream_unavailable', `The symbol search failed: ${err.message}`);
}

export function addInstrumentRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/search', async (req, res) => {
    const { q } = parseQuery(req, searchQuery);
    try {
      const answer: InstrumentSearchResponse = { query: q, candidates: await searchInstruments(ingestDepsOf(ctx), q) };
      res.json(answer);
    } catch (err) {
      if (isMarketDataError(err)) throw searchError(err);
      throw err;
    }
  });

  router.post('/', requireAdmin(ctx.config.ADMIN_TOKEN), async (req, res) => {
    const body = parseBody(req, addInstrumentBody);
    const symbol = body.symbol.toUpperCase();
    const request = {
      symbol,
      benchmark: body.benchmark === undefined || body.benchmark === null ? body.benchmark : body.benchmark.toUpperCase(),
      from: body.from ?? defaultBackfillFrom(ctx.config),
      backfill: body.backfill,
    };
    try {
      if (body.background) {
        res.status(202).json(await startAddInBackground(ingestDepsOf(ctx), request));
        return;
      }
      const result = await addInstrument(ingestDepsOf(ctx), request);
      const answer: AddInstrumentResponse = {
        instrument: presentInstrument(result.instrument),
        created: result.created,
        sessions: result.sessions,
        sessionsNote: result.sessionsNote,
        benchmarkAdded: result.benchmarkAdded?.instrument.symbol ?? null,
        fxSeriesAdded: result.fxSeriesAdded?.instrument.symbol ?? null,
        fxSeriesNote: result.fxSeriesNote,
        backfill: result.backfill,
        intradayBackfill: result.intradayBackfill,
        benchmarkIntradayBackfill: result.benchmarkIntradayBackfill,
      };
      res.status(result.created ? 201 : 200).json(answer);
    } catch (err) {
      if (err instanceof AddInstrumentError) throw new AppError(ADD_ERROR_STATUS[err.code], err.code, err.message, { symbol: err.symbol });
      throw err;
    }
  });

  return router;
}
