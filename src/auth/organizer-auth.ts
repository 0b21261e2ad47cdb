import { applyDecorators, CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/**
 * Organizer authentication. Today one credential exists: the federation-admin bearer token
 * (ADMIN_TOKEN). Roles scoped to clusters and console sessions will plug in here.
 */
@Injectable()
export class OrganizerAuth {
  private readonly adminTokenDigest: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.adminTokenDigest = digest(config.adminToken);
  }

  isOrganizer(request: Request): boolean {
    const token = presentedToken(request.headers.authorization);
    // Compare digests so the comparison takes the same time whatever the length of the guess.
    return token !== undefined && timingSafeEqual(digest(token), this.adminTokenDigest);
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
  constructor(private readonly auth: OrganizerAuth) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.auth.isOrganizer(context.switchToHttp().getRequest<Request>())) return true;
    throw new UnauthorizedException('a valid organizer bearer token is required (Authorization: Bearer <token>)');
  }
}

/** Marks an endpoint as organizers-only: 401 without a valid bearer token. */
export function OrganizerOnly(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(OrganizerGuard), ApiBearerAuth(), ApiUnauthorizedResponse({ description: 'No valid organizer token' }));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
