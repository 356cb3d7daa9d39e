// HTTP: /api/groups (reads are open; writes need the admin token)
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context/appContext';
import { requireAdmin } from '../http/adminAuth';
import { parseBody, parseParams, slugParam, symbolParam } from '../http/validation';
import { describeRoute } from '../openapi/registry';
import { groupListResponse, groupResponse } from './groupContract';
import { changeGroup, createGroup, getGroup, presentGroup, removeGroup } from './groupWrites';
import { listGroups } from './groupStore';

const groupPathParams = z.object({ slug: slugParam });
const symbols = z.array(symbolParam).max(10_000);

const createGroupBody = z.strictObject({
  slug: slugParam,
  title: z.string().min(1).max(200),
  description: z.string().max(2000).nullable().optional(),
  symbols: symbols.default([]),
});

const updateGroupBody = z
  .strictObject({
    slug: slugParam.optional(),
    title: z.string().min(1).max(200).optional(),
    description: z.string().max(2000).nullable().optional(),
    symbols: symbols.optional().describe('replaces the members'),
    add: symbols.optional().describe('symbols to add at the end'),
    remove: symbols.optional().describe('symbols to remove'),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

const GROUP_SHAPE = { description: 'The group with its symbols', schema: groupResponse };

describeRoute({
  method: 'get',
  path: '/api/groups',
  summary: 'Instrument groups (the members of cross-sectional studies)',
  responses: { 200: { description: 'Every group with its symbols', schema: groupListResponse } },
});
describeRoute({
  method: 'get',
  path: '/api/groups/:slug',
  summary: 'One group with its symbols',
  params: groupPathParams,
  responses: { 200: GROUP_SHAPE, 404: 'Unknown group' },
});
describeRoute({
  method: 'post',
  path: '/api/groups',
  summary: 'Create a group of stored instruments',
  body: createGroupBody,
  admin: true,
  responses: { 201: GROUP_SHAPE, 404: 'Unknown symbol (unknown_symbol)', 409: 'The slug is taken' },
});
describeRoute({
  method: 'patch',
  path: '/api/groups/:slug',
  summary: 'Rename a group, or replace, add or remove its symbols',
  params: groupPathParams,
  body: updateGroupBody,
  admin: true,
  responses: { 200: GROUP_SHAPE, 404: 'Unknown group', 409: 'The new slug is taken' },
});
describeRoute({
  method: 'delete',
  path: '/api/groups/:slug',
  summary: 'Delete a group (its instruments stay)',
  params: groupPathParams,
  admin: true,
  responses: { 204: 'Deleted', 404: 'Unknown group' },
});

export function groupRoutes(ctx: AppContext): Router {
  const router = Router();
  const admin = requireAdmin(ctx.config.ADMIN_TOKEN);
  const pool = ctx.db.pool;

  router.get('/', async (_req, res) => {
    res.json({ groups: (await listGroups(pool)).map(presentGroup) });
  });
  router.get('/:slug', async (req, res) => {
    const { slug } = parseParams(req, groupPathParams);
    res.json({ group: presentGroup(await getGroup(pool, slug)) });
  });
  router.post('/', admin, async (req, res) => {
    const input = parseBody(req, createGroupBody);
    const group = await createGroup(pool, input);
    res
      .status(201)
      .location(`/api/groups/${group.slug}`)
      .json({ group: presentGroup(group) });
  });
  router.patch('/:slug', admin, async (req, res) => {
    const { slug } = parseParams(req, groupPathParams);
    const changes = parseBody(req, updateGroupBody);
    res.json({ group: presentGroup(await changeGroup(pool, slug, changes)) });
  });
  router.delete('/:slug', admin, async (req, res) => {
    const { slug } = parseParams(req, groupPathParams);
    await removeGroup(pool, slug);
    res.status(204).end();
  });
  return router;
}
