import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * The event's seat counter (events.seats_taken), for seat accounting (registrations/seats/seats.ts,
 * the one caller). The caller holds the event's row lock (EventsService.lock).
 */
@Injectable()
export class EventSeatCounter {
  /**
   * Takes one seat if one is free: a single conditional UPDATE, so the seat count can never pass
   * the capacity however many confirmations race (and the schema's CHECK backs it up).
   */
  async takeSeat(manager: EntityManager, id: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await manager.query(
      `UPDATE events SET seats_taken = seats_taken + 1 WHERE id = $1 AND (capacity IS NULL OR seats_taken < capacity)`,
      [id],
    );
    return affected === 1;
  }

  /** Gives back one confirmed seat (a cancellation). */
  async releaseSeat(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE events SET seats_taken = seats_taken - 1 WHERE id = $1 AND seats_taken > 0`, [id]);
  }
}
