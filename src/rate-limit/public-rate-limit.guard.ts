import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerException,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { OrganizerAuth } from '../auth/organizer-auth';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RateLimitStorage } from './rate-limit.storage';

export type RateLimitClass = 'writes' | 'reads' | 'links' | 'none';

const MINUTE_MS = 60_000;

/**
 * Which public limit a request counts against. Decided by method and path rather than by a
 * decorator on each route, so an endpoint added later is limited from its first day:
 * - `writes`: every request that may change something (any method but GET/HEAD/OPTIONS) outside
 *   the emailed links: registrations (many addresses registered from one place), wrong organizer
 *   tokens;
 * - `links`: the emailed-link pages GET and POST /r/:token and /u/:token (unsubscribe). People
 *   holding valid links are not throttled beyond the read limit: forty colleagues behind one office
 *   address answer one invitation in the same minute. What is throttled is failing: past the write
 *   limit of unknown, expired or malformed tokens a minute, the address gets 429 on every link,
 *   valid or not, so a guesser learns nothing while blocked;
 * - `reads`: every other GET (event list and pages, calendars, the API reads);
 * - `none`: /health, which load balancers poll.
 * Organizers with a valid token are never limited (PublicRateLimitGuard.shouldSkip).
 */
export function rateLimitClass(request: Pick<Request, 'method' | 'path'>): RateLimitClass {
  const path = request.path ?? '';
  if (path === '/health' || path.startsWith('/health/')) return 'none';
  if (path.startsWith('/r/') || path.startsWith('/u/')) return 'links';
  return ['GET', 'HEAD', 'OPTIONS'].includes(request.method) ? 'reads' : 'writes';
}

/** The handler named in the context of a request answered before Nest routed it (PublicRateLimitGuard.admit). */
function answeredBeforeRouting(): void {}

export function limitPerMinute(config: AppConfig, kind: RateLimitClass): number {
  if (kind === 'writes') return config.rateLimit.publicWritesPerMinute;
  if (kind === 'reads' || kind === 'links') return config.rateLimit.publicReadsPerMinute;
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
    @InjectThrottlerStorage() private readonly counts: RateLimitStorage,
    private readonly auth: OrganizerAuth,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() === 'http') await this.refuseFailingLinkClients(context);
    return super.canActivate(context);
  }

  /**
   * The same limit for a request answered before Nest routes it (the public page cache,
   * common/http/public-page-cache.ts, answers from memory ahead of the guards): counted in the
   * same bucket, with the same X-RateLimit-* headers, and over the limit the same
   * ThrottlerException, which the global exception filter turns into the 429 with Retry-After.
   */
  async admit(request: Request, response: Response): Promise<void> {
    // No route metadata to read (@SkipThrottle and the like): this class and a bare function stand in for the controller and handler.
    await this.canActivate(new ExecutionContextHost([request, response], PublicRateLimitGuard, answeredBeforeRouting));
  }

  /** The `links` rule: a blocked address is refused; a link request of it that fails counts a strike. */
  private async refuseFailingLinkClients(context: ExecutionContext): Promise<void> {
    const request = context.switchToHttp().getRequest<Request>();
    const limit = this.config.rateLimit.publicWritesPerMinute;
    if (limit === 0 || rateLimitClass(request) !== 'links' || this.auth.isOrganizer(request)) return;
    const key = `links:${await this.getTracker(request)}`;
    const wait = await this.counts.blockedFor(key);
    if (wait > 0) {
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(wait));
      throw new ThrottlerException(
        `too many requests from your address with unknown or expired links (at most ${limit} a minute); try again in ${wait} seconds`,
      );
    }
    const response = context.switchToHttp().getResponse<Response>();
    response.once('finish', () => {
      // 404 unknown or malformed, 410 expired, 409 used up: what guessing produces. Our own 5xx is not the visitor's failure.
      if (response.statusCode >= 400 && response.statusCode < 500 && response.statusCode !== 429) void this.counts.strike(key, limit, MINUTE_MS);
    });
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return Promise.resolve(true);
    const request = context.switchToHttp().getRequest<Request>();
    return Promise.resolve(limitPerMinute(this.config, rateLimitClass(request)) === 0 || this.auth.isOrganizer(request));
  }

  protected override getTracker(request: Request): Promise<string> {
    // req.ip is undefined once the socket has gone; such requests share one name.
    const ip = request.ip ?? request.socket?.remoteAddress;
    return Promise.resolve(ip ? normalizeIp(ip, this.ipv6SubnetPrefix) : 'unknown');
  }

  /** One bucket per class and client, shared by every route of the class (the default is one per route). */
  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${rateLimitClass(context.switchToHttp().getRequest<Request>())}:${tracker}`;
  }

  protected override getErrorMessage(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<string> {
    return Promise.resolve(`too many requests from your address (at most ${detail.limit} a minute); try again in ${detail.timeToBlockExpire} seconds`);
  }
}
