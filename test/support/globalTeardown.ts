import fs from 'node:fs';
import type { RunningPostgres } from '../../src/db/embeddedPostgres';

export default async function globalTeardown() {
  const server = (globalThis as Record<string, unknown>).__AFTERSHOCK_PG__ as RunningPostgres | undefined;
  await server?.stop();
  if (process.env.AFTERSHOCK_TEST_PG_DIR) fs.rmSync(process.env.AFTERSHOCK_TEST_PG_DIR, { recursive: true, force: true });
}
