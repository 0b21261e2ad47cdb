import { applyDecorators, CanActivate, ExecutionContext, ForbiddenException, Injectable, UseGuards } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import { actsFor, principalOf } from '../auth/principal';
import { EventsService } from './events.service';

/**
 * A cluster organizer acts only on events their clusters host or co-host: 403 on any other
 * event's `:id` routes. Admins pass; requests without a principal are left to the route's own
 * guard (public routes stay public); an unknown id is left to the handler's 404.
 */
@Injectable()
export class EventScopeGuard implements CanActivate {
  constructor(private readonly events: EventsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const principal = principalOf(request);
    const id = request.params.id;
    if (!principal || principal.role === 'admin' || typeof id !== 'string' || !isUUID(id)) return true;
    const hosts = await this.events.hostsOf(id);
    if (hosts === null || actsFor(principal, hosts)) return true;
    throw new ForbiddenException('this event is not hosted by one of your clusters');
  }
}

export function EventScoped(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(EventScopeGuard), ApiForbiddenResponse({ description: 'The event is not hosted by one of your clusters' }));
}
