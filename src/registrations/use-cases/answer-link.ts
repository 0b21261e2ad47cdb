import { Clock } from '../../common/clock';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DirectoryService } from '../../directory/directory.service';
import { Member } from '../../directory/entities/member.entity';
import { registrationWindow } from '../../events/event-rules';
import { EventsService } from '../../events/events.service';
import { LinkToken } from '../../link-tokens/link-token.entity';
import { LinkTokensService } from '../../link-tokens/link-tokens.service';
import { Registration } from '../entities/registration.entity';
import { Locale } from '../registration-mail';
import { RegistrationsRepository } from '../registrations.repository';
import { ConsentChoices, consentRows, consentsFromForm, thirdPartyRecipients } from '../consents/consent-notice';
import { ConsentsRepository } from '../consents/consents.repository';
import { DEFAULT_LOCALE } from '../../common/templates/locales';
import { TemplateRenderer } from '../../common/templates/template-renderer.service';
import { CancelRegistration } from './cancel-registration';
import { AuditLog } from '../../auth/audit/audit-log.service';
import { ConfirmSeat } from './confirm-seat';
import { LINK_PURPOSES, LinkPreview, linkStep, RegistrationStatusView } from './link-steps';
import { MEETING_ROSTER_PORT, MeetingRosterPort } from '../meeting-roster.port';
import { SendInvitations } from './send-invitations';

interface Subject {
  member: Member | null;
  registration: Registration | null;
  locale: Locale;
}

/**
 * The emailed links (/r/:token): accept an invitation, confirm a public registration, or manage
 * (cancel) one. `preview` is the GET page and changes nothing (mail scanners open links);
 * `perform` is the page's POST and takes the step linkStep decides, under the event's row lock.
 */
