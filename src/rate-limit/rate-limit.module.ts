import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { getOptionsToken, getStorageToken, ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { limitPerMinute, PublicRateLimitGuard, rateLimitClass } from './public-rate-limit.guard';
import { RateLimitStorage } from './rate-limit.storage';

const MINUTE_MS = 60_000;

/**
 * Rate limits on the public endpoints (RATE_LIMIT_PUBLIC_WRITES_PER_MINUTE,
 * RATE_LIMIT_PUBLIC_READS_PER_MINUTE; 0 = off), per client IP, as a global guard.
 * Counted in memory, or in Redis when REDIS_URL is set (RateLimitStorage): without Redis several
 * api instances each count separately. With both limits off, nothing is registered at all.
 */
@Module({})
export class RateLimitModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { publicWritesPerMinute, publicReadsPerMinute } = config.rateLimit;
    if (publicWritesPerMinute === 0 && publicReadsPerMinute === 0) return { module: RateLimitModule };
    const options: ThrottlerModuleOptions = {
      throttlers: [
        {
          // 'default' so the guard's headers are the plain Retry-After and X-RateLimit-* (other names get a suffix).
          name: 'default',
          ttl: MINUTE_MS,
          // Once over the limit a client waits out a full minute (Retry-After says how long is left).
          blockDuration: MINUTE_MS,
          limit: (context) => limitPerMinute(config, rateLimitClass(context.switchToHttp().getRequest<Request>())),
        },
      ],
    };
    return {
      module: RateLimitModule,
      providers: [
        { provide: getOptionsToken(), useValue: options },
        { provide: getStorageToken(), useClass: RateLimitStorage },
        PublicRateLimitGuard,
        // The one instance: the global guard, and what publicRateLimit() hands the public page cache.
        { provide: APP_GUARD, useExisting: PublicRateLimitGuard },
      ],
    };
  }
}

/**
 * The public limit as a function, for what answers before Nest's guards run (the public page
 * cache): resolves when the request may go on, rejects with the guard's ThrottlerException (429)
 * when its address is over the limit. Undefined when both limits are off (nothing to count).
 */
export function publicRateLimit(app: INestApplicationContext, config: AppConfig): ((request: Request, response: Response) => Promise<void>) | undefined {
  const { publicWritesPerMinute, publicReadsPerMinute } = config.rateLimit;
  if (publicWritesPerMinute === 0 && publicReadsPerMinute === 0) return undefined;
  const guard = app.get(PublicRateLimitGuard);
  return (request, response) => guard.admit(request, response);
}
