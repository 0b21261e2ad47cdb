import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

type StorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** How often a Redis failure is logged at most, so an outage does not flood the log with one line per request. */
const REDIS_WARNING_INTERVAL_MS = 60_000;

/**
 * Where the rate limiter counts hits.
 *
 * Without REDIS_URL: in this process's memory. Several api instances then each count separately,
 * so behind a load balancer a client gets up to N times the limit (N instances); that is the
 * embedded, single-instance setup, where it does not matter.
 *
 * With REDIS_URL (production, scale-out): in Redis (@nest-lab/throttler-storage-redis), shared by
 * every api instance, under the key prefix `<QUEUE_NAMESPACE>:throttle:`. When Redis does not answer
 * the count falls back to memory for that request: a rate limiter must never turn a Redis outage into
 * failed registrations (health already reports the outage as 503).
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly memory = new ThrottlerStorageService();
  private readonly redis: ThrottlerStorageRedisService | undefined;
  private lastWarning = 0;
  /** Blocks set by strike() when Redis is absent or does not answer: key → epoch ms when the block ends. */
  private readonly memoryBlocks = new Map<string, number>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.queue.redisUrl) {
      this.redis = new ThrottlerStorageRedisService(config.queue.redisUrl, {
        keyPrefix: `${config.queue.namespace}:throttle:`,
        // Fail fast instead of queueing the hit while Redis is away; the memory fallback answers.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
      });
      // ioredis reports connection errors as events; without a listener they would be unhandled.
      this.redis.redis.on('error', (error: Error) => this.warn(`Redis for rate limits: ${error.message}`));
    }
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<StorageRecord> {
    if (this.redis) {
      try {
        return await this.redis.increment(key, ttl, limit, blockDuration, throttlerName);
      } catch (error) {
        this.warn(`Redis did not count a hit, counting in memory instead: ${(error as Error).message}`);
      }
    }
    return this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  /**
   * Counts one failure for `key` (a wrong link token from one address); past `limit` failures in
   * `windowMs` the key is blocked for `windowMs`, which blockedFor() reports. Failures only: a
   * hundred colleagues behind one office address opening their own valid links never add up here.
   */
  async strike(key: string, limit: number, windowMs: number): Promise<void> {
    const counted = await this.increment(`strikes:${key}`, windowMs, limit, windowMs, 'strikes');
    if (!counted.isBlocked) return;
    const blockMs = Math.max(1000, counted.timeToBlockExpire * 1000);
    if (this.redis) {
      try {
        await this.redis.redis.set(`blocked:${key}`, '1', 'PX', blockMs);
        return;
      } catch (error) {
        this.warn(`Redis did not keep a block, keeping it in memory instead: ${(error as Error).message}`);
      }
    }
    this.memoryBlocks.set(key, Date.now() + blockMs);
  }

  /** Seconds left of a block set by strike(), 0 when `key` is not blocked. */
  async blockedFor(key: string): Promise<number> {
    let ms = 0;
    if (this.redis) {
      try {
        ms = Math.max(0, await this.redis.redis.pttl(`blocked:${key}`));
      } catch (error) {
        this.warn(`Redis did not answer for a block, looking in memory: ${(error as Error).message}`);
      }
    }
    const until = this.memoryBlocks.get(key);
    if (until !== undefined) {
      if (until <= Date.now()) this.memoryBlocks.delete(key);
      else ms = Math.max(ms, until - Date.now());
    }
    return Math.ceil(ms / 1000);
  }

  onApplicationShutdown(): void {
    this.memory.onApplicationShutdown();
    this.redis?.onModuleDestroy();
  }

  private warn(message: string): void {
    if (Date.now() - this.lastWarning < REDIS_WARNING_INTERVAL_MS) return;
    this.lastWarning = Date.now();
    this.logger.warn(message);
  }
}
