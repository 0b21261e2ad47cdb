import { Injectable } from '@nestjs/common';
import { EventsService } from '../events/events.service';
import { Registration } from './entities/registration.entity';
import { RegistrationsRepository } from './registrations.repository';
import type { Principal } from '../auth/principal';
import { consentScope } from './consents/consent-notice';
import { ConsentsRepository } from './consents/consents.repository';
import { ListRegistrationsQuery } from './dto/list-registrations.query';

/** What organizers read about an event's registrations. */
@Injectable()
export class RegistrationsReader {
  constructor(
    private readonly events: EventsService,
    private readonly registrations: RegistrationsRepository,
    private readonly consents: ConsentsRepository,
  ) {}

  /** The registrations of an event, with each waitlisted person's place. */
  async list(eventId: string, principal: Principal | null = null): Promise<(Registration & { position: number | null })[]> {
    const event = await this.events.get(eventId, { organizer: true });
    const registrations = withWaitlistPositions(await this.registrations.listOfEvent(eventId));
    // A co-host's organizer sees only those who consented to their office receiving the data (PIPA).
    const scope = consentScope(principal, event);
    if (!scope) return registrations;
    const consented = await this.consents.consentingTo(eventId, scope);
    return registrations.filter((registration) => consented.has(registration.id));
  }

  /** The registrations that pass the filter, one keyset page at a time, within the same consent rule as list(). */
  async page(eventId: string, principal: Principal | null, query: ListRegistrationsQuery): Promise<RegistrationsPage> {
    const event = await this.events.get(eventId, { organizer: true });
    const scope = consentScope(principal, event);
    const { registrations, more } = await this.registrations.pageOfEvent(
      eventId,
      { status: query.status, cluster: query.cluster, search: query.q?.trim() || undefined, after: query.after, limit: query.limit ?? null },
      scope ? scope.map((code) => `third_party:${code}`) : null,
    );
    return { registrations, next: more ? (registrations.at(-1)?.id ?? null) : null };
  }
}

/** A keyset page: `next` is the `after` of the following page, null on the last. */
export interface RegistrationsPage {
  registrations: (Registration & { position: number | null })[];
  next: string | null;
}

/** Each registration with its 1-based place on the waiting list (by waitlist order), null when not waitlisted. */
export function withWaitlistPositions(registrations: Registration[]): (Registration & { position: number | null })[] {
  const waitlist = registrations
    .filter((registration) => registration.status === 'waitlisted')
    .sort((a, b) => Number(a.waitlistOrder) - Number(b.waitlistOrder));
  return registrations.map((registration) => {
    const index = waitlist.indexOf(registration);
    return Object.assign(registration, { position: index >= 0 ? index + 1 : null });
  });
}
