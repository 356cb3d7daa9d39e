// A worker's answer as a byte stream over a MessagePort: the worker writes text, sent in chunks of ~64 KB
// (transferred, not copied), and waits while CHUNKS_AHEAD chunks are unread, so a slow client holds back the
// worker instead of piling the answer up in memory. The reading side is a Readable to pipe into the response.
import { Readable } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';

const CHUNK_CHARS = 64 * 1024;
const CHUNKS_AHEAD = 4;

type ToReader = { chunk: Uint8Array } | { end: true };
type ToWriter = 'ack' | 'cancel';

/** The reader went away (the client closed the connection): the worker stops. */
class ReaderGone extends Error {
  constructor() {
    super('the reader of this answer went away');
    this.name = 'ReaderGone';
  }
}

const encoder = new TextEncoder();

/** Worker side. */
export class ChunkWriter {
  private parts: string[] = [];
  private chars = 0;
  private unacknowledged = 0;
  private gone = false;
  private wake: (() => void) | null = null;

  constructor(private readonly port: MessagePort) {
    port.on('message', (m: ToWriter) => {
      if (m === 'cancel') this.gone = true;
      else this.unacknowledged--;
      this.wake?.();
      this.wake = null;
    });
  }

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.chars += text.length;
    if (this.chars >= CHUNK_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.gone) throw new ReaderGone();
    if (this.chars === 0) return;
    const chunk = encoder.encode(this.parts.join('')); // a buffer of its own (never a pooled slab), so it can be transferred
    this.parts = [];
    this.chars = 0;
    this.port.postMessage({ chunk } satisfies ToReader, [chunk.buffer as ArrayBuffer]);
    this.unacknowledged++;
    while (this.unacknowledged >= CHUNKS_AHEAD && !this.gone) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.gone) throw new ReaderGone();
  }

  async end(): Promise<void> {
    await this.flush();
    this.port.postMessage({ end: true } satisfies ToReader);
    this.port.close();
  }

  /** Stop listening (after a failure): the reader learns of it from the task's rejection. */
  close(): void {
    this.port.close();
  }
}

/** Main-thread side: `started` settles at the first chunk (or the end), so a failure before it can still be a 4xx/5xx. */
export function chunkReader(port: MessagePort): { stream: Readable; started: Promise<void>; fail(err: Error): void } {
  let owed = 0;
  let begun = false;
  let start!: { resolve: () => void; reject: (e: Error) => void };
  const started = new Promise<void>((resolve, reject) => (start = { resolve, reject }));
  const stream = new Readable({
    read() {
      for (; owed > 0; owed--) port.postMessage('ack' satisfies ToWriter);
    },
    destroy(err, callback) {
      try {
        port.postMessage('cancel' satisfies ToWriter);
      } catch {
        // the port is already closed
      }
      port.close();
      callback(err);
    },
  });
  port.on('message', (m: ToReader) => {
    begun = true;
    start.resolve();
    if ('end' in m) {
      stream.push(null);
      port.close();
      return;
    }
    if (stream.push(m.chunk)) port.postMessage('ack' satisfies ToWriter);
    else owed++;
  });
  return {
    stream,
    started,
    fail(err) {
      if (!begun) start.reject(err);
      else stream.destroy(err);
      port.close();
    },
  };
}
