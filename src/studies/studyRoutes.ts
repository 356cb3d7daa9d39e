// HTTP: /api/studies (reads are open; writes need the admin token). Ad hoc runs at /api/studies/run with
// the same query string as their CSVs; saved studies computed from the stored bars on every read.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context/appContext';
import { bomParam, sendCsv } from '../http/csvResponse';
import { requireAdmin } from '../http/adminAuth';
import { parseBody, parseParams, parseQuery, slugParam } from '../http/validation';
import { describeRoute } from '../openapi/registry';
import { studyCsvExport, type StudyCsvPart } from './studyCsv';
import { createStudyBody, selectionOf, updateStudyBody } from './studyBodies';
import { studyListResponseSchema, studyResponseSchema } from './studyContract';
import { parseRunQuery, parseStudyOptions, studyRunQuery } from './studyParams';
import { changeStudy, createStudy, listStudies, presentStudy, removeStudy, runSavedStudy, runStudy } from './studyRuns';

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

export function studyRoutes(ctx: AppContext): Router {
  const router = Router();
  const admin = requireAdmin(ctx.config.ADMIN_TOKEN);
  const pool = ctx.db.pool;

  const adHoc = async (req: Request) => {
    const { selection, how } = parseRunQuery(req.query, 'query parameter');
    return runStudy(pool, selection, how);
  };

  router.get('/', async (_req, res) => {
    res.json({ studies: (await listStudies(pool)).map(presentStudy) });
  });
  router.get('/run', async (req, res) => {
    res.json({ study: null, ...(await adHoc(req)) });
  });
  for (const part of ['members', 'aggregate'] as StudyCsvPart[]) {
    router.get(`/run/${part}.csv`, async (req, res) => {
      const { bom } = parseQuery(req, runCsvQuery);
      const { bom: _bom, ...raw } = req.query;
      const { selection, how } = parseRunQuery(raw, 'query parameter');
      await sendCsv(req, res, studyCsvExport(await runStudy(pool, selection, how), 'run', part, bom));
    });
    router.get(`/:slug/${part}.csv`, async (req, res) => {
      const { slug } = parseParams(req, studyPathParams);
      const { bom } = parseQuery(req, csvQuery);
      await sendCsv(req, res, studyCsvExport(await runSavedStudy(pool, slug), slug, part, bom));
    });
  }
  router.get('/:slug', async (req, res) => {
    const { slug } = parseParams(req, studyPathParams);
    res.json(await runSavedStudy(pool, slug));
  });
  router.post('/', admin, async (req, res) => {
    const body = parseBody(req, createStudyBody);
    const input = {
      slug: body.slug,
      title: body.title,
      description: body.description ?? null,
      selection: selectionOf(body),
      parameters: body.parameters ?? {},
    };
    // run before saving: a study whose run fails is not saved (its GET would fail for ever)
    const result = await runStudy(pool, input.selection, parseStudyOptions(input.parameters));
    const saved = await createStudy(pool, input);
    res
      .status(201)
      .location(`/api/studies/${saved.slug}`)
      .json({ study: presentStudy(saved), ...result });
  });
  router.patch('/:slug', admin, async (req, res) => {
    const { slug } = parseParams(req, studyPathParams);
    const body = parseBody(req, updateStudyBody);
    const touchesSelection = ['group', 'symbols', 'events', 'dates', 'members'].some((k) => k in body);
    const saved = await changeStudy(pool, slug, {
      slug: body.slug,
      title: body.title,
      description: body.description,
      selection: touchesSelection ? selectionOf(body) : undefined,
      parameters: body.parameters,
    });
    res.json(await runSavedStudy(pool, saved.slug));
  });
  router.delete('/:slug', admin, async (req, res) => {
    const { slug } = parseParams(req, studyPathParams);
    await removeStudy(pool, slug);
    res.status(204).end();
  });
  return router;
}
