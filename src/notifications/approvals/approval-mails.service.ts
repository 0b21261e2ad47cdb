import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { OrganizersService } from '../../auth/organizers/organizers.service';
import { DEFAULT_LOCALE } from '../../common/templates/locales';
import { EventChange, EventLifecycleHooks } from '../../events/event-lifecycle.hooks';
import { OutboxEntry, OutboxService } from '../outbox/outbox.service';

/**
 * The mails of co-hosting (issue 9): when a draft names co-host clusters, each active organizer of
 * those clusters is asked to approve it (`approval_requested`, a link to 승인 요청); when a co-host
 * answers, the organizer who proposed it hears of it (`approval_answered`). Written as outbox rows
 * in the transaction of the request or the decision, each in the language its organizer reads the
 * console in (that of their last sign-in request; Korean for one who never signed in).
 */
@Injectable()
export class ApprovalMailsService implements OnModuleInit {
  constructor(
    private readonly hooks: EventLifecycleHooks,
    private readonly outbox: OutboxService,
    private readonly organizers: OrganizersService,
  ) {}

  onModuleInit(): void {
    this.hooks.listen((manager, change) => this.onChange(manager, change));
  }

  async onChange(manager: EntityManager, change: EventChange): Promise<void> {
    if (change.kind === 'approvals_requested') await this.outbox.queue(manager, await this.requested(change));
    if (change.kind === 'approval_decided') await this.outbox.queue(manager, await this.answered(change));
  }

  private async requested(change: Extract<EventChange, { kind: 'approvals_requested' }>): Promise<OutboxEntry[]> {
    const organizers = (await this.organizers.list()).filter((organizer) => organizer.disabledAt === null && organizer.role === 'cluster_organizer');
    const locales = await this.organizers.locales(organizers.map((organizer) => organizer.id));
    return change.clusters.flatMap((cluster) =>
      organizers
        .filter((organizer) => (organizer.clusters as string[]).includes(cluster))
        .map((organizer) => ({
          kind: 'approval_requested' as const,
          // One request per organizer and co-host cluster of the event.
          dedupeKey: `approval_requested:${change.event.id}:${cluster}:${organizer.id}`,
          eventId: change.event.id,
          recipient: organizer.email,
          recipientName: organizer.name,
          locale: locales.get(organizer.id) ?? DEFAULT_LOCALE,
          payload: { cluster, proposer: change.proposer },
        })),
    );
  }

  private async answered(change: Extract<EventChange, { kind: 'approval_decided' }>): Promise<OutboxEntry[]> {
    const proposer = change.proposer ? await this.organizers.byEmail(change.proposer) : null;
    if (!proposer || proposer.disabledAt !== null) return [];
    return [
      {
        kind: 'approval_answered',
        // A co-host may change its answer (decline, then approve): each answer is its own mail.
        dedupeKey: `approval_answered:${change.event.id}:${change.cluster}:${randomUUID()}`,
        eventId: change.event.id,
        recipient: proposer.email,
        recipientName: proposer.name,
        locale: (await this.organizers.locales([proposer.id])).get(proposer.id) ?? DEFAULT_LOCALE,
        payload: { cluster: change.cluster, status: change.status, reason: change.reason, decidedBy: change.decidedBy },
      },
    ];
  }
}
