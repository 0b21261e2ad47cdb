import { resolve } from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { assertPostgresReachable, assertRedisReachable } from './services';

/**
 * Runs once before the e2e suites. Without DATABASE_URL it starts the embedded PostgreSQL (as
 * `npm start` does), so `npm test` needs nothing installed. A service the environment names
 * must answer, or the run fails here saying which one and how to start it; nothing is skipped.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    const dir = resolve(__dirname, '..', '..', '.data', 'test-postgres');
    const port = Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54339);
    const handle = await startEmbeddedPostgres(dir, port, 'postgres');
    (globalThis as { embeddedPostgres?: typeof handle }).embeddedPostgres = handle;
    process.env.DATABASE_URL = handle.url;
    console.log(`\ne2e: embedded PostgreSQL at 127.0.0.1:${port} (DATABASE_URL not set)`);
  }
  await assertPostgresReachable(process.env.DATABASE_URL);
  if (process.env.REDIS_URL) {
    await assertRedisReachable(process.env.REDIS_URL);
    console.log('e2e: queue backends under test: PostgreSQL and Redis');
  } else {
    console.log('e2e: queue backend under test: PostgreSQL only (set REDIS_URL to test the Redis backend too; CI does)');
  }
}
