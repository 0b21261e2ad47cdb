import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError, InvalidInputError } from '../common/errors/domain-errors';
import { DirectoryService } from '../directory/directory.service';
import { Member } from '../directory/entities/member.entity';
import { clusterCodes } from '../events/dto/event.view';
import { SeminarEvent } from '../events/entities/event.entity';
import { EventsService } from '../events/events.service';
import { LinkToken } from '../link-tokens/link-token.entity';
import { LinkTokensService } from '../link-tokens/link-tokens.service';
import { OutboxService } from '../notifications/outbox/outbox.service';
import { RegisterDto } from './dto/register.dto';
import { SendInvitationsDto } from './dto/send-invitations.dto';
import { Registration } from './entities/registration.entity';

/** What an emailed link leads to, as the GET page shows it (nothing changed yet). */
export type LinkPreview =
  | { state: 'invalid'; reason: 'unknown' | 'expired' | 'event_closed' | 'event_cancelled' }
  | { state: 'ready'; action: 'accept_invitation' | 'confirm_registration'; event: SeminarEvent; locale: 'ko' | 'en' }
  | { state: 'done'; outcome: LinkOutcome; event: SeminarEvent; locale: 'ko' | 'en' };

export type LinkOutcome = 'confirmed' | 'already_confirmed' | 'waitlisted';

