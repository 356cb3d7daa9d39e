// Data access of subscriptions.
import type { Queryable } from '../db/transaction';
import { groupMembersSql, groupSlugByIdSql } from '../groups/groupStore';
import { cancelPendingEmailsOf, deleteEmailsOf } from '../outbox/outboxStore';
/** instant: an email per alert (coalesced over a second); digest: one email per exchange session */
export type AlertMode = 'instant' | 'digest';
/** moves: of instruments (or a group's members); intraday_move: a group's intraday CAAR0 in a session; shocks: of a group */
export type SubscriptionKind = 'moves' | 'intraday_move' | 'shocks';

export interface SubscriptionRow {
  id: number;
  email: string;
  /** empty and no group = every tracked instrument */
  symbols: string[];
  /** the slug of the group it follows: its slug now, or the one it had when the group was deleted */
  group: string | null;
  minMovePct: number;
  minAbnormalZ: number | null;
  mode: AlertMode;
  kind: SubscriptionKind;
  /** intraday_move: |CAAR0| in percent that alerts (or intradayBmpT) */
  intradayCaarPct: number | null;
  /** intraday_move: |bmpT| of CAAR0 that alerts (or intradayCaarPct) */
  intradayBmpT: number | null;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
  createdAt: Date;
}

/** What a subscription follows and when it alerts: the part its subscriber can change. */
export interface SubscriptionTerms {
  symbols: string[];
  /** the group it follows (instrument_groups.id and slug); symbols are then empty */
  group: { id: number; slug: string } | null;
  minMovePct: number;
  minAbnormalZ: number | null;
  mode: AlertMode;
  kind: SubscriptionKind;
  intradayCaarPct: number | null;
  intradayBmpT: number | null;
}

export interface SubscriptionInput extends SubscriptionTerms {
  email: string;
}

/** The slug of the group a subscription of table alias `t` follows: the group's current slug (it may have been renamed), the stored one once the group is deleted. */
const groupSlugSql = (t: string) => `CASE WHEN ${t}.group_slug IS NULL THEN NULL
       ELSE coalesce(${groupSlugByIdSql(`${t}.group_id`)}, ${t}.group_slug) END AS "group"`;

const COLUMNS = `id, email, symbols, min_move_pct AS "minMovePct", min_abnormal_z AS "minAbnormalZ", mode,
  kind, intraday_caar_pct AS "intradayCaarPct", intraday_bmp_t AS "intradayBmpT", ${groupSlugSql('subscriptions')},
  confirmed_at AS "confirmedAt", unsubscribed_at AS "unsubscribedAt", created_at AS "createdAt"`;

const termValues = (t: SubscriptionTerms) => [
  t.symbols,
  t.group?.id ?? null,
  t.group?.slug ?? null,
  t.minMovePct,
  t.minAbnormalZ,
  t.mode,
  t.kind,
  t.intradayCaarPct,
  t.intradayBmpT,
];

export async function insertSubscription(client: Queryable, s: SubscriptionInput): Promise<SubscriptionRow> {
  const { rows } = await client.query<SubscriptionRow>(
    `INSERT INTO subscriptions (email, symbols, group_id, group_slug, min_move_pct, min_abnormal_z, mode, kind, intraday_caar_pct, intraday_bmp_t)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
    [s.email, ...termValues(s)],
  );
  return rows[0];
}

/** A subscription with exactly these terms for this address that is still alive (pending or confirmed). */
export async function findSameSubscription(client: Queryable, s: SubscriptionInput): Promise<SubscriptionRow | null> {
  const { rows } = await client.query<SubscriptionRow>(
    `SELECT ${COLUMNS} FROM subscriptions
      WHERE lower(email) = lower($1) AND symbols = $2 AND group_id IS NOT DISTINCT FROM $3 AND group_slug IS NOT DISTINCT FROM $4
        AND min_move_pct = $5 AND min_abnormal_z IS NOT DISTINCT FROM $6 AND mode = $7 AND kind = $8
        AND intraday_caar_pct IS NOT DISTINCT FROM $9 AND intraday_bmp_t IS NOT DISTINCT FROM $10 AND unsubscribed_at IS NULL
      ORDER BY id DESC LIMIT 1`,
    [s.email, ...termValues(s)],
  );
  return rows[0] ?? null;
}

/** Change what a subscription follows and when it alerts; null when it does not exist (or was unsubscribed). */
export async function updateSubscriptionTerms(client: Queryable, id: number, t: SubscriptionTerms): Promise<SubscriptionRow | null> {
  const { rows } = await client.query<SubscriptionRow>(
    `UPDATE subscriptions SET symbols = $2, group_id = $3, group_slug = $4, min_move_pct = $5, min_abnormal_z = $6, mode = $7,
            kind = $8, intraday_caar_pct = $9, intraday_bmp_t = $10
      WHERE id = $1 AND unsubscribed_at IS NULL RETURNING ${COLUMNS}`,
    [id, ...termValues(t)],
  );
  return rows[0] ?? null;
}

/** The newest subscription of this address still waiting for its confirmation. */
export async function newestPendingSubscription(client: Queryable, email: string): Promise<SubscriptionRow | null> {
  const { rows } = await client.query<SubscriptionRow>(
    `SELECT ${COLUMNS} FROM subscriptions WHERE lower(email) = lower($1) AND confirmed_at IS NULL AND unsubscribed_at IS NULL
      ORDER BY id DESC LIMIT 1`,
    [email],
  );
  return rows[0] ?? null;
}

/** The confirmed, not unsubscribed subscriptions of this address, newest first. */
export async function activeSubscriptionsOf(client: Queryable, email: string): Promise<SubscriptionRow[]> {
  const { rows } = await client.query<SubscriptionRow>(
    `SELECT ${COLUMNS} FROM subscriptions WHERE lower(email) = lower($1) AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL
      ORDER BY id DESC LIMIT 20`,
    [email],
  );
  return rows;
}

export async function getSubscription(client: Queryable, id: number): Promise<SubscriptionRow | null> {
  const { rows } = await client.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function listSubscriptions(client: Queryable): Promise<SubscriptionRow[]> {
  const { rows } = await client.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions ORDER BY id`);
  return rows;
}

