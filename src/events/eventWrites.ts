// Writing events: slugs, their news, and keeping the automatic move links in step with the event's time.
import { AppError, notFound } from '../errors/appError';
import type { Database } from '../db/database';
import { withTransaction } from '../db/transaction';
import { linkMovesToEvents } from '../moves/moveDetection';
import { getMovesOfEvent } from '../moves/moveStore';
import type { AttachNewsInput, CreateEventInput, UpdateEventInput } from './eventSchemas';
import { slugFromTitle } from './eventSchemas';
import {
  attachNews,
  deleteEventBySlug,
  detachNewsByUrl,
  findEventBySlug,
  getEventWithNews,
  insertEvent,
  insertNewsIfAbsent,
  lockSlugBase,
  slugsStartingWith,
  updateEventById,
} from '../news/eventStore';

type Db = Pick<Database, 'pool'>;

const slugTaken = (slug: string) =>
  new AppError(409, 'conflict', `An event with slug ${slug} exists already`, [{ param: 'slug', message: 'is taken' }]);

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === '23505';
}

/** The first of base, base-2, base-3... that no event uses. */
function firstFreeSlug(base: string, taken: readonly string[]): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** An event as the API shows it: fields, news, and the moves linked to it with their offsets. */
export async function getEventDetail(db: Db, slug: string) {
  const event = await getEventWithNews(db.pool, slug);
  if (!event) return null;
  const { id, ...shown } = event;
  return { ...shown, moves: await getMovesOfEvent(db.pool, id) };
}

/** Create an event, attach its source URLs, link the moves around it; returns its slug. */
export async function createEvent(db: Db, input: CreateEventInput): Promise<string> {
  let created: { id: number; slug: string };
  try {
    created = await withTransaction(db.pool, async (tx) => {
      let slug: string;
      if (input.slug !== null) {
        if (await findEventBySlug(tx, input.slug)) throw slugTaken(input.slug);
        slug = input.slug;
      } else {
        const base = slugFromTitle(input.title) || `event-${input.occurredAt.toISOString().slice(0, 10)}`;
        // one creation at a time per base, so two at once do not both pick base-2 (one would get a 409)
        await lockSlugBase(tx, base);
        slug = firstFreeSlug(base, await slugsStartingWith(tx, base));
      }
      const id = await insertEvent(tx, {
        slug,
        title: input.title,
        occurredAt: input.occurredAt,
        dateOnly: input.dateOnly,
        precision: input.precision,
        timeZone: input.timeZone,
        occurredUntil: input.occurredUntil,
        kind: input.kind,
        description: input.description,
      });
      for (const url of input.newsUrls) {
        // a URL we do not know yet becomes a news item dated like the event; the title can be improved later
        const news = await insertNewsIfAbsent(tx, {
          url,
          title: input.title,
          publisher: new URL(url).hostname,
          publishedAt: input.occurredAt,
          dateOnly: input.dateOnly,
          source: 'manual',
        });
        await attachNews(tx, id, news.id, 'source');
      }
      return { id, slug };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw slugTaken(input.slug ?? 'derived from the title');
    throw e;
  }
  await linkMovesToEvents(db, [created.id]);
  return created.slug;
}

/** Change an event; returns its (possibly new) slug. A new time re-links its moves. */
export async function updateEvent(db: Db, slug: string, input: UpdateEventInput): Promise<string> {
  const event = await findEventBySlug(db.pool, slug);
  if (!event) throw notFound(`Unknown event ${slug}`);
  if (input.slug !== undefined && input.slug !== slug && (await findEventBySlug(db.pool, input.slug))) throw slugTaken(input.slug);
  try {
    await updateEventById(db.pool, event.id, {
      ...(input.slug !== undefined ? { slug: input.slug } : {}),
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.time ?? {}),
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw slugTaken(input.slug ?? slug);
    throw e;
  }
  if (input.time) await linkMovesToEvents(db, [event.id]);
  return input.slug ?? slug;
}

export async function deleteEvent(db: Db, slug: string): Promise<void> {
  if (!(await deleteEventBySlug(db.pool, slug))) throw notFound(`Unknown event ${slug}`);
}

/** Attach a news item by URL (stored as given when new; an item already stored under the URL is attached as it is). */
export async function attachNewsToEvent(db: Db, slug: string, input: AttachNewsInput): Promise<{ created: boolean }> {
  const event = await findEventBySlug(db.pool, slug);
  if (!event) throw notFound(`Unknown event ${slug}`);
  const news = await insertNewsIfAbsent(db.pool, {
    url: input.url,
    title: input.title,
    publisher: input.publisher,
    publishedAt: input.publishedAt,
    dateOnly: input.dateOnly,
    symbols: input.symbols,
    source: 'manual',
  });
  await attachNews(db.pool, event.id, news.id, input.role);
  return { created: news.created };
}

export async function detachNewsFromEvent(db: Db, slug: string, url: string): Promise<void> {
  const event = await findEventBySlug(db.pool, slug);
  if (!event) throw notFound(`Unknown event ${slug}`);
  if (!(await detachNewsByUrl(db.pool, event.id, url))) throw notFound(`No news item with URL ${url} is attached to ${slug}`);
}
