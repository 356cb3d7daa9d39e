// HTTP: /api/studies (reads are open; writes need the admin token). Ad hoc runs at /api/studies/run with
// the same query string as their CSVs; saved studies computed from the stored bars on every read.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context/appContext';
import { bomParam, csvDownloadHeaders } from '../http/csvResponse';
import { transferListOf } from '../compute/barColumns';
import { JSON_CONTENT_TYPE, type ComputedAnswer } from '../compute/computePool';
import { readWatermark, type DataDependencies } from '../bars/barVersions';
import { requireAdmin } from '../http/adminAuth';
import { parseBody, parseParams, parseQuery, slugParam } from '../http/validation';
import { describeRoute } from '../openapi/registry';
import { studyCsvFilename, type StudyCsvPart } from './studyCsv';
import { createStudyBody, selectionOf, updateStudyBody } from './studyBodies';
import { studyListResponseSchema, studyResponseSchema } from './studyContract';
import { prepareStudyJob, type StudySelection } from './studyMembers';
import { parseRunQuery, parseStudyOptions, studyRunQuery, type StudyOptions } from './studyParams';
import { changeStudy, createStudy, getStudy, listStudies, presentStudy, removeStudy, resolveStudy, type StudyResult } from './studyRuns';
import type { StudyTask } from './studyTask';

const studyPathParams = z.object({ slug: slugParam });
const csvQuery = z.strictObject({ bom: bomParam });
const runCsvQuery = z.strictObject({ ...studyRunQuery.shape, bom: bomParam });

const ANSWER = {
  description: 'Every member (model, days, CARs, status), the aggregate with the test battery, one aggregate per subgroup',
  schema: studyResponseSchema,
};

describeRoute({
  method: 'get',
  path: '/api/studies',
  summary: 'Saved cross-sectional studies',
  responses: { 200: { description: 'The saved studies (members and parameters, no results)', schema: studyListResponseSchema } },
});
describeRoute({
  method: 'get',
  path: '/api/studies/run',
  summary: 'Run a cross-sectional event study ad hoc: AAR/CAAR with the test battery',
  description:
    'Members: symbols and/or group crossed with events (slugs or kind:KIND) or dates. Every option of the methods table ' +
    '(shared/methods/cross-section.md). Members without enough history are listed with their status.',
  query: studyRunQuery,
  responses: { 200: ANSWER },
});
for (const part of ['members', 'aggregate'] as const) {
  describeRoute({
    method: 'get',
    path: `/api/studies/run/${part}.csv`,
    summary: `The ad hoc study's ${part}.csv`,
    query: runCsvQuery,
    produces: 'text/csv',
    responses: { 200: `${part}.csv` },
  });
  describeRoute({
    method: 'get',
    path: `/api/studies/:slug/${part}.csv`,
    summary: `A saved study's ${part}.csv`,
    params: studyPathParams,
    query: csvQuery,
    produces: 'text/csv',
    responses: { 200: `${part}.csv`, 404: 'Unknown study' },
  });
}
describeRoute({
  method: 'get',
  path: '/api/studies/:slug',
  summary: 'A saved study, computed from the stored bars now',
  params: studyPathParams,
  responses: { 200: ANSWER, 404: 'Unknown study' },
});
describeRoute({
  method: 'post',
  path: '/api/studies',
  summary: 'Save a study (members and parameters)',
  body: createStudyBody,
  admin: true,
  responses: { 201: ANSWER, 409: 'The slug is taken' },
});
describeRoute({
  method: 'patch',
  path: '/api/studies/:slug',
  summary: 'Change a saved study',
  params: studyPathParams,
  body: updateStudyBody,
  admin: true,
  responses: { 200: ANSWER, 404: 'Unknown study', 409: 'The new slug is taken' },
});
describeRoute({
  method: 'delete',
  path: '/api/studies/:slug',
  summary: 'Delete a saved study',
  params: studyPathParams,
  admin: true,
  responses: { 204: 'Deleted', 404: 'Unknown study' },
});

/**
 * What a study's answer depends on, for the result cache: its members come from groups, events and instruments,
 * their benchmarks from the instruments, a factor model's factors from factor_returns, so the daily bars of every symbol are its watermark (coarser than one
 * impact's, still one small query).
 */
const STUDY_DEPENDENCIES: DataDependencies = {
  tables: ['events', 'instruments', 'instrument_groups', 'instrument_group_members', 'factor_returns'],
  bars: { interval: '1d', symbols: null },
};

interface StudyRun {
  selection: StudySelection;
  how: StudyOptions;
  study: StudyResult['study'];
  format: StudyTask['format'];
  bom: boolean;
  answer: ComputedAnswer;
}

