import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SeminarEvent } from '../../events/entities/event.entity';
import { EventSeatCounter } from '../../events/event-seat-counter';
import { Clock } from '../../common/clock';
import { RegistrationsRepository } from '../registrations.repository';
import { decideSeat, promotionsFrom, SeatPool, Waiting } from './seat-decision';

/**
 * Seat accounting, the one place that decides and books seats: which pool a registrant's seat
 * comes from (seat-decision.ts, counted from the confirmed registrations) and the event's seat
 * counter (EventSeatCounter). Every method expects the caller to hold the event's row lock (EventsService.lock) for
 * the rest of its transaction, so concurrent confirmations and cancellations of one event are
 * decided one after the other; the counter's conditional UPDATE and the schema's CHECK are a second
 * guard against overbooking.
 */
@Injectable()
export class Seats {
  constructor(
    private readonly counter: EventSeatCounter,
    private readonly registrations: RegistrationsRepository,
    private readonly clock: Clock,
  ) {}

  /** The pool a seat for this registrant would come from now, or null when none is free for them. */
  async poolFor(manager: EntityManager, event: SeminarEvent, clusterCode: string | null): Promise<SeatPool | null> {
    if (event.capacity === null) return 'open';
    return decideSeat(event, await this.registrations.confirmedSeats(manager, event.id), clusterCode, this.clock.now());
  }

  /** Who on the waiting list gets a seat now, in order (see promotionsFrom). */
  async promotions(manager: EntityManager, event: SeminarEvent, waiting: Waiting[]): Promise<{ id: string; pool: SeatPool }[]> {
    const taken = event.capacity === null ? [] : await this.registrations.confirmedSeats(manager, event.id);
    return promotionsFrom(event, taken, waiting, this.clock.now());
  }

  /** Counts one seat taken; false when the event is full (then nothing was counted). */
  take(manager: EntityManager, eventId: string): Promise<boolean> {
    return this.counter.takeSeat(manager, eventId);
  }

  /** Gives one confirmed seat back (a cancellation). */
  release(manager: EntityManager, eventId: string): Promise<void> {
    return this.counter.releaseSeat(manager, eventId);
  }
}
