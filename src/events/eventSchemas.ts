// Request bodies of the event write routes, and the rules that turn their time fields into one instant.
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { DATE_RANGE_MESSAGE, instantInRange, isoDate, slugParam } from '../http/validation';
import { EVENT_KIND } from '../news/eventKind';
import { type EventPrecision, marketForPartsOfDay, PARTS_OF_DAY, type PartOfDay, startOfPartOfDay } from '../markets/eventTiming';

/** Text shown to people: no control characters (a NUL byte cannot even be stored by Postgres). */
const plainText = (max: number, multiline = false) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point of this check
      (v) => !(multiline ? /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/ : /[\u0000-\u001F\u007F]/).test(v),
      'must not contain control characters',
    );

/** An IANA time zone name such as Asia/Tokyo (validated against the zone database). */
const ianaTimeZone = z
  .string()
  .max(64)
  .refine((v) => IANAZone.isValidZone(v), 'must be an IANA time zone such as Asia/Shanghai or America/New_York');

/** http(s) only: these URLs become links on the dashboard, where javascript: or data: would be a hole. */
const webUrl = z
  .string()
  .max(2000, 'must be at most 2000 characters')
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');

const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;

const eventKind = z.string().regex(EVENT_KIND, 'must be a lowercase word such as model_release or earnings (letters, digits, _)');

/**
 * The time fields an event is written with; exactly one of occurredAt and date. The precision follows from them:
 * occurredAt alone an instant, with occurredUntil an interval; date alone a date, with partOfDay a part of it.
 */
const eventTimeFields = {
  occurredAt: z
    .string()
    .max(40)
    .describe(
      'when the news broke: an ISO instant with offset (2025-01-20T12:19:44Z, 2025-01-20T20:19:44+08:00), or a local date-time with timeZone; with occurredUntil, the start of an interval',
    )
    .optional(),
  occurredUntil: z
    .string()
    .max(40)
    .describe('the end of an interval event (written like occurredAt, in the same timeZone); day 0 counts from occurredAt')
    .optional(),
  timeZone: ianaTimeZone
    .describe(
      "the event's own IANA zone: of a local occurredAt (without offset; next to an offset it is only checked), of an interval, or of a partOfDay (required there)",
    )
    .optional(),
  date: isoDate.describe('the calendar date, when only the date of the news is known').optional(),
  partOfDay: z
    .enum(PARTS_OF_DAY)
    .describe(
      "with date and timeZone: the part of that date, on the session hours of the market of timeZone (America/New_York: the US market's)",
    )
    .optional(),
  dateOnly: z.boolean().describe('true with date alone; false or absent with occurredAt or partOfDay').optional(),
};

type EventTimeInput = {
  occurredAt?: string;
  occurredUntil?: string;
  timeZone?: string;
  date?: string;
  partOfDay?: PartOfDay;
  dateOnly?: boolean;
};

export interface ResolvedEventTime {
  /** the instant, or the earliest instant the precision allows */
  occurredAt: Date;
  dateOnly: boolean;
  precision: EventPrecision;
  timeZone: string | null;
  occurredUntil: Date | null;
}

type IssueSink = { addIssue(issue: { code: 'custom'; message: string; path: string[] }): void };

/** The instant of an event from its time fields, or undefined after reporting why it cannot be told. */
function resolveEventTime(t: EventTimeInput, ctx: IssueSink): ResolvedEventTime | undefined {
  const resolved = resolveEventTimeUnchecked(t, ctx);
  if (resolved && !instantInRange(resolved.occurredAt)) {
    ctx.addIssue({ code: 'custom', path: [t.date !== undefined ? 'date' : 'occurredAt'], message: `${DATE_RANGE_MESSAGE} (UTC)` });
    return undefined;
  }
  return resolved;
}

