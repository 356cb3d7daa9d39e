// Data access of the alert triggers: the alerts already made, new ones, the digests' pending alerts, and the
// alerts as the API lists them (with their subscription, event and email, joined through their owners' fragments).
import type pg from 'pg';
import type { Queryable } from '../db/transaction';
import { followedSql, subscriptionJoinSql, type AlertMode, type FollowedInstruments } from '../subscriptions/subscriptionStore';
import { eventJoinSql } from '../news/eventStore';
import { outboxEmailJoinSql } from '../outbox/outboxStore';
import type { AlertRule } from '../analysis/alertRules';

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

/** How many alerts each subscription has had, by subscription id (the admin list of subscriptions shows it). */
export async function alertCountsBySubscription(db: Queryable): Promise<Map<number, number>> {
  const { rows } = await db.query<{ id: number; alerts: number }>(
    'SELECT subscription_id AS id, count(*)::int AS alerts FROM alerts GROUP BY subscription_id',
  );
  return new Map(rows.map((r) => [r.id, r.alerts]));
}

export async function attachAlertsToEmail(client: pg.PoolClient, alertIds: number[], emailId: number): Promise<void> {
  await client.query('UPDATE alerts SET email_id = $2 WHERE id = ANY($1) AND email_id IS NULL', [alertIds, emailId]);
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
    `SELECT a.id, a.subscription_id AS "subscriptionId", s.email, ${followedSql('s')},
            s.min_move_pct AS "minMovePct", s.min_abnormal_z AS "minAbnormalZ", a.symbol, a.session_date AS "sessionDate",
            a.rule, a.move, a.abnormal_return AS "abnormalReturn", a.z, a.price, a.event_id AS "eventId"
       FROM alerts a ${subscriptionJoinSql('s', 'a.subscription_id')}
      WHERE a.email_id IS NULL AND s.mode = 'digest' AND s.confirmed_at IS NOT NULL AND s.unsubscribed_at IS NULL
      ORDER BY a.subscription_id, a.session_date, a.symbol, a.id`,
  );
  return rows.map(({ symbols, followsAll, group, ...a }) => ({ ...a, followed: { symbols, followsAll, group } }));
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
       ${subscriptionJoinSql('s', 'a.subscription_id')}
       ${eventJoinSql('e', 'a.event_id', 'LEFT JOIN')}
       ${outboxEmailJoinSql('o', 'a.email_id')}
      WHERE ($1::text IS NULL OR coalesce(o.status, 'pending') = $1)
        AND ($2::text IS NULL OR a.symbol = $2)
        AND ($3::int IS NULL OR a.subscription_id = $3)
        AND ($5::int IS NULL OR a.id < $5)
      ORDER BY a.id DESC LIMIT $4`,
    [f.status ?? null, f.symbol ?? null, f.subscriptionId ?? null, f.limit, f.before ?? null],
  );
  return rows;
}
