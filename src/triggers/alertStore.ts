// Data access of the alert triggers: who is subscribed, the bars a trigger looks at, the alerts already made,
// and the news context of a move.
import type pg from 'pg';
import { groupSlugSql, type AlertMode, type SubscriptionRow } from '../subscriptions/subscriptionStore';
import type { AlertRule } from '../analysis/alertRules';

/** What a subscription follows: every instrument, or these symbols (a group's members as they are now). */
export interface FollowedInstruments extends Pick<SubscriptionRow, 'symbols' | 'group'> {
  followsAll: boolean;
}

export interface ActiveSubscription
  extends FollowedInstruments,
    Pick<SubscriptionRow, 'id' | 'email' | 'minMovePct' | 'minAbnormalZ' | 'mode'> {
  confirmedAt: Date;
}

export const follows = (s: FollowedInstruments, symbol: string) => s.followsAll || s.symbols.includes(symbol);

/** symbols, "followsAll" and "group" of subscriptions s: a group's members are read at every evaluation */
const FOLLOWED = `
  CASE WHEN s.group_slug IS NULL THEN s.symbols
       ELSE coalesce((SELECT array_agg(m.symbol ORDER BY m.symbol) FROM instrument_group_members m WHERE m.group_id = s.group_id), '{}') END AS symbols,
  (s.group_slug IS NULL AND cardinality(s.symbols) = 0) AS "followsAll",
  ${groupSlugSql('s')}`;

/** Confirmed and not unsubscribed: the only subscriptions that get alerts. */
export async function listActiveSubscriptions(pool: pg.Pool): Promise<ActiveSubscription[]> {
  const { rows } = await pool.query<ActiveSubscription>(
    `SELECT s.id, s.email, ${FOLLOWED}, s.min_move_pct AS "minMovePct", s.min_abnormal_z AS "minAbnormalZ", s.mode, s.confirmed_at AS "confirmedAt"
       FROM subscriptions s WHERE s.confirmed_at IS NOT NULL AND s.unsubscribed_at IS NULL ORDER BY s.id`,
  );
  return rows;
}

export interface AlertInstrument {
  symbol: string;
  name: string;
  exchange: string;
  currency: string;
  timeZone: string;
  kind: string;
  benchmarkSymbol: string | null;
}

export async function listTrackedInstruments(pool: pg.Pool): Promise<AlertInstrument[]> {
  const { rows } = await pool.query<AlertInstrument>(
    `SELECT symbol, name, exchange, currency, time_zone AS "timeZone", kind, benchmark_symbol AS "benchmarkSymbol"
       FROM instruments WHERE tracked ORDER BY symbol`,
  );
  return rows;
}

/** `${subscriptionId}|${symbol}|${sessionDate}|${rule}` of the alerts that already exist among these. */
export async function existingAlertKeys(
  pool: pg.Pool,
  subscriptionIds: number[],
  symbols: string[],
  dates: string[],
): Promise<Set<string>> {
  if (subscriptionIds.length === 0) return new Set();
  const { rows } = await pool.query<{ key: string }>(
    `SELECT subscription_id || '|' || symbol || '|' || session_date::text || '|' || rule AS key FROM alerts
      WHERE subscription_id = ANY($1) AND symbol = ANY($2) AND session_date = ANY($3::date[])`,
    [subscriptionIds, symbols, dates],
  );
  return new Set(rows.map((r) => r.key));
}

export function alertKey(a: { subscriptionId: number; symbol: string; sessionDate: string; rule: AlertRule }): string {
  return `${a.subscriptionId}|${a.symbol}|${a.sessionDate}|${a.rule}`;
}

/** What an alert says: the move of one instrument in one session, by one rule. */
interface AlertFigures {
  symbol: string;
  sessionDate: string;
  rule: AlertRule;
  move: number;
  abnormalReturn: number | null;
  z: number | null;
  price: number | null;
}

export interface NewAlert extends AlertFigures {
  subscriptionId: number;
  price: number;
  eventId: number | null;
}

export interface InsertedAlert extends NewAlert {
  id: number;
}

