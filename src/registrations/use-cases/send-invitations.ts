import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, InvalidInputError } from '../../common/errors/domain-errors';
import { DirectoryService } from '../../directory/directory.service';
import { clusterCodes } from '../../events/dto/event.view';
import { EventsService } from '../../events/events.service';
import { LinkTokensService } from '../../link-tokens/link-tokens.service';
import { OutboxService } from '../../notifications/outbox/outbox.service';
import { SendInvitationsDto } from '../dto/send-invitations.dto';
import { RegistrationsRepository } from '../registrations.repository';
import { Clock } from '../../common/clock';

/**
 * Queues one invitation per audience member (of the clusters, of the SIGs' companies, or named),
 * one per person however those overlap: the directory answers each member once, and the outbox's
 * dedupe key `invitation:<event>:<member>` makes a second invitation to the same event a no-op. A member already invited to this event is skipped
 * by the outbox's dedupe key (unless `resend`), and one already registered is never re-invited.
 */
@Injectable()
export class SendInvitations {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly directory: DirectoryService,
    private readonly registrations: RegistrationsRepository,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly tokens: LinkTokensService,
  ) {}

  async execute(eventId: string, dto: SendInvitationsDto): Promise<{ queued: number }> {
    const memberIds = dto.memberIds ?? [];
    const unknown = await this.directory.missingMemberIds(memberIds);
    if (unknown.length > 0) throw new InvalidInputError('memberIds', `contains unknown members: ${unknown.slice(0, 5).join(', ')}`);
    const sigIds = dto.sigs ?? [];
    const unknownSigs = await this.directory.missingSigIds(sigIds);
    if (unknownSigs.length > 0) throw new InvalidInputError('sigs', `contains unknown SIGs: ${unknownSigs.slice(0, 5).join(', ')}`);
    const queued = await this.dataSource.transaction(async (manager) => {
      const event = await this.events.lock(manager, eventId);
      if (event.status !== 'published') throw new ConflictError(`invitations need a published event (this one is ${event.status})`);
      if (event.endsAt <= this.clock.now()) throw new ConflictError('the event is over');
      // Naming SIGs picks the audience: the event's audience clusters are the default only without them.
      const clusters = dto.clusters ?? (sigIds.length > 0 ? [] : clusterCodes(event, 'audience'));
      const members = await this.directory.audience(clusters, memberIds, sigIds);
      const registered = await this.registrations.activeEmails(manager, eventId);
      const batch = dto.resend ? `:${Date.now()}` : '';
      const entries = members
        .filter((member) => !registered.has(member.email.toLowerCase()))
        .map((member) => ({
          kind: 'invitation' as const,
          dedupeKey: `invitation:${eventId}:${member.id}${batch}`,
          eventId,
          memberId: member.id,
          recipient: member.email,
          recipientName: member.name,
          locale: member.locale,
          messageKey: randomUUID(),
          // The worker then derives the links from the message key and writes nothing for them.
          payload: { linksMinted: ['accept_invitation', 'unsubscribe'] },
        }));
      const inserted = new Set(await this.outbox.queueReturningKeys(manager, entries));
      // Each mail's links are stored with its row, in a few statements for the whole fan-out, rather
      // than two round trips per mail in the worker; a member already invited keeps the links they have.
      await this.tokens.mintMany(
        manager,
        event.endsAt,
        entries
          .filter((entry) => inserted.has(entry.messageKey))
          .flatMap((entry) => [
            { messageKey: entry.messageKey, purpose: 'accept_invitation' as const, subject: { eventId, memberId: entry.memberId } },
            { messageKey: entry.messageKey, purpose: 'unsubscribe' as const, subject: { eventId, memberId: entry.memberId, email: entry.recipient } },
          ]),
      );
      return inserted.size;
    });
    return { queued };
  }
}
