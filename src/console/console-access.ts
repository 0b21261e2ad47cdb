import {
  applyDecorators,
  ArgumentsHost,
  CanActivate,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { doorStaffOf } from '../auth/door-staff/door-staff';
import { DoorStaffOnly } from '../auth/organizer-auth';
import { principalOf } from '../auth/principal';
import { ConsolePages } from './console-pages';
import { ConsoleCsrfGuard, CsrfRejected } from './csrf';
import { ConsoleEventScopeGuard, NotYourEvent } from './events/console-event-scope';
import { PendingApprovalsInterceptor } from './approvals/pending-approvals.interceptor';

/** No console session: the person is sent to the sign-in page. */
export class SignInRequired extends Error {}

/** A console page needs a console session (the `sh_session` cookie); API tokens open the JSON API, not the pages. */
@Injectable()
export class ConsoleSessionGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (principalOf(request)?.via === 'session') return true;
    // Door staff are signed in, for one event's door only: the console is refused, not offered.
    if (doorStaffOf(request)) throw new DoorStaffOnly();
    throw new SignInRequired();
  }
}

/** A cluster organizer on an admin page. */
export class AdminPageOnly extends ForbiddenException {
  constructor() {
    super('only a federation admin may open this page');
  }
}

@Injectable()
export class ConsoleAdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (principalOf(context.switchToHttp().getRequest<Request>())?.role !== 'admin') throw new AdminPageOnly();
    return true;
  }
}

/**
 * Without a session: 303 to the sign-in page. A refusal (403: an admin page, a form without its
 * CSRF token) is a page in the console's language and frame, not JSON.
 */
@Catch(SignInRequired, ForbiddenException)
@Injectable()
export class ConsoleExceptionFilter implements ExceptionFilter {
  constructor(private readonly pages: ConsolePages) {}

  catch(exception: Error, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    if (exception instanceof SignInRequired) {
      response.redirect(303, '/console/sign-in');
      return;
    }
    const strings = this.pages.strings(request, response);
    const message = strings.text(
      exception instanceof CsrfRejected
        ? 'console.error.csrf'
        : exception instanceof NotYourEvent
          ? 'consoleEvents.errors.notYourEvent'
          : exception instanceof AdminPageOnly
            ? 'console.error.forbidden'
            : exception instanceof DoorStaffOnly
              ? 'console.door.forbidden'
              : 'console.access.notYours',
    );
    this.pages.render(request, response, 'console-error', { title: strings.text('pages.error.status.403'), messages: [message] }, 403);
  }
}

/** A console page for any signed-in organizer; forms checked for their CSRF token. */
export function ConsolePage(): ClassDecorator & MethodDecorator {
  return applyDecorators(UseFilters(ConsoleExceptionFilter), UseGuards(ConsoleSessionGuard, ConsoleCsrfGuard), UseInterceptors(PendingApprovalsInterceptor));
}

/** A console page for federation admins: 403 for a cluster organizer. */
export function ConsoleAdminPage(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseFilters(ConsoleExceptionFilter),
    UseGuards(ConsoleSessionGuard, ConsoleAdminGuard, ConsoleCsrfGuard),
    UseInterceptors(PendingApprovalsInterceptor),
  );
}

/** A console page before signing in: no session needed, forms still checked for their CSRF token. */
export function ConsolePublicPage(): ClassDecorator & MethodDecorator {
  return applyDecorators(UseFilters(ConsoleExceptionFilter), UseGuards(ConsoleCsrfGuard));
}

/** A console page about one event (`:id`): a session, CSRF on forms, 404 for no such event and 403 outside the organizer's clusters. */
export function ConsoleEventPage(): ClassDecorator & MethodDecorator {
  return applyDecorators(ConsolePage(), UseGuards(ConsoleEventScopeGuard));
}
