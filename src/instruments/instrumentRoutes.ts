// HTTP: GET /api/instruments (adding one is ingest's: src/ingest/addInstrumentRoutes.ts)
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context/appContext';
import { invalidParameter, unknownSymbolError } from '../errors/appError';
import { barInterval, isoDate, parseParams, parseQuery, symbolParam } from '../http/validation';
import { getDailyBars } from '../bars/dailyBarReads';
import { intradayBars } from '../bars/intradayBarReads';
import { addCalendarDays, startOfLocalDate } from '../markets';
import { getInstrument, listInstruments } from './instrumentStore';
import { presentInstrument } from './presentInstrument';
import { describeRoute } from '../openapi/registry';
import {
  barsResponse,
  instrumentListResponse,
  instrumentResponse,
  type DailyBarsResponse,
  type IntradayBarsResponse,
  type InstrumentListResponse,
  type InstrumentResponse,
} from './instrumentContract';

const symbolPathParams = z.object({ symbol: symbolParam });
const barsQuery = z.object({
  interval: barInterval.default('1d').describe('1d: daily bars; 1m, 5m, 15m, 1h: the intraday bars the scheduler stores'),
  from: isoDate.optional().describe("first trading date, in the exchange's own calendar"),
  to: isoDate.optional().describe("last trading date, in the exchange's own calendar"),
});
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
  summary: "Daily or intraday bars; from and to are trading dates in the exchange's own calendar",
  description:
    'interval 1d (the default): daily bars dated in [from, to]; 1m, 5m, 15m, 1h: the stored intraday bars that open on an exchange-local date in [from, to], ts in ISO UTC.',
  params: symbolPathParams,
  query: barsQuery,
  responses: { 200: { description: 'The bars in [from, to], oldest first', schema: barsResponse }, 404: 'Unknown instrument' },
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
    if (!instrument) throw unknownSymbolError([symbol], 'symbol');
    const body: InstrumentResponse = { instrument: presentInstrument(instrument) };
    res.json(body);
  });

  router.get('/:symbol/bars', async (req, res) => {
    const { symbol } = parseParams(req, symbolPathParams);
    const q = parseQuery(req, barsQuery);
    if (q.from && q.to && q.from > q.to) throw invalidParameter('from', 'must not be after to');
    const instrument = await getInstrument(ctx.db.pool, symbol);
    if (!instrument) throw unknownSymbolError([symbol], 'symbol');
    const range = { symbol, currency: instrument.currency, timeZone: instrument.timeZone, from: q.from ?? null, to: q.to ?? null };
    if (q.interval === '1d') {
      const body: DailyBarsResponse = { ...range, interval: '1d', bars: await getDailyBars(ctx.db.pool, symbol, q.from, q.to) };
      res.json(body);
      return;
    }
    // the bars opening on the exchange-local dates from..to, as the daily bars are dated
    const zone = instrument.timeZone;
    const start = q.from === undefined ? undefined : startOfLocalDate(q.from, zone);
    const end = q.to === undefined ? undefined : startOfLocalDate(addCalendarDays(q.to, 1), zone);
    const bars = await intradayBars(ctx.db.pool, symbol, q.interval, start, end);
    const body: IntradayBarsResponse = { ...range, interval: q.interval, bars: bars.map((b) => ({ ...b, ts: b.ts.toISOString() })) };
    res.json(body);
  });

  return router;
}