/** Confirm (once; a second click keeps the first time). Null when unknown or already unsubscribed. */
export async function confirmSubscription(client: Queryable, id: number): Promise<SubscriptionRow | null> {
  const { rows } = await client.query<SubscriptionRow>(
    `UPDATE subscriptions SET confirmed_at = coalesce(confirmed_at, now()) WHERE id = $1 AND unsubscribed_at IS NULL RETURNING ${COLUMNS}`,
    [id],
  );
  return rows[0] ?? null;
}

/** Unsubscribe and cancel what is still queued for it (in one transaction with the caller). */
export async function unsubscribeSubscription(client: Queryable, id: number): Promise<SubscriptionRow | null> {
  const { rows } = await client.query<SubscriptionRow>(
    `UPDATE subscriptions SET unsubscribed_at = coalesce(unsubscribed_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
    [id],
  );
  if (!rows[0]) return null;
  await cancelPendingEmailsOf(client, id, 'unsubscribed');
  return rows[0];
}

/** Delete a subscription, its alerts and its queued emails (an email in flight finishes; its row goes). */
export async function deleteSubscription(client: Queryable, id: number): Promise<boolean> {
  await deleteEmailsOf(client, id);
  const { rowCount } = await client.query('DELETE FROM subscriptions WHERE id = $1', [id]);
  return (rowCount ?? 0) > 0;
}

/** Until the transaction ends, one request at a time for this address (any letter case). */
export async function lockSubscriberEmail(client: Queryable, email: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`subscribe:${email.toLowerCase()}`]);
}

// ---- what the alert triggers read

/** What a subscription follows: every instrument, or these symbols (a group's members as they are now). */
export interface FollowedInstruments extends Pick<SubscriptionRow, 'symbols' | 'group'> {
  followsAll: boolean;
}

export interface ActiveSubscription
  extends FollowedInstruments,
    Pick<SubscriptionRow, 'id' | 'email' | 'minMovePct' | 'minAbnormalZ' | 'mode' | 'kind' | 'intradayCaarPct' | 'intradayBmpT'> {
  confirmedAt: Date;
}

export const follows = (s: FollowedInstruments, symbol: string) => s.followsAll || s.symbols.includes(symbol);

/** symbols, "followsAll" and "group" of the subscription of table alias `t`: a group's members are read at every evaluation */
export const followedSql = (t: string) => `
  CASE WHEN ${t}.group_slug IS NULL THEN ${t}.symbols ELSE ${groupMembersSql(`${t}.group_id`)} END AS symbols,
  (${t}.group_slug IS NULL AND cardinality(${t}.symbols) = 0) AS "followsAll",
  ${groupSlugSql(t)}`;

/** For a read that must stay one query (alerts with their subscription): a join of the subscriptions table as `alias` on `idExpr`. */
export const subscriptionJoinSql = (alias: string, idExpr: string) => `JOIN subscriptions ${alias} ON ${alias}.id = ${idExpr}`;

/** Confirmed and not unsubscribed: the only subscriptions that get alerts; those of one kind (default: moves). */
export async function listActiveSubscriptions(db: Queryable, kind: SubscriptionKind = 'moves'): Promise<ActiveSubscription[]> {
  const { rows } = await db.query<ActiveSubscription>(
    `SELECT s.id, s.email, ${followedSql('s')}, s.min_move_pct AS "minMovePct", s.min_abnormal_z AS "minAbnormalZ", s.mode,
            s.kind, s.intraday_caar_pct AS "intradayCaarPct", s.intraday_bmp_t AS "intradayBmpT", s.confirmed_at AS "confirmedAt"
       FROM subscriptions s WHERE s.confirmed_at IS NOT NULL AND s.unsubscribed_at IS NULL AND s.kind = $1 ORDER BY s.id`,
    [kind],
  );
  return rows;
}

/** Lock a subscription row for the length of a transaction that writes its alerts; null when it is no longer active. */
export async function lockActiveSubscription(client: Queryable, id: number): Promise<{ email: string } | null> {
  const { rows } = await client.query<{ email: string }>(
    'SELECT email FROM subscriptions WHERE id = $1 AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL FOR SHARE',
    [id],
  );
  return rows[0] ?? null;
}

/** Whether the subscription is confirmed and not unsubscribed (the outbox sender asks before an alert or digest email goes). */
export async function subscriptionWantsEmails(client: Queryable, id: number): Promise<boolean> {
  const { rows } = await client.query(
    'SELECT 1 FROM subscriptions WHERE id = $1 AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL',
    [id],
  );
  return rows.length > 0;
}
