// HTTP: the intraday study of an event (GET /api/events/:slug/intraday) or of an instant (GET /api/intraday?at=),
// as JSON, as CSV (members.csv, aggregate.csv) and live (…/stream: Server-Sent Events). Mounted at /api.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context/appContext';
import { JSON_CONTENT_TYPE, sendComputed, type ComputedAnswer } from '../compute/computePool';
import { bomParam, csvDownloadHeaders } from '../http/csvResponse';
import { validationError } from '../errors/appError';
import { parseParams, slugParam } from '../http/validation';
import { describeRoute } from '../openapi/registry';
import { intradayResponseSchema } from './intradayContract';
import { intradayCsvFilename, type IntradayCsvPart } from './intradayCsv';
import { prepareIntradayJob, resolveIntraday } from './intradayInputs';
import { intradayHubOf, type IntradayUpdate } from './intradayLive';
import { adhocIntradayQuery, eventIntradayQuery, parseIntradayQuery } from './intradayParams';
import { intradayComputeTask, type IntradayScope } from './intradayService';

const pathParams = z.object({ slug: slugParam });
const csvOnly = z.object({ bom: bomParam });
const PARTS: IntradayCsvPart[] = ['members', 'aggregate'];

/** A comment line every this often keeps proxies and the browser from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

const ANSWER = {
  description:
    'Per member: its event session and bar, the model, σ per slot, and per offset the bar, return, AR, SAR, CAR, CAR0, Z, p, ' +
    'the matched time-of-day band, outside, AV; the group aggregate (AAR, CAAR, CAAR0, csectT, stoufferZ, bmpT); asOf; statuses with reasons',
  schema: intradayResponseSchema,
};
const METHOD = 'The method is shared/methods/intraday.md (README, Methodology).';

for (const [base, query, scope] of [
  ['/api/events/:slug/intraday', eventIntradayQuery, 'event'],
  ['/api/intraday', adhocIntradayQuery, 'instant'],
] as const) {
  const params = scope === 'event' ? pathParams : undefined;
  const notFound = scope === 'event' ? 'Unknown event, group (not_found) or symbol (unknown_symbol)' : 'Unknown group or symbol';
  describeRoute({
    method: 'get',
    path: base,
    summary:
      scope === 'event'
        ? 'Intraday event study of an event: abnormal returns bar by bar'
        : 'Intraday event study of an instant ("what is happening now")',
    description:
      `${METHOD} Members: symbols and/or group${scope === 'event' ? "; neither: the instruments of the event's linked moves (400 when it has none)" : ''}. ` +
      'An event known by its date only gives every member the status no_event_time.',
    params,
    query,
    responses: { 200: ANSWER, 404: notFound },
  });
  for (const part of PARTS)
    describeRoute({
      method: 'get',
      path: `${base}/${part}.csv`,
      summary: `The intraday study's ${part}.csv`,
      params,
      query: query.extend({ bom: bomParam }),
      produces: 'text/csv',
      responses: { 200: `${part}.csv`, 404: notFound },
    });
  describeRoute({
    method: 'get',
    path: `${base}/stream`,
    summary: 'The intraday study live (Server-Sent Events)',
    description:
      'text/event-stream: on connect the study as it stands (event: study, id: its asOf, data: the JSON of the study), then one ' +
      'message each time stored bars change it: event: bars (data: {base, asOf, members, aggregateFrom, aggregate}: every member ' +
      'without the points before its `from` offset, whose later points replace the previous ones, and the aggregate from ' +
      '`aggregateFrom`; it applies to the study of the message whose id is `base`), or event: study when only the whole study ' +
      'says it. The id is the asOf, with ~n after it for a later update of the same asOf. A Last-Event-ID equal to the current ' +
      'id sends nothing until the next bar; equal to the previous one, the last bars message; else the study. ' +
      `A comment line every ${HEARTBEAT_MS / 1000} s.`,
    params,
    query,
    produces: 'text/event-stream',
    responses: { 200: 'event: study and event: bars messages', 404: notFound },
  });
}

/** The SSE messages of an update: the whole study, and what its new bars changed. */
const studyMessage = (u: IntradayUpdate): Buffer => Buffer.from(`event: study\nid: ${u.id}\ndata: ${u.json}\n\n`, 'utf8');
const barsMessage = (u: IntradayUpdate): Buffer => Buffer.from(`event: bars\nid: ${u.id}\ndata: ${u.bars}\n\n`, 'utf8');

