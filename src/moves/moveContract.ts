// The wire shape of /api/moves (and of the moves an event lists): zod schemas for the OpenAPI document and the
// response tests, and the types that the handlers, the dashboard and the tests use.
import { z } from 'zod';

const origin = z.enum(['auto', 'manual']).describe('auto: linked by detection; manual: decided by hand');
const offset = z.number().int().describe("the move's session offset from the event's day 0");

/** An event a move is linked to, with the move's session offset from that event's day 0. */
const linkedEventSchema = z.strictObject({ slug: z.string(), title: z.string(), offset, origin });

/** A detected move: move, return and abnormalReturn are fractions (-0.1697 = -16.97%); z = AR / residual sigma. */
const moveSchema = z.strictObject({
  id: z.number().int(),
  symbol: z.string(),
  date: z.iso.date().describe("session date on the instrument's exchange"),
  move: z.number().describe('close-to-close change as a fraction'),
  return: z.number().nullable(),
  abnormalReturn: z.number().nullable(),
  z: z.number().nullable(),
  rule: z.string().describe('move | abnormal | both'),
  detectedAt: z.iso.datetime(),
  events: z.array(linkedEventSchema).describe('linked events, oldest first'),
});

/** News near a move: published shortly before or after it, naming the symbol or none. */
const candidateNewsSchema = z.strictObject({
  url: z.string(),
  title: z.string(),
  publisher: z.string().nullable(),
  publishedAt: z.iso.datetime(),
  dateOnly: z.boolean(),
  kind: z.string().nullable(),
  source: z.string(),
  symbols: z.array(z.string()),
  eventSlugs: z.array(z.string()).describe('events this news item is attached to already'),
});

const moveDetailSchema = moveSchema.extend({
  unlinkedEvents: z.array(linkedEventSchema).describe('events a person unlinked from this move'),
  candidateNews: z.array(candidateNewsSchema),
});

/** A move as an event lists it: with its offset from this event's day 0. */
export const eventMoveSchema = z.strictObject({
  id: z.number().int(),
  symbol: z.string(),
  date: z.iso.date(),
  move: z.number(),
  abnormalReturn: z.number().nullable(),
  z: z.number().nullable(),
  rule: z.string(),
  offset,
  origin,
});

export const moveListResponse = z.strictObject({ moves: z.array(moveSchema) });
export const moveResponse = z.strictObject({ move: moveDetailSchema });

export type DetectedMove = z.infer<typeof moveSchema>;
export type MoveDetail = z.infer<typeof moveDetailSchema>;
export type EventMove = z.infer<typeof eventMoveSchema>;
export type MoveListResponse = z.infer<typeof moveListResponse>;
export type MoveResponse = z.infer<typeof moveResponse>;
