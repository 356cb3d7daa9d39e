// HTTP: /api/export/*.csv. Parameters are checked and unknown symbols or events answered (JSON errors)
// before the first CSV byte; the body then streams from Postgres with backpressure, and a client that
// disconnects stops the query.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context/appContext';
import { sendCsv, type StreamBudget } from '../http/csvResponse';
import { parseParams, parseQuery, slugParam } from '../http/validation';
import { describeRoute } from '../openapi/registry';
import { barsExport, eventsExport, movesExport, type CsvExport, type ExportDeps } from './csvExports';
import { barsExportParams, eventsExportParams, impactExportQuery, movesExportParams, parseImpactExportParams } from './exportParams';
import { impactExport } from './impactExport';

const impactPathParams = z.object({ slug: slugParam });
const FORMAT =
  'RFC 4180 CSV (CRLF, a header row), UTF-8, a BOM with bom=1; numbers at full precision with a dot, ISO dates, an empty cell for null; ' +
  "text cells starting with = + - @ tab or CR get a leading ' so that no spreadsheet runs them. Streamed: a client that disconnects stops the query.";

describeRoute({
  method: 'get',
  path: '/api/export/bars.csv',
  summary: 'Bars of some instruments as CSV',
  description: `interval 1d: daily bars (date = trading date on the exchange); 1m, 5m, 15m, 1h: intraday bars whose exchange-local date is in [from, to], ts in ISO UTC. ${FORMAT}`,
  query: barsExportParams,
  produces: 'text/csv',
  responses: {
    200: 'CSV: symbol, currency, date (or interval, ts), open, high, low, close, adjClose, volume, provisional',
    404: 'Unknown symbol',
  },
});
describeRoute({
  method: 'get',
  path: '/api/export/moves.csv',
  summary: 'Recorded price moves as CSV, one row per move and linked event',
  description: `The moves of GET /api/moves (same filters; min: smallest |move| in percent) with their linked events and session offsets; a move without a linked event has one row with the event columns empty. ${FORMAT}`,
  query: movesExportParams,
  produces: 'text/csv',
  responses: {
    200: 'CSV: moveId, symbol, date, move, return, abnormalReturn, z, rule, detectedAt, eventSlug, eventOffset, eventOrigin',
    404: 'Unknown symbol',
  },
});
describeRoute({
  method: 'get',
  path: '/api/export/events.csv',
  summary: 'News events with their news as CSV, one row per event and news item',
  description: FORMAT,
  query: eventsExportParams,
  produces: 'text/csv',
  responses: {
    200: 'CSV: event columns (slug, title, occurredAt, date, dateOnly, kind, description) and news columns (role, url, title, publisher, publishedAt, date, dateOnly, kind)',
  },
});
describeRoute({
  method: 'get',
  path: '/api/export/events/:slug/impact.csv',
  summary: 'The event study of GET /api/events/:slug/impact as CSV, one row per instrument and offset',
  description: `The impact API's parameters and numbers; every row also names its event, symbol, benchmark, currency, day 0, status and why, model, alpha, beta, sigma, R², n, the estimation and event windows, the CARs with t and p, BHAR and the basket at its offset. ${FORMAT}`,
  params: impactPathParams,
  query: impactExportQuery,
  produces: 'text/csv',
  responses: {
    200:
      'CSV: eventSlug, symbol, benchmark, currency, day0, status, statusReason, model, alpha, beta, sigma, r2, n, estimationFrom, estimationTo, ' +
      'windowFrom, windowTo, minObs, offset, date, close, return, benchmarkReturn, abnormalReturn, car, rebased, move, marketValueChange, ' +
      'marketValueChangeUsd, bhar, marketValueNote, windowNote, car_<from>_<to>, t_<from>_<to> and p_<from>_<to> per CAR window, ' +
      'basketMarketValueChangeUsd, basketContributors, basketInstruments, basketMissing',
    404: 'Unknown event',
  },
});

function csvRoute<S extends z.ZodType>(
  deps: ExportDeps,
  budget: StreamBudget,
  schema: S,
  build: (deps: ExportDeps, params: z.infer<S>) => Promise<CsvExport>,
) {
  return async (req: Request, res: Response) => sendCsv(req, res, await build(deps, parseQuery(req, schema)), budget);
}

export function exportRoutes(ctx: AppContext): Router {
  const router = Router();
  const deps: ExportDeps = { db: ctx.db, logger: ctx.logger };
  // exports get a budget of the pool, so that API reads and /readyz keep connections however many download
  const budget: StreamBudget = { max: ctx.config.EXPORT_MAX_STREAMS, stallMs: ctx.config.EXPORT_STALL_SECONDS * 1000, active: 0 };
  router.get('/bars.csv', csvRoute(deps, budget, barsExportParams, barsExport));
  router.get('/moves.csv', csvRoute(deps, budget, movesExportParams, movesExport));
  router.get('/events.csv', csvRoute(deps, budget, eventsExportParams, eventsExport));
  router.get('/events/:slug/impact.csv', async (req, res) => {
    const { slug } = parseParams(req, impactPathParams);
    const params = parseImpactExportParams(req.query, 'query parameter');
    await sendCsv(req, res, await impactExport(deps, slug, params), budget);
  });
  return router;
}