export function studyRoutes(ctx: AppContext): Router {
  const router = Router();
  const admin = requireAdmin(ctx.config.ADMIN_TOKEN);
  const pool = ctx.db.pool;
  const limits = ctx.config;
  const perClient = ctx.compute.perClient;

  /** The members checked against the budget (400s at once, no bar read), then the study in a compute worker, streamed. */
  const sendStudy = async (req: Request, res: Response, run: StudyRun) => {
    const { selection, how, study, format, bom, answer } = run;
    const request = {
      route: 'studies',
      // the answer's status and headers too: a POST's 201 (Location) is not what a GET of the same study answers
      key: `study ${JSON.stringify({ selection, how, study, format, bom, answer })}`,
      early: { tables: STUDY_DEPENDENCIES.tables },
      watermark: (deps: DataDependencies) => readWatermark(pool, deps),
    };
    await ctx.resultCache.send(ctx.compute, req, res, request, async () => {
      const resolved = await resolveStudy(pool, run.selection, run.how, limits);
      return {
        deps: STUDY_DEPENDENCIES,
        answer: run.answer,
        prepare: async () => {
          const job = await prepareStudyJob(pool, resolved, run.how.benchmark, run.how);
          const task: Omit<StudyTask, 'port'> = { job, how: run.how, study: run.study, format: run.format, bom: run.bom };
          return { name: 'study', payload: task, transfer: transferListOf(job.bars.values()) };
        },
      };
    });
  };
  const sendSaved = async (req: Request, res: Response, slug: string, format: StudyRun['format'], bom: boolean, answer: ComputedAnswer) => {
    const saved = await getStudy(pool, slug);
    const how = parseStudyOptions(saved.parameters);
    await sendStudy(req, res, { selection: saved.selection, how, study: presentStudy(saved), format, bom, answer });
  };
  const json = (status = 200, headers: Record<string, string> = {}): ComputedAnswer => ({
    contentType: JSON_CONTENT_TYPE,
    status,
    headers,
  });
  const csv = (name: string, part: StudyCsvPart): ComputedAnswer => {
    const { 'Content-Type': contentType, ...headers } = csvDownloadHeaders(studyCsvFilename(name, part));
    return { contentType, headers };
  };

  router.get('/', async (_req, res) => {
    res.json({ studies: (await listStudies(pool)).map(presentStudy) });
  });
  router.get('/run', perClient, async (req, res) => {
    const { selection, how } = parseRunQuery(req.query, 'query parameter');
    await sendStudy(req, res, { selection, how, study: null, format: 'json', bom: false, answer: json() });
  });
  for (const part of ['members', 'aggregate'] as StudyCsvPart[]) {
    router.get(`/run/${part}.csv`, perClient, async (req, res) => {
      const { bom } = parseQuery(req, runCsvQuery);
      const { bom: _bom, ...raw } = req.query;
      const { selection, how } = parseRunQuery(raw, 'query parameter');
      await sendStudy(req, res, { selection, how, study: null, format: part, bom, answer: csv('run', part) });
    });
    router.get(`/:slug/${part}.csv`, perClient, async (req, res) => {
      const { slug } = parseParams(req, studyPathParams);
      const { bom } = parseQuery(req, csvQuery);
      await sendSaved(req, res, slug, part, bom, csv(slug, part));
    });
  }
  router.get('/:slug', perClient, async (req, res) => {
    const { slug } = parseParams(req, studyPathParams);
    await sendSaved(req, res, slug, 'json', false, json());
  });
  router.post('/', admin, async (req, res) => {
    const body = parseBody(req, createStudyBody);
    const saved = await createStudy(
      pool,
      {
        slug: body.slug,
        title: body.title,
        description: body.description ?? null,
        selection: selectionOf(body),
        parameters: body.parameters ?? {},
      },
      limits,
    );
    try {
      await sendSaved(req, res, saved.slug, 'json', false, json(201, { Location: `/api/studies/${saved.slug}` }));
    } catch (err) {
      // a study whose run fails before its answer starts is not kept (its GET would fail for ever)
      if (!res.headersSent) await removeStudy(pool, saved.slug).catch(() => undefined);
      throw err;
    }
  });
  router.patch('/:slug', admin, async (req, res) => {
    const { slug } = parseParams(req, studyPathParams);
    const body = parseBody(req, updateStudyBody);
    const touchesSelection = ['group', 'symbols', 'events', 'dates', 'members'].some((k) => k in body);
    const saved = await changeStudy(
      pool,
      slug,
      {
        slug: body.slug,
        title: body.title,
        description: body.description,
        selection: touchesSelection ? selectionOf(body) : undefined,
        parameters: body.parameters,
      },
      limits,
    );
    await sendSaved(req, res, saved.slug, 'json', false, json());
  });
  router.delete('/:slug', admin, async (req, res) => {
    const { slug } = parseParams(req, studyPathParams);
    await removeStudy(pool, slug);
    res.status(204).end();
  });
  return router;
}
