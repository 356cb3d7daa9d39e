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

/** A threshold of an intraday_move subscription: more than 0, at most `max`; omitted = not used. */
const intradayThreshold = (max: number) =>
  z
    .number({ message: 'must be a number' })
    .gt(0, 'must be more than 0')
    .max(max, `must be at most ${max}`)
    .nullish()
    .transform((v) => v ?? null);

/** symbols (a list, a comma list or "all"; omitted = all) or a group; what it follows (kind); thresholds; mode */
const termsFields = z.strictObject({
  symbols: symbolsField.nullish().transform((v) => v ?? null),
  group: slugParam.nullish().transform((v) => v ?? null),
  kind: z
    .enum(['moves', 'intraday_move', 'shocks'], { message: 'must be "moves", "intraday_move" or "shocks"' })
    .default('moves')
    .describe(
      "moves: each instrument's moves; intraday_move: a group's intraday abnormal move (CAAR0) in a session; shocks: a group's shocks",
    ),
  minMovePct: z.number({ message: 'must be a number (percent)' }).gt(0, 'must be more than 0').max(100, 'must be at most 100').default(5),
  minAbnormalZ: z
    .number({ message: 'must be a number' })
    .gt(0, 'must be more than 0')
    .max(50, 'must be at most 50')
    .nullish()
    .transform((v) => v ?? null),
  intradayCaarPct: intradayThreshold(100).describe('intraday_move: alert when |CAAR0| reaches this many percent'),
  intradayBmpT: intradayThreshold(50).describe('intraday_move: alert when |bmpT| of CAAR0 reaches this'),
  mode: z.enum(['instant', 'digest'], { message: 'must be "instant" or "digest"' }).default('instant'),
});

type TermsFields = z.output<typeof termsFields>;

/** What the kinds need: a group (intraday_move, shocks), one intraday threshold, an instant mode. */
function checkKind(t: TermsFields, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (t.kind === 'moves') {
    if (t.intradayCaarPct !== null) issue('intradayCaarPct', 'is only for kind "intraday_move"');
    if (t.intradayBmpT !== null) issue('intradayBmpT', 'is only for kind "intraday_move"');
    return;
  }
  if (t.group === null) issue('group', `is required for kind "${t.kind}" (the group to follow)`);
  if (t.symbols !== null) issue('symbols', `is not used by kind "${t.kind}": give a group`);
  if (t.mode !== 'instant') issue('mode', `must be "instant" for kind "${t.kind}" (an email as it happens)`);
  if (t.kind === 'shocks') {
    if (t.intradayCaarPct !== null || t.intradayBmpT !== null) issue('intradayCaarPct', 'is only for kind "intraday_move"');
  } else if ((t.intradayCaarPct === null) === (t.intradayBmpT === null))
    issue('intradayCaarPct', 'give either intradayCaarPct (percent) or intradayBmpT for kind "intraday_move", not both or neither');
}

export const termsBody = termsFields.superRefine(checkKind);

export const subscribeBody = termsFields.extend({ email }).superRefine(checkKind);

/** A new confirmation email: JSON from the dashboard, or the form of the page of an expired link. */
export const resendBody = z.object({ email });

export const tokenQuery = z.object({ token: z.string().min(1, 'is required').max(200) });