function resolveEventTimeUnchecked(t: EventTimeInput, ctx: IssueSink): ResolvedEventTime | undefined {
  const fail = (path: string, message: string) => {
    ctx.addIssue({ code: 'custom', path: [path], message });
    return undefined;
  };
  if (t.occurredAt !== undefined && t.date !== undefined) return fail('occurredAt', 'give either occurredAt or date, not both');
  if (t.date !== undefined) {
    if (t.occurredUntil !== undefined) return fail('occurredUntil', 'goes with occurredAt (an interval), not with date');
    if (t.partOfDay !== undefined) return resolvePartOfDay(t.date, t.partOfDay, t, fail);
    if (t.dateOnly === false) return fail('dateOnly', 'must be true (or absent) with date; give occurredAt for a known time');
    if (t.timeZone !== undefined) return fail('timeZone', 'goes with a local occurredAt or a partOfDay, not with a date alone');
    return { occurredAt: new Date(`${t.date}T00:00:00Z`), dateOnly: true, precision: 'date', timeZone: null, occurredUntil: null };
  }
  if (t.partOfDay !== undefined) return fail('partOfDay', 'goes with date (the date whose part it is)');
  if (t.occurredAt === undefined) return fail('occurredAt', 'is required (or date with dateOnly: true)');
  if (t.dateOnly === true) return fail('dateOnly', 'must be false (or absent) with occurredAt; give date for a date-only event');
  const from = resolveInstant('occurredAt', t.occurredAt, t.timeZone, fail);
  if (!from) return undefined;
  if (t.occurredUntil === undefined)
    return { occurredAt: from, dateOnly: false, precision: 'instant', timeZone: null, occurredUntil: null };
  const until = resolveInstant('occurredUntil', t.occurredUntil, t.timeZone, fail);
  if (!until) return undefined;
  if (until.getTime() <= from.getTime()) return fail('occurredUntil', 'must come after occurredAt');
  if (t.timeZone === undefined) return fail('timeZone', "is required with an interval (the event's own zone, shown with it)");
  return { occurredAt: from, dateOnly: false, precision: 'interval', timeZone: t.timeZone, occurredUntil: until };
}

/** A part of a date: day 0 counts from the earliest instant it allows, on the hours of the market of its zone. */
function resolvePartOfDay(
  date: string,
  part: PartOfDay,
  t: EventTimeInput,
  fail: (path: string, message: string) => undefined,
): ResolvedEventTime | undefined {
  if (t.dateOnly === true) return fail('dateOnly', 'must be false (or absent) with partOfDay');
  if (t.timeZone === undefined) return fail('timeZone', 'is required with partOfDay (whose market hours it names), e.g. America/New_York');
  if (marketForPartsOfDay(t.timeZone) === null)
    return fail('timeZone', `has no market whose session hours say what ${part} means; give an interval (occurredAt, occurredUntil)`);
  return {
    occurredAt: startOfPartOfDay(date, part, t.timeZone),
    dateOnly: false,
    precision: part,
    timeZone: t.timeZone,
    occurredUntil: null,
  };
}

/** An instant from an ISO date-time with offset, or a local one in `timeZone`. */
function resolveInstant(
  field: string,
  value: string,
  timeZone: string | undefined,
  fail: (path: string, message: string) => undefined,
): Date | undefined {
  const t = { occurredAt: value, timeZone };
  if (INSTANT_WITH_OFFSET.test(t.occurredAt)) {
    // a timeZone next to an offset is allowed (a form may send both); the offset fixes the instant
    const instant = DateTime.fromISO(t.occurredAt, { setZone: true });
    if (!instant.isValid) return fail(field, `is not a real date and time (${instant.invalidExplanation ?? instant.invalidReason})`);
    return instant.toJSDate();
  }
  if (LOCAL_DATE_TIME.test(t.occurredAt)) {
    if (t.timeZone === undefined) return fail(field, 'has no offset: add one (Z, +08:00) or give timeZone');
    const local = DateTime.fromISO(t.occurredAt, { zone: t.timeZone });
    if (!local.isValid) return fail(field, `is not a real date and time (${local.invalidExplanation ?? local.invalidReason})`);
    // luxon moves a wall-clock time that a DST switch skipped; such a time never happened there
    const [wallDate, wallTime] = t.occurredAt.split('T');
    if (local.toISODate() !== wallDate || local.toFormat('HH:mm') !== wallTime.slice(0, 5)) {
      return fail(field, `${t.occurredAt} does not exist in ${t.timeZone} (the clocks skipped it)`);
    }
    return local.toJSDate();
  }
  return fail(field, 'must be an ISO date-time such as 2025-01-20T12:19:44Z');
}

