// The wire shape of /api/subscriptions: zod schemas for the OpenAPI document and the response tests, and the
// types that the handlers use. The address is shown only to the admin.
import { z } from 'zod';

const symbols = z
  .union([z.array(z.string()), z.literal('all')])
  .describe('the symbols, or "all" (every tracked instrument); empty when it follows a group');
const group = z.string().nullable().describe('the slug of the group it follows (its members at the time of each alert), or null');
const mode = z.enum(['instant', 'digest']);
const kind = z
  .enum(['moves', 'intraday_move', 'shocks'])
  .describe("moves: each instrument's moves; intraday_move: a group's intraday abnormal move (CAAR0); shocks: a group's shocks");
const intradayCaarPct = z.number().nullable().describe('intraday_move: |CAAR0| in percent that alerts');
const intradayBmpT = z.number().nullable().describe('intraday_move: |bmpT| of CAAR0 that alerts');

const subscriptionSchema = z.strictObject({
  id: z.number().int(),
  email: z.string().optional().describe('admin only'),
  symbols,
  group,
  minMovePct: z.number().describe('percent'),
  minAbnormalZ: z.number().nullable(),
  mode,
  kind,
  intradayCaarPct,
  intradayBmpT,
  status: z.enum(['pending_confirmation', 'active', 'unsubscribed']),
  createdAt: z.iso.datetime(),
  confirmedAt: z.iso.datetime().nullable(),
  unsubscribedAt: z.iso.datetime().nullable(),
});

/** The same answer whether the address is new, pending or confirmed already: it tells nobody who subscribed. */
export const subscribeResponse = z.strictObject({
  subscription: z.strictObject({
    symbols,
    group,
    minMovePct: z.number(),
    minAbnormalZ: z.number().nullable(),
    mode,
    kind,
    intradayCaarPct,
    intradayBmpT,
  }),
  confirmation: z
    .enum(['queued', 'not_sent'])
    .describe(
      'queued: the confirmation email is on its way; not_sent: no email server is configured (email is off), so it waits in the outbox',
    ),
  message: z.string(),
});

export const subscriptionListResponse = z.strictObject({
  subscriptions: z.array(subscriptionSchema.extend({ alerts: z.number().int().describe('alerts made for it') })),
});

/** The JSON answer of the confirm, unsubscribe and manage links (a browser gets an HTML page from confirm and unsubscribe). */
export const subscriptionResponse = z.strictObject({ subscription: subscriptionSchema });

/** The answer of a request for a new confirmation email: the same whatever the address (it tells nobody who subscribed). */
export const resendResponse = z.strictObject({ message: z.string() });

export type Subscription = z.infer<typeof subscriptionSchema>;
export type SubscribeResponse = z.infer<typeof subscribeResponse>;
export type SubscriptionListResponse = z.infer<typeof subscriptionListResponse>;
export type SubscriptionResponse = z.infer<typeof subscriptionResponse>;
export type ResendResponse = z.infer<typeof resendResponse>;
