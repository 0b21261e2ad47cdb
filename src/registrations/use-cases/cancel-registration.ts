import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DirectoryService } from '../../directory/directory.service';
import { SeminarEvent } from '../../events/entities/event.entity';
import { EventsService } from '../../events/events.service';
import { OutboxService } from '../../notifications/outbox/outbox.service';
import { Registration, RegistrationStatus } from '../entities/registration.entity';
import { registrationMail } from '../registration-mail';
import { RegistrationsRepository } from '../registrations.repository';
import { Seats } from '../seats/seats';
import { PromoteFromWaitlist } from './promote-from-waitlist';

/**
 * What cancelling a registration in a given state does: a confirmed seat goes back (to the next
 * eligible person on the waiting list); whoever held a seat or a place on the list gets a
 * METHOD:CANCEL for the calendar entry they held (confirmed or tentative); a pending registration
 * is cancelled without a mail; a cancelled one is left alone.
 */
export function cancellationOf(status: RegistrationStatus): { cancel: boolean; mail: boolean; releasesSeat: boolean } {
  return {
    cancel: status !== 'cancelled',
    mail: status === 'confirmed' || status === 'waitlisted',
    releasesSeat: status === 'confirmed',
  };
}

/** Cancels a registration, by the organizer or by the attendee from their manage link. */
@Injectable()
export class CancelRegistration {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly registrations: RegistrationsRepository,
    private readonly directory: DirectoryService,
    private readonly seats: Seats,
    private readonly promote: PromoteFromWaitlist,
    private readonly outbox: OutboxService,
  ) {}

  /** The organizer cancels one registration; a freed seat goes to the next eligible waitlisted person. */
  async byOrganizer(eventId: string, registrationId: string): Promise<Registration> {
    return this.dataSource.transaction(async (manager) => {
      const event = await this.events.lock(manager, eventId);
      const registration = await this.registrations.getOfEvent(manager, eventId, registrationId);
      await this.execute(manager, event, registration, 'organizer');
      return this.registrations.reload(manager, registrationId);
    });
  }

  /**
   * Cancels in the caller's transaction, which holds the event's row lock: the freed seat, the
   * promotion it allows and the mails commit together with the cancellation or not at all.
   */
  async execute(manager: EntityManager, event: SeminarEvent, registration: Registration, cancelledBy: 'organizer' | 'attendee'): Promise<void> {
    const effects = cancellationOf(registration.status);
    if (!effects.cancel) return;
    await this.registrations.markCancelled(manager, registration.id);
    if (effects.mail) {
      const locale = await this.directory.localeOf(registration.memberId, manager);
      await this.outbox.queue(manager, [registrationMail(event, registration, 'registration_cancelled', locale, { cancelledBy })]);
    }
    if (effects.releasesSeat) {
      await this.seats.release(manager, event.id);
      await this.promote.fillFreeSeats(manager, event);
    }
  }
}
