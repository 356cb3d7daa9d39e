// The heavy analysis of this process (studies, the impact of many instruments) runs here, off the event loop:
// a bounded pool of worker threads (piscina) behind a bounded admission queue. Each task writes its answer
// as a stream of chunks (chunkChannel.ts), piped into the HTTP response as it comes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MessageChannel } from 'node:worker_threads';
import type { Request, RequestHandler, Response } from 'express';
import { Piscina } from 'piscina';
import { projectRoot } from '../config/config';
import { AppError } from '../errors/appError';
import { tokenBucket } from '../http/rateLimit';
import { endWhenStalled } from '../http/stalledResponse';
import { AdmissionQueue } from './admission';
import { chunkReader } from './chunkChannel';
import { fullCollection } from './fullCollection';

/** The worker entry as esbuild bundles it (scripts/build.mjs): next to dist/main.js, or in dist/ when we run from src/ (tests). */
function workerFile(): string {
  const bundled = path.join(__dirname, 'compute-worker.js');
  if (fs.existsSync(bundled)) return bundled;
  const built = path.join(projectRoot, 'dist', 'compute-worker.js');
  if (fs.existsSync(built)) return built;
  throw new Error(`no compute worker at ${bundled} or ${built}: run npm run build`);
}

/** Threads by default: one core stays with the event loop (HTTP, SQL), at most 4. */
const defaultComputeThreads = (): number => Math.max(1, Math.min(4, os.availableParallelism() - 1));

/** A thread idle this long ends, and the memory of its isolate with it. */
const IDLE_THREAD_MS = 3_000;

export interface ComputeSettings {
  COMPUTE_THREADS?: number | undefined;
  /** an answer whose client has read nothing for this long is ended (the thread goes back to the pool) */
  EXPORT_STALL_SECONDS: number;
  COMPUTE_QUEUE: number;
  HEAVY_RATE_LIMIT: number;
}

export class ComputePool {
  private readonly piscina: Piscina;
  private readonly admission: AdmissionQueue;
  private collection: NodeJS.Timeout | undefined;
  readonly stallMs: number;
  /** the per-client limit of the public heavy routes (one bucket per client for all of them) */
  readonly perClient: RequestHandler;

  constructor(settings: ComputeSettings) {
    const threads = settings.COMPUTE_THREADS ?? defaultComputeThreads();
    this.stallMs = settings.EXPORT_STALL_SECONDS * 1000;
    this.piscina = new Piscina({
      filename: workerFile(),
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: IDLE_THREAD_MS,
      // below the event loop in the scheduler's eyes: on a busy machine /healthz and light requests go first
      niceIncrement: 10,
      atomics: 'disabled',
    });
    this.admission = new AdmissionQueue({ running: threads, waiting: settings.COMPUTE_QUEUE }, () => {
      // the burst is over: once the threads have ended, full collections give back what the event loop's heap grew
      // by (a second one a little later: a thread may end late on a busy machine, and what it freed is then seen)
      clearTimeout(this.collection);
      this.collection = setTimeout(() => {
        fullCollection();
        this.collection = setTimeout(fullCollection, 5_000).unref();
      }, IDLE_THREAD_MS + 2_000).unref();
    });
    this.perClient = tokenBucket({
      capacity: settings.HEAVY_RATE_LIMIT,
      refillMs: 60_000,
      what: 'heavy analysis requests (studies, impact)',
    });
  }

  /**
   * A place for one heavy request: resolves with its release once it may run, or throws a 429 with Retry-After
   * when COMPUTE_QUEUE requests already wait. A client that leaves while waiting gives its place up.
   */
  async admit(req: Request, res: Response): Promise<() => void> {
    const gone = new AbortController();
    const onClose = () => gone.abort();
    req.once('close', onClose);
    try {
      return await this.admission.enter(gone.signal);
    } catch (err) {
      if (err instanceof AppError && err.status === 429)
        res.setHeader('Retry-After', String((err.details as { retryAfterSeconds: number }).retryAfterSeconds));
      throw err;
    } finally {
      req.off('close', onClose);
    }
  }

  /** Runs the worker task `name` with `payload` (plus the port it writes its answer to) and streams the answer. */
  async run(name: string, payload: object, transfer: ArrayBuffer[]): Promise<{ stream: Readable; done: Promise<void> }> {
    const { port1, port2 } = new MessageChannel();
    const reader = chunkReader(port1);
    const done = this.piscina.run({ ...payload, port: port2 }, { name, transferList: [port2, ...transfer] }).then(
      () => undefined,
      (err: Error) => {
        reader.fail(err);
        if (err.name !== 'ReaderGone') throw err;
      },
    );
    done.catch(() => {}); // the failure reaches the caller through `started` or the stream
    await reader.started;
    return { stream: reader.stream, done };
  }

  /** Ends the threads (on stop). */
  async close(): Promise<void> {
    clearTimeout(this.collection);
    await this.piscina.destroy();
  }
}

export interface ComputedAnswer {
  contentType: string;
  /** default 200 */
  status?: number;
  headers?: Record<string, string>;
}

/** What `prepare` hands to a worker: the task's name, its payload, and the buffers to transfer with it. */
export interface ComputeTask {
  name: string;
  payload: object;
  transfer: ArrayBuffer[];
}

/**
 * Runs one heavy request: its place in the queue, `prepare` (the reads, after admission, so that a queued request
 * holds no bars), the worker task, and its answer streamed to the client.
 */
export async function sendComputed(
  pool: ComputePool,
  req: Request,
  res: Response,
  answer: ComputedAnswer,
  prepare: () => Promise<ComputeTask>,
  keep?: { maxBytes: number; keep: (body: Buffer) => void },
): Promise<void> {
  const release = await pool.admit(req, res);
  try {
    const { name, payload, transfer } = await prepare();
    const { stream, done } = await pool.run(name, payload, transfer);
    res.status(answer.status ?? 200).setHeader('Content-Type', answer.contentType);
    // a client that stops reading would hold the thread (it waits for its answer to drain)
    endWhenStalled(res, pool.stallMs);
    for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v);
    try {
      if (keep) {
        // a copy of the answer as it goes out (./resultCache), given up once larger than the cache
        const chunks: Buffer[] = [];
        let bytes = 0;
        stream.on('data', (chunk: Buffer) => {
          if (bytes > keep.maxBytes) return;
          bytes += chunk.length;
          chunks.push(chunk);
        });
        // kept when the worker's answer is whole, before the response ends: the client's next request finds it
        stream.once('end', () => {
          if (bytes <= keep.maxBytes) keep.keep(Buffer.concat(chunks));
        });
        await pipeline(stream, res);
        await done;
      } else {
        await pipeline(stream, res);
        await done;
      }
    } catch (err) {
      // the client went away: the worker has been told to stop; nobody is left to answer
      if (res.destroyed && (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      throw err;
    }
  } finally {
    release();
  }
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
