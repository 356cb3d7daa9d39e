// The bounded queue of heavy requests of this process: `running` at once (one per compute thread), `waiting`
// more in line, and beyond that a 429 with Retry-After. A request is admitted before it reads any bar, so
// what waits holds no memory; one whose client leaves while it waits gives its place up.
import { AppError } from '../errors/appError';

export interface Admission {
  running: number;
  waiting: number;
}

export class AdmissionQueue {
  private active = 0;
  private readonly line: { admit: () => void; abandon: () => void }[] = [];
  /** a running mean of how long a heavy request holds its place, for Retry-After */
  private meanMs = 1_000;

  constructor(
    private readonly limits: Admission,
    /** called when the last running request is done and none waits */
    private readonly onIdle: () => void = () => {},
  ) {}

  get size(): { running: number; waiting: number } {
    return { running: this.active, waiting: this.line.length };
  }

  /** Resolves with the release of the place once admitted; a full line throws a 429; `signal` leaves the line. */
  async enter(signal?: AbortSignal): Promise<() => void> {
    if (this.active >= this.limits.running) {
      if (this.line.length >= this.limits.waiting) {
        const turns = Math.ceil((this.line.length + 1) / this.limits.running);
        const retryAfterSeconds = Math.max(1, Math.ceil((turns * this.meanMs) / 1000));
        throw new AppError(
          429,
          'busy',
          `${this.limits.running} heavy requests are running and ${this.limits.waiting} waiting (COMPUTE_QUEUE); try again in ${retryAfterSeconds} s`,
          { retryAfterSeconds },
        );
      }
      await new Promise<void>((resolve, reject) => {
        const place = {
          admit: () => {
            signal?.removeEventListener('abort', place.abandon);
            resolve();
          },
          abandon: () => {
            const at = this.line.indexOf(place);
            if (at >= 0) this.line.splice(at, 1);
            reject(new AppError(499, 'client_closed', 'the client went away while its request waited'));
          },
        };
        signal?.addEventListener('abort', place.abandon, { once: true });
        this.line.push(place);
      });
    } else this.active++;
    const t0 = Date.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.meanMs = 0.8 * this.meanMs + 0.2 * (Date.now() - t0);
      const next = this.line.shift();
      if (next) next.admit();
      else if (--this.active === 0) this.onIdle();
    };
  }
}
