import { Inject, Injectable } from '@nestjs/common';
import type { SendMailOptions } from 'nodemailer';
import type { AddToCalendarLinks } from '../../calendar/add-to-calendar-links';
import type { CalendarAttendee, CalendarMethod } from '../../calendar/event-calendar';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { CalendarService } from '../../calendar/calendar.service';
import type { Locale } from '../../common/templates/locales';
import { eventViewModel } from '../../events/event-view-model';
import { TemplateRenderer } from '../../common/templates/template-renderer.service';
import { SeminarEvent } from '../../events/entities/event.entity';
import type { LinkTokenPurpose } from '../../link-tokens/link-token.entity';
import { LinkTokenSubject, LinkTokensService } from '../../link-tokens/link-tokens.service';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { isNonEssential } from '../suppressions/suppressions.service';
import { MailFactsReader } from './mail-facts.reader';
import { composeSignInMail } from './sign-in-mail';
import { MailNotNeeded } from './mail-not-needed';
import { kindContext } from './mail-kind-context';
import { KIND_RULES, partstatOf } from './mail-kind-rules';
import { PersonalValues, RenderedMailCache } from './rendered-mail-cache';
import { VersionedCache } from './versioned-cache';

/** What every mail about one event in one language shares: built once per version of the event. */
interface EventMailParts {
  event: SeminarEvent;
  organizer: { name: string; email: string };
  clusterNames: Map<string, string>;
  view: ReturnType<typeof eventViewModel>;
  eventPageUrl: string;
  calendarUrl: string;
  addToCalendar: AddToCalendarLinks | null;
  calendarFor: (attendee: CalendarAttendee, method: Extract<CalendarMethod, 'REQUEST' | 'CANCEL'>) => string;
}

/** Stands for a personal link's token in a preview: not of the 43-character shape, so no link page accepts it. */
export const PREVIEW_TOKEN = 'preview-no-personal-link';

/**
 * Builds the mail for one outbox row: subject and bodies from templates/mail in the row's
 * language (TemplateRenderer.renderMail), personal
 * link tokens derived from the row (the same on every attempt; the raw token exists only in this
 * mail), a Message-ID derived from the row, and the event as an iTIP
 * message both as the text/calendar alternative and as an invite.ics attachment.
 */
