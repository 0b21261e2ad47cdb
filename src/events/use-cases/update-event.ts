import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { clusterCodes } from '../dto/event.view';
import { UpdateEventDto } from '../dto/update-event.dto';
import { SeminarEvent } from '../entities/event.entity';
import { EventLifecycleHooks } from '../event-lifecycle.hooks';
import { EventsService } from '../events.service';
import { checkNoRequiredFieldCleared, planEventUpdate } from './event-fields';
import type { Principal } from '../../auth/principal';
import { approvalsNeeded } from '../approvals/approval-rules';
import { EventApprovalsRepository } from '../approvals/event-approvals.repository';

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
    private readonly approvals: EventApprovalsRepository,
  ) {}

  /**
   * `actor`: who changes it. A cluster organizer who adds a co-host to a draft asks it to approve,
   * as on creation (same transaction, same mail); a host taken off a draft takes its approval with it.
   */
  async execute(id: string, dto: UpdateEventDto, actor: Principal | null = null): Promise<{ event: SeminarEvent; changed: string[] }> {
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
      if (dto.hostClusters && event.status === 'draft') await this.reviseApprovals(manager, updated, clusterCodes(event, 'host'), actor);
      if (event.status === 'published' && changed.length > 0) {
        await this.hooks.emit(manager, { kind: 'updated', event: updated, previous: before, changed });
      } else if (event.status === 'published' && String(before.reminderOffsetsMinutes) !== String(updated.reminderOffsetsMinutes)) {
        await this.hooks.emit(manager, { kind: 'reminders_changed', event: updated, previous: before });
      }
      return { event: updated, changed };
    });
  }

  private async reviseApprovals(manager: EntityManager, event: SeminarEvent, hostsBefore: string[], actor: Principal | null): Promise<void> {
    const hosts = clusterCodes(event, 'host');
    await this.approvals.keepOnly(manager, event.id, hosts);
    const added = approvalsNeeded(
      actor,
      hosts.filter((host) => !hostsBefore.includes(host)),
    );
    if (added.length === 0) return;
    await this.approvals.request(manager, event.id, added, actor!.actor);
    await this.hooks.emit(manager, { kind: 'approvals_requested', event, clusters: added, proposer: actor!.actor });
  }
}
