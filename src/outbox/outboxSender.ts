// The sender: claims due rows of the outbox and hands them to the SMTP server (nodemailer over SMTP_URL).
//
// Exactly once, and the window that remains. The row is claimed ('sending', leased to this instance) before
// the SMTP transaction, and marked 'sent' right after the server's 250 reply to the message data, on a
// database connection this sender already holds, so nothing but that one UPDATE's round trip lies between the
// server accepting and the row saying so. If the process dies inside that window (or the database is
// unreachable at that moment), the row stays 'sending' and is claimed again once its lease runs out: the
// email goes out a second time. That is the remaining at-least-once window, milliseconds wide. Both copies
// carry the same Message-ID (fixed at the first claim, stored in the row, derived from the row id and this
// database's installation id), so receivers that de-duplicate on Message-ID (most mailbox providers, and
// any MTA configured to) show it once. The lease is far longer than any send may take (nodemailer's
// timeouts below), so a slow but live sender is never overtaken.
import { scrubAddresses } from './addressScrub';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type pg from 'pg';
import type { AppContext } from '../context/appContext';
import type { BackgroundService, ServiceFactory } from '../context/appContext';
import { installationId } from './appSecretStore';
import {
  claimNextEmail,
  markFinal,
  markRetry,
  markSent,
  msUntilNextDue,
  outboxBacklog,
  OUTBOX_CHANNEL,
  type ClaimedEmail,
} from './outboxStore';
import { PgListener } from '../db/pgListener';
import type { Queryable } from '../db/transaction';

/** The longest idle wait between looks at the outbox (a missed NOTIFY costs at most this). */
const MAX_IDLE_MS = 30_000;
const MAX_RETRY_DELAY_MS = 15 * 60_000;
/** SMTP transactions in flight at once per instance (the transport's pool has as many connections) */
const SENDER_WORKERS = 2;

export type SmtpFailure = 'transient' | 'permanent';

/**
 * 5xx replies reject this message for good; everything else (4xx, connection and socket errors, timeouts,
 * authentication, which is the server's configuration and not the message's fault) is worth retrying.
 */
export function classifySmtpError(err: unknown): SmtpFailure {
  const e = err as { code?: string; responseCode?: number };
  if (e.code === 'EAUTH') return 'transient';
  if (typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600) return 'permanent';
  return 'transient';
}

function retryDelayMs(attempts: number, baseMs: number): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.75 + Math.random() * 0.5)); // jitter: instances that failed together do not retry together
}

function mailDomain(mailFrom: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(mailFrom);
  return m ? m[1] : 'aftershock.local';
}

export class OutboxSender implements BackgroundService {
  readonly name = 'outbox-sender';
  private transport: Transporter<SMTPPool.SentMessageInfo> | null = null;
  private listener: PgListener | null = null;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private readonly workers = new Set<Promise<void>>();
  /** while a drain waits for its workers, a wake may add one (up to SENDER_WORKERS) */
  private joinable = false;
  private workerError: unknown = null;
  private wakeAgain = false;
  private failedDrains = 0;
  private stopped = false;
  private messageIdSuffix = '';

  constructor(
    private readonly ctx: AppContext,
    private readonly smtpUrl: string,
    private readonly subscriptionWantsEmails: SubscriptionWantsEmails,
  ) {}

  async start(): Promise<void> {
    const { config } = this.ctx;
    this.messageIdSuffix = `${await installationId(this.ctx.db.pool)}@${mailDomain(config.MAIL_FROM)}`;
    this.transport = nodemailer.createTransport({
      url: this.smtpUrl,
      pool: true,
      maxConnections: SENDER_WORKERS,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: Math.min(30_000, (config.OUTBOX_LEASE_SECONDS * 1000) / 3),
    } as SMTPPool.Options);
    // a socket error of an idle pooled connection must not become an uncaught 'error' event
    this.transport.on('error', (err: Error) => this.ctx.logger.warn({ err }, 'SMTP connection error'));
    this.listener = new PgListener({
      connectionString: this.ctx.db.connectionString,
      channels: [OUTBOX_CHANNEL],
      onNotification: () => this.wake(),
      onReconnect: () => this.wake(),
      logger: this.ctx.logger.child({ component: 'outbox-sender' }),
    });
    await this.listener.start();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.listener?.stop();
    await this.draining;
    this.transport?.close();
  }

