import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { freePort } from './free-port';
import { assertPostgresReachable, assertRedisReachable } from './services';

/**
 * Runs once before the e2e suites. Without DATABASE_URL it starts the embedded PostgreSQL (as
 * `npm start` does), so `npm test` needs nothing installed. A service the environment names
 * must answer, or the run fails here saying which one and how to start it; nothing is skipped.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    // A fresh folder under the system temp dir: PostgreSQL runs as the `postgres` user when we are
    // root, and that user may not be able to enter the checkout's folders.
    const dir = await mkdtemp(join(tmpdir(), 'seminarhub-e2e-pg-'));
    // A free port unless one is asked for: two test runs (or a bench) on one machine must not collide.
    const port = Number(process.env.TEST_EMBEDDED_PG_PORT ?? (await freePort()));
    const handle = await startEmbeddedPostgres(dir, port, 'postgres');
    Object.assign(globalThis, { embeddedPostgres: handle, embeddedPostgresDir: dir });
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
