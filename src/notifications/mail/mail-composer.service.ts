import { Inject, Injectable } from '@nestjs/common';
import type { SendMailOptions } from 'nodemailer';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { CalendarService } from '../../calendar/calendar.service';
import { eventView } from '../../common/templates/event-view';
import { TemplateRenderer } from '../../common/templates/template-renderer.service';
import { DirectoryService } from '../../directory/directory.service';
import { clusterCodes } from '../../events/dto/event.view';
import { SeminarEvent } from '../../events/entities/event.entity';
import { EventsService } from '../../events/events.service';
import { LinkTokensService } from '../../link-tokens/link-tokens.service';
import { MailKind, OutboxMessage } from '../outbox/outbox-message.entity';

/** What each kind of mail carries: the link it holds and the calendar message it attaches. */
const KIND_RULES: Partial<Record<MailKind, { link?: 'accept_invitation' | 'confirm_registration'; calendar?: 'needs-action' | 'accepted' }>> = {
  invitation: { link: 'accept_invitation', calendar: 'needs-action' },
  registration_opt_in: { link: 'confirm_registration' },
  registration_confirmed: { calendar: 'accepted' },
};

/**
 * Builds the mail for one outbox row: subject and bodies from templates/<locale>/mail, personal
 * link tokens minted now (so the raw token exists only in this mail), and the event as an iTIP
 * message both as the text/calendar alternative and as an invite.ics attachment.
 */
@Injectable()
export class MailComposer {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly templates: TemplateRenderer,
    private readonly events: EventsService,
    private readonly directory: DirectoryService,
    private readonly calendar: CalendarService,
    private readonly tokens: LinkTokensService,
  ) {}

  async compose(row: OutboxMessage): Promise<SendMailOptions> {
    const rules = KIND_RULES[row.kind];
    if (!rules) throw new Error(`no mail composer rule for kind ${row.kind}`);
    const locale = row.locale;
    const event = await this.events.get(row.eventId, { organizer: true });
    const names = await this.directory.clusterNames(locale);
    const organizer = await this.calendar.organizer(event, locale);
    const recipientName = typeof row.payload.recipientName === 'string' ? row.payload.recipientName : null;

    const context: Record<string, unknown> = {
      recipientName,
      event: eventView(event, clusterCodes(event, 'host').map((code) => names.get(code) ?? code), locale),
      eventPageUrl: this.calendar.eventPageUrl(event),
      calendarUrl: this.calendar.calendarUrl(event),
    };
    if (rules.link) {
      const token = await this.tokens.mint(rules.link, { eventId: event.id, memberId: row.memberId, registrationId: row.registrationId });
      context.actionUrl = `${this.config.publicUrl}/r/${token}`;
    }

    const subject = this.templates.render(locale, `mail/${row.kind}.subject`, context, 'text').replace(/[\r\n]+/g, ' ').trim();
    const message: SendMailOptions = {
      from: { name: `${organizer.name} · Seminar Hub`, address: this.config.mail.from },
      replyTo: { name: organizer.name, address: organizer.email },
      to: recipientName ? { name: recipientName, address: row.recipient } : row.recipient,
      subject,
      text: this.templates.render(locale, `mail/${row.kind}.txt`, context, 'text'),
      html: this.templates.render(locale, `mail/${row.kind}.html`, context),
      headers: { 'X-Seminar-Hub-Outbox': row.id },
    };
    if (rules.calendar) {
      const ics = await this.calendar.forAttendee(event, { email: row.recipient, name: recipientName ?? row.recipient, status: rules.calendar }, 'REQUEST', locale);
      // nodemailer's icalEvent defaults to METHOD=PUBLISH in the part's Content-Type; it must match the file's METHOD.
      message.icalEvent = { method: 'REQUEST', filename: 'invite.ics', content: ics };
      message.attachments = [{ filename: 'invite.ics', content: ics, contentType: 'application/ics; charset=utf-8; method=REQUEST' }];
    }
    return message;
  }
}
