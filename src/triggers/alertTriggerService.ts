// The alert triggers, as a handler of the bar-events bus: they react to every bars_stored event (sent by the bar
// stores at commit) at once, without waiting for move detection, and the bus sweeps for them at start and every
// ALERT_SWEEP_SECONDS as a safety net, so a missed notification delays an alert by one sweep at most and never
// loses it. Each evaluation finds the candidates (./alertCandidates); those of an instant subscription
// wait in its coalescing window and are then written together with ONE outbox email (./alertWriter); digest
// subscriptions get their alerts recorded at once and one email per exchange session after its close
// (./alertDigests).
import type pg from 'pg';
import type { AppContext } from '../context/appContext';
import type { BarsStoredEvent } from '../bars/barEvents';
import type { BarEventsHandler, BarEventsHandlerFactory, BarsStoredReaction } from '../bars/barEventsBus';
import { linkSigner, publicBaseUrl } from '../notifications/linkTokens';
import { CoalescingWindows, freshCandidates, type Candidate } from './alertCandidates';
import { writeAlerts, type AlertLinks, type AlertWriterDeps } from './alertWriter';
import { sendDueDigests } from './alertDigests';

export class AlertTriggers implements BarEventsHandler {
  readonly name = 'alert-triggers';
  readonly barsStored: BarsStoredReaction;
  private links!: AlertLinks;
  private readonly windows: CoalescingWindows;
  private readonly writes = new Set<Promise<void>>();

  constructor(
    private readonly ctx: AppContext,
    /** what time it is: which sessions are news depends on it (a test sets the clock of the sessions it stores) */
    private readonly now: () => Date = () => new Date(),
  ) {
    this.windows = new CoalescingWindows(ctx.config.ALERT_COALESCE_MS, (id, candidates) => this.writeInstant(id, candidates));
    // no debounce: the bus merges what arrives during an evaluation into the next one
    this.barsStored = {
      handle: (event) => this.onBarsStored(event),
      sweepAtStart: true,
      sweepEveryMs: ctx.config.ALERT_SWEEP_SECONDS * 1000,
    };
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
  }

  /** After the last evaluation: write what is waiting in coalescing windows now rather than leave it to the next start's sweep. */
  async stop(): Promise<void> {
    this.windows.closeAll();
    await Promise.all(this.writes);
  }

  /** Resolves once nothing is waiting in a coalescing window or being written (the bus's settled() covers evaluations). */
  async settled(): Promise<void> {
    for (;;) {
      if (this.writes.size) await Promise.all(this.writes);
      else if (this.windows.size) await new Promise((r) => setTimeout(r, 10));
      else return;
    }
  }

  private async onBarsStored(event: BarsStoredEvent): Promise<void> {
    try {
      await this.evaluate(event.symbols === null ? 'all' : new Set(event.symbols));
      await sendDueDigests(this.pool, this.links);
    } catch (err) {
      // the next notification or sweep tries again; nothing is lost, the bars are still there
      this.ctx.logger.warn({ err }, 'alert evaluation failed');
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
export function alertTriggers(opts: { now?: () => Date } = {}): BarEventsHandlerFactory {
  return (ctx) => (ctx.config.JOB_ALERTS_ENABLED ? new AlertTriggers(ctx, opts.now) : null);
}
