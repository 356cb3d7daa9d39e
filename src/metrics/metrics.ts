// Prometheus metrics at /metrics: one registry per app instance (tests start several in one process).
import client from 'prom-client';

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: 'aftershock_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // alerts (src/alerts)
  const alertsCreated = new client.Counter({
    name: 'aftershock_alerts_created_total',
    help: 'Alerts created, by rule',
    labelNames: ['rule'],
    registers: [registry],
  });
  const emails = new client.Counter({
    name: 'aftershock_emails_total',
    help: 'Outbox emails by kind and outcome (sent, retried, failed, cancelled)',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const outboxEmails = new client.Gauge({
    name: 'aftershock_outbox_emails',
    help: 'Outbox emails waiting or failed, by status',
    labelNames: ['status'],
    registers: [registry],
  });
  const emailDeliverySeconds = new client.Histogram({
    name: 'aftershock_email_delivery_seconds',
    help: 'From an email being queued to the SMTP server accepting it',
    labelNames: ['kind'],
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800],
    registers: [registry],
  });
  // live market data (src/ingest, src/scheduler, src/status)
  const marketDataRequests = new client.Counter({
    name: 'aftershock_marketdata_requests_total',
    help: 'Market-data request attempts by provider, operation and outcome (ok, retry, rate_limited, error)',
    labelNames: ['provider', 'op', 'outcome'],
    registers: [registry],
  });
  const marketDataRateLimited = new client.Counter({
    name: 'aftershock_marketdata_rate_limited_total',
    help: 'HTTP 429 answers from the market-data provider',
    labelNames: ['provider', 'op'],
    registers: [registry],
  });
  const marketDataDuration = new client.Histogram({
    name: 'aftershock_marketdata_request_duration_seconds',
    help: 'Duration of one market-data request attempt',
    labelNames: ['provider', 'op'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const ingestRows = new client.Counter({
    name: 'aftershock_ingest_rows_total',
    help: 'Bar rows written by live ingest and backfills, by interval and change (new, updated)',
    labelNames: ['interval', 'change'],
    registers: [registry],
  });
  const jobRuns = new client.Counter({
    name: 'aftershock_job_runs_total',
    help: 'Scheduled job runs by job and status (ok, error, skipped)',
    labelNames: ['job', 'status'],
    registers: [registry],
  });
  // staleness is read from the database when scraped; startApp sets the source
  const stalenessSource: { current: (() => Promise<StalenessSample[]>) | null } = { current: null };
  // one query per scrape: the registry collects all metrics at once, so the second gauge joins the first one's query
  let inFlight: Promise<StalenessSample[]> | null = null;
  const stalenessSamples = (): Promise<StalenessSample[]> => {
    if (!stalenessSource.current) return Promise.resolve([]);
    inFlight ??= stalenessSource
      .current()
      .catch(() => [])
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
  new client.Gauge({
    name: 'aftershock_data_staleness_sessions',
    help: 'Closed trading sessions without a final daily bar, per instrument (absent where sessions are unknown)',
    labelNames: ['symbol'],
    registers: [registry],
    async collect() {
      const samples = await stalenessSamples();
      this.reset();
      for (const s of samples) if (s.sessionsMissed !== null) this.set({ symbol: s.symbol }, s.sessionsMissed);
    },
  });
  new client.Gauge({
    name: 'aftershock_data_staleness_hours',
    help: 'Hours since the last successful price fetch, per instrument (absent when never fetched)',
    labelNames: ['symbol'],
    registers: [registry],
    async collect() {
      const samples = await stalenessSamples();
      this.reset();
      for (const s of samples) if (s.hoursSinceFetch !== null) this.set({ symbol: s.symbol }, s.hoursSinceFetch);
    },
  });
  // the result cache of heavy answers (src/compute/resultCache.ts): hit, miss, or stale (the data changed since)
  const resultCacheRequests = new client.Counter({
    name: 'aftershock_result_cache_requests_total',
    help: 'Heavy requests (impact, studies) answered from the result cache (hit) or computed (miss, stale)',
    labelNames: ['route', 'outcome'],
    registers: [registry],
  });
  const resultCacheBytes = new client.Gauge({
    name: 'aftershock_result_cache_bytes',
    help: 'Bytes the result cache holds (answers and keys), at most RESULT_CACHE_MB',
    registers: [registry],
  });
  return {
    registry,
    resultCacheRequests,
    resultCacheBytes,
    httpDuration,
    alertsCreated,
    emails,
    outboxEmails,
    emailDeliverySeconds,
    marketDataRequests,
    marketDataRateLimited,
    marketDataDuration,
    ingestRows,
    jobRuns,
    stalenessSource,
  };
}

/** One instrument's staleness, as the /metrics gauges show it. */
export interface StalenessSample {
  symbol: string;
  sessionsMissed: number | null;
  hoursSinceFetch: number | null;
}

export type Metrics = ReturnType<typeof createMetrics>;
