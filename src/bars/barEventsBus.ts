// The one seam for reacting to stored bars. Per app, one bus holds the one LISTEN connection on bars_stored
// (through PgListener: re-opened with backoff) and hands typed events to the handlers it was made with, in
// their declared order: barsStored for every store the bar stores announce, then movesDetected, which move
// detection publishes once its detection has committed (so its handlers see the moves). Each handler gets the
// events of a kind one at a time; events arriving while it runs or waits out its debounce merge into one
// (./barEvents). Notifications are lost while the connection is down, so after a reconnect every handler is
// told to look at everything; a handler may also ask for that at start and periodically (the safety-net sweep).
import type { AppContext, BackgroundService, ServiceFactory } from '../context/appContext';
import type { Logger } from '../logging/logger';
import { PgListener } from '../db/pgListener';
import { BARS_STORED_CHANNEL, parseBarsStored } from './dailyBarStore';
import { EVERYTHING, mergeBarsStored, mergeMovesDetected, type BarsStoredEvent, type MovesDetectedEvent } from './barEvents';

/** How a handler takes events of one kind. */
interface Reaction<E> {
  /** never called again before the previous call finished */
  handle(event: E): Promise<void>;
  /** wait this long after the last event before handling (a backfill of many batches: one call); default 0 */
  debounceMs?: number;
}

export interface BarsStoredReaction extends Reaction<BarsStoredEvent> {
  /** only bars of these intervals (and of an unknown one); default: every interval */
  intervals?: readonly string[];
  /** an everything-event at start */
  sweepAtStart?: boolean;
  /** an everything-event this often: a missed notification costs one sweep at most */
  sweepEveryMs?: number;
}

export interface BarEventsHandler {
  name: string;
  /** before the first event (the bus retries a start that failed for want of a database) */
  start?(): Promise<void> | void;
  /** after the last event */
  stop?(): Promise<void> | void;
  barsStored?: BarsStoredReaction;
  movesDetected?: Reaction<MovesDetectedEvent>;
}

/** A handler of this app, or null when its config switches it off. */
export type BarEventsHandlerFactory = (ctx: AppContext, bus: BarEventsBus) => BarEventsHandler | null;

