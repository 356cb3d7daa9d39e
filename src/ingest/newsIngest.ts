// News of tracked symbols from the provider's search, stored in news_items (source 'yahoo'), deduplicated by
// URL: an item seen again (for another symbol, or on the next run) only gains the symbols it was found for.
import type pg from 'pg';
import type { NewsInput } from '../marketdata/types';
import type { UpsertCounts } from '../db/copyMerge';
import { recordedIngest, retryingDatabase, type IngestDeps, type SymbolIngestResult } from './fetchAndStore';

const NEWS_SOURCE = 'yahoo';

/** Upsert news items by URL. Title and publisher of an existing item are kept (a bundled item keeps its curated text). */
async function upsertNewsItems(pool: pg.Pool, items: readonly NewsInput[], source = NEWS_SOURCE): Promise<UpsertCounts> {
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

/** One symbol's news, fetched and stored as a recorded ingest run (job 'news'). */
export function ingestNews(deps: IngestDeps, req: { symbol: string; job?: string }): Promise<SymbolIngestResult> {
  return recordedIngest(deps, { job: req.job ?? 'news', symbol: req.symbol, interval: null }, 'news', async () => {
    const items = await deps.provider.searchNews(req.symbol);
    const counts = await retryingDatabase(deps, 'store news', () => upsertNewsItems(deps.pool, items));
    return { ...counts, fetched: items.length };
  });
}
