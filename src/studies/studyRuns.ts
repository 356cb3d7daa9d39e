// Runs a cross-sectional study over the stored bars (the engine is src/analysis/crossSection; no formula
// lives here), and the saved studies' writes with their checks.
import type pg from 'pg';
import { runCrossSectionStudy, type CrossSectionStudy } from '../analysis';
import { AppError, notFound } from '../errors/appError';
import { checkStudyMembers, expandSelection, loadStudyInputs, type StudySelection } from './studyMembers';
import { parseStudyOptions, type StudyOptions } from './studyParams';
import { deleteStudy, findStudy, insertStudy, listStudies, replaceStudy, type StudyInput, type StudyRow } from './studyStore';

export interface StudyResult extends CrossSectionStudy {
  /** the saved study, or null for an ad hoc run */
  study: ReturnType<typeof presentStudy> | null;
  /** the override for every member, or null when each uses its own (or its listed) benchmark */
  benchmark: string | null;
}

export function presentStudy(s: StudyRow) {
  return {
    slug: s.slug,
    title: s.title,
    description: s.description,
    selection: s.selection,
    parameters: s.parameters,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/** The study of `selection` with `how`, from the bars stored now. */
export async function runStudy(pool: pg.Pool, selection: StudySelection, how: StudyOptions): Promise<Omit<StudyResult, 'study'>> {
  const resolved = await expandSelection(pool, selection);
  const { inputs, unplaceable } = await loadStudyInputs(pool, resolved, how.benchmark, how);
  const study = runCrossSectionStudy(inputs, how.options);
  for (const [k, reason] of unplaceable) {
    study.members[k] = { ...study.members[k], status: 'no_data', statusReason: reason };
  }
  return { ...study, benchmark: how.benchmark };
}

async function getStudy(pool: pg.Pool, slug: string): Promise<StudyRow> {
  const study = await findStudy(pool, slug);
  if (!study) throw notFound(`Unknown study ${slug}`);
  return study;
}

export async function runSavedStudy(pool: pg.Pool, slug: string): Promise<StudyResult> {
  const saved = await getStudy(pool, slug);
  const result = await runStudy(pool, saved.selection, parseStudyOptions(saved.parameters));
  return { study: presentStudy(saved), ...result };
}

/** Checks that the members resolve (unknown events, groups, symbols are 400s) before anything is stored. */
async function checkSelection(pool: pg.Pool, input: StudyInput): Promise<void> {
  await checkStudyMembers(pool, await expandSelection(pool, input.selection), parseStudyOptions(input.parameters).benchmark);
}

export async function createStudy(pool: pg.Pool, input: StudyInput): Promise<StudyRow> {
  await checkSelection(pool, input);
  if (!(await insertStudy(pool, input))) throw new AppError(409, 'conflict', `The study slug ${input.slug} is taken`);
  return getStudy(pool, input.slug);
}

export async function changeStudy(pool: pg.Pool, slug: string, changes: Partial<StudyInput>): Promise<StudyRow> {
  const current = await getStudy(pool, slug);
  const next: StudyInput = {
    slug: changes.slug ?? current.slug,
    title: changes.title ?? current.title,
    description: changes.description !== undefined ? changes.description : current.description,
    selection: changes.selection ?? current.selection,
    parameters: changes.parameters ?? current.parameters,
  };
  await checkSelection(pool, next);
  const outcome = await replaceStudy(pool, slug, next);
  if (outcome === 'missing') throw notFound(`Unknown study ${slug}`);
  if (outcome === 'taken') throw new AppError(409, 'conflict', `The study slug ${next.slug} is taken`);
  return getStudy(pool, next.slug);
}

export async function removeStudy(pool: pg.Pool, slug: string): Promise<void> {
  if (!(await deleteStudy(pool, slug))) throw notFound(`Unknown study ${slug}`);
}

export { listStudies };
