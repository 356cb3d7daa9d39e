// HTTP: /api/instruments
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context/appContext';
import { requireAdmin } from '../http/adminAuth';
import { AppError, badRequest, notFound } from '../http/errors';
import { isoDate, parseBody, parseParams, parseQuery, symbolParam } from '../http/validation';
import { defaultBackfillFrom, ingestDepsOf } from '../ingest/ingestService';
import { AddInstrumentError, addInstrument, type AddInstrumentErrorCode } from '../ingest/addInstrument';
import { getDailyBars } from '../bars/barStore';
import { getInstrument, listInstruments, type InstrumentRow } from './instrumentStore';
import { describeRoute } from '../openapi/registry';

const symbolPathParams = z.object({ symbol: symbolParam });
const barsQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() });
describeRoute({ method: 'get', path: '/api/instruments', summary: 'Tracked instruments: exchange, currency, time zone, kind, benchmark, shares outstanding', responses: { 200: '{instruments[]}' } });
describeRoute({ method: 'get', path: '/api/instruments/:symbol', summary: 'One instrument', params: symbolPathParams, responses: { 200: '{instrument}', 404: 'Unknown instrument' } });
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
  summary: 'Add (or refresh) an instrument: looked up with a quote, given its market\'s default benchmark, and backfilled',
  body: addInstrumentBody,
  admin: true,
  responses: { 201: '{instrument, created, sessions, benchmarkAdded, backfill}', 200: 'Already tracked: refreshed', 404: 'Unknown symbol', 502: 'Invalid answer from the provider', 503: 'The provider cannot be reached' },
});
describeRoute({ method: 'get', path: '/api/instruments/:symbol/bars', summary: "Daily bars; dates are trading dates in the exchange's own calendar", params: symbolPathParams, query: barsQuery, responses: { 200: '{symbol, currency, timeZone, interval, from, to, bars[]}', 404: 'Unknown instrument' } });

export function presentInstrument(i: InstrumentRow) {
  return {
    symbol: i.symbol,
    name: i.name,
    exchange: i.exchange,
    currency: i.currency,
    timeZone: i.timeZone,
    kind: i.kind,
    benchmark: i.benchmarkSymbol,
    sharesOutstanding: i.sharesOutstanding,
    sharesAsOf: i.sharesAsOf,
    sharesSource: i.sharesSource,
    tracked: i.tracked,
  };
}

const ADD_ERROR_STATUS: Record<AddInstrumentErrorCode, number> = { unknown_symbol: 404, unsupported_instrument: 400, upstream_invalid: 502, upstream_unavailable: 503 };

export function instrumentRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    res.json({ instruments: (await listInstruments(ctx.db.pool)).map(presentInstrument) });
  });

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
      res.status(result.created ? 201 : 200).json({
        instrument: presentInstrument(result.instrument),
        created: result.created,
        sessions: result.sessions,
        benchmarkAdded: result.benchmarkAdded?.instrument.symbol ?? null,
        backfill: result.backfill,
      });
    } catch (err) {
      if (err instanceof AddInstrumentError) throw new AppError(ADD_ERROR_STATUS[err.code], err.code, err.message, { symbol: err.symbol });
      throw err;
    }
  });

  router.get('/:symbol', async (req, res) => {
    const { symbol } = parseParams(req, symbolPathParams);
    const instrument = await getInstrument(ctx.db.pool, symbol);
    if (!instrument) throw notFound(`Unknown instrument ${symbol}`);
    res.json({ instrument: presentInstrument(instrument) });
  });

  router.get('/:symbol/bars', async (req, res) => {
    const { symbol } = parseParams(req, symbolPathParams);
    const q = parseQuery(req, barsQuery);
    if (q.from && q.to && q.from > q.to) throw badRequest('from must not be after to', [{ param: 'from', message: 'must not be after to' }]);
    const instrument = await getInstrument(ctx.db.pool, symbol);
    if (!instrument) throw notFound(`Unknown instrument ${symbol}`);
    const bars = await getDailyBars(ctx.db.pool, symbol, q.from, q.to);
    res.json({ symbol, currency: instrument.currency, timeZone: instrument.timeZone, interval: '1d', from: q.from ?? null, to: q.to ?? null, bars });
  });

  return router;
}
