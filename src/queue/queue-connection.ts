import { BullModule } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { createPostgresBackend, PostgresConnection, PostgresQueueBackend, Queue, setDefaultBackendFactory, Worker } from 'bullmq';
import type { QueueOptions, WorkerOptions } from 'bullmq';
import type { EventEmitter } from 'node:events';
import { AppConfig } from '../config/app-config';
import type { Metrics } from '../common/metrics/metrics.service';

export type QueueBackendName = 'redis' | 'postgres';

export function queueBackendName(config: AppConfig): QueueBackendName {
  return config.queue.redisUrl ? 'redis' : 'postgres';
}

/**
 * BullMQ's root options for the configured backend: Redis when REDIS_URL is set (production,
 * scale-out), otherwise BullMQ's own PostgreSQL backend on the app database, in its own schema,
 * so a new machine needs no Redis. The backend factory is process-wide in BullMQ 6, hence it is
 * set here, once, before @nestjs/bullmq builds any Queue or Worker.
 */
export function bullRootOptions(config: AppConfig, metrics?: Metrics): QueueOptions<never> {
  BullModule.workerClass = workerClassWith(metrics, {
    concurrency: config.queue.workerConcurrency,
    // A job whose worker died (SIGKILL, OOM) is taken back once its lock lapses and the stall check runs.
    lockDuration: config.queue.jobLockMs,
    stalledInterval: config.queue.jobLockMs,
  });
  if (config.queue.redisUrl) {
    setDefaultBackendFactory(undefined);
    const url = new URL(config.queue.redisUrl);
    return {
      prefix: config.queue.namespace,
      connection: {
        host: url.hostname,
        port: Number(url.port || 6379),
        username: url.username || undefined,
        password: url.password ? decodeURIComponent(url.password) : undefined,
        db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
        tls: url.protocol === 'rediss:' ? {} : undefined,
        // Required by BullMQ workers (blocking commands must not time out) and harmless for queues.
        maxRetriesPerRequest: null,
      },
    } as unknown as QueueOptions<never>;
  }
  if (!config.database.url) throw new Error('database.url must be resolved before the queue is built');
  setDefaultBackendFactory(createPostgresBackend as never);
  hardenPostgresBackend(PostgresConnection.prototype, true);
  hardenPostgresBackend(PostgresQueueBackend.prototype, false);
  return {
    connection: { connectionString: config.database.url, schema: `${config.queue.namespace}_bullmq`, migrate: true, max: 5 },
  } as unknown as QueueOptions<never>;
}

const hardened = new WeakSet<object>();
const guardedPools = new WeakSet<EventEmitter>();
type PostgresReadiness = { readyPromise?: Promise<void>; pool?: EventEmitter };

/**
 * Two gaps in BullMQ 6.7's PostgreSQL backend that a database outage opens, closed here on its
 * connection and backend classes (every test of `test/database-outage.e2e-spec.ts` on the
 * PostgreSQL queue needs both):
 * - each keeps the promise of its first waitUntilReady(), a rejected one too, and every query awaits
 *   it: a queue or worker whose start-up check failed then failed every query for good ("Client has
 *   encountered a connection error and is not queryable"), and nothing was queued or sent until a
 *   restart. A failed check is forgotten, so the next query tries again, as the library already does
 *   for its LISTEN connection;
 * - its pool's clients have no 'error' listener while checked out (pg-pool removes its own), so a
 *   connection that drops in the middle of a query also emits 'error' with no one listening: an
 *   uncaught exception, which ends the process. The query itself still fails with the error, and
 *   the pool drops the broken client when it is released; the listener only keeps the process up.
 */
function hardenPostgresBackend(prototype: object, connection: boolean): void {
  if (hardened.has(prototype)) return;
  hardened.add(prototype);
  const target = prototype as { waitUntilReady: (this: PostgresReadiness) => Promise<void> };
  const original = target.waitUntilReady;
  target.waitUntilReady = function (this: PostgresReadiness) {
    if (connection && this.pool && !guardedPools.has(this.pool)) {
      guardedPools.add(this.pool);
      this.pool.on('connect', (client: EventEmitter) => client.on('error', () => undefined));
    }
    const ready = original.call(this);
    const kept = this.readyPromise;
    ready.catch(() => {
      if (this.readyPromise === kept) this.readyPromise = undefined;
    });
    return ready;
  };
}

/**
 * @Processor() options are fixed when the class is declared; the worker class is @nestjs/bullmq's
 * hook for the rest, so the validated config reaches every worker it creates.
 */
function workerClassWith(metrics: Metrics | undefined, defaults: Partial<WorkerOptions>): typeof Worker {
  return class ConfiguredWorker extends Worker {
    constructor(...args: ConstructorParameters<typeof Worker>) {
      const [name, processor, options] = args;
      super(name, processor, { ...defaults, ...(options as WorkerOptions) });
      // Without a listener, BullMQ's own 'error' emit throws inside its retry loop and skips the loop's
      // delay: a worker cut off from its backend would spin and flood the log.
      logBackendErrors(this, `Worker ${name}`);
      // Every queue's finished jobs are counted here, once, rather than in each processor.
      if (metrics) {
        this.on('completed', () => metrics.job(name, 'completed'));
        this.on('failed', () => metrics.job(name, 'failed'));
      }
    }
  };
}

/**
 * A queue (the api adds jobs through it) with a listener for its backend's errors: without one
 * BullMQ prints each error with console.error, on the PostgreSQL backend with the whole pg client
 * object, many lines per error, outside the JSON log, for as long as the database is away. Its
 * job scheduler's errors come through it. Made BullModule's queue class in queue.module.ts.
 */
export class QueueLoggingBackendErrors extends Queue {
  constructor(...args: ConstructorParameters<typeof Queue>) {
    super(...args);
    logBackendErrors(this, `Queue ${args[0]}`);
  }
}

/** Logs a queue or worker's backend errors, at most one line every 10 s (an outage is one event, not thousands). */
function logBackendErrors(emitter: Queue | Worker, context: string): void {
  let lastLogged = 0;
  (emitter as Queue).on('error', (error: Error) => {
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    new Logger(context).warn(`queue backend error, retrying: ${error.message}`);
  });
}
