import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime } from 'luxon';
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

export type CalendarMethod = 'REQUEST' | 'CANCEL' | 'PUBLISH';

/** What the calendar builder needs of an event; kept apart from the entity so feeds and mail share it. */
export interface CalendarEventInput {
  uid: string;
  sequence: number;
  title: string;
  description: string | null;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
  venue: string | null;
  onlineUrl: string | null;
  status: 'draft' | 'published' | 'cancelled';
  pageUrl: string;
  organizer: { name: string; email: string };
  updatedAt: Date;
}

export interface CalendarAttendee {
  email: string;
  name: string;
  status: 'accepted' | 'tentative' | 'needs-action' | 'declined';
}

const PARTSTAT: Record<CalendarAttendee['status'], ICalAttendeeStatus> = {
  accepted: ICalAttendeeStatus.ACCEPTED,
  tentative: ICalAttendeeStatus.TENTATIVE,
  'needs-action': ICalAttendeeStatus.NEEDSACTION,
  declined: ICalAttendeeStatus.DECLINED,
};

const METHOD: Record<CalendarMethod, ICalCalendarMethod> = {
  REQUEST: ICalCalendarMethod.REQUEST,
  CANCEL: ICalCalendarMethod.CANCEL,
  PUBLISH: ICalCalendarMethod.PUBLISH,
};

/**
 * The one iCalendar builder. An iTIP message (RFC 5546) for one attendee when `attendee` is
 * given (REQUEST or CANCEL), or a feed/download of several events (PUBLISH).
 * Every event carries its zone as TZID with a VTIMEZONE (RFC 5545 §3.6.5), so clients
 * show the same wall-clock time as the event page.
 */
export function buildCalendar(
  events: CalendarEventInput[],
  options: {
    method: CalendarMethod;
    attendee?: CalendarAttendee;
    name?: string;
    /** For a subscribed feed: how often clients should refetch it (REFRESH-INTERVAL and X-PUBLISHED-TTL). */
    refreshIntervalSeconds?: number;
  },
): string {
  const calendar = ical({
    prodId: { company: 'Seminar Hub', product: 'seminar-hub', language: 'EN' },
    method: METHOD[options.method],
    name: options.name,
    ttl: options.refreshIntervalSeconds ?? null,
    // ical-generator writes one VTIMEZONE per zone used, from this generator.
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  for (const event of events) {
    const cancelled = options.method === 'CANCEL' || event.status === 'cancelled';
    const vevent = calendar.createEvent({
      id: event.uid,
      sequence: event.sequence,
      // A plain Date would be written in the process's local zone; luxon gives ical-generator the event's zone.
      start: DateTime.fromJSDate(event.startsAt, { zone: event.timezone }),
      end: DateTime.fromJSDate(event.endsAt, { zone: event.timezone }),
      timezone: event.timezone,
      // An iTIP message is stamped when it is made. A download or feed (PUBLISH) is stamped with the
      // event's last change, so the same events give the same bytes: its ETag holds between polls
      // and a client sees a new DTSTAMP only when something changed.
      stamp: options.method === 'PUBLISH' ? event.updatedAt : new Date(),
      lastModified: event.updatedAt,
      summary: event.title,
      description: event.description ?? undefined,
      location: event.venue ?? (event.onlineUrl ? event.onlineUrl : undefined),
      url: event.pageUrl,
      organizer: { name: event.organizer.name, email: event.organizer.email },
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
    if (options.attendee) {
      vevent.createAttendee({
        email: options.attendee.email,
        name: options.attendee.name,
        role: ICalAttendeeRole.REQ,
        status: PARTSTAT[options.attendee.status],
        rsvp: false,
      });
    }
  }
  return calendar.toString();
}
