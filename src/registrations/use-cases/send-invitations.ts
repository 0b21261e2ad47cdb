import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError, InvalidInputError } from '../../common/errors/domain-errors';
import { DirectoryService } from '../../directory/directory.service';
import type { Member } from '../../directory/entities/member.entity';
import { clusterCodes } from '../../events/dto/event.view';
import type { SeminarEvent } from '../../events/entities/event.entity';
import { EventsService } from '../../events/events.service';
import { LinkTokensService } from '../../link-tokens/link-tokens.service';
import { OutboxService } from '../../notifications/outbox/outbox.service';
import type { SuppressionReason } from '../../notifications/suppressions/mail-suppression.entity';
import { SuppressionsService } from '../../notifications/suppressions/suppressions.service';
import { SendInvitationsDto } from '../dto/send-invitations.dto';
import { RegistrationsRepository } from '../registrations.repository';
import { Clock } from '../../common/clock';

/** What becomes of one audience member when invitations go out. */
export type InviteeOutcome = 'invite' | 'registered' | 'already_invited' | SuppressionReason;

export interface InvitationPlan {
  /** Everyone the choice of clusters, SIGs and members names, each once. */
  audience: number;
  /** Those who will get the mail. */
  invited: Member[];
  skipped: { registered: number; alreadyInvited: number; unsubscribed: number; bounced: number };
}

/**
 * Decides, for each audience member, whether the invitation goes out and why not: someone
 * registered is never invited, someone invited before only when resending, and an address that
 * unsubscribed or bounced gets its row written as skipped by the worker (so the deliveries page
 * says why) rather than a mail.
 */
export function classifyInvitees(
  members: Member[],
  facts: { registered: Set<string>; invitedMemberIds: Set<string>; suppressed: Map<string, SuppressionReason>; resend: boolean },
): Map<Member, InviteeOutcome> {
  const outcomes = new Map<Member, InviteeOutcome>();
  for (const member of members) {
    const email = member.email.toLowerCase();
    if (facts.registered.has(email)) outcomes.set(member, 'registered');
    else if (!facts.resend && facts.invitedMemberIds.has(member.id)) outcomes.set(member, 'already_invited');
    else outcomes.set(member, facts.suppressed.get(email) ?? 'invite');
  }
  return outcomes;
}

/**
 * Queues one invitation per audience member (of the clusters, of the SIGs' companies, or named),
 * one per person however those overlap: the directory answers each member once, and the outbox's
 * dedupe key `invitation:<event>:<member>` makes a second invitation to the same event a no-op.
 * `plan` is the same decision without writing anything, for the console to show before sending.
 */
@Injectable()
export class SendInvitations {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly directory: DirectoryService,
    private readonly registrations: RegistrationsRepository,
    private readonly outbox: OutboxService,
    private readonly suppressions: SuppressionsService,
    private readonly clock: Clock,
    private readonly tokens: LinkTokensService,
  ) {}

  /** Who would be invited and who skipped, and why; writes nothing (a draft may be planned too). */
  async plan(eventId: string, dto: SendInvitationsDto): Promise<InvitationPlan> {
    await this.checkIds(dto);
    const manager = this.dataSource.manager;
    const event = await this.events.get(eventId, { organizer: true }, manager);
    return summarise(await this.classify(manager, event, dto));
  }

  async execute(eventId: string, dto: SendInvitationsDto): Promise<{ queued: number }> {
    await this.checkIds(dto);
    const queued = await this.dataSource.transaction((manager) => this.within(manager, eventId, dto));
    return { queued };
  }

  /**
   * Queues the invitations in the caller's transaction, under the event's row lock; the ids in
   * `dto` must name members and SIGs (execute checks them first). Standing bodies invite a
   * meeting's delegates, and a declining delegate's substitute, through here.
   */
  async within(manager: EntityManager, eventId: string, dto: SendInvitationsDto): Promise<number> {
    const event = await this.events.lock(manager, eventId);
    if (event.status !== 'published') throw new ConflictError(`invitations need a published event (this one is ${event.status})`);
    if (event.endsAt <= this.clock.now()) throw new ConflictError('the event is over');
    const outcomes = await this.classify(manager, event, dto);
    const batch = dto.resend ? `:${Date.now()}` : '';
    const entries = [...outcomes]
      .filter(([, outcome]) => outcome !== 'registered' && outcome !== 'already_invited')
      .map(([member]) => ({
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
    // A suppressed address's row gets them too: the suppression may be lifted before it is sent.
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
  }

  private async checkIds(dto: SendInvitationsDto): Promise<void> {
    const unknown = await this.directory.missingMemberIds(dto.memberIds ?? []);
    if (unknown.length > 0) throw new InvalidInputError('memberIds', `contains unknown members: ${unknown.slice(0, 5).join(', ')}`);
    const unknownSigs = await this.directory.missingSigIds(dto.sigs ?? []);
    if (unknownSigs.length > 0) throw new InvalidInputError('sigs', `contains unknown SIGs: ${unknownSigs.slice(0, 5).join(', ')}`);
  }

  private async classify(manager: EntityManager, event: SeminarEvent, dto: SendInvitationsDto): Promise<Map<Member, InviteeOutcome>> {
    const sigIds = dto.sigs ?? [];
    // Naming SIGs picks the audience: the event's audience clusters are the default only without them.
    const clusters = dto.clusters ?? (sigIds.length > 0 ? [] : clusterCodes(event, 'audience'));
    const members = await this.directory.audience(clusters, dto.memberIds ?? [], sigIds);
    const emails = members.map((member) => member.email);
    return classifyInvitees(members, {
      registered: await this.registrations.activeEmails(manager, event.id),
      invitedMemberIds: await this.outbox.memberIdsWithMail(manager, event.id, 'invitation'),
      suppressed: await this.suppressions.blockingMany(emails, 'invitation', manager),
      resend: dto.resend === true,
    });
  }
}

function summarise(outcomes: Map<Member, InviteeOutcome>): InvitationPlan {
  const plan: InvitationPlan = { audience: outcomes.size, invited: [], skipped: { registered: 0, alreadyInvited: 0, unsubscribed: 0, bounced: 0 } };
  for (const [member, outcome] of outcomes) {
    if (outcome === 'invite') plan.invited.push(member);
    else if (outcome === 'registered') plan.skipped.registered++;
    else if (outcome === 'already_invited') plan.skipped.alreadyInvited++;
    else if (outcome === 'unsubscribe') plan.skipped.unsubscribed++;
    else plan.skipped.bounced++;
  }
  return plan;
}
