// A response whose client has stopped reading holds what produces it (a pool connection under a COPY, a compute
// thread waiting for its answer to drain): end it once nothing has been written for `stallMs`.
import type { Response } from 'express';

export function endWhenStalled(res: Response, stallMs: number): void {
  let written = -1;
  let stalledSince: number | null = null;
  const timer = setInterval(
    () => {
      const bytes = res.socket?.bytesWritten ?? 0;
      if (bytes !== written || !res.writableNeedDrain) {
        written = bytes;
        stalledSince = null;
        return;
      }
      stalledSince ??= Date.now();
      if (Date.now() - stalledSince >= stallMs) res.destroy();
    },
    Math.min(1000, stallMs / 3),
  );
  timer.unref();
  res.once('close', () => clearInterval(timer));
}
