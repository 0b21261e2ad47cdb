import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError } from '../../common/errors/domain-errors';
import { SeminarEvent } from '../entities/event.entity';
import { EventLifecycleHooks } from '../event-lifecycle.hooks';
import { EventsService } from '../events.service';

/** Publishes a draft (publishing again changes nothing); listeners plan its reminders in the same transaction. */
@Injectable()
export class PublishEvent {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly hooks: EventLifecycleHooks,
  ) {}

  /** In its own transaction, or in the caller's (a series publishes all its occurrences in one). */
  execute(id: string, inTransaction?: EntityManager): Promise<SeminarEvent> {
    const run = async (manager: EntityManager) => {
      const event = await this.events.lock(manager, id);
      if (event.status === 'cancelled') throw new ConflictError('a cancelled event cannot be published');
      if (event.status !== 'draft') return event;
      await manager.update(SeminarEvent, id, { status: 'published', publishedAt: new Date() });
      const published = await this.events.reload(manager, id);
      await this.hooks.emit(manager, { kind: 'published', event: published });
      return published;
    };
    return inTransaction ? run(inTransaction) : this.dataSource.transaction(run);
  }
}
