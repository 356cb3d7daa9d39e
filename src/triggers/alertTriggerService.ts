// The alert triggers, as a background service. Reacts to NOTIFY bars_stored (sent by the bar stores at commit)
// and sweeps periodically as a safety net, so a missed notification delays an alert by one sweep at most and
// never loses it. Each evaluation finds the candidates (./alertCandidates); those of an instant subscription
// wait in its coalescing window and are then written together with ONE outbox email (./alertWriter); digest
// subscriptions get their alerts recorded at once and one email per exchange session after its close
// (./alertDigests).
import type pg from 'pg';
import type { AppContext } from '../context/appContext';
import type { BackgroundService, ServiceFactory } from '../context/appContext';
import { BARS_STORED_CHANNEL, parseBarsStored } from '../bars/dailyBarStore';
import { linkSigner, publicBaseUrl } from '../notifications/linkTokens';
import { PgListener } from '../db/pgListener';
import { CoalescingWindows, freshCandidates, type Candidate } from './alertCandidates';
import { writeAlerts, type AlertLinks, type AlertWriterDeps } from './alertWriter';
import { sendDueDigests } from './alertDigests';

export class AlertTriggerService implements BackgroundService {
  readonly name = 'alert-triggers';
  private links!: AlertLinks;
  private listener: PgListener | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  /** symbols named by notifications not yet evaluated; 'all' after a sweep request */
  private requested: Set<string> | 'all' | null = null;
  private running: Promise<void> | null = null;
  private readonly windows: CoalescingWindows;
  private readonly writes = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    /** what time it is: which sessions are news depends on it (a test sets the clock of the sessions it stores) */
    private readonly now: () => Date = () => new Date(),
  ) {
    this.windows = new CoalescingWindows(ctx.config.ALERT_COALESCE_MS, (id, candidates) => this.writeInstant(id, candidates));
  }

  private get pool(): pg.Pool {
    return this.ctx.db.pool;
  }

  private get writer(): AlertWriterDeps {
    return { pool: this.pool, links: this.links, logger: this.ctx.logger, metrics: this.ctx.metrics };
  }

  async start(): Promise<void> {
    const signer = await linkSigner(this.pool, this.ctx.config);
    this.links = { baseUrl: publicBaseUrl(this.ctx.config), signer };
    if (!this.ctx.config.BASE_URL)
      this.ctx.logger.warn({ linksTo: this.links.baseUrl }, 'BASE_URL is not set: links in alert emails point to localhost');
    this.listener = new PgListener({
      connectionString: this.ctx.db.connectionString,
      channels: [BARS_STORED_CHANNEL],
      onNotification: (_channel, payload) => this.onBarsStored(payload),
      onReconnect: () => this.request('all'), // notifications sent while the connection was down are lost: look at everything
      logger: this.ctx.logger.child({ component: 'alert-triggers' }),
    });
    await this.listener.start();
    this.sweepTimer = setInterval(() => this.request('all'), this.ctx.config.ALERT_SWEEP_SECONDS * 1000);
    this.sweepTimer.unref?.();
    this.request('all');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.listener?.stop();
    await this.running;
    // write what is waiting in coalescing windows now rather than leave it to the next start's sweep
    this.windows.closeAll();
    await Promise.all(this.writes);
  }

  /** Resolves once nothing is being evaluated, waiting in a coalescing window, or being written. */
  async settled(): Promise<void> {
    for (;;) {
      if (this.running) await this.running;
      else if (this.writes.size) await Promise.all(this.writes);
      else if (this.windows.size) await new Promise((r) => setTimeout(r, 10));
      else return;
    }
  }

  private onBarsStored(payload: string | undefined): void {
    // a payload we do not understand still means "bars changed": look at everything
    this.request(parseBarsStored(payload)?.symbols ?? 'all');
  }

  /** Evaluate these symbols (or all) soon; requests arriving during an evaluation are merged into the next. */
  request(symbols: string[] | 'all'): void {
    if (this.stopped) return;
    if (symbols === 'all' || this.requested === 'all') this.requested = 'all';
    else {
      this.requested ??= new Set();
      for (const s of symbols) this.requested.add(s);
    }
    this.running ??= this.loop().finally(() => {
      this.running = null;
    });
  }

  private async loop(): Promise<void> {
    while (this.requested && !this.stopped) {
      const batch = this.requested;
      this.requested = null;
      try {
        await this.evaluate(batch);
        await sendDueDigests(this.pool, this.links);
      } catch (err) {
        // the next notification or sweep tries again; nothing is lost, the bars are still there
        this.ctx.logger.warn({ err }, 'alert evaluation failed');
      }
    }
  }

  private async evaluate(requested: Set<string> | 'all'): Promise<void> {
    const fresh = await freshCandidates(this.pool, requested, this.now());
    const digestBySubscription = new Map<number, Candidate[]>();
    for (const c of fresh) {
      if (c.subscription.mode === 'digest')
        digestBySubscription.set(c.subscription.id, [...(digestBySubscription.get(c.subscription.id) ?? []), c]);
      else this.windows.add(c);
    }
    for (const [id, list] of digestBySubscription) await writeAlerts(this.writer, id, list, false);
  }

  /** A coalescing window closed: write its alerts and their email. */
  private writeInstant(subscriptionId: number, candidates: Candidate[]): void {
    const write: Promise<void> = writeAlerts(this.writer, subscriptionId, candidates, true)
      // the candidates are lost from memory, not from the database: the next sweep finds them again
      .catch((err) => this.ctx.logger.warn({ err, subscriptionId }, 'writing alerts failed; the next sweep retries'))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }
}

/** The alert triggers of this app, or null when JOB_ALERTS_ENABLED is off. */
export function alertTriggerService(opts: { now?: () => Date } = {}): ServiceFactory {
  return (ctx) => (ctx.config.JOB_ALERTS_ENABLED ? new AlertTriggerService(ctx, opts.now) : null);
}
