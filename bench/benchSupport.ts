// Shared pieces of the bench scripts: a throwaway embedded Postgres, timing, and the results file that
// `npm run bench` collects into one table.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '../src/app/server';
import type { ServiceFactory } from '../src/context/appContext';
import { loadConfig } from '../src/config/config';
import { openDatabase, type Database } from '../src/db/database';
import { createLogger } from '../src/logging/logger';

export async function benchDatabase(): Promise<{ db: Database; cleanup: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const db = await openDatabase({ DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: '', EMBEDDED_PG_PORT: 0 }, createLogger('warn'));
    return { db, cleanup: () => db.close() };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftershock-bench-'));
  fs.chmodSync(dir, 0o755);
  const db = await openDatabase({ DATA_DIR: dir, EMBEDDED_PG_PORT: 0 }, createLogger('warn'), { poolSize: 12 });
  return {
    db,
    cleanup: async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  /** the limit measured in the same run, and value / limit */
  limit?: { name: string; value: number; ratio: number };
  goal?: string;
}

/** Print the figures and keep them for `npm run bench`. */
export function report(bench: string, figures: BenchFigure[], notes: Record<string, unknown> = {}) {
  const dir = path.join(__dirname, '..', 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, `${bench}.json`),
    JSON.stringify({ bench, at: new Date().toISOString(), machine: machine(), figures, notes }, null, 2),
  );
  console.log(`\n${bench}`);
  for (const f of figures) {
    const limit = f.limit ? `   vs ${f.limit.name} ${fmt(f.limit.value)} ${f.unit} -> ratio ${f.limit.ratio.toFixed(2)}x` : '';
    console.log(`  ${f.name.padEnd(44)} ${fmt(f.value).padStart(12)} ${f.unit}${limit}${f.goal ? `   (goal ${f.goal})` : ''}`);
  }
}

export function machine() {
  return { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}

export function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}

/** The real app on port 0 over a bench database: no bundled data, no scheduler, warnings only; `services` to run, `env` over the defaults. */
export function startBenchApp(db: Database, services: ServiceFactory[] = [], env: Record<string, string> = {}): Promise<RunningApp> {
  const config = loadConfig({
    ...env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.connectionString,
    IMPORT_BUNDLED_DATA: 'false',
    SCHEDULER_ENABLED: 'false',
    LOG_LEVEL: 'warn',
  });
  return startApp({ config, db, logger: createLogger('warn'), services });
}

/** Synthetic US instruments for a bench: an index `index` and `symbols` benchmarked against it (labelled synthetic). */
export async function insertSyntheticUsInstruments(db: Database, index: string, symbols: readonly string[]): Promise<void> {
  await db.pool.query(
    `INSERT INTO instruments (symbol, name, exchange, currency, time_zone, kind) VALUES ($1, 'synthetic index', 'US', 'USD', 'America/New_York', 'index')`,
    [index],
  );
  await db.pool.query(
    `INSERT INTO instruments (symbol, name, exchange, currency, time_zone, kind, benchmark_symbol)
     SELECT s, 'synthetic ' || s, 'US', 'USD', 'America/New_York', 'equity', $2 FROM unnest($1::text[]) s`,
    [symbols, index],
  );
}