const newsUrlList = z.array(webUrl).max(20, 'at most 20 URLs');

export const createEventBody = z
  .object({
    slug: slugParam.describe('URL name; derived from the title when absent').optional(),
    title: plainText(300),
    kind: eventKind.describe('what happened: model_release, earnings, policy_statement...; default news').optional(),
    description: plainText(10_000, true).nullable().optional(),
    newsUrls: newsUrlList.describe('sources of the event: stored news items are attached, new URLs stored as news items').optional(),
    ...eventTimeFields,
  })
  .strict()
  .transform((b, ctx) => {
    const time = resolveEventTime(b, ctx);
    if (!time) return z.NEVER;
    return {
      slug: b.slug ?? null,
      title: b.title,
      kind: b.kind ?? 'news',
      description: b.description ?? null,
      newsUrls: b.newsUrls ?? [],
      ...time,
    };
  });

export type CreateEventInput = z.output<typeof createEventBody>;

export const updateEventBody = z
  .object({
    slug: slugParam.describe('rename the event').optional(),
    title: plainText(300).optional(),
    kind: eventKind.optional(),
    description: plainText(10_000, true).nullable().optional(),
    ...eventTimeFields,
  })
  .strict()
  .transform((b, ctx) => {
    const timeGiven =
      b.occurredAt !== undefined ||
      b.occurredUntil !== undefined ||
      b.date !== undefined ||
      b.partOfDay !== undefined ||
      b.timeZone !== undefined ||
      b.dateOnly !== undefined;
    let time: ResolvedEventTime | undefined;
    if (timeGiven) {
      time = resolveEventTime(b, ctx);
      if (!time) return z.NEVER;
    }
    if (!timeGiven && b.slug === undefined && b.title === undefined && b.kind === undefined && b.description === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'names no field to change' });
      return z.NEVER;
    }
    return { slug: b.slug, title: b.title, kind: b.kind, description: b.description, time };
  });

export type UpdateEventInput = z.output<typeof updateEventBody>;

export const attachNewsBody = z
  .object({
    url: webUrl,
    title: plainText(500),
    publisher: plainText(200).nullable().optional(),
    publishedAt: z.string().max(40).describe('ISO instant with offset').optional(),
    date: isoDate.describe('publication date when the time is unknown').optional(),
    role: z.enum(['source', 'coverage']).describe('source = the primary report of the event; default coverage').optional(),
    symbols: z
      .array(z.string().regex(/^[A-Za-z0-9^=.-]{1,32}$/, 'is not a ticker symbol'))
      .max(50)
      .optional(),
  })
  .strict()
  .transform((b, ctx) => {
    const time = resolveEventTime(
      { occurredAt: b.publishedAt, date: b.date },
      {
        addIssue: (issue) => ctx.addIssue({ ...issue, path: issue.path.map((p) => (p === 'occurredAt' ? 'publishedAt' : p)) }),
      },
    );
    if (!time) return z.NEVER;
    return {
      url: b.url,
      title: b.title,
      publisher: b.publisher ?? null,
      publishedAt: time.occurredAt,
      dateOnly: time.dateOnly,
      role: b.role ?? 'coverage',
      symbols: b.symbols ?? [],
    };
  });

export type AttachNewsInput = z.output<typeof attachNewsBody>;

export const detachNewsQuery = z.object({ url: webUrl.describe('URL of the news item to detach') });

/** 'DeepSeek-R1 released!' -> 'deepseek-r1-released'; '' when the title has no letters or digits of the Latin alphabet. */
export function slugFromTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}
