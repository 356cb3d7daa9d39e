// The live intraday studies of this app: one per (event or instant, members, options) that someone watches,
// shared by all its viewers (SSE clients, the intraday alerts). Each holds its members' bars in memory; when the
// bars bus says bars of its members were stored, it reads only the new bars, computes the study once in a
// compute worker and hands the answer to every viewer, with the stream's `bars` message (what the new bars
// changed, made once in the worker for every viewer). The last viewer leaving drops it.
import type pg from 'pg';
import type { BarEventsHandlerFactory } from '../bars/barEventsBus';
import type { BarsStoredEvent } from '../bars/barEvents';
import type { ComputePool } from '../compute/computePool';
import type { AppContext } from '../context/appContext';
import type { Logger } from '../logging/logger';
import { asOfOfJson, firstDiff, type IntradayAnswer } from './intradayCompute';
import {
  readIntradaySeries,
  resolveIntraday,
  storedInterval,
  type IntradayJob,
  type IntradaySeriesColumns,
  type ResolvedIntraday,
} from './intradayInputs';
import { intradayKey, type IntradayQuery } from './intradayParams';
import { computeLiveInPool, type IntradayScope } from './intradayService';

/** One computed state of a live study. */
export interface IntradayUpdate {
  /** the answer's asOf */
  asOf: string | null;
  /** the SSE id: the asOf, with `~n` after it for the n-th later update of the same asOf (a bar of another member) */
  id: string;
  /** the answer as JSON text (what the stream sends on connect) */
  json: string;
  /** the `bars` message from the previous update (IntradayBarsMessage as JSON); null: only the full study says it */
  bars: string | null;
  /** the previous update's id (the study `bars` applies to) */
  base: string | null;
  /** the answer parsed (once, on first call) */
  answer(): IntradayAnswer;
}

export type IntradayListener = (update: IntradayUpdate) => void;

export interface IntradaySubscription {
  /** the study as it stands (now: read it when sending) */
  readonly current: IntradayUpdate;
  unsubscribe(): void;
}

/** An update of asOf after `previous`; its `json` is set once the whole study has come (a bars message comes first). */
function updateOf(asOf: string | null, json: string, bars: string | null, previous: IntradayUpdate | null): IntradayUpdate {
  let parsed: IntradayAnswer | undefined;
  let id = asOf ?? '';
  if (previous && previous.asOf === asOf) {
    const seq = previous.id.indexOf('~') < 0 ? 0 : Number(previous.id.slice(previous.id.indexOf('~') + 1));
    id = `${id}~${seq + 1}`;
  }
  const update: IntradayUpdate = {
    asOf,
    id,
    json,
    bars,
    base: previous?.id ?? null,
    answer: () => (parsed ??= JSON.parse(update.json) as IntradayAnswer),
  };
  return update;
}

/** Whether a bars message's JSON changes any point (a member's `from` or the aggregate's is a number). */
function movesPoints(bars: string): boolean {
  return /"from":-?\d/.test(bars) || !bars.includes('"aggregateFrom":null');
}

/** The asOf of a bars message's JSON (right after its base). */
function asOfOfBars(bars: string): string | null {
  const m = /"asOf":(?:null|"([^"]*)")/.exec(bars.slice(0, 256));
  return m?.[1] ?? null;
}

/**
 * The start (ms) of the first bar of `now` that differs from `had` (null: none), or NaN when bars went away
 * or the daily closes changed (then only the full study says what changed).
 */
function firstChange(had: IntradaySeriesColumns, now: IntradaySeriesColumns): number | null {
  const at = firstDiff(had, now);
  if (at < 0) return null;
  if (Number.isNaN(at) || now.t.length < had.t.length) return Number.NaN;
  // a bar moved: from the earlier of its old and new instants
  return at < had.t.length ? Math.min(had.t[at], now.t[at]) : now.t[at];
}

const copy = (s: IntradaySeriesColumns): IntradaySeriesColumns => ({
  t: s.t.slice(),
  close: s.close.slice(),
  volume: s.volume.slice(),
  closeDays: s.closeDays.slice(),
  dailyClose: s.dailyClose.slice(),
});

/** Bars before `from` kept, the fresh read from `from` on after them. */
function spliceFrom(had: IntradaySeriesColumns, fresh: IntradaySeriesColumns, from: number): IntradaySeriesColumns {
  let keep = 0;
  while (keep < had.t.length && had.t[keep] < from) keep++;
  const join = (a: Float64Array, b: Float64Array) => {
    const out = new Float64Array(keep + b.length);
    out.set(a.subarray(0, keep));
    out.set(b, keep);
    return out;
  };
  return { ...had, t: join(had.t, fresh.t), close: join(had.close, fresh.close), volume: join(had.volume, fresh.volume) };
}

let liveStudiesMade = 0;

