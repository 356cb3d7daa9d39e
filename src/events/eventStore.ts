// Events and their news: CRUD through Prisma.
import type { PrismaClient } from '../db/generated/client';

export interface EventInput {
  slug: string;
  title: string;
  occurredAt: Date;
  dateOnly: boolean;
  kind: string;
  description?: string | null;
}

export interface NewsInputRow {
  url: string;
  title: string;
  publisher?: string | null;
  publishedAt: Date;
  dateOnly: boolean;
  kind?: string | null;
  source?: string;
  symbols?: string[];
}

/** Insert or update an event by slug; returns its id. */
export async function upsertEvent(prisma: PrismaClient, e: EventInput): Promise<number> {
  const data = { title: e.title, occurredAt: e.occurredAt, dateOnly: e.dateOnly, kind: e.kind, description: e.description ?? null };
  const row = await prisma.event.upsert({ where: { slug: e.slug }, create: { slug: e.slug, ...data }, update: data, select: { id: true } });
  return row.id;
}

/** Insert or update a news item by URL; returns its id. */
export async function upsertNews(prisma: PrismaClient, n: NewsInputRow): Promise<number> {
  const data = {
    title: n.title,
    publisher: n.publisher ?? null,
    publishedAt: n.publishedAt,
    dateOnly: n.dateOnly,
    kind: n.kind ?? null,
    symbols: n.symbols ?? [],
    source: n.source ?? 'manual',
  };
  const row = await prisma.newsItem.upsert({ where: { url: n.url }, create: { url: n.url, ...data }, update: data, select: { id: true } });
  return row.id;
}

export async function attachNews(prisma: Pick<PrismaClient, 'eventNews'>, eventId: number, newsId: number, role: 'source' | 'coverage'): Promise<void> {
  await prisma.eventNews.upsert({ where: { eventId_newsId: { eventId, newsId } }, create: { eventId, newsId, role }, update: { role } });
}

export function eventDate(e: { occurredAt: Date }): string {
  return e.occurredAt.toISOString().slice(0, 10);
}

/** The API shape of an event: instants as ISO strings, date-only events as a plain date. */
export function presentEvent(e: { slug: string; title: string; occurredAt: Date; dateOnly: boolean; kind: string; description: string | null }) {
  return {
    slug: e.slug,
    title: e.title,
    occurredAt: e.dateOnly ? null : e.occurredAt.toISOString(),
    date: eventDate(e),
    dateOnly: e.dateOnly,
    kind: e.kind,
    description: e.description,
  };
}

export function presentNews(n: { url: string; title: string; publisher: string | null; publishedAt: Date; dateOnly: boolean; kind: string | null }, role?: string) {
  return {
    url: n.url,
    title: n.title,
    publisher: n.publisher,
    publishedAt: n.dateOnly ? null : n.publishedAt.toISOString(),
    date: n.publishedAt.toISOString().slice(0, 10),
    dateOnly: n.dateOnly,
    kind: n.kind,
    ...(role ? { role } : {}),
  };
}

// ---- writes of the events API

type Db = Pick<PrismaClient, 'event' | 'newsItem' | 'eventNews'>;

export interface StoredEventRow {
  id: number;
  slug: string;
  title: string;
  occurredAt: Date;
  dateOnly: boolean;
  kind: string;
  description: string | null;
}

export async function findEventBySlug(prisma: Db, slug: string): Promise<StoredEventRow | null> {
  return prisma.event.findUnique({
    where: { slug },
    select: { id: true, slug: true, title: true, occurredAt: true, dateOnly: true, kind: true, description: true },
  });
}

/** Slugs in use that start with `base` (to pick a free one next to them). */
export async function slugsStartingWith(prisma: Db, base: string): Promise<string[]> {
  const rows = await prisma.event.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } });
  return rows.map((r) => r.slug);
}

export async function insertEvent(prisma: Db, e: EventInput): Promise<number> {
  const row = await prisma.event.create({
    data: { slug: e.slug, title: e.title, occurredAt: e.occurredAt, dateOnly: e.dateOnly, kind: e.kind, description: e.description ?? null },
    select: { id: true },
  });
  return row.id;
}

export async function updateEventById(prisma: Db, id: number, changes: Partial<EventInput>): Promise<void> {
  await prisma.event.update({ where: { id }, data: changes });
}

/** Deletes the event and its links to news and moves (the news items and moves stay). */
export async function deleteEventBySlug(prisma: Db, slug: string): Promise<boolean> {
  const { count } = await prisma.event.deleteMany({ where: { slug } });
  return count > 0;
}

export async function findNewsByUrls(prisma: Db, urls: readonly string[]): Promise<{ id: number; url: string }[]> {
  return prisma.newsItem.findMany({ where: { url: { in: [...urls] } }, select: { id: true, url: true } });
}

/** Insert a news item unless one with its URL exists (that one is left as it is); returns its id and whether it is new. */
export async function insertNewsIfAbsent(prisma: Db, n: NewsInputRow): Promise<{ id: number; created: boolean }> {
  const existing = await prisma.newsItem.findUnique({ where: { url: n.url }, select: { id: true } });
  if (existing) return { id: existing.id, created: false };
  const row = await prisma.newsItem.create({
    data: {
      url: n.url,
      title: n.title,
      publisher: n.publisher ?? null,
      publishedAt: n.publishedAt,
      dateOnly: n.dateOnly,
      kind: n.kind ?? null,
      symbols: n.symbols ?? [],
      source: n.source ?? 'manual',
    },
    select: { id: true },
  });
  return { id: row.id, created: true };
}

/** Detach the news item with this URL from the event; false when it was not attached. */
export async function detachNewsByUrl(prisma: Db, eventId: number, url: string): Promise<boolean> {
  const { count } = await prisma.eventNews.deleteMany({ where: { eventId, news: { url } } });
  return count > 0;
}

/** An event with its news (sources first, then coverage in time order), for the API. */
export async function getEventWithNews(prisma: Db, slug: string) {
  const event = await prisma.event.findUnique({
    where: { slug },
    include: { news: { include: { news: true }, orderBy: [{ role: 'desc' }, { news: { publishedAt: 'asc' } }] } },
  });
  if (!event) return null;
  return { id: event.id, ...presentEvent(event), news: event.news.map((en) => presentNews(en.news, en.role)) };
}
