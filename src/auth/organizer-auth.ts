import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  NestMiddleware,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DoorPasses } from './door-staff/door-passes.service';
import { DOOR_SESSION_COOKIE, doorStaffOf, setDoorStaff } from './door-staff/door-staff';
import { OrganizerAccountsRepository, OrganizerRecord } from './organizers/organizer-accounts.repository';
import { digest } from './digest';
import { AuthenticatedRequest, Principal, principalOf } from './principal';

/** The console's session cookie: the raw session token, only its hash stored. */
export const SESSION_COOKIE = 'sh_session';

/**
 * Who a request speaks for: the ADMIN_TOKEN bearer (federation admin), an organizer's API token
 * (Bearer, or Basic with the token as password, what a browser sends to the local outbox), or a
 * console session cookie. Revoked tokens, ended sessions and disabled organizers are refused from
 * their next request: every request looks its credential up.
 */
@Injectable()
export class OrganizerAuth {
  private readonly adminTokenDigest: Buffer;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly accounts: OrganizerAccountsRepository,
  ) {
    this.adminTokenDigest = digest(config.adminToken);
  }

  async authenticate(request: Request): Promise<Principal | null> {
    const token = presentedToken(request.headers.authorization);
    if (token !== undefined) {
      // Compare digests so the comparison takes the same time whatever the length of the guess.
      if (timingSafeEqual(digest(token), this.adminTokenDigest)) {
        return { organizerId: null, actor: 'admin-token', role: 'admin', clusters: [], via: 'admin-token', credentialId: null };
      }
      const found = await this.accounts.byApiToken(digest(token).toString('hex'));
      return found ? principal(found.organizer, 'api-token', found.tokenId) : null;
    }
    const session = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (typeof session === 'string' && session.length > 0 && session.length < 200) {
      const found = await this.accounts.bySession(digest(session).toString('hex'));
      if (found && sessionMayNotChangeApi(request)) {
        throw new ForbiddenException(
          'a console session changes things through the API only from the console (X-Requested-With header); scripts use an API token',
        );
      }
      return found ? principal(found.organizer, 'session', found.sessionId) : null;
    }
    return null;
  }

  /** Whether the request carries a valid organizer credential (AuthenticateMiddleware looked it up). */
  isOrganizer(request: Request): boolean {
    return principalOf(request) !== null;
  }
}

/**
 * The console's forms carry a CSRF token; the JSON API has none. A cookie rides along with any
 * request a browser makes, so a change to /api made with the session cookie must also carry a
 * custom header, which another site cannot add without a CORS preflight we never grant (OWASP's
 * custom request header defence, on top of SameSite=Lax).
 */
function sessionMayNotChangeApi(request: Request): boolean {
  const path = request.originalUrl ?? request.url;
  return !['GET', 'HEAD', 'OPTIONS'].includes(request.method) && /^\/api(\/|$|\?)/.test(path) && request.headers['x-requested-with'] === undefined;
}

function principal(organizer: OrganizerRecord, via: Principal['via'], credentialId: string): Principal {
  return { organizerId: organizer.id, actor: organizer.email, role: organizer.role, clusters: organizer.clusters, via, credentialId };
}

/**
 * Looks the credential up once per request, before guards and handlers, and sets
 * `request.principal`; without an organizer credential, a door session's cookie sets
 * `request.doorStaff` (door-staff.ts) instead.
 */
@Injectable()
export class AuthenticateMiddleware implements NestMiddleware {
  constructor(
    private readonly auth: OrganizerAuth,
    private readonly doorPasses: DoorPasses,
  ) {}

  use(request: Request, _response: Response, next: NextFunction): void {
    this.identify(request).then(
      () => next(),
      (error: unknown) => next(error),
    );
  }

  private async identify(request: Request): Promise<void> {
    const found = await this.auth.authenticate(request);
    (request as AuthenticatedRequest).principal = found;
    const door = (request.cookies as Record<string, string> | undefined)?.[DOOR_SESSION_COOKIE];
    if (!found && typeof door === 'string' && door.length > 0 && door.length < 200) setDoorStaff(request, await this.doorPasses.bySession(door));
  }
}

/** Door staff may check people in at their event and nothing else: on any organizer route, a 403 that says so. */
export class DoorStaffOnly extends ForbiddenException {
  constructor() {
    super('door staff may only check people in at the door of their event');
  }
}

/**
 * The token in an Authorization header: `Bearer <token>`, the scheme in any case (RFC 9110
 * §11.1), or `Basic` with the token as the password (any user name), which is what a browser
 * can send to a page that asks for it (the local outbox, RFC 7617).
 */
export function presentedToken(header: string | undefined): string | undefined {
  const match = typeof header === 'string' ? /^(bearer|basic)[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  if (!match) return undefined;
  if (match[1].toLowerCase() === 'bearer') return match[2];
  const decoded = Buffer.from(match[2], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : undefined;
}

@Injectable()
export class OrganizerGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (principalOf(request)) return true;
    if (doorStaffOf(request)) throw new DoorStaffOnly();
    throw new UnauthorizedException('a valid organizer bearer token is required (Authorization: Bearer <token>)');
  }
}

@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const found = principalOf(request);
    if (!found && doorStaffOf(request)) throw new DoorStaffOnly();
    if (!found) throw new UnauthorizedException('a valid organizer bearer token is required (Authorization: Bearer <token>)');
    if (found.role !== 'admin') throw new ForbiddenException('only a federation admin may do this');
    return true;
  }
}

/** Marks an endpoint as organizers-only: 401 without a valid credential. */
export function OrganizerOnly(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(OrganizerGuard), ApiBearerAuth(), ApiUnauthorizedResponse({ description: 'No valid organizer token' }));
}

/** Marks an endpoint as federation admins only: 401 without a credential, 403 for a cluster organizer. */
export function AdminOnly(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(AdminGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No valid organizer token' }),
    ApiForbiddenResponse({ description: 'Not a federation admin' }),
  );
}