class LiveStudy {
  /** each listener, and whether it takes a bars message as soon as it is made (the streams), before the study */
  readonly listeners = new Map<IntradayListener, boolean>();
  /** while the study of bars sent already is still coming: new viewers wait for it */
  pendingJson: Promise<void> | null = null;
  current: IntradayUpdate | null = null;
  private series = new Map<string, IntradaySeriesColumns>();
  /** symbols with new bars not yet read: the earliest new bar (ms), or null for a full read */
  private dirty = new Map<string, number | null>();
  /** per symbol, its first bar changed since the last computation (ms); null: the next update sends the full study */
  private changed: Map<string, number> | null = null;
  private running: Promise<void> | null = null;
  readonly symbols: Set<string>;

  /** what the compute workers know it by (unique: a study made again starts afresh) */
  private readonly key: string;

  constructor(
    private readonly deps: { pool: pg.Pool; compute: ComputePool; log: Logger },
    readonly resolved: ResolvedIntraday,
    key: string,
  ) {
    this.symbols = new Set(resolved.spans.keys());
    this.key = `${key}#${++liveStudiesMade}`;
  }

  async start(): Promise<void> {
    this.series = await readIntradaySeries(this.deps.pool, this.resolved.spans.values(), this.resolved.how.options.interval);
    await this.compute();
  }

  /** Bars of these symbols changed from `from` (ms; null: any time, or daily closes). */
  touch(symbols: Iterable<string>, from: number | null): void {
    for (const s of symbols) {
      if (!this.symbols.has(s)) continue;
      const had = this.dirty.get(s);
      this.dirty.set(s, had === undefined ? from : had === null || from === null ? null : Math.min(had, from));
    }
    if (this.dirty.size > 0) this.kick();
  }

  private kick(): void {
    this.running ??= (async () => {
      try {
        while (this.dirty.size > 0 && this.listeners.size > 0) {
          const dirty = this.dirty;
          this.dirty = new Map();
          await this.reread(dirty);
          await this.compute();
        }
      } catch (err) {
        // what changed since the study viewers have is no longer known: the next update is the full study
        this.changed = null;
        this.deps.log.error({ err }, 'live intraday study failed to update');
      } finally {
        this.running = null;
      }
    })();
  }

  private async reread(dirty: Map<string, number | null>): Promise<void> {
    const spans = [...dirty].map(([symbol, from]) => {
      const span = this.resolved.spans.get(symbol)!;
      return { ...span, from: from === null || from < span.from.getTime() ? span.from : new Date(from) };
    });
    const fresh = await readIntradaySeries(this.deps.pool, spans, this.resolved.how.options.interval);
    for (const [symbol, from] of dirty) {
      const read = fresh.get(symbol)!;
      const had = this.series.get(symbol);
      const now = from === null || !had ? read : spliceFrom(had, read, from);
      this.series.set(symbol, now);
      if (!this.changed) continue;
      const at = had ? firstChange(had, now) : Number.NaN;
      if (Number.isNaN(at)) this.changed = null;
      else if (at !== null) this.changed.set(symbol, Math.min(at, this.changed.get(symbol) ?? at));
    }
  }

  private async compute(): Promise<void> {
    const r = this.resolved;
    const job: IntradayJob = {
      event: r.event,
      instant: r.instant.getTime(),
      dateOnly: r.dateOnly,
      now: Date.now(),
      options: r.how.options,
      benchmark: r.how.benchmark,
      members: r.members,
      series: new Map([...this.series].map(([s, c]) => [s, copy(c)])),
      live: this.current && this.changed ? { changedFrom: this.changed, base: this.current.id } : undefined,
      liveKey: this.key,
    };
    this.changed = new Map();
    const previous = this.current;
    let early: IntradayUpdate | null = null;
    let arrived = () => {};
    try {
      // the bars message goes to the streams as soon as the worker has written it, before the whole study
      const onBars = (bars: string) => {
        // no point changed (a benchmark's bar before its members'): only the whole study says whether anything did
        if (!movesPoints(bars)) return;
        early = updateOf(asOfOfBars(bars), '', bars, previous);
        this.pendingJson = new Promise<void>((resolve) => (arrived = resolve));
        this.notify(early, (isEarly) => isEarly);
      };
      const { bars, json } = await computeLiveInPool(this.deps.compute, job, previous ? onBars : undefined);
      const sent = early as IntradayUpdate | null;
      if (sent) sent.json = json;
      else if (previous?.json === json) return;
      const update = sent ?? updateOf(asOfOfJson(json), json, previous ? bars : null, previous);
      this.current = update;
      this.notify(update, (isEarly) => !isEarly || !sent);
    } finally {
      this.pendingJson = null;
      arrived();
    }
  }

  private notify(update: IntradayUpdate, which: (early: boolean) => boolean): void {
    for (const [listener, isEarly] of [...this.listeners]) {
      if (!which(isEarly)) continue;
      try {
        listener(update);
      } catch (err) {
        this.deps.log.error({ err }, 'live intraday listener failed');
      }
    }
  }

  /** Resolves once no update is under way. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }
}

/** The live studies of one app. */
export class IntradayHub {
  private readonly studies = new Map<string, Promise<LiveStudy>>();
  private readonly global = new Set<(update: IntradayUpdate, key: string) => void>();
  private readonly closers = new Set<() => void>();
  private closed = false;

