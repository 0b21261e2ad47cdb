import { applyDecorators, CanActivate, ExecutionContext, ForbiddenException, Injectable, UseGuards } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import { actsFor, principalOf } from '../../auth/principal';
import { NotFoundError } from '../../common/errors/domain-errors';
import { EventsService } from '../../events/events.service';

/** A console page of an event that none of the organizer's clusters hosts or co-hosts. */
export class NotYourEvent extends ForbiddenException {
  constructor() {
    super('this event is not hosted by one of your clusters');
  }
}

/**
 * The console's pages under `/console/events/:id` (overview, edit, and the tabs other areas add):
 * a cluster organizer opens only the events their clusters host or co-host (403 page), an unknown
 * id is a 404. Runs after the session guard, so the principal is a signed-in organizer.
 */
@Injectable()
export class ConsoleEventScopeGuard implements CanActivate {
  constructor(private readonly events: EventsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const id = request.params.id;
    const hosts = typeof id === 'string' && isUUID(id) ? await this.events.hostsOf(id) : null;
    if (hosts === null) throw new NotFoundError('event');
    if (!actsFor(principalOf(request), hosts)) throw new NotYourEvent();
    return true;
  }
}

/** On a console page route with `:id`: the event must be one the organizer may act on. */
export function ConsoleEventScoped(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(ConsoleEventScopeGuard));
}