@Injectable()
export class AnswerLink {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly directory: DirectoryService,
    private readonly tokens: LinkTokensService,
    private readonly registrations: RegistrationsRepository,
    private readonly confirmSeat: ConfirmSeat,
    private readonly cancelRegistration: CancelRegistration,
    private readonly clock: Clock,
    private readonly consents: ConsentsRepository,
    private readonly templates: TemplateRenderer,
    private readonly audit: AuditLog,
    private readonly invitations: SendInvitations,
    @Optional() @Inject(MEETING_ROSTER_PORT) private readonly roster?: MeetingRosterPort,
  ) {}

  /** Who a valid link speaks for: its event and member (null for a link of no member, such as a public registration's). */
  async holder(raw: string): Promise<{ eventId: string; memberId: string } | null> {
    const check = await this.checkLinkToken(raw);
    if (!check.ok) return null;
    const subject = await this.subjectOf(this.dataSource.manager, check.token);
    const memberId = subject?.member?.id ?? subject?.registration?.memberId ?? null;
    return memberId ? { eventId: check.token.eventId!, memberId } : null;
  }

  /** A delegate's seats at a standing body's meeting held at this event, for an invitation not yet answered. */
  private async delegateSeats(manager: EntityManager, purpose: string, eventId: string, subject: Subject): Promise<{ open: number; declined: number }> {
    if (!this.roster || purpose !== 'accept_invitation' || !subject.member || subject.registration) return { open: 0, declined: 0 };
    return this.roster.delegateSeats(manager, eventId, subject.member.id);
  }

  /**
   * A delegate who will not come to a standing body's meeting (declined, or cancelled after accepting):
   * the decline is recorded and their seats' substitutes invited, under the event's row lock and once,
   * so a second press invites nobody again. Nothing for anyone who holds no delegate seat there.
   */
  private async handOverSeats(manager: EntityManager, eventId: string, subject: Subject): Promise<void> {
    const memberId = subject.member?.id ?? subject.registration?.memberId ?? null;
    if (!this.roster || !memberId) return;
    const substitutes = await this.roster.decline(manager, eventId, memberId, this.clock.now());
    if (substitutes.length > 0) await this.invitations.within(manager, eventId, { clusters: [], memberIds: substitutes });
  }

  /** For GET /r/:token: what the link would do. Reads only. */
  async preview(raw: string): Promise<LinkPreview> {
    const check = await this.checkLinkToken(raw);
    if (!check.ok) return check.preview;
    const { token } = check;
    const manager = this.dataSource.manager;
    const event = await this.events.get(token.eventId!, { organizer: true });
    const subject = await this.subjectOf(manager, token);
    if (!subject) return { state: 'invalid', reason: 'unknown' };
    const { locale } = subject;
    const registration = subject.registration ? await this.statusView(manager, subject.registration) : null;
    const next = linkStep(token.purpose, subject.registration, registrationWindow(event, this.clock.now()));
    switch (next.step) {
      case 'manage':
        return next.active
          ? { state: 'ready', action: 'manage_registration', event, locale, registration }
          : { state: 'done', outcome: 'cancelled', event, locale, registration, erasable: isIdentifiable(subject.registration) };
      case 'already':
        return { state: 'done', outcome: next.outcome, event, locale, registration };
      case 'closed':
        // The link page says the time in the event's zone, as the event page does.
        return { ...next.preview, timeZone: event.timezone };
      case 'register': {
        const seats = await this.delegateSeats(manager, token.purpose, event.id, subject);
        if (seats.open === 0 && seats.declined > 0) return { state: 'done', outcome: 'declined', event, locale, registration };
        return {
          state: 'ready',
          action: next.action,
          event,
          locale,
          registration,
          consentNeeded: await this.consentNeeded(manager, subject.registration),
          declinable: seats.open > 0,
        };
      }
    }
  }

  /**
   * For POST /r/:token: accept the invitation, confirm the registration, or cancel it. `form` is the
   * page's form: where the registration has no consent to collection yet, confirming needs the
   * notice's form (`consent_version`) with the collection box ticked, and the choices are stored with it.
   */
  async perform(raw: string, form?: Record<string, unknown>): Promise<LinkPreview> {
    const check = await this.checkLinkToken(raw);
    if (!check.ok) return check.preview;
    const { token } = check;
    return this.dataSource.transaction(async (manager): Promise<LinkPreview> => {
      const event = await this.events.lock(manager, token.eventId!);
      const subject = await this.subjectOf(manager, token);
      if (!subject) return { state: 'invalid', reason: 'unknown' };
      const { locale } = subject;
      const next = linkStep(token.purpose, subject.registration, registrationWindow(event, this.clock.now()));
      switch (next.step) {
        case 'manage':
          if (form?.action === 'erase' && subject.registration) {
            // The calendar cancellation goes first (its row keeps the address), then the person is erased.
            if (next.active) await this.cancelRegistration.execute(manager, event, subject.registration, 'attendee');
            if (next.active) await this.handOverSeats(manager, event.id, subject);
            await this.registrations.anonymise(manager, [subject.registration.id]);
            await this.audit.record(
              { actor: 'member', organizerId: null },
              'member.erase',
              `registration ${subject.registration.id} of event ${event.id}`,
              null,
              undefined,
              manager,
            );
            return { state: 'done', outcome: 'erased', event, locale, registration: null };
          }
          if (next.active) {
            await this.cancelRegistration.execute(manager, event, subject.registration!, 'attendee');
            await this.handOverSeats(manager, event.id, subject);
          }
          return { state: 'done', outcome: 'cancelled', event, locale, registration: null };
        case 'already':
          return { state: 'done', outcome: next.outcome, event, locale, registration: await this.statusView(manager, subject.registration!) };
        case 'closed':
          return { ...next.preview, timeZone: event.timezone };
        case 'register': {
          if (form?.action === 'decline') {
            const seats = await this.delegateSeats(manager, token.purpose, event.id, subject);
            if (seats.open + seats.declined > 0) {
              await this.handOverSeats(manager, event.id, subject);
              return { state: 'done', outcome: 'declined', event, locale, registration: null };
            }
          }
          let choices: ConsentChoices | undefined;
          if (await this.consentNeeded(manager, subject.registration)) {
            // No consent yet: only the notice's form, with the collection box ticked, confirms. A bare
            // POST (a script, a mail scanner that presses buttons) is shown the notice instead.
            choices = consentsFromForm(form?.consent_version === undefined ? undefined : form, thirdPartyRecipients(event));
            if (!choices.collection) {
              const current = subject.registration ? await this.statusView(manager, subject.registration) : null;
              return { state: 'ready', action: next.action, event, locale, registration: current, consentNeeded: true, consentMissing: choices };
            }
          }
          const registration = subject.registration ?? (await this.createFromInvitation(manager, event.id, subject.member!));
          if (choices) {
            const version = this.templates.strings(DEFAULT_LOCALE).text('consent.version');
            await this.consents.store(manager, registration.id, version, this.clock.now(), consentRows(choices, thirdPartyRecipients(event)));
          }
          const outcome = await this.confirmSeat.execute(manager, event, registration, locale);
          await this.tokens.markUsed(token.id, manager);
          const fresh = await this.registrations.reload(manager, registration.id);
          return {
            state: 'done',
            outcome,
            event: await this.events.get(event.id, { organizer: true }, manager),
            locale,
            registration: await this.statusView(manager, fresh),
          };
        }
      }
    });
  }

  private async consentNeeded(manager: EntityManager, registration: Registration | null): Promise<boolean> {
    return !registration || !(await this.consents.hasCollection(manager, registration.id));
  }

  private async statusView(manager: EntityManager, registration: Registration): Promise<RegistrationStatusView> {
    if (registration.status !== 'waitlisted') return { status: registration.status, position: null };
    return { status: 'waitlisted', position: await this.registrations.waitlistPosition(manager, registration.id) };
  }

  private async checkLinkToken(raw: string): Promise<{ ok: true; token: LinkToken } | { ok: false; preview: LinkPreview }> {
    const check = await this.tokens.check(raw);
    if (!check.ok) return { ok: false, preview: { state: 'invalid', reason: check.reason === 'expired' ? 'expired' : 'unknown' } };
    // A token minted for anything else (check-in, unsubscribe) opens nothing here.
    if (!LINK_PURPOSES.includes(check.token.purpose) || !check.token.eventId) return { ok: false, preview: { state: 'invalid', reason: 'unknown' } };
    return { ok: true, token: check.token };
  }

  private createFromInvitation(manager: EntityManager, eventId: string, member: Member): Promise<Registration> {
    return this.registrations.createFromInvitation(manager, {
      eventId,
      email: member.email,
      memberId: member.id,
      name: member.name,
      company: member.company?.name ?? null,
      clusterCode: member.clusterCode,
    });
  }

  /** The person a token speaks for: the invited member (and their registration if any), or the registration. */
  private async subjectOf(manager: EntityManager, token: LinkToken): Promise<Subject | null> {
    if (token.purpose === 'accept_invitation') {
      if (!token.memberId) return null;
      const member = await this.directory.findMember(token.memberId, manager);
      if (!member) return null;
      const registration = await this.registrations.findByEmail(manager, token.eventId!, member.email);
      return { member, registration, locale: member.locale };
    }
    if (!token.registrationId) return null;
    const registration = await this.registrations.findById(manager, token.registrationId);
    if (!registration) return null;
    if (token.purpose === 'confirm_registration' && registration.status === 'cancelled') return null;
    const member = registration.memberId ? await this.directory.findMember(registration.memberId, manager) : null;
    return { member, registration, locale: member?.locale ?? 'ko' };
  }
}

/** Whether a registration still names a person (not yet erased or anonymised). */
function isIdentifiable(registration: Registration | null): boolean {
  return registration !== null && !/^erased-.*@invalid$/.test(registration.email);
}
