import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DueEventsReader } from '../../events/due-events.reader';
import { EventsService } from '../../events/events.service';
import { PromoteFromWaitlist } from './promote-from-waitlist';

/**
 * At each event's quota release time, unclaimed reserved seats return to the open pool and the
 * waiting list moves up into them. Safe to run from every worker at once: the event's row lock
 * and its quota_released flag make each release happen once.
 */
@Injectable()
export class ReleaseQuotas {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly dueEvents: DueEventsReader,
    private readonly promote: PromoteFromWaitlist,
  ) {}

  /** Returns how many people were moved off waiting lists. */
  async execute(): Promise<number> {
    let promoted = 0;
    for (const eventId of await this.dueEvents.dueQuotaReleases()) {
      promoted += await this.dataSource.transaction(async (manager) => {
        const event = await this.events.lock(manager, eventId);
        if (event.quotaReleased) return 0;
        await this.events.markQuotasReleased(manager, eventId);
        event.quotaReleased = true;
        return this.promote.fillFreeSeats(manager, event);
      });
    }
    return promoted;
  }
}