/** Insert alerts; the unique (subscription, symbol, session, rule) key drops any that exist. Returns the new ones. */
export async function insertAlerts(client: pg.PoolClient, alerts: NewAlert[]): Promise<InsertedAlert[]> {
  if (alerts.length === 0) return [];
  const { rows } = await client.query<{ id: number; key: string }>(
    `INSERT INTO alerts (subscription_id, symbol, session_date, rule, move, abnormal_return, z, price, event_id)
     SELECT * FROM unnest($1::int[], $2::text[], $3::date[], $4::text[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::int[])
     ON CONFLICT (subscription_id, symbol, session_date, rule) DO NOTHING
     RETURNING id, subscription_id || '|' || symbol || '|' || session_date::text || '|' || rule AS key`,
    [
      alerts.map((a) => a.subscriptionId),
      alerts.map((a) => a.symbol),
      alerts.map((a) => a.sessionDate),
      alerts.map((a) => a.rule),
      alerts.map((a) => a.move),
      alerts.map((a) => a.abnormalReturn),
      alerts.map((a) => a.z),
      alerts.map((a) => a.price),
      alerts.map((a) => a.eventId),
    ],
  );
  const byKey = new Map(alerts.map((a) => [alertKey(a), a]));
  return rows.map((r) => ({ ...byKey.get(r.key)!, id: r.id }));
}

export async function attachAlertsToEmail(client: pg.PoolClient, alertIds: number[], emailId: number): Promise<void> {
  await client.query('UPDATE alerts SET email_id = $2 WHERE id = ANY($1) AND email_id IS NULL', [alertIds, emailId]);
}

/** Lock a subscription row for the length of a transaction that writes its alerts; null when it is no longer active. */
export async function lockActiveSubscription(client: pg.PoolClient, id: number): Promise<{ email: string } | null> {
  const { rows } = await client.query<{ email: string }>(
    'SELECT email FROM subscriptions WHERE id = $1 AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL FOR SHARE',
    [id],
  );
  return rows[0] ?? null;
}

export interface PendingDigestAlert extends AlertFigures {
  id: number;
  subscriptionId: number;
  email: string;
  followed: FollowedInstruments;
  minMovePct: number;
  minAbnormalZ: number | null;
  eventId: number | null;
}

/** Alerts of active digest subscriptions that no email carries yet. */
export async function pendingDigestAlerts(pool: pg.Pool): Promise<PendingDigestAlert[]> {
  const { rows } = await pool.query<PendingDigestAlert & FollowedInstruments>(
    `SELECT a.id, a.subscription_id AS "subscriptionId", s.email, ${FOLLOWED},
            s.min_move_pct AS "minMovePct", s.min_abnormal_z AS "minAbnormalZ", a.symbol, a.session_date AS "sessionDate",
            a.rule, a.move, a.abnormal_return AS "abnormalReturn", a.z, a.price, a.event_id AS "eventId"
       FROM alerts a JOIN subscriptions s ON s.id = a.subscription_id
      WHERE a.email_id IS NULL AND s.mode = 'digest' AND s.confirmed_at IS NOT NULL AND s.unsubscribed_at IS NULL
      ORDER BY a.subscription_id, a.session_date, a.symbol, a.id`,
  );
  return rows.map(({ symbols, followsAll, group, ...a }) => ({ ...a, followed: { symbols, followsAll, group } }));
}

// ---- the news context of a move ----

export interface EventRef {
  id: number;
  slug: string;
  title: string;
  occurredAt: Date;
  dateOnly: boolean;
}

export interface NewsRef {
  title: string;
  url: string;
  publisher: string | null;
  publishedAt: Date;
  eventId: number | null;
}

/** Events the event-study linked to the stored move of this session, nearest offset first. */
export async function linkedEvents(pool: pg.Pool, symbol: string, date: string): Promise<(EventRef & { offset: number })[]> {
  const { rows } = await pool.query<EventRef & { offset: number }>(
    `SELECT e.id, e.slug, e.title, e.occurred_at AS "occurredAt", e.date_only AS "dateOnly", l."offset"
       FROM price_moves m JOIN move_event_links l ON l.move_id = m.id AND l.linked JOIN events e ON e.id = l.event_id
      WHERE m.symbol = $1 AND m.date = $2
      ORDER BY abs(l."offset"), e.occurred_at`,
    [symbol, date],
  );
  return rows;
}

