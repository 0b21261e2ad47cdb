import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CLUSTER_CODES } from '../../config/cluster-codes';
import { CreateEventDto } from '../dto/create-event.dto';
import { SeminarEvent } from '../entities/event.entity';
import { checkEventTimes } from '../event-rules';
import type { Principal } from '../../auth/principal';
import { DomainError } from '../../common/errors/domain-errors';
import { approvalsNeeded } from '../approvals/approval-rules';
import { EventApprovalsRepository } from '../approvals/event-approvals.repository';
import { EventsService } from '../events.service';
import { EventLifecycleHooks } from '../event-lifecycle.hooks';
import { checkAgendaTimes, readAgenda } from '../agenda/agenda';
import { checkQuotas, DEFAULT_REMINDER_OFFSETS_MINUTES, reminderOffsets } from './event-fields';

/** Creates a draft event with its hosts, audience and quotas. */
@Injectable()
export class CreateEvent {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly approvals: EventApprovalsRepository,
    private readonly hooks: EventLifecycleHooks,
  ) {}

  /**
   * `proposer`: who creates it. A cluster organizer may only create events one of their clusters
   * hosts; every other host is asked to approve before the event can be published (same transaction).
   */
  execute(dto: CreateEventDto, proposer: Principal | null = null): Promise<SeminarEvent> {
    if (proposer && proposer.role !== 'admin' && !dto.hostClusters.some((host) => (proposer.clusters as string[]).includes(host))) {
      throw new DomainError('forbidden', `hostClusters must include one of your clusters (${proposer.clusters.join(', ')})`, 'hostClusters');
    }
    return this.dataSource.transaction(async (manager) => {
      const event = await this.within(manager, dto, undefined, leadHostOf(proposer, dto.hostClusters));
      const clusters = approvalsNeeded(proposer, dto.hostClusters);
      await this.approvals.request(manager, event.id, clusters, proposer?.actor ?? 'admin-token');
      // The co-hosts' organizers are asked by email, in this transaction (the outbox): no request without its mail.
      if (clusters.length > 0) await this.hooks.emit(manager, { kind: 'approvals_requested', event, clusters, proposer: proposer!.actor });
      return event;
    });
  }

  /**
   * Creates one draft event in the caller's transaction: `execute`, and each occurrence of a
   * series (`occurrenceOf` links it to the series and its original start).
   */
  async within(
    manager: EntityManager,
    dto: CreateEventDto,
    occurrenceOf?: { seriesId: string; recurrenceId: Date },
    leadHost: string | null = null,
  ): Promise<SeminarEvent> {
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(dto.endsAt);
    const opensAt = dto.registrationOpensAt ? new Date(dto.registrationOpensAt) : null;
    const closesAt = dto.registrationClosesAt ? new Date(dto.registrationClosesAt) : null;
    const quotaReleaseAt = dto.quotaReleaseAt ? new Date(dto.quotaReleaseAt) : null;
    checkEventTimes({ startsAt, endsAt, registrationOpensAt: opensAt, registrationClosesAt: closesAt, quotaReleaseAt });
    checkQuotas(dto.quotas ?? [], dto.capacity ?? null);
    const agenda = readAgenda(dto.agenda ?? []).items;
    checkAgendaTimes(agenda, { startsAt, endsAt });
    const id = randomUUID();
    await manager.insert(SeminarEvent, {
      id,
      uid: this.events.uidOf(id),
      sequence: 0,
      type: dto.type,
      title: dto.title,
      description: dto.description ?? null,
      keywords: dto.keywords ?? [],
      startsAt,
      endsAt,
      timezone: dto.timezone ?? 'Asia/Seoul',
      reminderOffsetsMinutes: reminderOffsets(dto.reminderOffsetsMinutes ?? DEFAULT_REMINDER_OFFSETS_MINUTES),
      venue: dto.venue ?? null,
      onlineUrl: dto.onlineUrl ?? null,
      capacity: dto.capacity ?? null,
      seatsTaken: 0,
      status: 'draft',
      registrationOpensAt: opensAt,
      registrationClosesAt: closesAt,
      quotaReleaseAt,
      quotaReleased: false,
      agenda,
      leadHost,
      seriesId: occurrenceOf?.seriesId ?? null,
      recurrenceId: occurrenceOf?.recurrenceId ?? null,
    });
    await this.events.replaceClusters(manager, id, dto.hostClusters, dto.audienceClusters ?? [...CLUSTER_CODES]);
    await this.events.replaceQuotas(manager, id, dto.quotas ?? []);
    return this.events.reload(manager, id);
  }
}

/**
 * 주최: the first host (in cluster order) that the proposing cluster organizer belongs to — the
 * others are co-hosts who approve. An admin's event (or a script's with the admin token) has no
 * proposing cluster, and takes the first host like the events made before the lead host existed.
 */
export function leadHostOf(proposer: Principal | null, hosts: readonly string[]): string | null {
  if (!proposer || proposer.role === 'admin') return null;
  return CLUSTER_CODES.find((code) => hosts.includes(code) && (proposer.clusters as string[]).includes(code)) ?? null;
}