  /** Look at the outbox now (after a NOTIFY, a timer, a reconnect). */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.wakeAgain = true;
      // a worker that found nothing has ended: start one now, so that a new email does not wait behind a slow transaction
      if (this.joinable) this.startWorker(this.ctx.db.pool);
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.draining = this.drain()
      .then(
        () => {
          this.failedDrains = 0;
        },
        (err) => {
          this.failedDrains++;
          this.ctx.logger.warn({ err }, 'outbox drain failed (database unreachable?); retrying');
        },
      )
      .finally(() => {
        this.draining = null;
        if (this.stopped) return;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          this.wake();
        } else if (this.failedDrains > 0) this.lookAgainIn(Math.min(MAX_IDLE_MS, 250 * 2 ** this.failedDrains));
        else this.scheduleNextLook();
      });
  }

  /** Resolves once the sender has nothing in hand (tests and benchmarks wait on it). */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    const { pool } = this.ctx.db;
    // two workers: one slow SMTP transaction does not hold up the next email. All end before the drain does,
    // even when one fails, so a new drain never runs beside a worker of the old one.
    this.joinable = true;
    try {
      for (let i = 0; i < SENDER_WORKERS; i++) this.startWorker(pool);
      while (this.workers.size > 0) await Promise.all([...this.workers]);
    } finally {
      this.joinable = false;
    }
    if (this.workerError !== null) {
      const err = this.workerError;
      this.workerError = null;
      throw err;
    }
    await this.updateBacklogGauge(pool);
  }

  private startWorker(pool: pg.Pool): void {
    if (this.stopped || this.workers.size >= SENDER_WORKERS) return;
    const run: Promise<void> = this.worker(pool)
      .catch((err: unknown) => {
        this.workerError ??= err;
      })
      .finally(() => this.workers.delete(run));
    this.workers.add(run);
  }

  private async worker(pool: pg.Pool): Promise<void> {
    const { config } = this.ctx;
    while (!this.stopped) {
      // the connection is held across the send, so marking 'sent' needs no pool checkout after the server's 250
      const client = await pool.connect();
      try {
        const email = await claimNextEmail(client, this.ctx.instanceId, config.OUTBOX_LEASE_SECONDS, this.messageIdSuffix);
        if (!email) return;
        await this.deliver(client, email);
      } finally {
        client.release();
      }
    }
  }

  private async deliver(client: pg.PoolClient, email: ClaimedEmail): Promise<void> {
    const { logger, metrics, config } = this.ctx;
    const log = logger.child({ component: 'outbox-sender', emailId: email.id, kind: email.kind, attempt: email.attempts });
    // alert and digest emails go only while their subscription still wants them (it may have ended since the row was queued)
    const deliverable =
      email.kind === 'confirmation' ||
      (email.subscriptionId !== null && (await this.subscriptionWantsEmails(client, email.subscriptionId)));
    if (!deliverable) {
      await markFinal(client, email.id, 'cancelled', 'the subscription was unsubscribed or is not confirmed');
      metrics.emails.inc({ kind: email.kind, outcome: 'cancelled' });
      return;
    }
    try {
      await this.transport!.sendMail({
        from: config.MAIL_FROM,
        to: email.toAddress,
        subject: email.subject,
        text: email.text,
        html: email.html,
        headers: email.headers,
        messageId: email.messageId,
      });
    } catch (err) {
      const failure = classifySmtpError(err);
      // the reply often quotes the address: what is stored (and shown by GET /api/alerts) and logged is scrubbed
      const message = scrubAddresses(String((err as Error)?.message ?? err), email.toAddress);
      const e = err as { code?: string; responseCode?: number };
      if (failure === 'permanent' || email.attempts >= config.OUTBOX_MAX_ATTEMPTS) {
        await markFinal(client, email.id, 'failed', message);
        metrics.emails.inc({ kind: email.kind, outcome: 'failed' });
        log.error({ err: { message, code: e?.code, responseCode: e?.responseCode }, failure }, 'email failed for good');
      } else {
        const delay = retryDelayMs(email.attempts, config.OUTBOX_RETRY_BASE_MS);
        await markRetry(client, email.id, this.ctx.instanceId, message, delay);
        metrics.emails.inc({ kind: email.kind, outcome: 'retried' });
        log.warn({ err: { message, code: e?.code, responseCode: e?.responseCode }, retryInMs: delay }, 'email not sent; will retry');
      }
      return;
    }
    // the at-least-once window: from the server's 250 to this UPDATE's commit (see the top of this file)
    await markSent(client, email.id);
    metrics.emails.inc({ kind: email.kind, outcome: 'sent' });
    metrics.emailDeliverySeconds.observe({ kind: email.kind }, (Date.now() - email.createdAt.getTime()) / 1000);
    log.info({ messageId: email.messageId }, 'email sent');
  }

  private async updateBacklogGauge(pool: pg.Pool): Promise<void> {
    const backlog = await outboxBacklog(pool);
    this.ctx.metrics.outboxEmails.set({ status: 'pending' }, backlog.pending);
    this.ctx.metrics.outboxEmails.set({ status: 'sending' }, backlog.sending);
    this.ctx.metrics.outboxEmails.set({ status: 'failed' }, backlog.failed);
  }

  private scheduleNextLook(): void {
    void msUntilNextDue(this.ctx.db.pool, this.ctx.config.OUTBOX_LEASE_SECONDS)
      .catch(() => null)
      .then((ms) => this.lookAgainIn(Math.min(MAX_IDLE_MS, ms === null ? MAX_IDLE_MS : ms + 20)));
  }

  private lookAgainIn(ms: number): void {
    if (this.stopped || this.draining) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref?.();
  }
}

/** Whether a subscription is still confirmed and not unsubscribed: the subscriptions' (above the outbox), passed in by the composition root. */
export type SubscriptionWantsEmails = (client: Queryable, subscriptionId: number) => Promise<boolean>;

/** The outbox sender of this app, or null (with one log line) when SMTP_URL is unset: emails are then off. */
export function outboxSenderService(subscriptionWantsEmails: SubscriptionWantsEmails): ServiceFactory {
  return (ctx) => {
    if (!ctx.config.SMTP_URL) {
      ctx.logger.warn(
        'SMTP_URL is not set: email is off. Alerts are still recorded and shown at /api/alerts; queued emails wait in the outbox.',
      );
      return null;
    }
    return new OutboxSender(ctx, ctx.config.SMTP_URL, subscriptionWantsEmails);
  };
}
