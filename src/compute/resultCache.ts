// Answers of heavy requests (impact, studies, and the intraday study through the same hook) kept in memory, keyed by
// the request's normalised options and checked against the watermark of the data they were computed from: a
// cached answer is served only while the database still says nothing it depends on has changed, so several app
// instances on one database never serve a stale answer after a write. Bounded by bytes (least recently used out).
import type { Request, Response } from 'express';
import type { Counter, Gauge } from 'prom-client';
import { sendComputed, type ComputedAnswer, type ComputePool, type ComputeTask } from './computePool';

interface Entry {
  watermark: string;
  /** what the watermark was read over (the instruments resolved on the miss), read again on a hit */
  deps: unknown;
  answer: ComputedAnswer;
  body: Buffer;
}

export interface ResultCacheSettings {
  RESULT_CACHE: boolean;
  RESULT_CACHE_MB: number;
}

export class ResultCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  readonly maxBytes: number;

  constructor(
    settings: ResultCacheSettings,
    private readonly metrics?: { requests: Counter<'route' | 'outcome'>; bytes: Gauge },
  ) {
    this.maxBytes = settings.RESULT_CACHE ? settings.RESULT_CACHE_MB * 2 ** 20 : 0;
  }

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  private sizeOf(key: string, e: Entry): number {
    return e.body.length + key.length * 2 + 256;
  }

  private take(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e) {
      // most recently used last: Map keeps insertion order
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    return e;
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= this.sizeOf(key, e);
    this.metrics?.bytes.set(this.bytes);
  }

  private put(key: string, e: Entry): void {
    this.drop(key);
    const size = this.sizeOf(key, e);
    if (size > this.maxBytes) return;
    for (const oldest of this.entries.keys()) {
      if (this.bytes + size <= this.maxBytes) break;
      this.drop(oldest);
    }
    this.entries.set(key, e);
    this.bytes += size;
    this.metrics?.bytes.set(this.bytes);
  }

  /**
   * Answers from the cache when the entry's watermark is still the database's (X-Cache: hit); otherwise computes it
   * like sendComputed (X-Cache: miss) and keeps the answer with the watermark read before its data: `early` (the
   * tables only) before `resolve` reads them, the whole of it (with the bars of the dependencies `resolve` found)
   * before the bars are read. A write in between only makes the kept answer look older than it is (the next request
   * recomputes); a write to the tables during `resolve` (the early part is then not a prefix) keeps nothing.
   */
  async send<D>(
    compute: ComputePool,
    req: Request,
    res: Response,
    request: { route: string; key: string; early: D; watermark: (deps: D) => Promise<string> },
    resolve: () => Promise<{ deps: D; answer: ComputedAnswer; prepare: () => Promise<ComputeTask> }>,
  ): Promise<void> {
    const { route, key } = request;
    if (!this.enabled) {
      const { answer, prepare } = await resolve();
      await sendComputed(compute, req, res, answer, prepare);
      return;
    }
    const cached = this.take(key);
    if (cached) {
      if ((await request.watermark(cached.deps as D)) === cached.watermark) {
        this.metrics?.requests.inc({ route, outcome: 'hit' });
        const { answer, body } = cached;
        res.status(answer.status ?? 200).setHeader('Content-Type', answer.contentType);
        for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v);
        res.setHeader('X-Cache', 'hit');
        res.end(body);
        return;
      }
      this.drop(key);
    }
    this.metrics?.requests.inc({ route, outcome: cached ? 'stale' : 'miss' });
    const early = await request.watermark(request.early);
    const { deps, answer, prepare } = await resolve();
    const watermark = await request.watermark(deps);
    const keep = (body: Buffer) => {
      if (watermark.startsWith(early)) this.put(key, { watermark, deps, answer, body });
    };
    await sendComputed(compute, req, res, { ...answer, headers: { ...answer.headers, 'X-Cache': 'miss' } }, prepare, {
      maxBytes: this.maxBytes,
      keep,
    });
  }
}
