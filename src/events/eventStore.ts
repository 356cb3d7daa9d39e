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

export async function attachNews(prisma: PrismaClient, eventId: number, newsId: number, role: 'source' | 'coverage'): Promise<void> {
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
