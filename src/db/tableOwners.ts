// Which folder of src/ owns each table of prisma/schema.prisma: only that folder's files name the table in SQL.
// Others call the owner's functions; a read that must stay one query joins another owner's table through a
// SQL fragment its owner exports (a `...Sql(alias)` function beside its store), imported the way the layers allow.
// src/export/ is the one read model that may name any table: it streams them with COPY.
export const TABLE_OWNERS = {
  instruments: 'instruments',
  shares_outstanding_history: 'instruments',
  daily_bars: 'bars',
  intraday_bars: 'bars',
  bar_versions: 'bars',
  events: 'news',
  news_items: 'news',
  event_news: 'news',
  price_moves: 'moves',
  move_event_links: 'moves',
  instrument_groups: 'groups',
  instrument_group_members: 'groups',
  ingest_runs: 'ingest',
  job_runs: 'scheduler',
  studies: 'studies',
  factor_returns: 'factors',
  shocks: 'shocks',
  subscriptions: 'subscriptions',
  alerts: 'triggers',
  outbox_emails: 'outbox',
  app_secrets: 'outbox',
  data_versions: 'db',
} as const;

/** The folder that may read every table (COPY-backed CSV streams). */
export const READ_MODEL_FOLDER = 'export';
