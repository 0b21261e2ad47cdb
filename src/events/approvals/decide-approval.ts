import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { actsFor, Principal } from '../../auth/principal';
import { ConflictError, DomainError } from '../../common/errors/domain-errors';
import { SeminarEvent } from '../entities/event.entity';
import { EventsService } from '../events.service';
import { EventLifecycleHooks } from '../event-lifecycle.hooks';
import { Approval } from './approval-rules';
import { DecideApprovalDto } from './approval.dto';
import { EventApprovalsRepository } from './event-approvals.repository';

/** A co-host cluster's organizer approves an integrated seminar, or declines it with a reason. */
@Injectable()
export class DecideApproval {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly approvals: EventApprovalsRepository,
    private readonly hooks: EventLifecycleHooks,
  ) {}

  execute(eventId: string, dto: DecideApprovalDto, who: Principal): Promise<{ event: SeminarEvent; approvals: Approval[] }> {
    if (!actsFor(who, [dto.cluster])) throw new DomainError('forbidden', `only an organizer of ${dto.cluster} may decide for it`, 'cluster');
    return this.dataSource.transaction(async (manager) => {
      const event = await this.events.lock(manager, eventId);
      if (event.status !== 'draft') throw new ConflictError(`approvals are decided before publishing (this event is ${event.status})`);
      const status = dto.decision === 'approve' ? 'approved' : 'declined';
      const decided = await this.approvals.decide(manager, eventId, dto.cluster, status, dto.reason ?? null, who.actor);
      if (!decided) throw new ConflictError(`${dto.cluster} was not asked to approve this event`, 'cluster');
      const proposer = await this.approvals.requestedBy(eventId, dto.cluster, manager);
      // The proposer hears of the answer by email, written with the decision (the outbox).
      await this.hooks.emit(manager, {
        kind: 'approval_decided',
        event,
        cluster: dto.cluster,
        status,
        reason: dto.reason ?? null,
        proposer,
        decidedBy: who.actor,
      });
      return { event, approvals: await this.approvals.list(eventId, manager) };
    });
  }
}
