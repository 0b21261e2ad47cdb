import type { CalendarAttendee } from '../../calendar/event-calendar';
import type { MailKind } from '../outbox/outbox-message.entity';

export interface KindRule {
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

/** What each kind of mail carries: the link it holds and the calendar message it attaches. */
export const KIND_RULES: Record<MailKind, KindRule> = {
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

/** The attendee's PARTSTAT in an update or cancellation, from the registration status the row carries. */
export function partstatOf(registrationStatus: unknown): CalendarAttendee['status'] {
  return registrationStatus === 'waitlisted' ? 'tentative' : 'accepted';
}
