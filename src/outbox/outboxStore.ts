// The email outbox in Postgres: rows are written in the same transaction as what caused them (a subscription,
// alerts), then claimed and sent by a sender. Claims use FOR UPDATE SKIP LOCKED plus a lease, so two app
// instances never hold the same row and a row whose sender died is claimed again once its lease has run out.
import type { Queryable } from '../db/transaction';

/** NOTIFY channel: an email was queued (payload: its id); senders wake on it instead of polling. */
export const OUTBOX_CHANNEL = 'outbox';

type EmailKind = 'confirmation' | 'alert' | 'digest';

export interface QueuedEmail {
  dedupeKey: string;
  kind: EmailKind;
  subscriptionId: number | null;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** Queue an email (inside the caller's transaction); null when one with this dedupe key exists already. */
export async function enqueueEmail(client: Queryable, email: QueuedEmail): Promise<number | null> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO outbox_emails (dedupe_key, kind, subscription_id, to_address, subject, text, html, headers)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [email.dedupeKey, email.kind, email.subscriptionId, email.to, email.subject, email.text, email.html, JSON.stringify(email.headers)],
  );
  const id = rows[0]?.id ?? null;
  // delivered at commit, so a sender never wakes for a row it cannot see yet
  if (id !== null) await client.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', $1)`, [String(id)]);
  return id;
}

/** Which of these dedupe keys an email was queued under already (whatever became of it). */
export async function queuedDedupeKeys(db: Queryable, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const { rows } = await db.query<{ key: string }>('SELECT dedupe_key AS key FROM outbox_emails WHERE dedupe_key = ANY($1)', [keys]);
  return new Set(rows.map((r) => r.key));
}

export interface ClaimedEmail {
  id: number;
  kind: EmailKind;
  subscriptionId: number | null;
  toAddress: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  attempts: number;
  messageId: string;
  createdAt: Date;
}

/**
 * Claim the next due email: pending and due, or 'sending' under a lease that has run out (its sender died).
 * The Message-ID is fixed at the first claim and kept for every later attempt.
 */
export async function claimNextEmail(
  client: Queryable,
  instanceId: string,
  leaseSeconds: number,
  messageIdSuffix: string,
): Promise<ClaimedEmail | null> {
  const { rows } = await client.query<ClaimedEmail>(
    `UPDATE outbox_emails o
        SET status = 'sending', locked_by = $1, locked_at = now(), attempts = o.attempts + 1,
            message_id = coalesce(o.message_id, '<outbox-' || o.id || '.' || $3 || '>')
      WHERE o.id = (
        SELECT id FROM outbox_emails
         WHERE (status = 'pending' AND next_attempt_at <= now())
            OR (status = 'sending' AND locked_at < now() - make_interval(secs => $2))
         ORDER BY next_attempt_at, id
         LIMIT 1
         FOR UPDATE SKIP LOCKED)
      RETURNING o.id, o.kind, o.subscription_id AS "subscriptionId", o.to_address AS "toAddress", o.subject, o.text, o.html, o.headers,
                o.attempts, o.message_id AS "messageId", o.created_at AS "createdAt"`,
    [instanceId, leaseSeconds, messageIdSuffix],
  );
  return rows[0] ?? null;
}

export async function markSent(client: Queryable, id: number): Promise<void> {
  await client.query(
    `UPDATE outbox_emails SET status = 'sent', sent_at = now(), locked_by = NULL, locked_at = NULL, last_error = NULL WHERE id = $1`,
    [id],
  );
}

/** Back to pending after a transient failure, due again after `delayMs`; only while the claim is still ours. */
export async function markRetry(client: Queryable, id: number, instanceId: string, error: string, delayMs: number): Promise<void> {
  await client.query(
    `UPDATE outbox_emails SET status = 'pending', next_attempt_at = now() + make_interval(secs => $3), last_error = $4, locked_by = NULL, locked_at = NULL
      WHERE id = $1 AND locked_by = $2 AND status = 'sending'`,
    [id, instanceId, delayMs / 1000, error.slice(0, 2000)],
  );
}

export async function markFinal(client: Queryable, id: number, status: 'failed' | 'cancelled', error: string): Promise<void> {
  await client.query(`UPDATE outbox_emails SET status = $2, last_error = $3, locked_by = NULL, locked_at = NULL WHERE id = $1`, [
    id,
    status,
    error.slice(0, 2000),
  ]);
}

/** Milliseconds until the next row falls due (a retry, or a lease running out); null when nothing waits. */
export async function msUntilNextDue(client: Queryable, leaseSeconds: number): Promise<number | null> {
  const { rows } = await client.query<{ ms: number | null }>(
    `SELECT greatest(0, extract(epoch FROM min(due) - now()) * 1000)::float8 AS ms FROM (
       SELECT min(next_attempt_at) AS due FROM outbox_emails WHERE status = 'pending'
       UNION ALL
       SELECT min(locked_at) + make_interval(secs => $1) FROM outbox_emails WHERE status = 'sending') d`,
    [leaseSeconds],
  );
  return rows[0].ms;
}

export interface OutboxBacklog {
  pending: number;
  sending: number;
  failed: number;
  /** age of the oldest pending row, seconds; null when none */
  oldestPendingSeconds: number | null;
}

export async function outboxBacklog(client: Queryable): Promise<OutboxBacklog> {
  const { rows } = await client.query<OutboxBacklog>(
    `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
            count(*) FILTER (WHERE status = 'sending')::int AS sending,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            round(extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending')))::float8 AS "oldestPendingSeconds"
       FROM outbox_emails WHERE status IN ('pending', 'sending', 'failed')`,
  );
  return rows[0];
}

/** Whether a confirmation email (or a links email, which the same limit covers) to this address was queued within the last `seconds`. */
export async function confirmationSentRecently(client: Queryable, email: string, seconds: number): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM outbox_emails WHERE kind = 'confirmation' AND lower(to_address) = lower($1) AND created_at > now() - make_interval(secs => $2) LIMIT 1`,
    [email, seconds],
  );
  return rows.length > 0;
}

/** Cancel what is still queued for a subscription (in the caller's transaction). */
export async function cancelPendingEmailsOf(client: Queryable, subscriptionId: number, reason: string): Promise<void> {
  await client.query(`UPDATE outbox_emails SET status = 'cancelled', last_error = $2 WHERE subscription_id = $1 AND status = 'pending'`, [
    subscriptionId,
    reason,
  ]);
}

/** Delete a subscription's emails (an email in flight finishes; its row goes). */
export async function deleteEmailsOf(client: Queryable, subscriptionId: number): Promise<void> {
  await client.query('DELETE FROM outbox_emails WHERE subscription_id = $1', [subscriptionId]);
}

/** For a read that must stay one query (alerts with the email that carries them): a left join of the outbox as `alias` on `idExpr`. */
export const outboxEmailJoinSql = (alias: string, idExpr: string) => `LEFT JOIN outbox_emails ${alias} ON ${alias}.id = ${idExpr}`;