export async function eventsBetween(pool: pg.Pool, from: Date, to: Date): Promise<EventRef[]> {
  const { rows } = await pool.query<EventRef>(
    `SELECT id, slug, title, occurred_at AS "occurredAt", date_only AS "dateOnly" FROM events WHERE occurred_at BETWEEN $1 AND $2 ORDER BY occurred_at`,
    [from, to],
  );
  return rows;
}

/** News about the symbol (or of the given event) published in [from, to], newest first. */
export async function newsBetween(
  pool: pg.Pool,
  symbol: string,
  eventId: number | null,
  from: Date,
  to: Date,
  limit: number,
): Promise<NewsRef[]> {
  const { rows } = await pool.query<NewsRef>(
    `SELECT n.title, n.url, n.publisher, n.published_at AS "publishedAt",
            (SELECT en.event_id FROM event_news en WHERE en.news_id = n.id ORDER BY (en.event_id = $2) DESC NULLS LAST, en.event_id LIMIT 1) AS "eventId"
       FROM news_items n
      WHERE n.published_at BETWEEN $3 AND $4
        AND ($1 = ANY(n.symbols) OR EXISTS (SELECT 1 FROM event_news en WHERE en.news_id = n.id AND en.event_id = $2))
      ORDER BY n.published_at DESC LIMIT $5`,
    [symbol, eventId, from, to, limit],
  );
  return rows;
}

export async function eventsByIds(pool: pg.Pool, ids: number[]): Promise<Map<number, EventRef>> {
  if (ids.length === 0) return new Map();
  const { rows } = await pool.query<EventRef>(
    `SELECT id, slug, title, occurred_at AS "occurredAt", date_only AS "dateOnly" FROM events WHERE id = ANY($1)`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

// ---- the read side: alerts as the API shows them ----

export interface AlertListFilter {
  /** the alert's email status; 'pending' includes alerts no email carries yet (coalescing, waiting for a digest) */
  status?: 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';
  symbol?: string;
  subscriptionId?: number;
  /** only alerts with a smaller id (the next page after the alert of that id) */
  before?: number;
  limit: number;
}

export interface AlertListRow extends AlertFigures {
  id: number;
  subscriptionId: number;
  email: string;
  mode: AlertMode;
  eventSlug: string | null;
  eventTitle: string | null;
  createdAt: Date;
  emailId: number | null;
  emailKind: string | null;
  emailStatus: string | null;
  emailAttempts: number | null;
  emailLastError: string | null;
  emailSentAt: Date | null;
  emailNextAttemptAt: Date | null;
  emailMessageId: string | null;
}

export async function listAlerts(pool: pg.Pool, f: AlertListFilter): Promise<AlertListRow[]> {
  const { rows } = await pool.query<AlertListRow>(
    `SELECT a.id, a.subscription_id AS "subscriptionId", s.email, s.mode, a.symbol, a.session_date AS "sessionDate", a.rule, a.move,
            a.abnormal_return AS "abnormalReturn", a.z, a.price, e.slug AS "eventSlug", e.title AS "eventTitle", a.created_at AS "createdAt",
            o.id AS "emailId", o.kind AS "emailKind", o.status AS "emailStatus", o.attempts AS "emailAttempts", o.last_error AS "emailLastError",
            o.sent_at AS "emailSentAt", o.next_attempt_at AS "emailNextAttemptAt", o.message_id AS "emailMessageId"
       FROM alerts a
       JOIN subscriptions s ON s.id = a.subscription_id
       LEFT JOIN events e ON e.id = a.event_id
       LEFT JOIN outbox_emails o ON o.id = a.email_id
      WHERE ($1::text IS NULL OR coalesce(o.status, 'pending') = $1)
        AND ($2::text IS NULL OR a.symbol = $2)
        AND ($3::int IS NULL OR a.subscription_id = $3)
        AND ($5::int IS NULL OR a.id < $5)
      ORDER BY a.id DESC LIMIT $4`,
    [f.status ?? null, f.symbol ?? null, f.subscriptionId ?? null, f.limit, f.before ?? null],
  );
  return rows;
}
