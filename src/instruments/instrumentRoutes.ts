// HTTP: GET /api/instruments (adding one is ingest's: src/ingest/addInstrumentRoutes.ts)
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context/appContext';
import { badRequest, notFound } from '../errors/appError';
import { isoDate, parseParams, parseQuery, symbolParam } from '../http/validation';
import { getDailyBars } from '../bars/dailyBarReads';
import { getInstrument, listInstruments } from './instrumentStore';
import { presentInstrument } from './presentInstrument';
import { describeRoute } from '../openapi/registry';
import {
  dailyBarsResponse,
  instrumentListResponse,
  instrumentResponse,
  type DailyBarsResponse,
  type InstrumentListResponse,
  type InstrumentResponse,
} from './instrumentContract';

const symbolPathParams = z.object({ symbol: symbolParam });
const barsQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() });
describeRoute({
  method: 'get',
  path: '/api/instruments',
  summary: 'Tracked instruments: exchange, currency, time zone, kind, benchmark, shares outstanding',
  responses: { 200: { description: 'The instruments', schema: instrumentListResponse } },
});
describeRoute({
  method: 'get',
  path: '/api/instruments/:symbol',
  summary: 'One instrument',
  params: symbolPathParams,
  responses: { 200: { description: 'The instrument', schema: instrumentResponse }, 404: 'Unknown instrument' },
});
describeRoute({
  method: 'get',
  path: '/api/instruments/:symbol/bars',
  summary: "Daily bars; dates are trading dates in the exchange's own calendar",
  params: symbolPathParams,
  query: barsQuery,
  responses: { 200: { description: 'The daily bars in [from, to], oldest first', schema: dailyBarsResponse }, 404: 'Unknown instrument' },
});

export function instrumentRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const body: InstrumentListResponse = { instruments: (await listInstruments(ctx.db.pool)).map(presentInstrument) };
    res.json(body);
  });

  router.get('/:symbol', async (req, res) => {
    const { symbol } = parseParams(req, symbolPathParams);
    const instrument = await getInstrument(ctx.db.pool, symbol);
    if (!instrument) throw notFound(`Unknown instrument ${symbol}`);
    const body: InstrumentResponse = { instrument: presentInstrument(instrument) };
    res.json(body);
  });

  router.get('/:symbol/bars', async (req, res) => {
    const { symbol } = parseParams(req, symbolPathParams);
    const q = parseQuery(req, barsQuery);
    if (q.from && q.to && q.from > q.to)
      throw badRequest('from must not be after to', [{ param: 'from', message: 'must not be after to' }]);
    const instrument = await getInstrument(ctx.db.pool, symbol);
    if (!instrument) throw notFound(`Unknown instrument ${symbol}`);
    const bars = await getDailyBars(ctx.db.pool, symbol, q.from, q.to);
    const body: DailyBarsResponse = {
      symbol,
      currency: instrument.currency,
      timeZone: instrument.timeZone,
      interval: '1d',
      from: q.from ?? null,
      to: q.to ?? null,
      bars,
    };
    res.json(body);
  });

  return router;
}
