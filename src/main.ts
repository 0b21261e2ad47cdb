import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureHttpApp, logStartup } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './database/embedded-postgres';
import { runMigrations } from './database/run-migrations';

/**
 * Starts the configured role. With no DATABASE_URL an embedded PostgreSQL is started first
 * (and stopped after the app on SIGTERM/SIGINT), so `npm start` needs nothing installed.
 */
async function main(): Promise<void> {
  const logger = new Logger('SeminarHub');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  if (config.adminTokenGenerated) {
    const { token, created } = await rememberedAdminToken(config.dataDir, config.adminToken);
    config.adminToken = token;
    if (created) logger.warn(`ADMIN_TOKEN not set: made an organizer token, kept in ${join(config.dataDir, 'admin-token')}: ${token}`);
    else logger.log(`ADMIN_TOKEN not set: using the organizer token kept in ${join(config.dataDir, 'admin-token')}`);
  }

  let embedded: EmbeddedPostgresHandle | undefined;
  if (!config.database.url) {
    logger.log(`DATABASE_URL not set: starting embedded PostgreSQL in ${config.database.embeddedDir} on port ${config.database.embeddedPort}`);
    try {
      embedded = await startEmbeddedPostgres(config.database.embeddedDir, config.database.embeddedPort, 'seminarhub', { notice: (line) => logger.warn(line) });
    } catch (error) {
      stopAtStart(logger, `DATABASE_URL is not set and the embedded PostgreSQL did not start: ${(error as Error).message}`);
    }
    config.database.url = embedded.url;
  }
  try {
    const ran = await runMigrations(config.database.url);
    if (ran.length > 0) logger.log(`migrations run: ${ran.join(', ')}`);
  } catch (error) {
    await embedded?.stop().catch(() => undefined);
    const named = embedded ? 'the embedded PostgreSQL' : `DATABASE_URL (${redactedUrl(config.database.url)})`;
    stopAtStart(logger, `cannot use the database at ${named}: ${describeConnectionError(error)}`);
  }

  const stopEmbedded = async () => {
    if (embedded) await embedded.stop().catch((error) => logger.warn(`embedded PostgreSQL did not stop cleanly: ${error}`));
  };

  if (config.role === 'worker') {
    const app = await NestFactory.createApplicationContext(AppModule.forRole(config), { bufferLogs: true });
    app.useLogger(app.get(PinoLogger));
    logger.log(`role=worker started; queue backend ${config.queue.redisUrl ? 'Redis' : 'PostgreSQL'}`);
    onStop(async () => {
      await app.close();
      await stopEmbedded();
    });
    return;
  }

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRole(config), { bodyParser: false, bufferLogs: true });
  // Every Nest log line from here on is a JSON line at LOG_LEVEL, with the request id inside a request.
  app.useLogger(app.get(PinoLogger));
  configureHttpApp(app, config);
  await app.listen(config.port);
  logStartup(app, config, await app.getUrl());
  onStop(async () => {
    await app.close();
    await stopEmbedded();
  });
}

/** One line saying what stopped the start and what to look at; no stack for a problem of the environment. */
function stopAtStart(logger: Logger, line: string): never {
  logger.error(line);
  process.exit(1);
}

function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

/** pg's errors name neither host nor database; say what went wrong in words an operator acts on. */
function describeConnectionError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  switch (code) {
    case 'ECONNREFUSED':
      return `nothing answers there (${message}); is PostgreSQL running?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name does not resolve (${message})`;
    case '28P01':
    case '28000':
      return `the server refused the user or password (${message})`;
    case '3D000':
      return `the database does not exist (${message}); create it first`;
    default:
      return message ?? String(error);
  }
}

/** The token made on the first start without ADMIN_TOKEN, kept so it stays valid across restarts; printed once, when made. */
async function rememberedAdminToken(dataDir: string, fresh: string): Promise<{ token: string; created: boolean }> {
  const file = join(dataDir, 'admin-token');
  const kept = await readFile(file, 'utf8').catch(() => '');
  if (kept.trim().length >= 16) return { token: kept.trim(), created: false };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${fresh}\n`, { mode: 0o600 });
  return { token: fresh, created: true };
}

/**
 * SIGTERM/SIGINT close the app, which runs every shutdown hook (BullMQ workers finish their
 * current job, the relay stops, pools close), then the embedded database; exit 0 when all closed.
 * Not Nest's enableShutdownHooks: it re-raises the signal, so the process never exits 0.
 */
function onStop(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      stop()
        .then(() => process.exit(0))
        .catch(() => process.exit(1));
    });
  }
}

main().catch((error) => {
  new Logger('SeminarHub').error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
