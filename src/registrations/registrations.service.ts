import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError, DomainError, InvalidInputError, NotFoundError } from '../common/errors/domain-errors';
import { DirectoryService } from '../directory/directory.service';
import { Member } from '../directory/entities/member.entity';
import { clusterCodes } from '../events/dto/event.view';
import { SeminarEvent } from '../events/entities/event.entity';
import { quotasReleased, registrationWindow, RegistrationWindow } from '../events/event-rules';
import { EventsService } from '../events/events.service';
import { LinkToken, LinkTokenPurpose } from '../link-tokens/link-token.entity';
import { LinkTokensService } from '../link-tokens/link-tokens.service';
import { OutboxEntry, OutboxService } from '../notifications/outbox/outbox.service';
import { RegisterDto } from './dto/register.dto';
import { SendInvitationsDto } from './dto/send-invitations.dto';
import { Registration } from './entities/registration.entity';

type Locale = 'ko' | 'en';
export type LinkAction = 'accept_invitation' | 'confirm_registration' | 'manage_registration';
export type LinkOutcome = 'confirmed' | 'already_confirmed' | 'waitlisted' | 'already_waitlisted' | 'cancelled';
export type ClosedReason = 'event_closed' | 'event_cancelled' | 'not_yet_open';

/** What an emailed link leads to, as the GET page shows it (nothing changed yet), or what the POST did. */
export type LinkPreview =
  | { state: 'invalid'; reason: 'unknown' | 'expired' | ClosedReason; at?: Date }
  | { state: 'ready'; action: LinkAction; event: SeminarEvent; locale: Locale; registration: RegistrationStatusView | null }
  | { state: 'done'; outcome: LinkOutcome; event: SeminarEvent; locale: Locale; registration: RegistrationStatusView | null };

export interface RegistrationStatusView {
  status: Registration['status'];
  /** 1-based place on the waiting list, when waitlisted. */
  position: number | null;
}

const LINK_PURPOSES: readonly LinkTokenPurpose[] = ['accept_invitation', 'confirm_registration', 'manage_registration'];