/** One handler's events of one kind: merged while waiting, handled one at a time. */
class ReactionQueue<E> {
  private waiting: E | undefined; // in its debounce
  private due: E | undefined; // to be handled next
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly reaction: Reaction<E>,
    private readonly merge: (a: E, b: E) => E,
    private readonly onError: (err: unknown) => void,
  ) {}

  push(event: E): void {
    if (this.stopped) return;
    const debounceMs = this.reaction.debounceMs ?? 0;
    if (debounceMs <= 0) {
      this.due = this.due === undefined ? event : this.merge(this.due, event);
      this.kick();
      return;
    }
    this.waiting = this.waiting === undefined ? event : this.merge(this.waiting, event);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const waited = this.waiting!;
      this.waiting = undefined;
      this.due = this.due === undefined ? waited : this.merge(this.due, waited);
      this.kick();
    }, debounceMs);
  }

  private kick(): void {
    this.running ??= this.loop().finally(() => {
      this.running = null;
    });
  }

  private async loop(): Promise<void> {
    while (this.due !== undefined && !this.stopped) {
      const event = this.due;
      this.due = undefined;
      await this.reaction.handle(event).catch(this.onError);
    }
  }

  get idle(): boolean {
    return !this.running && !this.timer && this.due === undefined;
  }

  async settled(): Promise<void> {
    while (!this.idle) {
      if (this.running) await this.running;
      else await new Promise((r) => setTimeout(r, 10));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}

export class BarEventsBus implements BackgroundService {
  readonly name = 'bar-events';
  private readonly barsStored: { queue: ReactionQueue<BarsStoredEvent>; reaction: BarsStoredReaction }[] = [];
  private readonly movesDetected: ReactionQueue<MovesDetectedEvent>[] = [];
  private readonly handlers: BarEventsHandler[] = [];
  private readonly sweeps: NodeJS.Timeout[] = [];
  private readonly listener: PgListener;
  private started = false;
  private stopped = false;

  constructor(
    connectionString: string,
    private readonly log: Logger,
    /** in pg_stat_activity, so an operator (and a test) sees whose LISTEN connection it is */
    applicationName: string,
  ) {
    this.listener = new PgListener({
      connectionString,
      channels: [BARS_STORED_CHANNEL],
      applicationName,
      onNotification: (_channel, payload) => this.onNotification(payload),
      onReconnect: () => this.sweep(), // notifications sent while the connection was down are gone
      logger: log,
    });
  }

  /** Handlers get events in the order they are added; add them before start(). */
  add(handler: BarEventsHandler): void {
    this.handlers.push(handler);
    const onError = (err: unknown) => this.log.error({ err, handler: handler.name }, 'bar event handler failed');
    const { barsStored, movesDetected } = handler;
    if (barsStored) this.barsStored.push({ queue: new ReactionQueue(barsStored, mergeBarsStored, onError), reaction: barsStored });
    if (movesDetected) this.movesDetected.push(new ReactionQueue(movesDetected, mergeMovesDetected, onError));
  }

  get size(): number {
    return this.handlers.length;
  }

  async start(): Promise<void> {
    for (const h of this.handlers) await h.start?.();
    if (this.started) return; // a start retried after a handler's failed
    this.started = true;
    await this.listener.start();
    for (const { queue, reaction } of this.barsStored) {
      if (reaction.sweepEveryMs) {
        const timer = setInterval(() => queue.push(EVERYTHING), reaction.sweepEveryMs);
        timer.unref?.();
        this.sweeps.push(timer);
      }
      if (reaction.sweepAtStart) queue.push(EVERYTHING);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.sweeps) clearInterval(timer);
    await this.listener.stop();
    for (const { queue } of this.barsStored) await queue.stop();
    for (const queue of this.movesDetected) await queue.stop();
    for (const h of [...this.handlers].reverse()) await h.stop?.();
  }

  /** Bars changed: hand the event to every barsStored handler that takes its interval. */
  barsStoredEvent(event: BarsStoredEvent): void {
    if (this.stopped) return;
    for (const { queue, reaction } of this.barsStored) {
      if (event.interval === null || !reaction.intervals || reaction.intervals.includes(event.interval)) queue.push(event);
    }
  }

  /** Move detection committed: hand the event to every movesDetected handler. */
  movesDetectedEvent(event: MovesDetectedEvent): void {
    if (this.stopped) return;
    for (const queue of this.movesDetected) queue.push(event);
  }

  /** Every barsStored handler looks at everything. */
  sweep(): void {
    this.barsStoredEvent(EVERYTHING);
  }

  /** Resolves once no handler is running, waiting out its debounce, or has an event due. */
  async settled(): Promise<void> {
    const queues = () => [...this.barsStored.map((b) => b.queue), ...this.movesDetected];
    while (queues().some((q) => !q.idle)) for (const q of queues()) await q.settled();
  }

  private onNotification(payload: string | undefined): void {
    const stored = parseBarsStored(payload);
    if (!stored) this.log.warn({ payload }, 'unreadable bars_stored payload; every handler looks at everything');
    this.barsStoredEvent(stored ?? EVERYTHING);
  }
}

/** Postgres keeps 63 bytes of an application_name. */
const APPLICATION_NAME_MAX = 63;

/** The bus's application_name: the channel and the app's instance id, its end (pid, random part) kept when too long. */
export function barEventsApplicationName(instanceId: string): string {
  const prefix = `aftershock ${BARS_STORED_CHANNEL} `;
  return prefix + instanceId.slice(-(APPLICATION_NAME_MAX - prefix.length));
}

/**
 * The bar-events bus of an app with these handlers, in this order; null when every one is switched off (then
 * nobody LISTENs). The composition root makes one per app.
 */
export function barEventsService(...factories: BarEventsHandlerFactory[]): ServiceFactory {
  return (ctx) => {
    const log = ctx.logger.child({ component: 'bar-events' });
    const bus = new BarEventsBus(ctx.db.connectionString, log, barEventsApplicationName(ctx.instanceId));
    for (const factory of factories) {
      const handler = factory(ctx, bus);
      if (handler) bus.add(handler);
    }
    return bus.size > 0 ? bus : null;
  };
}