export function intradayRoutes(ctx: AppContext): Router {
  const router = Router();
  const pool = ctx.db.pool;
  const hub = intradayHubOf(ctx);
  // one buffer per message of an update, shared by every client of the study
  const studies = new WeakMap<IntradayUpdate, Buffer>();
  const bars = new WeakMap<IntradayUpdate, Buffer>();
  const cached = (cache: WeakMap<IntradayUpdate, Buffer>, make: (u: IntradayUpdate) => Buffer) => (u: IntradayUpdate) => {
    let m = cache.get(u);
    if (!m) cache.set(u, (m = make(u)));
    return m;
  };
  const studyOf = cached(studies, studyMessage);
  const barsOf = cached(bars, barsMessage);

  /** The query; a CSV also takes bom. */
  const queryOf = (req: Request, adhoc: boolean, csv: boolean) => {
    if (!csv) return { q: parseIntradayQuery(req.query, adhoc), bom: false };
    const { bom, ...raw } = req.query;
    const checked = csvOnly.safeParse({ bom });
    if (!checked.success) throw validationError(checked.error, 'query parameter');
    return { q: parseIntradayQuery(raw, adhoc), bom: checked.data.bom };
  };

  const send = async (req: Request, res: Response, scope: IntradayScope, adhoc: boolean, part: IntradayCsvPart | null) => {
    const { q, bom } = queryOf(req, adhoc, part !== null);
    const resolved = await resolveIntraday(pool, scope, q, ctx.config);
    const name = scope.slug ?? `at-${resolved.instant.toISOString().replace(/[:.]/g, '')}`;
    const answer: ComputedAnswer = part === null ? { contentType: JSON_CONTENT_TYPE } : csvAnswer(intradayCsvFilename(name, part));
    await sendComputed(ctx.compute, req, res, answer, async () =>
      intradayComputeTask(await prepareIntradayJob(pool, resolved, new Date()), part ?? 'json', bom),
    );
  };

  const stream = async (req: Request, res: Response, scope: IntradayScope, adhoc: boolean) => {
    const q = parseIntradayQuery(req.query, adhoc);
    const lastId = req.get('Last-Event-ID');
    let open = true;
    // updates before the first message are in the study it sends
    let started = false;
    const sub = await hub.subscribe(
      scope,
      q,
      (u) => {
        if (open && started) res.write(u.bars === null ? studyOf(u) : barsOf(u));
      },
      true,
    );
    if (req.destroyed) {
      sub.unsubscribe();
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    // a client resuming with the current id has it already; one that missed only the last update gets its bars
    const current = sub.current;
    if (lastId !== current.id) res.write(current.bars !== null && lastId === current.base ? barsOf(current) : studyOf(current));
    started = true;
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const end = () => {
      if (!open) return;
      open = false;
      clearInterval(heartbeat);
      sub.unsubscribe();
      offClose();
    };
    // the app stopping ends the stream (the server's close would wait for it)
    const offClose = hub.onClose(() => {
      end();
      res.end();
    });
    req.once('close', end);
    res.once('close', end);
  };

  router.get('/events/:slug/intraday', ctx.compute.perClient, async (req, res) => {
    const { slug } = parseParams(req, pathParams);
    await send(req, res, { slug }, false, null);
  });
  router.get('/intraday', ctx.compute.perClient, async (req, res) => {
    await send(req, res, { slug: null }, true, null);
  });
  for (const part of PARTS) {
    router.get(`/events/:slug/intraday/${part}.csv`, ctx.compute.perClient, async (req, res) => {
      const { slug } = parseParams(req, pathParams);
      await send(req, res, { slug }, false, part);
    });
    router.get(`/intraday/${part}.csv`, ctx.compute.perClient, async (req, res) => {
      await send(req, res, { slug: null }, true, part);
    });
  }
  /**
   * A stream of a study that is live already costs no computation: only a viewer that starts one takes a place
   * in the per-client budget of heavy requests (200 viewers of one event from one address are fine).
   */
  const streamLimit =
    (adhoc: boolean): RequestHandler =>
    (req, res, next) => {
      try {
        const slug = adhoc ? null : parseParams(req, pathParams).slug;
        if (hub.isLive({ slug }, parseIntradayQuery(req.query, adhoc))) return next();
      } catch {
        // the handler answers the bad request
      }
      ctx.compute.perClient(req, res, next);
    };

  router.get('/events/:slug/intraday/stream', streamLimit(false), async (req, res) => {
    const { slug } = parseParams(req, pathParams);
    await stream(req, res, { slug }, false);
  });
  router.get('/intraday/stream', streamLimit(true), async (req, res) => {
    await stream(req, res, { slug: null }, true);
  });
  return router;
}

function csvAnswer(filename: string): ComputedAnswer {
  const { 'Content-Type': contentType, ...headers } = csvDownloadHeaders(filename);
  return { contentType, headers };
}