@Injectable()
export class MailComposer {
  /** Per event and language; a few hundred events' mail in flight at once is far beyond any fan-out. */
  private readonly parts = new VersionedCache<EventMailParts>(200, 60_000);
  private readonly rendered: RenderedMailCache;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly templates: TemplateRenderer,
    private readonly facts: MailFactsReader,
    private readonly calendar: CalendarService,
    private readonly tokens: LinkTokensService,
  ) {
    this.rendered = new RenderedMailCache(templates);
  }

  /**
   * `preview`: the mail exactly as it will be composed, for the console to show before sending,
   * except that no link token is minted: each personal link points to a token that cannot exist.
   * `eventVersion`: the version of the row's event as the caller read it with the row
   * (OutboxService.claimManyForSending); the event's parts are then reused while it is current.
   * Without it the event is read afresh (a preview, a one-off).
   */
  async compose(row: OutboxMessage, options: { preview?: boolean; eventVersion?: string | null } = {}): Promise<SendMailOptions> {
    const rules = KIND_RULES[row.kind];
    if (!rules) throw new Error(`no mail composer rule for kind ${row.kind}`);
    if (row.kind === 'sign_in') return composeSignInMail(row, { config: this.config, templates: this.templates, tokens: this.tokens });
    if (!row.eventId) throw new Error(`outbox ${row.id}: a ${row.kind} mail needs its event`);
    const locale: Locale = row.locale;
    const strings = this.templates.strings(locale);
    const parts = await this.eventParts(row.eventId, locale, options.eventVersion ?? null);
    const event = parts.event;
    if (event.status === 'cancelled' && rules.calendar?.method === 'REQUEST') {
      throw new MailNotNeeded(`not sent: the event was cancelled before this ${row.kind} mail went out`);
    }
    // A reminder row is written when the reminder is due; the person may have cancelled since.
    if (row.kind === 'reminder' && row.registrationId && (await this.facts.registrationStatus(row.registrationId)) !== 'confirmed') {
      throw new MailNotNeeded('not sent: the registration is no longer confirmed');
    }
    const organizer = parts.organizer;
    const recipientName = typeof row.payload.recipientName === 'string' ? row.payload.recipientName : null;

    // What every recipient of this mail shares (the event, the kind's words), and what is theirs alone.
    const shared: Record<string, unknown> = { event: parts.view, eventPageUrl: parts.eventPageUrl, calendarUrl: parts.calendarUrl };
    const personal: PersonalValues = { recipientName };
    const link = (purpose: LinkTokenPurpose) =>
      options.preview
        ? Promise.resolve(PREVIEW_TOKEN)
        : this.link(row, purpose, { eventId: event.id, eventEndsAt: event.endsAt, memberId: row.memberId, registrationId: row.registrationId });
    if (rules.link) personal.actionUrl = `${this.config.publicUrl}/r/${await link(rules.link)}`;
    if (rules.manage && row.registrationId) personal.manageUrl = `${this.config.publicUrl}/r/${await link('manage_registration')}`;
    if (rules.addToCalendar && parts.addToCalendar) {
      shared.googleCalendarUrl = parts.addToCalendar.google;
      shared.outlookCalendarUrl = parts.addToCalendar.outlook;
    }
    // Invitations and reminders can be declined for good (RFC 2369 / RFC 8058): a personal link
    // bound to this address, in the body and in List-Unsubscribe; essential mail never carries one.
    const listHeaders: Record<string, string> = {};
    if (isNonEssential(row.kind)) {
      const token = options.preview
        ? PREVIEW_TOKEN
        : await this.link(row, 'unsubscribe', {
            eventId: event.id,
            eventEndsAt: event.endsAt,
            memberId: row.memberId,
            registrationId: row.registrationId,
            email: row.recipient,
          });
      personal.unsubscribeUrl = `${this.config.publicUrl}/u/${token}`;
      listHeaders['List-Unsubscribe'] = `<${personal.unsubscribeUrl}>, <mailto:${organizer.email}?subject=unsubscribe>`;
      listHeaders['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    const kindWords = kindContext(row, event, strings, parts.clusterNames, this.config.publicUrl);
    Object.assign(shared, kindWords);

    // ── check-in (issue 3; owned by src/registrations/check-in) ─────────────────────────────
    // The registrant's door code as text and as a QR image shown inline (cid), for the templates'
    // `{{#if checkInCode}}` block; the image is attached after the calendar parts, below.
    let checkInQr: { filename: string; content: Buffer; contentType: string; cid: string; contentDisposition: 'inline' } | undefined;
    if ((row.kind === 'registration_confirmed' || row.kind === 'waitlist_promoted') && row.registrationId) {
      const { code, qrPng } = await this.facts.checkInCredential(row.registrationId);
      checkInQr = { filename: 'check-in.png', content: qrPng, contentType: 'image/png', cid: 'check-in-qr@seminarhub', contentDisposition: 'inline' };
      personal.checkInCode = code;
      shared.checkInQrCid = checkInQr.cid;
    }
    // ── end check-in ─────────────────────────────────────────────────────────────────────────

    // A mail of a known event version is spliced into the render its event, language and kind share; a preview is rendered whole.
    const { subject, text, html } =
      options.eventVersion == null || options.preview
        ? this.templates.renderMail(locale, row.kind, { ...shared, ...personal })
        : await this.rendered.render(`${event.id}/${locale}/${row.kind}/${JSON.stringify(kindWords)}`, options.eventVersion, {
            locale,
            kind: row.kind,
            shared,
            personal,
          });
    const message: SendMailOptions = {
      from: { name: `${organizer.name} · Seminar Hub`, address: this.config.mail.from },
      replyTo: { name: organizer.name, address: organizer.email },
      to: recipientName ? { name: recipientName, address: row.recipient } : row.recipient,
      subject,
      text,
      html,
      // Derived from the row, so a retried send is the same message to the recipient's client (RFC 5322 §3.6.4).
      messageId: `<${row.messageKey}@${this.config.mail.from.split('@').pop()}>`,
      headers: { 'X-Seminar-Hub-Outbox': row.id, ...listHeaders },
    };
    if (rules.calendar) {
      const { method } = rules.calendar;
      const status = rules.calendar.partstat === 'registration' ? partstatOf(row.payload.registrationStatus) : rules.calendar.partstat;
      const ics = parts.calendarFor({ email: row.recipient, name: recipientName ?? row.recipient, status }, method);
      // nodemailer's icalEvent defaults to METHOD=PUBLISH in the part's Content-Type; it must match the file's METHOD.
      // nodemailer puts the same file in twice: the text/calendar alternative and the invite.ics attachment.
      message.icalEvent = { method, filename: 'invite.ics', content: ics };
    }
    if (checkInQr) message.attachments = [...(message.attachments ?? []), checkInQr]; // check-in: the QR image (see above)
    return message;
  }

  private eventParts(eventId: string, locale: Locale, version: string | null): Promise<EventMailParts> {
    const build = async (): Promise<EventMailParts> => {
      const event = await this.facts.event(eventId);
      const names = await this.facts.clusterNames(locale);
      return {
        event,
        organizer: await this.calendar.organizer(event, locale),
        clusterNames: names,
        view: eventViewModel(event, names, this.templates.strings(locale)),
        eventPageUrl: this.calendar.eventPageUrl(event),
        calendarUrl: this.calendar.calendarUrl(event),
        addToCalendar: event.status === 'cancelled' ? null : this.calendar.addToCalendarLinks(event),
        calendarFor: await this.calendar.forAttendees(event, locale),
      };
    };
    return version === null ? build() : this.parts.get(`${eventId}/${locale}`, version, build);
  }

  /**
   * The raw token of one of the mail's links. Those stored with the row when it was written (a
   * fan-out's, listed in `payload.linksMinted` by SendInvitations) are only derived; any other is
   * stored now, on the first attempt.
   */
  private async link(row: OutboxMessage, purpose: LinkTokenPurpose, subject: LinkTokenSubject): Promise<string> {
    const minted = row.payload.linksMinted;
    if (Array.isArray(minted) && minted.includes(purpose)) return this.tokens.derive(row.messageKey, purpose);
    return this.tokens.mint(row.messageKey, purpose, subject);
  }
}
