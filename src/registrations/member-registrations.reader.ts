import { Injectable } from '@nestjs/common';
import { actsFor, Principal } from '../auth/principal';
import { EventsService } from '../events/events.service';
import { consentScope } from './consents/consent-notice';
import { ConsentsRepository } from './consents/consents.repository';
import { RegistrationStatus } from './entities/registration.entity';
import { RegistrationsRepository } from './registrations.repository';

export interface MemberRegistration {
  id: string;
  status: RegistrationStatus;
  createdAt: Date;
  checkedInAt: Date | null;
  event: { id: string; title: string; startsAt: Date; timezone: string; status: string };
}

/**
 * A member's registrations as an organizer may see them (the console's member page): all of them
 * for an admin; for a cluster organizer only those at events their clusters host, and at a
 * co-hosted event only where the member consented to their office receiving the data (PIPA), the
 * same rule as the event's registration list.
 */
@Injectable()
export class MemberRegistrationsReader {
  constructor(
    private readonly registrations: RegistrationsRepository,
    private readonly consents: ConsentsRepository,
    private readonly events: EventsService,
  ) {}

  async visibleTo(principal: Principal, member: { id: string; email: string }): Promise<MemberRegistration[]> {
    const registrations = await this.registrations.ofMember(member);
    const events = new Map(
      (await this.events.feedOfEvents([...new Set(registrations.map((registration) => registration.eventId))])).map((event) => [event.id, event]),
    );
    const shown: MemberRegistration[] = [];
    for (const registration of registrations) {
      const event = events.get(registration.eventId);
      if (!event) continue;
      const hosts = event.clusters.filter((cluster) => cluster.role === 'host').map((cluster) => cluster.clusterCode);
      if (!actsFor(principal, hosts)) continue;
      const scope = consentScope(principal, event);
      if (scope && !(await this.consents.consentingTo(event.id, scope)).has(registration.id)) continue;
      shown.push({
        id: registration.id,
        status: registration.status,
        createdAt: registration.createdAt,
        checkedInAt: registration.checkedInAt,
        event: { id: event.id, title: event.title, startsAt: event.startsAt, timezone: event.timezone, status: event.status },
      });
    }
    return shown;
  }
}
