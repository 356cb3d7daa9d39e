// Subscribing with double opt-in: a subscription and its confirmation email are written in one transaction;
// nothing but that confirmation goes to the address until its link is followed.
import { withTransaction } from '../db/transaction';
import type { AppContext } from '../context/appContext';
import { badRequest } from '../http/errors';
import { composeConfirmationEmail } from '../outbox/emailContent';
import { confirmUrl, linkSigner, publicBaseUrl, unsubscribeUrl, type LinkPurpose } from '../outbox/linkTokens';
import { enqueueEmail } from '../outbox/outboxStore';
import type { Subscription } from './subscriptionContract';
import {
  confirmationSentRecently,
  confirmSubscription,
  deleteSubscription,
  findSameSubscription,
  getSubscription,
  insertSubscription,
  knownSymbols,
  unsubscribeSubscription,
  type SubscriptionInput,
  type SubscriptionRow,
  lockSubscriberEmail,
} from './subscriptionStore';

/** One confirmation email per address in this time at most: the form cannot be used to flood someone's inbox. */
const CONFIRMATION_RESEND_SECONDS = 10 * 60;

type SubscriptionStatus = 'pending_confirmation' | 'active' | 'unsubscribed';

function subscriptionStatus(s: Pick<SubscriptionRow, 'confirmedAt' | 'unsubscribedAt'>): SubscriptionStatus {
  if (s.unsubscribedAt) return 'unsubscribed';
  return s.confirmedAt ? 'active' : 'pending_confirmation';
}

/** The API shape; the address only for the admin. */
export function presentSubscription(s: SubscriptionRow, withEmail: boolean): Subscription {
  return {
    id: s.id,
    ...(withEmail ? { email: s.email } : {}),
    symbols: s.symbols.length ? s.symbols : 'all',
    minMovePct: s.minMovePct,
    minAbnormalZ: s.minAbnormalZ,
    mode: s.mode,
    status: subscriptionStatus(s),
    createdAt: s.createdAt.toISOString(),
    confirmedAt: s.confirmedAt?.toISOString() ?? null,
    unsubscribedAt: s.unsubscribedAt?.toISOString() ?? null,
  };
}

export interface SubscribeRequest {
  email: string;
  /** null = every tracked instrument */
  symbols: string[] | null;
  minMovePct: number;
  minAbnormalZ: number | null;
  mode: 'instant' | 'digest';
}

/**
 * Create a subscription (or find the identical one already asked for) and queue its confirmation email.
 * Unknown symbols are a 400 naming them.
 */
export async function subscribe(ctx: AppContext, req: SubscribeRequest): Promise<SubscriptionRow> {
  const { pool } = ctx.db;
  let symbols: string[] = [];
  if (req.symbols) {
    const known = await knownSymbols(pool, req.symbols);
    const unknown = req.symbols.filter((s) => !known.has(s.toUpperCase()));
    if (unknown.length) throw badRequest(`Unknown symbols: ${unknown.join(', ')}`, { param: 'symbols', unknown });
    symbols = [...new Set(req.symbols.map((s) => known.get(s.toUpperCase())!))].sort();
  }
  const input: SubscriptionInput = {
    email: req.email,
    symbols,
    minMovePct: req.minMovePct,
    minAbnormalZ: req.minAbnormalZ,
    mode: req.mode,
  };
  const signer = await linkSigner(pool, ctx.config);
  const baseUrl = publicBaseUrl(ctx.config);

  return withTransaction(pool, async (client) => {
    // one address at a time: two identical requests at once must not create two subscriptions
    await lockSubscriberEmail(client, req.email);
    const existing = await findSameSubscription(client, input);
    const subscription = existing ?? (await insertSubscription(client, input));
    // the limit is per address, whatever the terms: new terms within the window wait, pending, for the next request
    const needsConfirmation =
      !subscription.confirmedAt && !(await confirmationSentRecently(client, req.email, CONFIRMATION_RESEND_SECONDS));
    if (needsConfirmation) {
      const email = composeConfirmationEmail(input, {
        baseUrl,
        confirmUrl: confirmUrl(baseUrl, signer, subscription.id),
        unsubscribeUrl: unsubscribeUrl(baseUrl, signer, subscription.id),
      });
      await enqueueEmail(client, {
        dedupeKey: `confirm:${subscription.id}:${Date.now()}`,
        kind: 'confirmation',
        subscriptionId: subscription.id,
        to: subscription.email,
        ...email,
      });
    }
    return subscription;
  });
}

/** The subscription a signed link names, or null when the token is forged, malformed or expired. */
export async function subscriptionFromToken(ctx: AppContext, token: string, purpose: LinkPurpose): Promise<number | null> {
  const signer = await linkSigner(ctx.db.pool, ctx.config);
  return signer.verify(token, purpose);
}

export async function confirm(ctx: AppContext, id: number): Promise<SubscriptionRow | null> {
  return confirmSubscription(ctx.db.pool, id);
}

export async function unsubscribe(ctx: AppContext, id: number): Promise<SubscriptionRow | null> {
  return withTransaction(ctx.db.pool, async (client) => {
    const row = await unsubscribeSubscription(client, id);
    return row;
  });
}

/** Delete a subscription with its alerts and queued emails, in one transaction. False when there is none. */
export async function removeSubscription(ctx: AppContext, id: number): Promise<boolean> {
  return withTransaction(ctx.db.pool, async (client) => {
    const deleted = await deleteSubscription(client, id);
    return deleted;
  });
}

export { getSubscription };
