import { Inject, Injectable } from '@nestjs/common';
import type { SendMailOptions } from 'nodemailer';
import type { AddToCalendarLinks } from '../../calendar/add-to-calendar-links';
import type { CalendarAttendee, CalendarMethod } from '../../calendar/event-calendar';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { CalendarService } from '../../calendar/calendar.service';
import { formatEventTime } from '../../common/templates/date-format';
import type { Locale } from '../../common/templates/locales';
import type { StringTable } from '../../common/templates/string-table';
import { eventViewModel } from '../../events/event-view-model';
import { TemplateRenderer } from '../../common/templates/template-renderer.service';
import { SeminarEvent } from '../../events/entities/event.entity';
import type { LinkTokenPurpose } from '../../link-tokens/link-token.entity';
import { LinkTokenSubject, LinkTokensService } from '../../link-tokens/link-tokens.service';
import { MailKind, OutboxMessage } from '../outbox/outbox-message.entity';
import { isNonEssential } from '../suppressions/suppressions.service';
import { MailFactsReader } from './mail-facts.reader';
import { composeSignInMail } from './sign-in-mail';
import { MailNotNeeded } from './mail-not-needed';
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

interface KindRule {
  /** The one-purpose link the mail's button leads to (`actionUrl`). */
  link?: 'accept_invitation' | 'confirm_registration';
  /** A `manage_registration` link (`manageUrl`): the registrant's own page to see or cancel the registration. */
  manage?: boolean;
  /**
   * The iTIP message attached: its METHOD and the attendee's PARTSTAT; `registration` takes the
   * PARTSTAT from the registration status carried in the payload (confirmed → ACCEPTED,
   * waitlisted → TENTATIVE).
   */
  calendar?: { method: 'REQUEST' | 'CANCEL'; partstat: CalendarAttendee['status'] | 'registration' };
  /** "Add to Google Calendar" / "Add to Outlook" links (`googleCalendarUrl`, `outlookCalendarUrl`). */
  addToCalendar?: boolean;
}

/** Stands for a personal link's token in a preview: not of the 43-character shape, so no link page accepts it. */
export const PREVIEW_TOKEN = 'preview-no-personal-link';

/** What each kind of mail carries: the link it holds and the calendar message it attaches. */
const KIND_RULES: Record<MailKind, KindRule> = {
  invitation: { link: 'accept_invitation', calendar: { method: 'REQUEST', partstat: 'needs-action' }, addToCalendar: true },
  registration_opt_in: { link: 'confirm_registration' },
  registration_confirmed: { manage: true, calendar: { method: 'REQUEST', partstat: 'accepted' }, addToCalendar: true },
  waitlist_promoted: { manage: true, calendar: { method: 'REQUEST', partstat: 'accepted' }, addToCalendar: true },
  // The waiting person holds the slot in their calendar as tentative.
  registration_waitlisted: { manage: true, calendar: { method: 'REQUEST', partstat: 'tentative' } },
  registration_cancelled: { calendar: { method: 'CANCEL', partstat: 'declined' } },
  event_updated: { manage: true, calendar: { method: 'REQUEST', partstat: 'registration' }, addToCalendar: true },
  event_cancelled: { calendar: { method: 'CANCEL', partstat: 'registration' } },
  reminder: { manage: true, calendar: { method: 'REQUEST', partstat: 'accepted' } },
  // About no event: composed by composeSignInMail (sign-in-mail.ts).
  sign_in: {},
  // To organizers, not attendees: a link to the console, no calendar.
  approval_requested: {},
  approval_answered: {},
};

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

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly templates: TemplateRenderer,
    private readonly facts: MailFactsReader,
    private readonly calendar: CalendarService,
    private readonly tokens: LinkTokensService,
  ) {}

  /**
   * `preview`: the mail exactly as it will be composed, for the console to show before sending,
   * except that no link token is minted: each personal link points to a token that cannot exist.
   * `eventVersion`: the version of the row's event as the caller read it with the row
   * (OutboxService.claimForSending); the event's parts are then reused while it is current.
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

    const context: Record<string, unknown> = {
      recipientName,
      event: parts.view,
      eventPageUrl: parts.eventPageUrl,
      calendarUrl: parts.calendarUrl,
    };
    const link = (purpose: LinkTokenPurpose, subject: LinkTokenSubject) =>
      options.preview ? Promise.resolve(PREVIEW_TOKEN) : this.link(row, purpose, subject);
    if (rules.link) {
      const token = await link(rules.link, {
        eventId: event.id,
        eventEndsAt: event.endsAt,
        memberId: row.memberId,
        registrationId: row.registrationId,
      });
      context.actionUrl = `${this.config.publicUrl}/r/${token}`;
    }
    if (rules.manage && row.registrationId) {
      const token = await link('manage_registration', {
        eventId: event.id,
        eventEndsAt: event.endsAt,
        memberId: row.memberId,
        registrationId: row.registrationId,
      });
      context.manageUrl = `${this.config.publicUrl}/r/${token}`;
    }
    if (rules.addToCalendar && parts.addToCalendar) {
      context.googleCalendarUrl = parts.addToCalendar.google;
      context.outlookCalendarUrl = parts.addToCalendar.outlook;
    }
    // Invitations and reminders can be declined for good (RFC 2369 / RFC 8058): a personal link
    // bound to this address, in the body and in List-Unsubscribe; essential mail never carries one.
    const listHeaders: Record<string, string> = {};
    if (isNonEssential(row.kind)) {
      const token = await link('unsubscribe', {
        eventId: event.id,
        eventEndsAt: event.endsAt,
        memberId: row.memberId,
        registrationId: row.registrationId,
        email: row.recipient,
      });
      context.unsubscribeUrl = `${this.config.publicUrl}/u/${token}`;
      listHeaders['List-Unsubscribe'] = `<${context.unsubscribeUrl as string}>, <mailto:${organizer.email}?subject=unsubscribe>`;
      listHeaders['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    Object.assign(context, this.kindContext(row, event, strings, parts.clusterNames));

    // ── check-in (issue 3; owned by src/registrations/check-in) ─────────────────────────────
    // The registrant's door code as text and as a QR image shown inline (cid), for the templates'
    // `{{#if checkInCode}}` block; the image is attached after the calendar parts, below.
    let checkInQr: { filename: string; content: Buffer; contentType: string; cid: string; contentDisposition: 'inline' } | undefined;
    if ((row.kind === 'registration_confirmed' || row.kind === 'waitlist_promoted') && row.registrationId) {
      const { code, qrPng } = await this.facts.checkInCredential(row.registrationId);
      checkInQr = { filename: 'check-in.png', content: qrPng, contentType: 'image/png', cid: 'check-in-qr@seminarhub', contentDisposition: 'inline' };
      context.checkInCode = code;
      context.checkInQrCid = checkInQr.cid;
    }
    // ── end check-in ─────────────────────────────────────────────────────────────────────────

    const { subject, text, html } = this.templates.renderMail(locale, row.kind, context);
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

  /** What one kind of mail says beyond the event itself, from the row's payload. */
  private kindContext(row: OutboxMessage, event: SeminarEvent, strings: StringTable, names: Map<string, string>): Record<string, unknown> {
    const payload = row.payload ?? {};
    const clusterName = typeof payload.cluster === 'string' ? (names.get(payload.cluster) ?? payload.cluster) : null;
    switch (row.kind) {
      case 'registration_waitlisted':
        return { position: typeof payload.position === 'number' && payload.position > 0 ? payload.position : null };
      case 'registration_cancelled':
        return { byOrganizer: payload.cancelledBy === 'organizer' };
      case 'event_updated':
        return { changes: describeChanges(payload, strings), waitlisted: payload.registrationStatus === 'waitlisted' };
      case 'event_cancelled': {
        const reason = event.cancelReason ?? (typeof payload.reason === 'string' ? payload.reason : null);
        return { reason: reason && reason.trim() !== '' ? reason : null };
      }
      case 'reminder':
        return { startsIn: startsIn(typeof payload.offsetMinutes === 'number' ? payload.offsetMinutes : null, strings) };
      case 'approval_requested':
        return { proposer: payload.proposer, clusterName, approvalsUrl: `${this.config.publicUrl}/console/approvals` };
      case 'approval_answered':
        return {
          approved: payload.status === 'approved',
          clusterName,
          reason: typeof payload.reason === 'string' && payload.reason !== '' ? payload.reason : null,
          decidedBy: payload.decidedBy,
          consoleEventUrl: `${this.config.publicUrl}/console/events/${event.id}`,
        };
      default:
        return {};
    }
  }
}

