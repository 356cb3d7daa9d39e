// The request shapes of /api/subscriptions: the terms (what to follow, thresholds, mode), shared by subscribing
// and by the manage page, and the signed-link token.
import { z } from 'zod';
import { slugParam, symbolParam } from '../http/validation';

const symbolsField = z.union([
  z
    .string()
    .regex(/^all$/i)
    .transform(() => null),
  z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(symbolParam).min(1, 'must name at least one symbol, or be "all"').max(200)),
  z.array(symbolParam).min(1, 'must name at least one symbol, or be "all"').max(200),
]);

const email = z
  .string()
  .trim()
  .max(254, 'is too long')
  .pipe(z.email({ message: 'must be an email address' }));

/** symbols (a list, a comma list or "all"; omitted = all) or a group; thresholds; mode */
export const termsBody = z.strictObject({
  symbols: symbolsField.nullish().transform((v) => v ?? null),
  group: slugParam.nullish().transform((v) => v ?? null),
  minMovePct: z.number({ message: 'must be a number (percent)' }).gt(0, 'must be more than 0').max(100, 'must be at most 100').default(5),
  minAbnormalZ: z
    .number({ message: 'must be a number' })
    .gt(0, 'must be more than 0')
    .max(50, 'must be at most 50')
    .nullish()
    .transform((v) => v ?? null),
  mode: z.enum(['instant', 'digest'], { message: 'must be "instant" or "digest"' }).default('instant'),
});

export const subscribeBody = termsBody.extend({ email });

/** A new confirmation email: JSON from the dashboard, or the form of the page of an expired link. */
export const resendBody = z.object({ email });

export const tokenQuery = z.object({ token: z.string().min(1, 'is required').max(200) });
