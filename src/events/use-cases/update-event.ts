import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { clusterCodes } from '../dto/event.view';
import { UpdateEventDto } from '../dto/update-event.dto';
import { SeminarEvent } from '../entities/event.entity';
import { EventLifecycleHooks } from '../event-lifecycle.hooks';
import { EventsService } from '../events.service';
import { checkNoRequiredFieldCleared, planEventUpdate } from './event-fields';

/**
 * Changes the fields present in the body; null clears an optional field. On a published event a
 * change attendees must see bumps SEQUENCE and tells the listeners (update mails, reminder jobs)
 * in the same transaction; `changed` lists those fields for the update mail.
 */
@Injectable()
export class UpdateEvent {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly hooks: EventLifecycleHooks,
  ) {}

  async execute(id: string, dto: UpdateEventDto): Promise<{ event: SeminarEvent; changed: string[] }> {
    checkNoRequiredFieldCleared(dto);
    return this.dataSource.transaction(async (manager) => {
      const event = await this.events.lock(manager, id);
      const before: SeminarEvent = { ...event };
      const { patch, changed } = planEventUpdate(event, dto);
      if (Object.keys(patch).length > 0) await manager.update(SeminarEvent, id, patch);
      if (dto.quotas !== undefined) await this.events.replaceQuotas(manager, id, dto.quotas ?? []);
      if (dto.hostClusters || dto.audienceClusters) {
        await this.events.replaceClusters(
          manager,
          id,
          dto.hostClusters ?? clusterCodes(event, 'host'),
          dto.audienceClusters ?? clusterCodes(event, 'audience'),
        );
      }
      const updated = await this.events.reload(manager, id);
      if (event.status === 'published' && changed.length > 0) {
        await this.hooks.emit(manager, { kind: 'updated', event: updated, previous: before, changed });
      } else if (event.status === 'published' && String(before.reminderOffsetsMinutes) !== String(updated.reminderOffsetsMinutes)) {
        await this.hooks.emit(manager, { kind: 'reminders_changed', event: updated, previous: before });
      }
      return { event: updated, changed };
    });
  }
}
