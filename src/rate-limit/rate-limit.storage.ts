import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { HitCount, HitCounter } from './hit-counter';

/** How often a Redis failure is logged at most, so an outage does not flood the log with one line per request. */
const REDIS_WARNING_INTERVAL_MS = 60_000;
/** How long start-up waits for Redis before counting in memory (the connect timeout). */
const REDIS_READY_WAIT_MS = 2000;

/**
 * Where the rate limiter counts hits.
 *
 * Without REDIS_URL: in this process's memory. Several api instances then each count separately,
 * so behind a load balancer a client gets up to N times the limit (N instances); that is the
 * embedded, single-instance setup, where it does not matter.
 *
 * With REDIS_URL (production, scale-out): shared by every api instance through Redis, under the key
 * prefix `<QUEUE_NAMESPACE>:throttle:`, in batches (HitCounter: a request costs no Redis round trip;
 * the other instances' hits arrive within HIT_SYNC_INTERVAL_MS). When Redis does not answer the hits
 * are counted in memory until it does: a rate limiter must never turn a Redis outage into failed
 * registrations (health already reports the outage as 503).
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: Redis | undefined;
  private readonly hits: HitCounter;
  private lastWarning = 0;
  /** Blocks set by strike() when Redis is absent or does not answer: key → epoch ms when the block ends. */
  private readonly memoryBlocks = new Map<string, number>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.queue.redisUrl) {
      this.redis = new Redis(config.queue.redisUrl, {
        keyPrefix: `${config.queue.namespace}:throttle:`,
        // Fail fast instead of queueing the hit while Redis is away; memory counts meanwhile.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: REDIS_READY_WAIT_MS,
      });
      // ioredis reports connection errors as events; without a listener they would be unhandled.
      this.redis.on('error', (error: Error) => this.warn(`Redis for rate limits: ${error.message}`));
    }
    // The key prefix is the connection's: ioredis adds it to every key, the script's too.
    this.hits = new HitCounter(this.redis, (error) => this.warn(`Redis did not count hits, counting in memory until it does: ${error.message}`));
  }

  /** Waits (at most its connect timeout) for Redis, so the first requests are shared at once rather than at the first sync. */
  async onModuleInit(): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, REDIS_READY_WAIT_MS);
      redis.once('ready', done);
    });
  }

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<HitCount> {
    return this.hits.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  /** Adds the hits counted here to the shared counts now instead of at the next interval (tests, shutdown). */
  syncHits(): Promise<void> {
    return this.hits.sync();
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
        await this.redis.set(`blocked:${key}`, '1', 'PX', blockMs);
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
        ms = Math.max(0, await this.redis.pttl(`blocked:${key}`));
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

  async onApplicationShutdown(): Promise<void> {
    await this.hits.close();
    this.redis?.disconnect(false);
  }

  private warn(message: string): void {
    if (Date.now() - this.lastWarning < REDIS_WARNING_INTERVAL_MS) return;
    this.lastWarning = Date.now();
    this.logger.warn(message);
  }
}
