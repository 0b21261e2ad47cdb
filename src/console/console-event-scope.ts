import { applyDecorators, CanActivate, ExecutionContext, ForbiddenException, Injectable, UseGuards } from '@nestjs/common';
import { EventScopeGuard } from '../events/event-scope.guard';
import { ConsolePage, EventOutOfScope } from './console-access';

/**
 * The API's event scope (EventScopeGuard) on console pages: the same decision, refused with its
 * own error so that the console's 403 page says why rather than "admins only".
 */
@Injectable()
export class ConsoleEventScopeGuard implements CanActivate {
  constructor(private readonly scope: EventScopeGuard) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await this.scope.canActivate(context);
    } catch (error) {
      if (error instanceof ForbiddenException) throw new EventOutOfScope();
      throw error;
    }
  }
}

/** A console page about one event (`:id`): a session, CSRF on forms, and 403 outside the organizer's clusters. */
export function ConsoleEventPage(): ClassDecorator & MethodDecorator {
  return applyDecorators(ConsolePage(), UseGuards(ConsoleEventScopeGuard));
}
