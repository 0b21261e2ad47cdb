import Redis from 'ioredis';
import { Client } from 'pg';

/** How the e2e suites reach their services; read from the environment that npm test / .ci/run gives. */
export function testServices(): { databaseUrl: string; redisUrl: string | undefined } {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: test/support/global-setup.ts should have set it (embedded PostgreSQL)');
  return { databaseUrl, redisUrl: process.env.REDIS_URL || undefined };
}

export async function assertPostgresReachable(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL named by DATABASE_URL (${redact(url)}) cannot be reached: ${(error as Error).message}.\n` +
        `Start it (here: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start), or unset DATABASE_URL to use the embedded PostgreSQL.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function assertRedisReachable(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `Redis named by REDIS_URL (${redact(url)}) cannot be reached: ${(error as Error).message}.\n` +
        `Start it (here: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no), or unset REDIS_URL to test the PostgreSQL queue backend only.`,
    );
  } finally {
    redis.disconnect();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
