import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { OrganizerAuth } from '../auth/organizer-auth';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

export type RateLimitClass = 'writes' | 'reads' | 'none';

/**
 * Which public limit a request counts against. Decided by method and path rather than by a
 * decorator on each route, so an endpoint added later is limited from its first day:
 * - `writes`: every request that may change something (any method but GET/HEAD/OPTIONS), and the
 *   emailed-link pages GET and POST /r/:token and /u/:token (unsubscribe), where someone guessing
 *   tokens would knock;
 * - `reads`: every other GET (event list and pages, calendars, the API reads);
 * - `none`: /health, which load balancers poll.
 * Organizers with a valid token are never limited (PublicRateLimitGuard.shouldSkip).
 */
export function rateLimitClass(request: Pick<Request, 'method' | 'path'>): RateLimitClass {
  const path = request.path ?? '';
  if (path === '/health' || path.startsWith('/health/')) return 'none';
  if (path.startsWith('/r/') || path.startsWith('/u/')) return 'writes';
  return ['GET', 'HEAD', 'OPTIONS'].includes(request.method) ? 'reads' : 'writes';
}

export function limitPerMinute(config: AppConfig, kind: RateLimitClass): number {
  if (kind === 'writes') return config.rateLimit.publicWritesPerMinute;
  if (kind === 'reads') return config.rateLimit.publicReadsPerMinute;
  return 0;
}

/**
 * @nestjs/throttler's guard, counting per client IP (`req.ip`; Express trusts X-Forwarded-For only
 * from loopback, see bootstrap.ts) in one bucket per class, so the public write endpoints share one
 * budget. Skips organizers and requests whose class is off (limit 0). Over the limit: 429 in the
 * contract's error shape (GlobalExceptionFilter) with Retry-After in seconds.
 */
@Injectable()
export class PublicRateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly auth: OrganizerAuth,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    return limitPerMinute(this.config, rateLimitClass(request)) === 0 || this.auth.isOrganizer(request);
  }

  protected override async getTracker(request: Record<string, any>): Promise<string> {
    // req.ip is undefined once the socket has gone; such requests share one name.
    const ip = (request as Request).ip ?? (request as Request).socket?.remoteAddress;
    return ip ? normalizeIp(ip, this.ipv6SubnetPrefix) : 'unknown';
  }

  /** One bucket per class and client, shared by every route of the class (the default is one per route). */
  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${rateLimitClass(context.switchToHttp().getRequest<Request>())}:${tracker}`;
  }

  protected override async getErrorMessage(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<string> {
    return `too many requests from your address (at most ${detail.limit} a minute); try again in ${detail.timeToBlockExpire} seconds`;
  }
}
