// LISTEN on a dedicated connection (a pooled one would be handed to other queries and lose its LISTENs).
// When the database goes away (restart, network) the connection is re-opened with exponential backoff, and
// onReconnect runs: notifications sent meanwhile are lost, so the caller catches up by looking.
import pg from 'pg';
import type { Logger } from '../logging/logger';

export interface PgListenerOptions {
  connectionString: string;
  channels: string[];
  /** the connection's application_name, as pg_stat_activity shows it */
  applicationName?: string;
  onNotification: (channel: string, payload: string | undefined) => void;
  /** after a reconnect (not after the first connect) */
  onReconnect?: () => void;
  logger: Logger;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export class PgListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private connectedOnce = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: PgListenerOptions) {}

  /** Resolves after the first connect attempt; a failed one keeps retrying in the background. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.opts.connectionString,
      keepAlive: true,
      application_name: this.opts.applicationName,
    });
    client.on('notification', (n) => this.opts.onNotification(n.channel, n.payload));
    const lost = (err?: Error) => {
      if (this.client !== client) return; // already replaced or stopped
      this.client = null;
      client.end().catch(() => {});
      const brief = err && { message: err.message, code: (err as { code?: string }).code }; // never the pg objects
      this.opts.logger.warn({ err: brief, channels: this.opts.channels }, 'LISTEN connection lost; reconnecting');
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      for (const channel of this.opts.channels) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      if (this.stopped) return;
      this.opts.logger.warn({ err, attempt: this.failures + 1 }, 'cannot LISTEN; retrying');
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.failures = 0;
    if (this.connectedOnce) {
      this.opts.logger.info({ channels: this.opts.channels }, 'LISTEN connection restored');
      this.opts.onReconnect?.();
    }
    this.connectedOnce = true;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    const min = this.opts.minBackoffMs ?? 200;
    const max = this.opts.maxBackoffMs ?? 15_000;
    const delay = Math.min(max, min * 2 ** this.failures) * (0.5 + Math.random() / 2);
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      // if the first connect never succeeded, the catch-up after it is still owed
      if (!this.connectedOnce) this.connectedOnce = true;
      void this.connect();
    }, delay);
  }
}
