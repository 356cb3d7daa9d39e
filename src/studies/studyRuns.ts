// Runs a cross-sectional study over the stored bars (the engine is src/analysis/crossSection; no formula
// lives here), and the saved studies' writes with their checks.
import type pg from 'pg';
import { resolveCrossSectionOptions, runCrossSectionStudy, type CrossSectionStudy } from '../analysis';
import { checkBudget, sessionsBetween, type BudgetLimits, type RequestCost } from '../compute/budget';
import { AppError, notFound } from '../errors/appError';
import {
  checkStudyMembers,
  expandSelection,
  prepareStudyJob,
  studyInputsOf,
  type ResolvedMembers,
  type StudyJob,
  type StudySelection,
} from './studyMembers';
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

/** The cost of a study for the budget (src/compute/budget.ts), from its members and options, before any bar is read. */
function studyCost(resolved: ResolvedMembers, how: StudyOptions): RequestCost {
  const { window, estimation, estimationDates } = resolveCrossSectionOptions(how.options);
  return {
    members: resolved.specs.length,
    memberParams: resolved.memberParams,
    membersText: resolved.membersText,
    windowSessions: window[1] - window[0] + 1,
    estimationSessions: estimationDates ? sessionsBetween(estimationDates[0], estimationDates[1]) : estimation[1] - estimation[0] + 1,
    estimationParam: estimationDates ? 'estimationDates' : 'estimation',
    memberCap: true,
  };
}

/** The members of `selection`, checked against `limits` when given (the HTTP routes; the CLI runs without). */
export async function resolveStudy(
  pool: pg.Pool,
  selection: StudySelection,
  how: StudyOptions,
  limits: BudgetLimits | null,
): Promise<ResolvedMembers> {
  const resolved = await expandSelection(pool, selection);
  if (limits) checkBudget(studyCost(resolved, how), limits);
  return resolved;
}

/** The engine over a job's bars (in a compute worker, or in the CLI's own process). */
export function computeStudy(job: StudyJob, how: StudyOptions): Omit<StudyResult, 'study'> {
  const study = runCrossSectionStudy(studyInputsOf(job), how.options);
  for (const [k, reason] of job.unplaceable) {
    study.members[k] = { ...study.members[k], status: 'no_data', statusReason: reason };
  }
  return { ...study, benchmark: how.benchmark };
}

/** The study of `selection` with `how`, from the bars stored now, in this process (the CLI). */
export async function runStudy(pool: pg.Pool, selection: StudySelection, how: StudyOptions): Promise<Omit<StudyResult, 'study'>> {
  const resolved = await resolveStudy(pool, selection, how, null);
  return computeStudy(await prepareStudyJob(pool, resolved, how.benchmark, how), how);
}

export async function getStudy(pool: pg.Pool, slug: string): Promise<StudyRow> {
  const study = await findStudy(pool, slug);
  if (!study) throw notFound(`Unknown study ${slug}`);
  return study;
}

export async function runSavedStudy(pool: pg.Pool, slug: string): Promise<StudyResult> {
  const saved = await getStudy(pool, slug);
  const result = await runStudy(pool, saved.selection, parseStudyOptions(saved.parameters));
  return { study: presentStudy(saved), ...result };
}

/** Checks that the members resolve (unknown events, groups, symbols are 400s) and fit `limits`, before anything is stored. */
async function checkSelection(pool: pg.Pool, input: StudyInput, limits: BudgetLimits | null): Promise<void> {
  const how = parseStudyOptions(input.parameters);
  await checkStudyMembers(pool, await resolveStudy(pool, input.selection, how, limits), how.benchmark);
}

export async function createStudy(pool: pg.Pool, input: StudyInput, limits: BudgetLimits | null = null): Promise<StudyRow> {
  await checkSelection(pool, input, limits);
  if (!(await insertStudy(pool, input))) throw new AppError(409, 'conflict', `The study slug ${input.slug} is taken`);
  return getStudy(pool, input.slug);
}

export async function changeStudy(
  pool: pg.Pool,
  slug: string,
  changes: Partial<StudyInput>,
  limits: BudgetLimits | null = null,
): Promise<StudyRow> {
  const current = await getStudy(pool, slug);
  const next: StudyInput = {
    slug: changes.slug ?? current.slug,
    title: changes.title ?? current.title,
    description: changes.description !== undefined ? changes.description : current.description,
    selection: changes.selection ?? current.selection,
    parameters: changes.parameters ?? current.parameters,
  };
  await checkSelection(pool, next, limits);
  const outcome = await replaceStudy(pool, slug, next);
  if (outcome === 'missing') throw notFound(`Unknown study ${slug}`);
  if (outcome === 'taken') throw new AppError(409, 'conflict', `The study slug ${next.slug} is taken`);
  return getStudy(pool, next.slug);
}

export async function removeStudy(pool: pg.Pool, slug: string): Promise<void> {
  if (!(await deleteStudy(pool, slug))) throw notFound(`Unknown study ${slug}`);
}

export { listStudies };
