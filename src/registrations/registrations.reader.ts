import { Injectable } from '@nestjs/common';
import { EventsService } from '../events/events.service';
import { Registration } from './entities/registration.entity';
import { RegistrationsRepository } from './registrations.repository';

/** What organizers read about an event's registrations. */
@Injectable()
export class RegistrationsReader {
  constructor(
    private readonly events: EventsService,
    private readonly registrations: RegistrationsRepository,
  ) {}

  /** The registrations of an event, with each waitlisted person's place. */
  async list(eventId: string): Promise<(Registration & { position: number | null })[]> {
    await this.events.get(eventId, { organizer: true });
    const registrations = await this.registrations.listOfEvent(eventId);
    return withWaitlistPositions(registrations);
  }
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
