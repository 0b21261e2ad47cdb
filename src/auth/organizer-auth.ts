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
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
    // Compare digests so the comparison takes the same time whatever the length of the guess.
    return timingSafeEqual(digest(header.slice('Bearer '.length).trim()), this.adminTokenDigest);
  }
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