/**
 * Registrations: invitations to members, public sign-up with double opt-in, the emailed-link
 * actions, and seat accounting — capacity, cluster quotas and the waiting list.
 *
 * Every seat decision for an event runs under that event's row lock (EventsService.lock), so
 * concurrent confirmations and cancellations are decided one after the other in arrival order;
 * the seat counter's conditional UPDATE and CHECK are a second guard against overbooking.
 */
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
   * by the outbox's dedupe key (unless `resend`), and one already registered is never re-invited.
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
      const registered = await this.activeEmails(manager, eventId);
      const batch = dto.resend ? `:${Date.now()}` : '';
      return this.outbox.queue(
        manager,
        members
          .filter((member) => !registered.has(member.email.toLowerCase()))
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
      assertWindowOpen(registrationWindow(event));
      const { member, clusterCode, company } = await this.directory.clusterForEmail(dto.email, manager);
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO registrations (event_id, email, member_id, name, company, cluster_code, status, source)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending_confirmation', 'public')
         ON CONFLICT (event_id, lower(email)) DO NOTHING
         RETURNING id`,
        [eventId, dto.email, member?.id ?? null, dto.name, dto.company ?? company, clusterCode],
      );
      let registrationId = inserted[0]?.id;
      let dedupeKey = `opt_in:${registrationId}`;
      if (!registrationId) {
        // Someone who cancelled may register again; anyone else already has what they need.
        // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
        const [reopened]: [{ id: string }[], number] = await manager.query(
          `UPDATE registrations SET status = 'pending_confirmation', name = $3, cancelled_at = NULL
            WHERE event_id = $1 AND lower(email) = lower($2) AND status = 'cancelled' RETURNING id`,
          [eventId, dto.email, dto.name],
        );
        if (reopened.length === 0) return;
        registrationId = reopened[0].id;
        dedupeKey = `opt_in:${registrationId}:${Date.now()}`;
      }
      await this.outbox.queue(manager, [
        {
          kind: 'registration_opt_in',
          dedupeKey,
          eventId,
          registrationId,
          memberId: member?.id ?? null,
          recipient: dto.email,
          recipientName: dto.name,
          locale: member?.locale ?? 'ko',
        },
      ]);
    });
  }

  /** The registrations of an event, with each waitlisted person's place. */
  async list(eventId: string): Promise<(Registration & { position: number | null })[]> {
    await this.events.get(eventId, { organizer: true });
    const registrations = await this.dataSource
      .getRepository(Registration)
      .find({ where: { eventId }, order: { createdAt: 'ASC', id: 'ASC' } });
    const waitlist = registrations
      .filter((registration) => registration.status === 'waitlisted')
      .sort((a, b) => Number(a.waitlistOrder) - Number(b.waitlistOrder));
    return registrations.map((registration) => {
      const index = waitlist.indexOf(registration);
      return Object.assign(registration, { position: index >= 0 ? index + 1 : null });
    });
  }

  /** Organizer cancels one registration; a freed seat goes to the next eligible waitlisted person. */
  async cancelByOrganizer(eventId: string, registrationId: string): Promise<Registration> {
    const result = await this.dataSource.transaction(async (manager) => {
      const event = await this.events.lock(manager, eventId);
      const registration = await this.registrationOf(manager, eventId, registrationId);
      await this.cancel(manager, event, registration, 'organizer');
      return manager.findOneOrFail(Registration, { where: { id: registrationId } });
    });
    return result;
  }

  /**
   * Organizer moves someone from the waiting list onto a free seat, out of turn and past the
   * cluster quotas (an organizer's call); 409 when no seat is free.
   */
  async promoteByOrganizer(eventId: string, registrationId: string): Promise<Registration> {
    const result = await this.dataSource.transaction(async (manager) => {
      const event = await this.events.lock(manager, eventId);
      const registration = await this.registrationOf(manager, eventId, registrationId);
      if (registration.status !== 'waitlisted') throw new ConflictError(`registration is ${registration.status}, not waitlisted`);
      if (!(await this.events.takeSeat(manager, eventId))) throw new ConflictError('no seat is free: cancel a registration or raise the capacity first');
      await this.confirmOnSeat(manager, event, registration, 'open', 'waitlist_promoted');
      return manager.findOneOrFail(Registration, { where: { id: registrationId } });
    });
    return result;
  }

  /**
   * Reserved seats whose release time has come return to the open pool, and the waiting list
   * moves up into them. Safe to run from every instance: the event lock and the flag make it once.
   */
  async releaseDueQuotas(): Promise<number> {
    let promoted = 0;
    for (const eventId of await this.events.dueQuotaReleases()) {
      promoted += await this.dataSource.transaction(async (manager) => {
        const event = await this.events.lock(manager, eventId);
        if (event.quotaReleased) return 0;
        await this.events.markQuotasReleased(manager, eventId);
        event.quotaReleased = true;
        return this.promoteWaitlist(manager, event);
      });
    }
    return promoted;
  }

  /** For GET /r/:token: what the link would do. Reads only. */
  async previewLink(raw: string): Promise<LinkPreview> {
    const check = await this.checkLinkToken(raw);
    if (!check.ok) return check.preview;
    const { token } = check;
    const event = await this.events.get(token.eventId!, { organizer: true });
    const subject = await this.subjectOf(this.dataSource.manager, token);
    if (!subject) return { state: 'invalid', reason: 'unknown' };
    const status = subject.registration ? await this.statusView(this.dataSource.manager, subject.registration) : null;
    if (token.purpose === 'manage_registration') {
      if (!subject.registration || subject.registration.status === 'cancelled') {
        return { state: 'done', outcome: 'cancelled', event, locale: subject.locale, registration: status };
      }
      return { state: 'ready', action: 'manage_registration', event, locale: subject.locale, registration: status };
    }
    const done = alreadyDone(subject.registration);
    if (done) return { state: 'done', outcome: done, event, locale: subject.locale, registration: status };
    const window = registrationWindow(event);
    if (!window.open) return closedPreview(window);
    return { state: 'ready', action: token.purpose as LinkAction, event, locale: subject.locale, registration: status };
  }

  /** For POST /r/:token: accept the invitation, confirm the registration, or cancel it. */
  async performLink(raw: string): Promise<LinkPreview> {
    const check = await this.checkLinkToken(raw);
    if (!check.ok) return check.preview;
    const { token } = check;
    const result = await this.dataSource.transaction(async (manager): Promise<LinkPreview> => {
      const event = await this.events.lock(manager, token.eventId!);
      const subject = await this.subjectOf(manager, token);
      if (!subject) return { state: 'invalid', reason: 'unknown' };
      const { locale } = subject;

      if (token.purpose === 'manage_registration') {
        if (subject.registration && subject.registration.status !== 'cancelled') await this.cancel(manager, event, subject.registration, 'attendee');
        return { state: 'done', outcome: 'cancelled', event, locale, registration: null };
      }

      const done = alreadyDone(subject.registration);
      if (done) return { state: 'done', outcome: done, event, locale, registration: await this.statusView(manager, subject.registration!) };
      const window = registrationWindow(event);
      if (!window.open) return closedPreview(window);

      const registration = subject.registration ?? (await this.createFromInvitation(manager, event, subject.member!));
      const outcome = await this.confirmOrWaitlist(manager, event, registration, locale);
      await this.tokens.markUsed(token.id, manager);
      const fresh = await manager.findOneOrFail(Registration, { where: { id: registration.id } });
      return { state: 'done', outcome, event: await this.events.get(event.id, { organizer: true }, manager), locale, registration: await this.statusView(manager, fresh) };
    });
    return result;
  }

  /** A seat if one is free for this registrant (quota, then open pool); otherwise the end of the waiting list. */
  private async confirmOrWaitlist(manager: EntityManager, event: SeminarEvent, registration: Registration, locale: Locale): Promise<LinkOutcome> {
    const pool = await this.events.seatFor(manager, event, registration.clusterCode);
    if (pool && (await this.events.takeSeat(manager, event.id))) {
      await this.confirmOnSeat(manager, event, registration, pool, 'registration_confirmed', locale);
      return 'confirmed';
    }
    await manager.query(
      `UPDATE registrations SET status = 'waitlisted', waitlist_order = nextval('registrations_waitlist_seq'), cancelled_at = NULL WHERE id = $1`,
      [registration.id],
    );
    const position = (await this.statusView(manager, { ...registration, status: 'waitlisted' } as Registration)).position;
    await this.outbox.queue(manager, [this.mail(event, registration, 'registration_waitlisted', `waitlisted:${registration.id}:${Date.now()}`, locale, { position })]);
    return 'waitlisted';
  }

  private async confirmOnSeat(
    manager: EntityManager,
    event: SeminarEvent,
    registration: Registration,
    pool: 'quota' | 'open',
    kind: 'registration_confirmed' | 'waitlist_promoted',
    locale?: Locale,
  ): Promise<void> {
    await manager.update(Registration, registration.id, { status: 'confirmed', seatPool: pool, waitlistOrder: null, confirmedAt: new Date(), cancelledAt: null });
    const language = locale ?? (await this.localeOf(manager, registration));
    await this.outbox.queue(manager, [this.mail(event, registration, kind, `${kind}:${registration.id}:${Date.now()}`, language)]);
  }

  /**
   * Cancels a registration. A confirmed seat goes back and, in the same transaction, to the next
   * eligible person on the waiting list; the person who cancelled gets a METHOD:CANCEL for their
   * calendar (the entry they held, confirmed or tentative, disappears).
   */
  private async cancel(manager: EntityManager, event: SeminarEvent, registration: Registration, cancelledBy: 'organizer' | 'attendee'): Promise<void> {
    if (registration.status === 'cancelled') return;
    const held = registration.status === 'confirmed' || registration.status === 'waitlisted';
    await manager.update(Registration, registration.id, { status: 'cancelled', cancelledAt: new Date(), seatPool: null, waitlistOrder: null });
    if (held) {
      const locale = await this.localeOf(manager, registration);
      await this.outbox.queue(manager, [
        this.mail(event, registration, 'registration_cancelled', `registration_cancelled:${registration.id}:${Date.now()}`, locale, { cancelledBy }),
      ]);
    }
    if (registration.status === 'confirmed') {
      await this.events.releaseSeat(manager, event.id);
      await this.promoteWaitlist(manager, event);
    }
  }

  /** Fills free seats from the waiting list, in arrival order, each with the first person a seat is free for. */
  private async promoteWaitlist(manager: EntityManager, event: SeminarEvent): Promise<number> {
    if (event.status !== 'published') return 0;
    const waiting = await manager.find(Registration, { where: { eventId: event.id, status: 'waitlisted' }, order: { waitlistOrder: 'ASC' } });
    // While quotas hold, a seat may be free for one cluster and not another; otherwise a full event is full for all.
    const quotasHold = (event.quotas ?? []).length > 0 && !quotasReleased(event);
    let promoted = 0;
    for (const registration of waiting) {
      const pool = await this.events.seatFor(manager, event, registration.clusterCode);
      if (!pool && !quotasHold) break;
      if (!pool) continue;
      if (!(await this.events.takeSeat(manager, event.id))) break;
      await this.confirmOnSeat(manager, event, registration, pool, 'waitlist_promoted');
      promoted++;
    }
    return promoted;
  }

  private mail(
    event: SeminarEvent,
    registration: Registration,
    kind: OutboxEntry['kind'],
    dedupeKey: string,
    locale: Locale,
    payload: Record<string, unknown> = {},
  ): OutboxEntry {
    return {
      kind,
      dedupeKey,
      eventId: event.id,
      registrationId: registration.id,
      memberId: registration.memberId,
      recipient: registration.email,
      recipientName: registration.name,
      locale,
      payload: { ...payload, registrationStatus: kind === 'registration_waitlisted' ? 'waitlisted' : 'confirmed' },
    };
  }

  private async statusView(manager: EntityManager, registration: Registration): Promise<RegistrationStatusView> {
    if (registration.status !== 'waitlisted') return { status: registration.status, position: null };
    const [{ position }] = await manager.query(
      `SELECT count(*)::int AS position FROM registrations r, registrations me
        WHERE me.id = $1 AND r.event_id = me.event_id AND r.status = 'waitlisted' AND r.waitlist_order <= me.waitlist_order`,
      [registration.id],
    );
    return { status: 'waitlisted', position };
  }

  private async checkLinkToken(raw: string): Promise<{ ok: true; token: LinkToken } | { ok: false; preview: LinkPreview }> {
    const check = await this.tokens.check(raw);
    if (!check.ok) return { ok: false, preview: { state: 'invalid', reason: check.reason === 'expired' ? 'expired' : 'unknown' } };
    // A token minted for anything else (check-in, unsubscribe) opens nothing here.
    if (!LINK_PURPOSES.includes(check.token.purpose) || !check.token.eventId) return { ok: false, preview: { state: 'invalid', reason: 'unknown' } };
    return { ok: true, token: check.token };
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
  ): Promise<{ member: Member | null; registration: Registration | null; locale: Locale } | null> {
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
    if (!registration) return null;
    if (token.purpose === 'confirm_registration' && registration.status === 'cancelled') return null;
    const member = registration.memberId ? await manager.findOne(Member, { where: { id: registration.memberId } }) : null;
    return { member, registration, locale: member?.locale ?? 'ko' };
  }

  private async localeOf(manager: EntityManager, registration: Registration): Promise<Locale> {
    if (!registration.memberId) return 'ko';
    const member = await manager.findOne(Member, { where: { id: registration.memberId } });
    return member?.locale ?? 'ko';
  }

  private async registrationOf(manager: EntityManager, eventId: string, registrationId: string): Promise<Registration> {
    const registration = await manager.findOne(Registration, { where: { id: registrationId, eventId } });
    if (!registration) throw new NotFoundError('registration', 'registrationId');
    return registration;
  }

  private async activeEmails(manager: EntityManager, eventId: string): Promise<Set<string>> {
    const rows: { email: string }[] = await manager.query(
      `SELECT lower(email) AS email FROM registrations WHERE event_id = $1 AND status IN ('confirmed', 'waitlisted')`,
      [eventId],
    );
    return new Set(rows.map((row) => row.email));
  }
}

function alreadyDone(registration: Registration | null): LinkOutcome | undefined {
  if (registration?.status === 'confirmed') return 'already_confirmed';
  if (registration?.status === 'waitlisted') return 'already_waitlisted';
  return undefined;
}

function closedPreview(window: Exclude<RegistrationWindow, { open: true }>): LinkPreview {
  if (window.reason === 'cancelled') return { state: 'invalid', reason: 'event_cancelled' };
  if (window.reason === 'not_yet_open') return { state: 'invalid', reason: 'not_yet_open', at: window.at };
  return { state: 'invalid', reason: 'event_closed', at: window.at };
}

/** The API's answer outside the registration window: 409 with when it opens or closed. */
function assertWindowOpen(window: RegistrationWindow): void {
  if (window.open) return;
  const messages: Record<typeof window.reason, string> = {
    cancelled: 'the event was cancelled',
    not_published: 'the event is not published',
    not_yet_open: `registration opens at ${window.at?.toISOString()}`,
    closed: `registration closed at ${window.at?.toISOString()}`,
  };
  throw new DomainError('conflict', messages[window.reason]);
}
