import { Clock } from '../../common/clock';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../common/errors/domain-errors';
import { ConsentChoices, consentRows, parseConsents, recipientsAmong } from '../consents/consent-notice';
import { ConsentsRepository } from '../consents/consents.repository';
import { DEFAULT_LOCALE } from '../../common/templates/locales';
import { TemplateRenderer } from '../../common/templates/template-renderer.service';
import { DirectoryService } from '../../directory/directory.service';
import { registrationWindow, RegistrationWindow } from '../../events/event-rules';
import { EventsService } from '../../events/events.service';
import { OutboxService } from '../../notifications/outbox/outbox.service';
import { RegisterDto } from '../dto/register.dto';
import { RegistrationsRepository } from '../registrations.repository';

/**
 * A registration from the public page or API: stored as pending and answered with a confirmation
 * link by email (double opt-in); the seat is decided when that link is used (AnswerLink). The
 * caller gets the same answer whether or not the email was known or already registered, so the
 * endpoint reveals nothing about anyone's address.
 */
@Injectable()
export class RegisterPublicly {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly directory: DirectoryService,
    private readonly registrations: RegistrationsRepository,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly consents: ConsentsRepository,
    private readonly templates: TemplateRenderer,
  ) {}

  /**
   * `choices`: what the HTML form's checkboxes said; else the API's `consents`, checked here against
   * the event's recipients. Neither (an API client of before consents): stored without consent rows,
   * and the confirmation link asks for them.
   */
  async execute(eventId: string, dto: RegisterDto, choices?: ConsentChoices): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // Only the fields the decision needs, not the entity with its clusters and quotas.
      const event = await this.events.registrationFacts(manager, eventId);
      const recipients = recipientsAmong(event.hosts, event.leadHost);
      if (!choices && dto.consents !== undefined) {
        const parsed = parseConsents(dto.consents, recipients);
        if (!parsed.value) throw new DomainError('invalid', parsed.errors.join('; '), 'consents');
        choices = parsed.value;
      }
      if (choices && !choices.collection) throw new DomainError('invalid', parseConsents({}, recipients).errors[0], 'consents');
      const now = this.clock.now();
      assertWindowOpen(registrationWindow(event, now));
      const registrant = await this.directory.clusterForEmail(dto.email, manager);
      const consents = choices
        ? { version: this.templates.strings(DEFAULT_LOCALE).text('consent.version'), at: now, rows: consentRows(choices, recipients) }
        : undefined;
      const optIn = {
        kind: 'registration_opt_in' as const,
        eventId,
        memberId: registrant.memberId,
        recipient: dto.email,
        recipientName: dto.name,
        locale: registrant.locale ?? DEFAULT_LOCALE,
      };
      // The registration, its consents and its opt-in mail in one statement; each table is written
      // by SQL of the module that owns it (this module's repository, the notifications' outbox).
      const statement = this.registrations.insertPublicStatement({
        eventId,
        email: dto.email,
        memberId: registrant.memberId,
        name: dto.name,
        company: dto.company ?? registrant.company,
        clusterCode: registrant.clusterCode,
        consents,
      });
      const [inserted] = await this.outbox.queueForEachRow(manager, statement, { ...optIn, dedupePrefix: 'opt_in:' });
      if (inserted) return;
      // Someone who cancelled may register again; anyone else already has what they need.
      const reopened = await this.registrations.reopenCancelled(manager, eventId, dto.email, dto.name);
      if (!reopened) return;
      if (consents) await this.consents.store(manager, reopened, consents.version, consents.at, consents.rows);
      await this.outbox.queue(manager, [{ ...optIn, dedupeKey: `opt_in:${reopened}:${Date.now()}`, registrationId: reopened }]);
    });
  }
}

/** The API's answer outside the registration window: 409 with when it opens or closed. */
export function assertWindowOpen(window: RegistrationWindow): void {
  if (window.open) return;
  const messages: Record<typeof window.reason, string> = {
    cancelled: 'the event was cancelled',
    not_published: 'the event is not published',
    not_yet_open: `registration opens at ${window.at?.toISOString()}`,
    closed: `registration closed at ${window.at?.toISOString()}`,
  };
  throw new DomainError('conflict', messages[window.reason]);
}
