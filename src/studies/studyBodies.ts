// JSON bodies of POST/PATCH /api/studies: a slug and title, the members (group/symbols crossed with
// events or dates, and/or listed one by one) and the parameters (the query-string options).
import { z } from 'zod';
import { isoDate, slugParam, symbolParam } from '../http/validation';
import { MAX_MEMBERS, type MemberSpec, type StudySelection } from './studyMembers';
import { studyParametersBody } from './studyParams';

const studySlug = slugParam.refine((s) => s !== 'run', 'run is reserved (GET /api/studies/run)');
const eventToken = z.string().regex(/^(?:kind:[A-Za-z0-9_.-]{1,60}|[a-z0-9]+(?:-[a-z0-9]+)*)$/, 'must be an event slug or kind:KIND');

const memberBody = z
  .strictObject({
    symbol: symbolParam,
    event: slugParam.nullable().optional(),
    date: isoDate.nullable().optional(),
    subgroup: z.string().min(1).max(100).nullable().optional(),
    benchmark: symbolParam.nullable().optional(),
  })
  .refine((m) => (m.event ? 1 : 0) + (m.date ? 1 : 0) === 1, { message: 'give exactly one of event and date', path: ['event'] });

const selectionShape = {
  group: slugParam.nullable().optional(),
  symbols: z.array(symbolParam).max(MAX_MEMBERS).nullable().optional(),
  events: z.array(eventToken).max(200).nullable().optional(),
  dates: z.array(isoDate).max(200).nullable().optional(),
  members: z.array(memberBody).max(MAX_MEMBERS).nullable().optional(),
};

export const createStudyBody = z.strictObject({
  slug: studySlug,
  title: z.string().min(1).max(200),
  description: z.string().max(2000).nullable().optional(),
  ...selectionShape,
  parameters: studyParametersBody.optional().describe('the options of GET /api/studies/run, e.g. {"window": "-5,10", "model": "market"}'),
});

export const updateStudyBody = z
  .strictObject({
    slug: studySlug.optional(),
    title: z.string().min(1).max(200).optional(),
    description: z.string().max(2000).nullable().optional(),
    ...selectionShape,
    parameters: studyParametersBody.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

type SelectionFields = { [K in keyof typeof selectionShape]?: z.output<(typeof selectionShape)[K]> };

export function selectionOf(body: SelectionFields): StudySelection {
  const members = body.members?.map(
    (m): MemberSpec => ({
      symbol: m.symbol,
      event: m.event ?? null,
      date: m.date ?? null,
      subgroup: m.subgroup ?? null,
      benchmark: m.benchmark ?? null,
    }),
  );
  return {
    group: body.group ?? null,
    symbols: body.symbols ?? null,
    events: body.events ?? null,
    dates: body.dates ?? null,
    members: members ?? null,
  };
}
