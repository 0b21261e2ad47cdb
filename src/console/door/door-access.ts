import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import { doorStaffOf } from '../../auth/door-staff/door-staff';
import { DoorStaffOnly } from '../../auth/organizer-auth';
import { actsFor, principalOf } from '../../auth/principal';
import { EventsService } from '../../events/events.service';
import { SignInRequired } from '../console-access';

/**
 * Who may open an event's door page (`:id`): an organizer signed in to the console whose clusters
 * host the event, or door staff signed in from a pass for that very event. Door staff of another
 * event get a 403; nobody signed in goes to the sign-in page. An unknown event is left to the
 * handler's 404.
 */
@Injectable()
export class DoorAccessGuard implements CanActivate {
  constructor(private readonly events: EventsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const id = request.params.id;
    const staff = doorStaffOf(request);
    const principal = principalOf(request);
    if (principal?.via === 'session') {
      if (principal.role === 'admin' || typeof id !== 'string' || !isUUID(id)) return true;
      const hosts = await this.events.hostsOf(id);
      if (hosts === null || actsFor(principal, hosts)) return true;
      throw new ForbiddenException('this event is not hosted by one of your clusters');
    }
    if (staff) {
      if (typeof id === 'string' && id.toLowerCase() === staff.eventId) return true;
      throw new DoorStaffOnly();
    }
    throw new SignInRequired();
  }
}

/** The door page's organizer part (door links): an organizer's console session only, for an event their clusters host. */
@Injectable()
export class DoorOrganizerGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (principalOf(request)?.via === 'session') return true;
    if (doorStaffOf(request)) throw new DoorStaffOnly();
    throw new SignInRequired();
  }
}