/** Registrations: invitations to members, public sign-up with double opt-in, and the emailed-link actions. */
@Injectable()
export class RegistrationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly directory: DirectoryService,
    private readonly tokens: LinkTokensService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Queues one invitation per audience member. A member already invited to this event is skipped
   * by the outbox's dedupe key (unless `resend`), and one already confirmed is never re-invited.
   */
  async sendInvitations(eventId: string, dto: SendInvitationsDto): Promise<{ queued: number }> {
    const memberIds = dto.memberIds ?? [];
    const unknown = await this.directory.missingMemberIds(memberIds);
    if (unknown.length > 0) throw new InvalidInputError('memberIds', `contains unknown members: ${unknown.slice(0, 5).join(', ')}`);
    const queued = await this.dataSource.transaction(async (manager) => {
      const event = await this.events.lock(manager, eventId);
      if (event.status !== 'published') throw new ConflictError(`invitations need a published event (this one is ${event.status})`);
      if (event.endsAt <= new Date()) throw new ConflictError('the event is over');
      const clusters = dto.clusters ?? clusterCodes(event, 'audience');
      const members = await this.directory.audience(clusters, memberIds);
      const confirmed = await this.confirmedEmails(manager, eventId);
      const batch = dto.resend ? `:${Date.now()}` : '';
      return this.outbox.queue(
        manager,
        members
          .filter((member) => !confirmed.has(member.email.toLowerCase()))
          .map((member) => ({
            kind: 'invitation' as const,
            dedupeKey: `invitation:${eventId}:${member.id}${batch}`,
            eventId,
            memberId: member.id,
            recipient: member.email,
            recipientName: member.name,
            locale: member.locale,
          })),
      );
    });
    this.outbox.committed();
    return { queued };
  }

  /**
   * A public registration: stored as pending and answered with a confirmation link by email
   * (double opt-in). The caller gets the same answer whether or not the email was known or
   * already registered, so the endpoint reveals nothing about anyone's address.
   */
  async registerPublic(eventId: string, dto: RegisterDto): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const event = await this.events.get(eventId, { organizer: false }, manager);
      this.assertOpen(event);
      const { member, clusterCode, company } = await this.directory.clusterForEmail(dto.email, manager);
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO registrations (event_id, email, member_id, name, company, cluster_code, status, source)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending_confirmation', 'public')
         ON CONFLICT (event_id, lower(email)) DO NOTHING
         RETURNING id`,
        [eventId, dto.email, member?.id ?? null, dto.name, dto.company ?? company, clusterCode],
      );
      if (inserted.length === 0) return;
      await this.outbox.queue(manager, [
        {
          kind: 'registration_opt_in',
          dedupeKey: `opt_in:${inserted[0].id}`,
          eventId,
          registrationId: inserted[0].id,
          memberId: member?.id ?? null,
          recipient: dto.email,
          recipientName: dto.name,
          locale: member?.locale ?? 'ko',
        },
      ]);
    });
    this.outbox.committed();
  }

  async list(eventId: string): Promise<Registration[]> {
    await this.events.get(eventId, { organizer: true });
    return this.dataSource.getRepository(Registration).find({ where: { eventId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** For GET /r/:token: what the link would do. Reads only. */
  async previewLink(raw: string): Promise<LinkPreview> {
    const check = await this.tokens.check(raw);
    if (!check.ok) return { state: 'invalid', reason: check.reason === 'expired' ? 'expired' : 'unknown' };
    const { token } = check;
    const event = await this.events.get(token.eventId!, { organizer: true });
    const closed = this.closedReason(event);
    const subject = await this.subjectOf(this.dataSource.manager, token);
    if (!subject) return { state: 'invalid', reason: 'unknown' };
    if (subject.registration?.status === 'confirmed') {
      return { state: 'done', outcome: 'already_confirmed', event, locale: subject.locale };
    }
    if (closed) return { state: 'invalid', reason: closed };
    if (token.purpose !== 'accept_invitation' && token.purpose !== 'confirm_registration') return { state: 'invalid', reason: 'unknown' };
    return { state: 'ready', action: token.purpose, event, locale: subject.locale };
  }

  /** For POST /r/:token: accept the invitation or confirm the registration, once. */
  async performLink(raw: string): Promise<LinkPreview> {
    const check = await this.tokens.check(raw);
    if (!check.ok) return { state: 'invalid', reason: check.reason === 'expired' ? 'expired' : 'unknown' };
    const result = await this.dataSource.transaction(async (manager): Promise<LinkPreview> => {
      const { token } = check;
      // The event row lock orders every seat decision for this event (see EventsService.lock).
      const event = await this.events.lock(manager, token.eventId!);
      const subject = await this.subjectOf(manager, token);
      if (!subject) return { state: 'invalid', reason: 'unknown' };
      if (subject.registration?.status === 'confirmed') return { state: 'done', outcome: 'already_confirmed', event, locale: subject.locale };
      const closed = this.closedReason(event);
      if (closed) return { state: 'invalid', reason: closed };

      const registration = subject.registration ?? (await this.createFromInvitation(manager, event, subject.member!));
      const outcome = await this.confirm(manager, event, registration, subject.locale);
      await this.tokens.markUsed(token.id, manager);
      return { state: 'done', outcome, event: await this.events.get(event.id, { organizer: true }, manager), locale: subject.locale };
    });
    this.outbox.committed();
    return result;
  }

  /**
   * Confirms a registration if a seat is free (conditional UPDATE on the event's seat count),
   * and writes the confirmation mail with the .ics in the same transaction.
   */
  private async confirm(manager: EntityManager, event: SeminarEvent, registration: Registration, locale: 'ko' | 'en'): Promise<LinkOutcome> {
    if (!(await this.events.takeSeat(manager, event.id))) {
      await manager.update(Registration, registration.id, { status: 'waitlisted' });
      return 'waitlisted';
    }
    await manager.update(Registration, registration.id, { status: 'confirmed', confirmedAt: new Date(), cancelledAt: null });
    await this.outbox.queue(manager, [
      {
        kind: 'registration_confirmed',
        dedupeKey: `confirmed:${registration.id}:${event.sequence}`,
        eventId: event.id,
        registrationId: registration.id,
        memberId: registration.memberId,
        recipient: registration.email,
        recipientName: registration.name,
        locale,
      },
    ]);
    return 'confirmed';
  }

  private async createFromInvitation(manager: EntityManager, event: SeminarEvent, member: Member): Promise<Registration> {
    const registration = manager.create(Registration, {
      eventId: event.id,
      email: member.email,
      memberId: member.id,
      name: member.name,
      company: member.company?.name ?? null,
      clusterCode: member.clusterCode,
      status: 'pending_confirmation',
      source: 'invitation',
    });
    return manager.save(registration);
  }

  /** The person a token speaks for: the invited member (and their registration if any), or the registration. */
  private async subjectOf(
    manager: EntityManager,
    token: LinkToken,
  ): Promise<{ member: Member | null; registration: Registration | null; locale: 'ko' | 'en' } | null> {
    if (token.purpose === 'accept_invitation') {
      if (!token.memberId) return null;
      const member = await manager.findOne(Member, { where: { id: token.memberId }, relations: { company: true } });
      if (!member) return null;
      const registration = await manager
        .getRepository(Registration)
        .createQueryBuilder('registration')
        .where('registration.event_id = :eventId AND lower(registration.email) = lower(:email)', { eventId: token.eventId, email: member.email })
        .getOne();
      return { member, registration, locale: member.locale };
    }
    if (!token.registrationId) return null;
    const registration = await manager.findOne(Registration, { where: { id: token.registrationId } });
    if (!registration || registration.status === 'cancelled') return null;
    const member = registration.memberId ? await manager.findOne(Member, { where: { id: registration.memberId } }) : null;
    return { member, registration, locale: member?.locale ?? 'ko' };
  }

  private closedReason(event: SeminarEvent): 'event_closed' | 'event_cancelled' | undefined {
    if (event.status === 'cancelled') return 'event_cancelled';
    if (event.status !== 'published' || event.endsAt <= new Date()) return 'event_closed';
    return undefined;
  }

  private assertOpen(event: SeminarEvent): void {
    const closed = this.closedReason(event);
    if (closed === 'event_cancelled') throw new ConflictError('the event was cancelled');
    if (closed) throw new ConflictError('registration for this event is closed');
  }

  private async confirmedEmails(manager: EntityManager, eventId: string): Promise<Set<string>> {
    const rows: { email: string }[] = await manager.query(
      `SELECT lower(email) AS email FROM registrations WHERE event_id = $1 AND status = 'confirmed'`,
      [eventId],
    );
    return new Set(rows.map((row) => row.email));
  }
}
