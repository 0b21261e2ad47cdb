import { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { AddressInfo } from 'node:net';
import { AppModule } from '../../src/app.module';
import { configureHttpApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { ensureDatabase } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/run-migrations';
import { Mailbox } from './mailbox';
import { ManualClock } from './manual-clock';
import { testServices } from './services';

export type QueueBackend = 'postgres' | 'redis';

/** The queue backends this run tests: PostgreSQL always, Redis where REDIS_URL names one (CI does). */
export function queueBackends(): QueueBackend[] {
  return testServices().redisUrl ? ['postgres', 'redis'] : ['postgres'];
}

export interface TestApp {
  app: NestExpressApplication;
  url: string;
  config: AppConfig;
  mailbox: Mailbox;
  adminToken: string;
  databaseUrl: string;
  db: Client;
  /** The app's clock: `t.clock.advance(ms)` moves the time the app decides by. */
  clock: ManualClock;
  close(): Promise<void>;
}

/**
 * The real app (same module and bootstrap as production) on its own fresh database and its own
 * queue namespace, with a real SMTP server, so suites run in parallel and leave nothing behind.
 */
/**
 * `appDatabaseUrl`: the address the app uses for its database, e.g. through a proxy the test can cut
 * (the test's own `db` stays direct); `redisUrl`: a Redis of the test's own instead of REDIS_URL.
 */
export async function startTestApp(options: {
  queue: QueueBackend;
  env?: Record<string, string>;
  appDatabaseUrl?: (url: string) => string;
  redisUrl?: string;
}): Promise<TestApp> {
  const services = { ...testServices() };
  if (options.redisUrl) services.redisUrl = options.redisUrl;
  const suffix = randomBytes(5).toString('hex');
  const databaseName = `seminarhub_test_${suffix}`;
  const admin = new URL(services.databaseUrl);
  await ensureDatabase(admin.toString(), databaseName);
  const databaseUrl = Object.assign(new URL(services.databaseUrl), { pathname: `/${databaseName}` }).toString();
  await runMigrations(databaseUrl);

  const mailbox = await new Mailbox().start();
  const adminToken = randomBytes(24).toString('base64url');
  const config = loadConfig({
    ROLE: 'all',
    PORT: '0',
    ADMIN_TOKEN: adminToken,
    DATABASE_URL: options.appDatabaseUrl ? options.appDatabaseUrl(databaseUrl) : databaseUrl,
    REDIS_URL: options.queue === 'redis' ? services.redisUrl : undefined,
    QUEUE_NAMESPACE: `t${suffix}`,
    SMTP_URL: mailbox.url,
    OUTBOX_RELAY_INTERVAL_MS: '200',
    MAIL_MAX_ATTEMPTS: '4',
    CLUSTER_OFFICE_EMAIL_ICT: 'ict-office@cluster.test',
    CLUSTER_OFFICE_EMAIL_DC: 'dc-office@cluster.test',
    // The suites fire hundreds of requests from 127.0.0.1; the rate-limit suite turns the limits on in its env.
    RATE_LIMIT_PUBLIC_WRITES_PER_MINUTE: '0',
    RATE_LIMIT_PUBLIC_READS_PER_MINUTE: '0',
    // The request log stays off in the suites (Nest's own warnings and errors still show); request ids are still made and echoed.
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const clock = new ManualClock();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRole(config, clock), { bodyParser: false, logger: ['error', 'warn'] });
  configureHttpApp(app, config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  // Links in mail must point at this test server.
  config.publicUrl = url;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();

  return {
    app,
    url,
    config,
    mailbox,
    adminToken,
    databaseUrl,
    db,
    clock,
    async close() {
      await app.close();
      await db.end();
      await mailbox.stop();
      if (options.queue === 'redis') await deleteRedisKeys(services.redisUrl!, `t${suffix}:`);
      const client = new Client({ connectionString: services.databaseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      await client.end();
    },
  };
}

async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
