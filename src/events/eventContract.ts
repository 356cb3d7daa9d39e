// The wire shape of /api/events: zod schemas for the OpenAPI document and the response tests, and the types
// that the handlers, the dashboard and the tests use. Instants are ISO strings; a date-only event has none.
import { z } from 'zod';
import { EVENT_PRECISIONS } from '../markets/eventTiming';
import { eventMoveSchema } from '../moves/moveContract';

export const eventSchema = z.strictObject({
  slug: z.string(),
  title: z.string(),
  occurredAt: z.iso
    .datetime()
    .nullable()
    .describe('null when the event is date-only; else the instant, or the earliest instant its precision allows (day 0 counts from it)'),
  date: z.iso.date().describe('UTC date of the event'),
  dateOnly: z.boolean(),
  precision: z
    .enum(EVENT_PRECISIONS)
    .describe(
      'instant: exact; date: the date alone; before_open, during_session, after_close: that part of the date on the hours of the market of timeZone; interval: between occurredAt and occurredUntil',
    ),
  timeZone: z.string().nullable().describe("the event's own IANA zone (a part of day, an interval); null otherwise"),
  occurredUntil: z.iso.datetime().nullable().describe('the end of an interval event; null otherwise'),
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
