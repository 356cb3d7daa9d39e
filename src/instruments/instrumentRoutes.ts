// HTTP: /api/instruments
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../api/context';
import { badRequest, notFound } from '../api/errors';
import { isoDate, parseParams, parseQuery, symbolParam } from '../api/validation';
import { getDailyBars } from './barStore';
import { getInstrument, listInstruments, type InstrumentRow } from './instrumentStore';

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

export function instrumentRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    res.json({ instruments: (await listInstruments(ctx.db.pool)).map(presentInstrument) });
  });

  router.get('/:symbol', async (req, res) => {
    const { symbol } = parseParams(req, z.object({ symbol: symbolParam }));
    const instrument = await getInstrument(ctx.db.pool, symbol);
    if (!instrument) throw notFound(`Unknown instrument ${symbol}`);
    res.json({ instrument: presentInstrument(instrument) });
  });

  router.get('/:symbol/bars', async (req, res) => {
    const { symbol } = parseParams(req, z.object({ symbol: symbolParam }));
    const q = parseQuery(req, z.object({ from: isoDate.optional(), to: isoDate.optional() }));
    if (q.from && q.to && q.from > q.to) throw badRequest('from must not be after to', [{ param: 'from', message: 'must not be after to' }]);
    const instrument = await getInstrument(ctx.db.pool, symbol);
    if (!instrument) throw notFound(`Unknown instrument ${symbol}`);
    const bars = await getDailyBars(ctx.db.pool, symbol, q.from, q.to);
    res.json({ symbol, currency: instrument.currency, timeZone: instrument.timeZone, interval: '1d', from: q.from ?? null, to: q.to ?? null, bars });
  });

  return router;
}
