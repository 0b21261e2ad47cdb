import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SeminarEvent } from '../entities/event.entity';
import { EventLifecycleHooks } from '../event-lifecycle.hooks';
import { EventsService } from '../events.service';

/** Cancels the event; listeners write the cancellation notices in the same transaction. */
@Injectable()
export class CancelEvent {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly hooks: EventLifecycleHooks,
  ) {}

  execute(id: string, reason: string | undefined): Promise<SeminarEvent> {
    return this.dataSource.transaction(async (manager) => {
      const event = await this.events.lock(manager, id);
      if (event.status === 'cancelled') return event;
      await manager.update(SeminarEvent, id, {
        status: 'cancelled',
        cancelledAt: new Date(),
        cancelReason: reason ?? null,
        // A cancel is a change attendees must see (RFC 5546 §3.2.5): it carries a higher SEQUENCE.
        sequence: event.status === 'published' ? event.sequence + 1 : event.sequence,
      });
      const cancelled = await this.events.reload(manager, id);
      if (event.status === 'published') await this.hooks.emit(manager, { kind: 'cancelled', event: cancelled, reason: reason ?? null });
      return cancelled;
    });
  }
}
