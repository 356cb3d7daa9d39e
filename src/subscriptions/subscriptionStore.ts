// Data access of subscriptions.
import type { Queryable } from '../db/transaction';
/** instant: an email per alert (coalesced over a second); digest: one email per exchange session */
export type AlertMode = 'instant' | 'digest';

export interface SubscriptionRow {
  id: number;
  email: string;
  symbols: string[];
  minMovePct: number;
  minAbnormalZ: number | null;
  mode: AlertMode;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
  createdAt: Date;
}

export interface SubscriptionInput {
  email: string;
  symbols: string[];
  minMovePct: number;
  minAbnormalZ: number | null;
  mode: AlertMode;
}

const COLUMNS = `id, email, symbols, min_move_pct AS "minMovePct", min_abnormal_z AS "minAbnormalZ", mode,
  confirmed_at AS "confirmedAt", unsubscribed_at AS "unsubscribedAt", created_at AS "createdAt"`;

export async function insertSubscription(client: Queryable, s: SubscriptionInput): Promise<SubscriptionRow> {
  const { rows } = await client.query<SubscriptionRow>(
    `INSERT INTO subscriptions (email, symbols, min_move_pct, min_abnormal_z, mode) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [s.email, s.symbols, s.minMovePct, s.minAbnormalZ, s.mode],
  );
  return rows[0];
}

/** A subscription with exactly these terms for this address that is still alive (pending or confirmed). */
export async function findSameSubscription(client: Queryable, s: SubscriptionInput): Promise<SubscriptionRow | null> {
  const { rows } = await client.query<SubscriptionRow>(
    `SELECT ${COLUMNS} FROM subscriptions
      WHERE lower(email) = lower($1) AND symbols = $2 AND min_move_pct = $3 AND min_abnormal_z IS NOT DISTINCT FROM $4 AND mode = $5
        AND unsubscribed_at IS NULL
      ORDER BY id DESC LIMIT 1`,
    [s.email, s.symbols, s.minMovePct, s.minAbnormalZ, s.mode],
  );
  return rows[0] ?? null;
}

/** Whether a confirmation email to this address was queued within the last `seconds`. */
export async function confirmationSentRecently(client: Queryable, email: string, seconds: number): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM outbox_emails WHERE kind = 'confirmation' AND lower(to_address) = lower($1) AND created_at > now() - make_interval(secs => $2) LIMIT 1`,
    [email, seconds],
  );
  return rows.length > 0;
}

export async function getSubscription(client: Queryable, id: number): Promise<SubscriptionRow | null> {
  const { rows } = await client.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM subscriptions WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function listSubscriptions(client: Queryable): Promise<(SubscriptionRow & { alerts: number })[]> {
  const { rows } = await client.query<SubscriptionRow & { alerts: number }>(
    `SELECT ${COLUMNS}, (SELECT count(*)::int FROM alerts a WHERE a.subscription_id = subscriptions.id) AS alerts FROM subscriptions ORDER BY id`,
  );
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
  await client.query(
    `UPDATE outbox_emails SET status = 'cancelled', last_error = 'unsubscribed' WHERE subscription_id = $1 AND status = 'pending'`,
    [id],
  );
  return rows[0];
}

/** Delete a subscription, its alerts and its queued emails (an email in flight finishes; its row goes). */
export async function deleteSubscription(client: Queryable, id: number): Promise<boolean> {
  await client.query('DELETE FROM outbox_emails WHERE subscription_id = $1', [id]);
  const { rowCount } = await client.query('DELETE FROM subscriptions WHERE id = $1', [id]);
  return (rowCount ?? 0) > 0;
}

export async function knownSymbols(client: Queryable, symbols: string[]): Promise<Map<string, string>> {
  const { rows } = await client.query<{ symbol: string }>('SELECT symbol FROM instruments WHERE upper(symbol) = ANY($1)', [
    symbols.map((s) => s.toUpperCase()),
  ]);
  return new Map(rows.map((r) => [r.symbol.toUpperCase(), r.symbol]));
}

/** Until the transaction ends, one request at a time for this address (any letter case). */
export async function lockSubscriberEmail(client: Queryable, email: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`subscribe:${email.toLowerCase()}`]);
}
