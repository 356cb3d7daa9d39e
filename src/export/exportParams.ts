// The parameters of every export, as zod schemas over query-string values: the HTTP routes and the CLI
// (which maps its options onto the same names) validate with the same rules and the same messages.
import { z } from 'zod';
import { validationError } from '../errors/appError';
import { bomParam } from '../http/csvResponse';
import { barInterval, isoDate, symbolList } from '../http/validation';
import { impactQuerySchema, type ImpactQuery } from '../impact/impactParams';

const fromNotAfterTo = [
  (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to,
  { message: 'must not be after to', path: ['from'] },
] as [(q: { from?: string; to?: string }) => boolean, { message: string; path: string[] }];

export const barsExportParams = z
  .strictObject({
    symbols: symbolList,
    from: isoDate.optional(),
    to: isoDate.optional(),
    interval: barInterval.default('1d'),
    bom: bomParam,
  })
  .refine(...fromNotAfterTo);
export type BarsExportParams = z.infer<typeof barsExportParams>;

export const movesExportParams = z
  .strictObject({
    /** one symbol or a comma-separated list, as GET /api/moves takes it */
    symbol: symbolList.optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** smallest |move| in percent (5 = 5%), the unit of move detection's threshold */
    min: z
      .string()
      .regex(/^\d{1,3}(\.\d{1,6})?$/, 'must be a percentage such as 5 or 7.5')
      .transform(Number)
      .pipe(z.number().max(100, 'must be at most 100'))
      .optional(),
    bom: bomParam,
  })
  .refine(...fromNotAfterTo);
export type MovesExportParams = z.infer<typeof movesExportParams>;

export const eventsExportParams = z.strictObject({ bom: bomParam });
export type EventsExportParams = z.infer<typeof eventsExportParams>;

/**
 * The impact export takes the impact API's own parameters (its schema, its defaults, its messages) plus bom;
 * any other parameter is refused, as on the other exports.
 */
export const impactExportQuery = z.strictObject({ ...impactQuerySchema.in.shape, bom: bomParam });

export interface ImpactExportParams {
  impact: ImpactQuery;
  bom: boolean;
}

export function parseImpactExportParams(query: Record<string, unknown>, where: string): ImpactExportParams {
  const checked = impactExportQuery.safeParse(query);
  if (!checked.success) throw validationError(checked.error, where);
  const { bom: _bom, ...impactParams } = query;
  const impact = impactQuerySchema.safeParse(impactParams);
  if (!impact.success) throw validationError(impact.error, where);
  return { impact: impact.data, bom: checked.data.bom };
}
