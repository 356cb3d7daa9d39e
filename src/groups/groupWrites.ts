// Group writes with their checks (every symbol a stored instrument), shared by the routes and the CLI.
import type pg from 'pg';
import { AppError, notFound, unknownSymbolError } from '../errors/appError';
import { unknownSymbols } from '../instruments/instrumentStore';
import { deleteGroup, findGroup, insertGroup, updateGroup, type GroupChanges, type GroupInput, type GroupRow } from './groupStore';

export function presentGroup(g: GroupRow) {
  return { slug: g.slug, title: g.title, description: g.description, symbols: g.symbols, createdAt: g.createdAt, updatedAt: g.updatedAt };
}

async function assertKnown(pool: pg.Pool, symbols: readonly string[], param: string): Promise<void> {
  const unknown = await unknownSymbols(pool, [...new Set(symbols)]);
  if (unknown.length === 0) return;
  throw unknownSymbolError(unknown, param);
}

export async function getGroup(pool: pg.Pool, slug: string): Promise<GroupRow> {
  const group = await findGroup(pool, slug);
  if (!group) throw notFound(`Unknown group ${slug}`);
  return group;
}

export async function createGroup(pool: pg.Pool, input: GroupInput): Promise<GroupRow> {
  await assertKnown(pool, input.symbols, 'symbols');
  if (!(await insertGroup(pool, { ...input, symbols: [...new Set(input.symbols)] }))) {
    throw new AppError(409, 'conflict', `The group slug ${input.slug} is taken`);
  }
  return getGroup(pool, input.slug);
}

export async function changeGroup(pool: pg.Pool, slug: string, changes: GroupChanges): Promise<GroupRow> {
  await assertKnown(pool, [...(changes.symbols ?? []), ...(changes.add ?? [])], changes.symbols ? 'symbols' : 'add');
  const outcome = await updateGroup(pool, slug, changes);
  if (outcome === 'missing') throw notFound(`Unknown group ${slug}`);
  if (outcome === 'taken') throw new AppError(409, 'conflict', `The group slug ${changes.slug} is taken`);
  return getGroup(pool, changes.slug ?? slug);
}

export async function removeGroup(pool: pg.Pool, slug: string): Promise<void> {
  if (!(await deleteGroup(pool, slug))) throw notFound(`Unknown group ${slug}`);
}
