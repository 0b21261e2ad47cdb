import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError } from '../../common/errors/domain-errors';
import { SeminarEvent } from '../../events/entities/event.entity';
import { EventsService } from '../../events/events.service';
import { Registration } from '../entities/registration.entity';
import { RegistrationsRepository } from '../registrations.repository';
import { Seats } from '../seats/seats';
import { ConfirmSeat } from './confirm-seat';

/** Moves people from the waiting list onto free seats. */
@Injectable()
export class PromoteFromWaitlist {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly registrations: RegistrationsRepository,
    private readonly seats: Seats,
    private readonly confirmSeat: ConfirmSeat,
  ) {}

  /**
   * The organizer moves someone from the waiting list onto a free seat, out of turn and past the
   * cluster quotas (an organizer's call); 409 when no seat is free.
   */
  async byOrganizer(eventId: string, registrationId: string): Promise<Registration> {
    return this.dataSource.transaction(async (manager) => {
      const event = await this.events.lock(manager, eventId);
      const registration = await this.registrations.getOfEvent(manager, eventId, registrationId);
      if (registration.status !== 'waitlisted') throw new ConflictError(`registration is ${registration.status}, not waitlisted`);
      if (!(await this.seats.take(manager, eventId))) throw new ConflictError('no seat is free: cancel a registration or raise the capacity first');
      await this.confirmSeat.onTakenSeat(manager, event, registration, 'open', 'waitlist_promoted');
      return this.registrations.reload(manager, registrationId);
    });
  }

  /**
   * Fills the free seats from the waiting list, in arrival order, each with the first person a
   * seat is free for (see promotionsFrom), in the caller's transaction under its event lock: after
   * a cancellation and at the quota release. Returns how many were promoted.
   */
  async fillFreeSeats(manager: EntityManager, event: SeminarEvent): Promise<number> {
    if (event.status !== 'published') return 0;
    const waiting = await this.registrations.waitlist(manager, event.id);
    const byId = new Map(waiting.map((registration) => [registration.id, registration]));
    let promoted = 0;
    for (const { id, pool } of await this.seats.promotions(manager, event, waiting)) {
      if (!(await this.seats.take(manager, event.id))) break;
      await this.confirmSeat.onTakenSeat(manager, event, byId.get(id)!, pool, 'waitlist_promoted');
      promoted++;
    }
    return promoted;
  }
}
