import { BullModule } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { createPostgresBackend, setDefaultBackendFactory, Worker } from 'bullmq';
import type { QueueOptions, WorkerOptions } from 'bullmq';
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
  return {
    connection: { connectionString: config.database.url, schema: `${config.queue.namespace}_bullmq`, migrate: true, max: 5 },
  } as unknown as QueueOptions<never>;
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
      // delay: a worker cut off from its backend would spin and flood the log. Logged at most every 10 s.
      let lastLogged = 0;
      this.on('error', (error) => {
        if (Date.now() - lastLogged < 10_000) return;
        lastLogged = Date.now();
        new Logger(`Worker ${name}`).warn(`queue backend error, retrying: ${error.message}`);
      });
      // Every queue's finished jobs are counted here, once, rather than in each processor.
      if (metrics) {
        this.on('completed', () => metrics.job(name, 'completed'));
        this.on('failed', () => metrics.job(name, 'failed'));
      }
    }
  };
}
