import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DirectoryService } from '../../directory/directory.service';
import { SeminarEvent } from '../../events/entities/event.entity';
import { OutboxService } from '../../notifications/outbox/outbox.service';
import { Registration } from '../entities/registration.entity';
import { Locale, registrationMail } from '../registration-mail';
import { RegistrationsRepository } from '../registrations.repository';
import { SeatPool } from '../seats/seat-decision';
import { Seats } from '../seats/seats';

/**
 * Gives a registrant a seat when one is free for them (their cluster's quota, then the open pool:
 * see seat-decision.ts), or the end of the waiting list, and writes the mail that says which. Runs
 * in the caller's transaction, which holds the event's row lock (answering an emailed link).
 */
@Injectable()
export class ConfirmSeat {
  constructor(
    private readonly seats: Seats,
    private readonly registrations: RegistrationsRepository,
    private readonly directory: DirectoryService,
    private readonly outbox: OutboxService,
  ) {}

  async execute(manager: EntityManager, event: SeminarEvent, registration: Registration, locale: Locale): Promise<'confirmed' | 'waitlisted'> {
    const pool = await this.seats.poolFor(manager, event, registration.clusterCode);
    if (pool && (await this.seats.take(manager, event.id))) {
      await this.onTakenSeat(manager, event, registration, pool, 'registration_confirmed', locale);
      return 'confirmed';
    }
    await this.registrations.markWaitlisted(manager, registration.id);
    const position = await this.registrations.waitlistPosition(manager, registration.id);
    await this.outbox.queue(manager, [registrationMail(event, registration, 'registration_waitlisted', locale, { position })]);
    return 'waitlisted';
  }

  /**
   * Confirms the registration on a seat the caller has just taken (Seats.take) from `pool`, and
   * mails the confirmation (or the promotion from the waiting list) with the calendar invitation.
   */
  async onTakenSeat(
    manager: EntityManager,
    event: SeminarEvent,
    registration: Registration,
    pool: SeatPool,
    kind: 'registration_confirmed' | 'waitlist_promoted',
    locale?: Locale,
  ): Promise<void> {
    await this.registrations.markConfirmed(manager, registration.id, pool);
    const language = locale ?? (await this.directory.localeOf(registration.memberId, manager));
    await this.outbox.queue(manager, [registrationMail(event, registration, kind, language)]);
  }
}
