import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError } from '../../common/errors/domain-errors';
import { SeminarEvent } from '../entities/event.entity';
import { EventLifecycleHooks } from '../event-lifecycle.hooks';
import { missingApprovals } from '../approvals/approval-rules';
import { EventApprovalsRepository } from '../approvals/event-approvals.repository';
import { EventsService } from '../events.service';

/** Publishes a draft (publishing again changes nothing); listeners plan its reminders in the same transaction. */
@Injectable()
export class PublishEvent {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly hooks: EventLifecycleHooks,
    private readonly approvals: EventApprovalsRepository,
  ) {}

  /** In its own transaction, or in the caller's (a series publishes all its occurrences in one). */
  execute(id: string, inTransaction?: EntityManager): Promise<SeminarEvent> {
    const run = async (manager: EntityManager) => {
      const event = await this.events.lock(manager, id);
      if (event.status === 'cancelled') throw new ConflictError('a cancelled event cannot be published');
      if (event.status !== 'draft') return event;
      const missing = missingApprovals(await this.approvals.list(id, manager));
      if (missing.length > 0) {
        const who = missing.map((approval) =>
          approval.status === 'declined' ? `${approval.cluster} (declined: ${approval.reason ?? ''})` : `${approval.cluster} (pending)`,
        );
        throw new ConflictError(`publishing needs the approval of every co-host; not yet approved by ${who.join(', ')}`);
      }
      await manager.update(SeminarEvent, id, { status: 'published', publishedAt: new Date() });
      const published = await this.events.reload(manager, id);
      await this.hooks.emit(manager, { kind: 'published', event: published });
      return published;
    };
    return inTransaction ? run(inTransaction) : this.dataSource.transaction(run);
  }
}