  constructor(private readonly deps: { pool: pg.Pool; compute: ComputePool; log: Logger; limits: ResolveLimits }) {}

  /** Whether the study of `scope` and `q` is live already (a new viewer costs no computation). */
  isLive(scope: IntradayScope, q: IntradayQuery): boolean {
    return this.studies.has(intradayKey(scope.slug ?? 'at', q));
  }

  /** Live studies being kept (one per key). */
  get size(): number {
    return this.studies.size;
  }

  /**
   * Watch the study of `scope` and `q`: resolves (after the first computation, shared with every other viewer
   * of the same key) with the study as it stands; `listener` gets every later update. A bad request throws its
   * 4xx before anything is kept.
   */
  async subscribe(scope: IntradayScope, q: IntradayQuery, listener: IntradayListener, early = false): Promise<IntradaySubscription> {
    if (this.closed) throw new Error('the intraday hub is closed');
    const key = intradayKey(scope.slug ?? 'at', q);
    let pending = this.studies.get(key);
    if (!pending) {
      pending = (async () => {
        const resolved = await resolveIntraday(this.deps.pool, scope, q, this.deps.limits);
        const study = new LiveStudy(this.deps, resolved, key);
        study.listeners.set((u) => {
          for (const g of this.global) g(u, key);
        }, false);
        await study.start();
        return study;
      })();
      this.studies.set(key, pending);
      pending.catch(() => this.studies.delete(key));
    }
    const study = await pending;
    // a bars message sent already: the viewer starts from the study it leads to
    while (study.pendingJson) await study.pendingJson;
    study.listeners.set(listener, early);
    let left = false;
    return {
      get current() {
        return study.current!;
      },
      unsubscribe: () => {
        if (left) return;
        left = true;
        study.listeners.delete(listener);
        // only the hub's own forwarding listener left: nobody watches
        if (study.listeners.size <= 1 && this.studies.get(key) === pending) this.studies.delete(key);
      },
    };
  }

  /** Every update of every live study (the intraday alerts watch the groups they follow through subscribe). */
  onUpdate(listener: (update: IntradayUpdate, key: string) => void): () => void {
    this.global.add(listener);
    return () => this.global.delete(listener);
  }

  /** The bars bus's event: each live study whose members' bars changed updates. */
  async barsStored(event: BarsStoredEvent): Promise<void> {
    const from = event.interval !== '1d' && event.sessions ? Date.parse(event.sessions.from) : Number.NaN;
    for (const pending of this.studies.values()) {
      const study = await pending.catch(() => null);
      if (!study) continue;
      const interval = storedInterval(study.resolved.how.options.interval);
      if (event.interval !== null && event.interval !== '1d' && event.interval !== interval) continue;
      const symbols = event.symbols ?? [...study.symbols];
      study.touch(symbols, event.interval === interval && Number.isFinite(from) ? from : null);
    }
  }

  /** Resolves once no live study is updating (tests). */
  async settled(): Promise<void> {
    for (const pending of [...this.studies.values()]) await (await pending.catch(() => null))?.settled();
  }

  /** `fn` runs when the hub closes (a stream ends its response, so the server's close does not wait for it). */
  onClose(fn: () => void): () => void {
    this.closers.add(fn);
    return () => this.closers.delete(fn);
  }

  close(): void {
    this.closed = true;
    this.studies.clear();
    for (const fn of [...this.closers]) fn();
    this.closers.clear();
  }
}

type ResolveLimits = Parameters<typeof resolveIntraday>[3];

const hubs = new WeakMap<AppContext, IntradayHub>();

/** The live hub of an app (made on first use): the routes, the bars-bus handler and the alerts share it. */
export function intradayHubOf(ctx: AppContext): IntradayHub {
  let hub = hubs.get(ctx);
  if (!hub) {
    hub = new IntradayHub({
      pool: ctx.db.pool,
      compute: ctx.compute,
      log: ctx.logger.child({ component: 'intraday-live' }),
      limits: ctx.config,
    });
    hubs.set(ctx, hub);
  }
  return hub;
}

/**
 * Follow a live intraday study from another capability (the intraday alerts): `listener` gets the answer after
 * each new bar of its members; call the returned function to stop. The first call computes the study; viewers
 * of the same (event or instant, members, options) share one computation per new bar.
 */
export async function onIntradayUpdate(
  ctx: AppContext,
  scope: IntradayScope,
  q: IntradayQuery,
  listener: (answer: IntradayAnswer, update: IntradayUpdate) => void,
): Promise<{ current: IntradayAnswer; stop: () => void }> {
  const sub = await intradayHubOf(ctx).subscribe(scope, q, (u) => listener(u.answer(), u));
  return { current: sub.current.answer(), stop: sub.unsubscribe };
}

/** The bars-bus handler that keeps the live studies current (5-minute bars and the rest, and daily closes). */
export const intradayLive: BarEventsHandlerFactory = (ctx) => {
  const hub = intradayHubOf(ctx);
  return {
    name: 'intraday-live',
    barsStored: { handle: (event) => hub.barsStored(event) },
    stop: () => hub.close(),
  };
};
