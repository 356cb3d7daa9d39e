// Keeps the embedded Postgres up for as long as the app runs. The server can go away under a running app: killed
// (kill -9, the OOM killer), or stopped by the process that started it (the CLI exiting, the first of two apps
// sharing it stopping). The supervisor notices within a poll, starts the server again on the same port (so the
// pool's connection string stays right; another app of ours that got there first is joined instead) and keeps
// trying with backoff while it cannot. Meanwhile the API answers 503 database_unavailable and /healthz says so.
import type { RunningPostgres } from './embeddedPostgres';

export interface EmbeddedHealth {
  state: 'running' | 'restarting';
  /** since when the server has been missing (state restarting) */
  downSince: string | null;
  /** how many times this process brought it back */
  restarts: number;
  /** why the last attempt to bring it back failed */
  lastError: string | null;
}

export interface SupervisorOptions {
  /** starts (or joins) the server on `port` */
  start: (port: number) => Promise<RunningPostgres>;
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  pollMs?: number;
  /** the longest wait between two attempts to start it again */
  maxBackoffMs?: number;
}

export class EmbeddedSupervisor {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private recovering: Promise<void> | null = null;
  private downSince: Date | null = null;
  private restarts = 0;
  private lastError: string | null = null;

  constructor(
    private server: RunningPostgres,
    private readonly opts: SupervisorOptions,
  ) {
    this.timer = setInterval(() => this.check(), opts.pollMs ?? 500);
    this.timer.unref?.();
  }

  /** the server in use now (after a restart, the new one) */
  get current(): RunningPostgres {
    return this.server;
  }

  /** whether the server is gone and being started again (cheap: asked on every API request) */
  get down(): boolean {
    return this.downSince !== null;
  }

  health(): EmbeddedHealth {
    return {
      state: this.downSince ? 'restarting' : 'running',
      downSince: this.downSince?.toISOString() ?? null,
      restarts: this.restarts,
      lastError: this.lastError,
    };
  }

  /** Stops watching (before the app closes the server itself); waits for an attempt in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.recovering;
  }

  private check(): void {
    if (this.stopped || this.recovering || this.server.isAlive()) return;
    this.downSince = new Date();
    this.opts.log('warn', `the embedded Postgres on port ${this.server.port} is gone; starting it again`);
    this.recovering = this.recover().finally(() => {
      this.recovering = null;
    });
  }

  private async recover(): Promise<void> {
    let backoff = 250;
    while (!this.stopped) {
      try {
        const server = await this.opts.start(this.server.port);
        if (this.stopped) {
          await server.stop();
          return;
        }
        this.server = server;
        this.restarts++;
        const downMs = Date.now() - (this.downSince?.getTime() ?? Date.now());
        this.downSince = null;
        this.lastError = null;
        this.opts.log(
          'info',
          `the embedded Postgres is back on port ${server.port} after ${downMs} ms (${server.owned ? 'started again by this process' : 'joined the one another process started'})`,
        );
        return;
      } catch (e) {
        this.lastError = (e as Error).message;
        this.opts.log('error', `could not start the embedded Postgres again (retrying in ${backoff} ms): ${this.lastError}`);
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, this.opts.maxBackoffMs ?? 5_000);
      }
    }
  }
}