function partstatOf(registrationStatus: unknown): CalendarAttendee['status'] {
  return registrationStatus === 'waitlisted' ? 'tentative' : 'accepted';
}

interface Snapshot {
  title?: string;
  description?: string | null;
  startsAt?: string;
  endsAt?: string;
  timezone?: string;
  venue?: string | null;
  onlineUrl?: string | null;
}

/**
 * The changes one update made, old → new, as the registrant reads them: times in the event's
 * zone (before and after the change) in the recipient's language. The payload holds the raw
 * values (ISO instants, zone names), written by EventChangeNoticesService.
 */
export function describeChanges(payload: Record<string, unknown>, strings: StringTable): { label: string; from: string | null; to: string | null }[] {
  const before = (payload.previous ?? {}) as Snapshot;
  const after = (payload.current ?? {}) as Snapshot;
  const label = (field: 'when' | 'title' | 'venue' | 'onlineUrl' | 'description') => strings.text(`mail.changes.fields.${field}`);
  const none = strings.text('mail.changes.none');
  const changes: { label: string; from: string | null; to: string | null }[] = [];
  const when = (s: Snapshot) => (s.startsAt && s.endsAt && s.timezone ? formatEventTime(new Date(s.startsAt), new Date(s.endsAt), s.timezone, strings) : none);
  if (before.startsAt !== after.startsAt || before.endsAt !== after.endsAt || before.timezone !== after.timezone) {
    changes.push({ label: label('when'), from: when(before), to: when(after) });
  }
  for (const field of ['title', 'venue', 'onlineUrl'] as const) {
    if ((before[field] ?? null) !== (after[field] ?? null)) {
      changes.push({ label: label(field), from: before[field] || none, to: after[field] || none });
    }
  }
  // The description may be long: the mail says it changed and shows the new one with the event.
  if ((before.description ?? null) !== (after.description ?? null)) changes.push({ label: label('description'), from: null, to: null });
  return changes;
}

/** "24시간 후" / "in 24 hours": how far ahead the event is, for a reminder. */
export function startsIn(offsetMinutes: number | null, strings: StringTable): string | null {
  if (offsetMinutes === null || offsetMinutes <= 0) return null;
  const [amount, unit] =
    offsetMinutes % 1440 === 0 && offsetMinutes >= 2880
      ? [offsetMinutes / 1440, 'day']
      : offsetMinutes % 60 === 0
        ? [offsetMinutes / 60, 'hour']
        : [offsetMinutes, 'minute'];
  return strings.count(`mail.startsIn.${unit}`, amount);
}
