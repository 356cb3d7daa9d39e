// News items: the provider's news merged in by URL, and the reads of news around a move (the moves page's
// candidates, an alert's context). The events they belong to are in ./eventStore.
import type { UpsertCounts } from '../db/copyMerge';
import type { Queryable } from '../db/transaction';
import type { NewsInput } from '../marketdata/types';

/** Upsert news items by URL. Title and publisher of an existing item are kept (a bundled item keeps its curated text). */
export async function upsertNewsItems(pool: Queryable, items: readonly NewsInput[], source: string): Promise<UpsertCounts> {
  // one row per URL: the same story can come back in one answer under two tickers
  const byUrl = new Map<string, NewsInput>();
  for (const n of items) {
    const seen = byUrl.get(n.url);
    byUrl.set(n.url, seen ? { ...seen, symbols: [...new Set([...seen.symbols, ...n.symbols])] } : n);
  }
  const list = [...byUrl.values()];
  if (list.length === 0) return { rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0 };
  const { rows } = await pool.query<{ inserted: number; updated: number }>(
    `WITH incoming AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::bool[], $6::text[])
         AS t(url, title, publisher, published_at, date_only, symbols_json)
     ), merged AS (
       INSERT INTO news_items (url, title, publisher, published_at, date_only, symbols, source)
       SELECT url, title, publisher, published_at, date_only, ARRAY(SELECT json_array_elements_text(symbols_json::json)), $7 FROM incoming
       ON CONFLICT (url) DO UPDATE SET symbols = ARRAY(SELECT DISTINCT s FROM unnest(news_items.symbols || EXCLUDED.symbols) s ORDER BY s)
       WHERE NOT (EXCLUDED.symbols <@ news_items.symbols)
       RETURNING (xmax = 0) AS inserted
     )
     SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM merged`,
    [
      list.map((n) => n.url),
      list.map((n) => n.title),
      list.map((n) => n.publisher),
      list.map((n) => n.publishedAt.toISOString()),
      list.map((n) => n.dateOnly),
      list.map((n) => JSON.stringify(n.symbols)),
      source,
    ],
  );
  const { inserted, updated } = rows[0];
  return { rowsNew: inserted, rowsUpdated: updated, rowsUnchanged: list.length - inserted - updated };
}

/** A stored news item as the API shows it. */
export interface NewsItemView {
  url: string;
  title: string;
  publisher: string | null;
  publishedAt: Date;
  dateOnly: boolean;
  kind: string | null;
}

export interface CandidateNewsView extends NewsItemView {
  source: string;
  symbols: string[];
  /** events this news item is already attached to */
  eventSlugs: string[];
}

/** News published in [from, to) that names the symbol or names no symbol at all. */
export async function getCandidateNews(pool: Queryable, symbol: string, from: Date, to: Date, limit = 50): Promise<CandidateNewsView[]> {
  const { rows } = await pool.query<CandidateNewsView>(
    `SELECT n.url, n.title, n.publisher, n.published_at AS "publishedAt", n.date_only AS "dateOnly", n.kind, n.source, n.symbols,
            coalesce((SELECT array_agg(e.slug ORDER BY e.slug) FROM event_news en JOIN events e ON e.id = en.event_id WHERE en.news_id = n.id), '{}') AS "eventSlugs"
       FROM news_items n
      WHERE n.published_at >= $2 AND n.published_at < $3 AND ($1 = ANY(n.symbols) OR cardinality(n.symbols) = 0)
      ORDER BY n.published_at, n.id
      LIMIT $4`,
    [symbol, from, to, limit],
  );
  return rows;
}

export interface NewsRef {
  title: string;
  url: string;
  publisher: string | null;
  publishedAt: Date;
  eventId: number | null;
}

/** News about the symbol (or of the given event) published in [from, to], newest first. */
export async function newsBetween(
  db: Queryable,
  symbol: string,
  eventId: number | null,
  from: Date,
  to: Date,
  limit: number,
): Promise<NewsRef[]> {
  return newsOfSymbolsBetween(db, [symbol], eventId, from, to, limit);
}

/** News naming any of these symbols (or of the given event) published in [from, to], newest first: the latest news of a group's members. */
export async function newsOfSymbolsBetween(
  db: Queryable,
  symbols: readonly string[],
  eventId: number | null,
  from: Date,
  to: Date,
  limit: number,
): Promise<(NewsRef & { symbols: string[] })[]> {
  const { rows } = await db.query<NewsRef & { symbols: string[] }>(
    `SELECT n.title, n.url, n.publisher, n.published_at AS "publishedAt", n.symbols,
            (SELECT en.event_id FROM event_news en WHERE en.news_id = n.id ORDER BY (en.event_id = $2) DESC NULLS LAST, en.event_id LIMIT 1) AS "eventId"
       FROM news_items n
      WHERE n.published_at BETWEEN $3 AND $4
        AND (n.symbols && $1::text[] OR EXISTS (SELECT 1 FROM event_news en WHERE en.news_id = n.id AND en.event_id = $2))
      ORDER BY n.published_at DESC LIMIT $5`,
    [symbols, eventId, from, to, limit],
  );
  return rows;
}

/** A news item as the shock detector ranks and shows it (issue 23). */
export interface ShockNewsRow {
  id: number;
  title: string;
  url: string;
  publisher: string | null;
  publishedAt: Date;
  /** the symbols it names; none: general news */
  symbols: string[];
}

const SHOCK_NEWS_SELECT = `SELECT n.id, n.title, n.url, n.publisher, n.published_at AS "publishedAt", n.symbols FROM news_items n`;

/** News published in [from, to] that names one of the symbols or names no symbol at all (as getCandidateNews). */
export async function newsNamingAnyOf(
  db: Queryable,
  symbols: readonly string[],
  from: Date,
  to: Date,
  limit = 500,
): Promise<ShockNewsRow[]> {
  const { rows } = await db.query<ShockNewsRow>(
    `${SHOCK_NEWS_SELECT}
      WHERE n.published_at BETWEEN $2 AND $3 AND (n.symbols && $1::text[] OR cardinality(n.symbols) = 0)
      ORDER BY n.published_at, n.id LIMIT $4`,
    [symbols, from, to, limit],
  );
  return rows;
}

/** The news items of these ids (absent ids are left out). */
export async function newsItemsByIds(db: Queryable, ids: readonly number[]): Promise<Map<number, ShockNewsRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<ShockNewsRow>(`${SHOCK_NEWS_SELECT} WHERE n.id = ANY($1::int[])`, [ids]);
  return new Map(rows.map((r) => [r.id, r]));
}
