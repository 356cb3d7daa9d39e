// Shocks as the API shows them (shockContract.ts), and what a person decides about one: confirm (it becomes an
// event linked to its news, through the event writers) or dismiss. Neither deletes the shock's record.
import type { Database } from '../db/database';
import type { Queryable } from '../db/transaction';
import { AppError, badRequest, notFound } from '../errors/appError';
import { createEvent, getEventDetail } from '../events/eventWrites';
import { findEventBySlug } from '../news/eventStore';
import { newsItemsByIds } from '../news/newsStore';
import type { Shock } from './shockContract';
import { claimShockForConfirm, findShock, listShocks, setShockStatus, type ShockFilter, type ShockRow } from './shockStore';

type Db = Pick<Database, 'pool'>;

/** The stored rows as the API answers, with their news read through the news store. */
async function presentShocks(db: Queryable, rows: readonly ShockRow[]): Promise<Shock[]> {
  const news = await newsItemsByIds(db, [...new Set(rows.flatMap((r) => r.newsIds))]);
  return rows.map((r) => {
    const members = new Set(r.detail.members.map((m) => m.symbol));
    return {
      id: r.id,
      group: { slug: r.groupSlug, name: r.groupName },
      kind: r.kind,
      sessionDate: r.sessionDate,
      start: r.startAt.toISOString(),
      end: r.endAt.toISOString(),
      statistic: {
        z: r.z,
        p: r.p,
        n: r.n,
        rbar: r.detail.rbar,
        bmpT: r.detail.bmpT,
        kpT: r.detail.kpT,
        criticalValue: r.detail.criticalValue,
      },
      breadth: { count: r.breadthCount, share: r.breadthShare },
      direction: r.direction,
      size: { aar: r.aar, valueChangeUsd: r.valueChangeUsd },
      members: r.detail.members,
      firstBarByExchange: r.detail.firstBarByExchange,
      news: r.newsIds.flatMap((id) => {
        const item = news.get(id);
        if (!item) return [];
        return [
          {
            id,
            title: item.title,
            url: item.url,
            publishedAt: item.publishedAt.toISOString(),
            source: item.publisher,
            membersNamed: item.symbols.filter((s) => members.has(s)).sort(),
          },
        ];
      }),
      status: r.status,
      eventSlug: r.eventSlug,
      detectedAt: r.detectedAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  });
}

export async function shocksMatching(db: Queryable, filter: ShockFilter): Promise<Shock[]> {
  return presentShocks(db, await listShocks(db, filter));
}

export async function shockById(db: Queryable, id: number): Promise<Shock> {
  const row = await findShock(db, id);
  if (!row) throw notFound(`Unknown shock ${id}`, [{ param: 'id', message: `no shock ${id}` }]);
  return (await presentShocks(db, [row]))[0];
}

export interface ConfirmShockInput {
  kind: string;
  title: string | null;
  newsId: number | null;
  instant: Date | null;
}

/**
 * Confirms a candidate: an event with the given kind, its title typed or the chosen news item's, at the given
 * instant, else the news item's publication, else the shock's start; the shock's news attached as its sources.
 */
export async function confirmShock(db: Db, id: number, input: ConfirmShockInput) {
  const shock = await shockById(db.pool, id);
  if (shock.status === 'confirmed') {
    throw new AppError(409, 'conflict', `Shock ${id} is confirmed already (event ${shock.eventSlug})`, [
      { param: 'id', message: 'is confirmed' },
    ]);
  }
  let chosen: Shock['news'][number] | null = null;
  if (input.newsId !== null) {
    chosen = shock.news.find((n) => n.id === input.newsId) ?? null;
    if (!chosen) {
      const attached = shock.news.map((n) => n.id).join(', ') || 'none';
      throw badRequest(`newsId ${input.newsId} is not attached to shock ${id} (attached: ${attached})`, [
        { param: 'newsId', message: 'is not one of the shock news' },
      ]);
    }
  }
  const title = input.title ?? chosen?.title;
  if (!title) throw badRequest('Give a title or a newsId', [{ param: 'title', message: 'is required without newsId' }]);
  const occurredAt = input.instant ?? (chosen?.publishedAt ? new Date(chosen.publishedAt) : new Date(shock.start));
  if (!(await claimShockForConfirm(db.pool, id))) {
    throw new AppError(409, 'conflict', `Shock ${id} is confirmed already`, [{ param: 'id', message: 'is confirmed' }]);
  }
  let slug: string;
  try {
    slug = await createEvent(db, {
      slug: null,
      title: title.slice(0, 300),
      kind: input.kind,
      description: `Confirmed from shock ${id}: ${shock.group.name}, ${shock.kind} ${shock.sessionDate ?? shock.start}, z ${shock.statistic.z?.toFixed(2) ?? 'n/a'}, ${shock.breadth.count} of ${shock.statistic.n} members`,
      newsUrls: shock.news.map((n) => n.url),
      occurredAt,
      dateOnly: false,
      precision: 'instant',
      timeZone: null,
      occurredUntil: null,
    });
  } catch (e) {
    await setShockStatus(db.pool, id, shock.status, null); // no event: the shock is what it was
    throw e;
  }
  const event = await findEventBySlug(db.pool, slug);
  await setShockStatus(db.pool, id, 'confirmed', event?.id ?? null);
  return { event: (await getEventDetail(db, slug))! };
}

export async function dismissShock(db: Db, id: number): Promise<Shock> {
  if (!(await setShockStatus(db.pool, id, 'dismissed', null)))
    throw notFound(`Unknown shock ${id}`, [{ param: 'id', message: `no shock ${id}` }]);
  return shockById(db.pool, id);
}
