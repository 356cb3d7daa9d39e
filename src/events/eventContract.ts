// The wire shape of /api/events: zod schemas for the OpenAPI document and the response tests, and the types
// that the handlers, the dashboard and the tests use. Instants are ISO strings; a date-only event has none.
import { z } from 'zod';
import { eventMoveSchema } from '../moves/moveContract';

export const eventSchema = z.strictObject({
  slug: z.string(),
  title: z.string(),
  occurredAt: z.iso.datetime().nullable().describe('null when the event is date-only'),
  date: z.iso.date().describe('UTC date of the event'),
  dateOnly: z.boolean(),
  kind: z.string(),
  description: z.string().nullable(),
});

const eventListItemSchema = eventSchema.extend({ newsCount: z.number().int() });

const newsItemSchema = z.strictObject({
  url: z.string(),
  title: z.string(),
  publisher: z.string().nullable(),
  publishedAt: z.iso.datetime().nullable().describe('null when the item is date-only'),
  date: z.iso.date(),
  dateOnly: z.boolean(),
  kind: z.string().nullable(),
  role: z.string().optional().describe('source | coverage'),
});

const eventDetailSchema = eventSchema.extend({
  news: z.array(newsItemSchema).describe('sources first, then coverage in time order'),
  moves: z.array(eventMoveSchema).describe('linked moves with their session offset from day 0'),
});

export const eventListResponse = z.strictObject({ events: z.array(eventListItemSchema) });
export const eventResponse = z.strictObject({ event: eventDetailSchema });

export type EventSummary = z.infer<typeof eventSchema>;
export type EventListItem = z.infer<typeof eventListItemSchema>;
export type NewsItem = z.infer<typeof newsItemSchema>;
export type EventDetail = z.infer<typeof eventDetailSchema>;
export type EventListResponse = z.infer<typeof eventListResponse>;
export type EventResponse = z.infer<typeof eventResponse>;
