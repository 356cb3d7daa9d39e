// News of tracked symbols from the provider's search, stored in news_items (source 'yahoo'), deduplicated by
// URL: an item seen again (for another symbol, or on the next run) only gains the symbols it was found for.
import { upsertNewsItems } from '../news/newsStore';
import { recordedIngest, retryingDatabase, type IngestDeps, type SymbolIngestResult } from './fetchAndStore';

const NEWS_SOURCE = 'yahoo';

/** One symbol's news, fetched and stored as a recorded ingest run (job 'news'). */
export function ingestNews(deps: IngestDeps, req: { symbol: string; job?: string }): Promise<SymbolIngestResult> {
  return recordedIngest(deps, { job: req.job ?? 'news', symbol: req.symbol, interval: null }, 'news', async () => {
    const items = await deps.provider.searchNews(req.symbol);
    const counts = await retryingDatabase(deps, 'store news', () => upsertNewsItems(deps.pool, items, NEWS_SOURCE));
    return { ...counts, fetched: items.length };
  });
}
