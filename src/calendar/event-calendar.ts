import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime } from 'luxon';
import ical, { escape, foldLines, ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

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
  /**
   * A recurring master (RFC 5545 §3.8.5.3): the RRULE value, expanded from startsAt in `timezone`,
   * and the instances it gives that are left out (EXDATE, in the same zone).
   */
  recurrence?: { rrule: string; exclude?: Date[] };
  /**
   * An override of one instance of a recurring master with the same UID: the instance's original
   * start, written as RECURRENCE-ID;TZID=<timezone> (RFC 5545 §3.8.4.4).
   */
  recurrenceId?: Date;
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
    // ical-generator writes NAME and X-WR-CALNAME (TEXT, RFC 7986 §5.1) as given, unescaped.
    name: options.name === undefined ? undefined : escape(textValue(options.name), false) || undefined,
    ttl: options.refreshIntervalSeconds ?? null,
    // ical-generator writes one VTIMEZONE per zone used, from this generator.
    timezone: { name: null, generator: vtimezoneOf },
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
      summary: textValue(event.title),
      description: textValue(event.description ?? '') || undefined,
      location: textValue(event.venue ?? event.onlineUrl ?? '') || undefined,
      url: event.pageUrl,
      // ical-generator needs a name; one made only of what parameterValue drops is replaced by the address.
      organizer: { name: parameterValue(event.organizer.name) || parameterValue(event.organizer.email), email: mailtoAddress(event.organizer.email) },
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      repeating: event.recurrence ? recurrenceLines(event.recurrence, event.timezone) : null,
      recurrenceId: event.recurrenceId ? DateTime.fromJSDate(event.recurrenceId, { zone: event.timezone }) : null,
    });
    if (options.attendee) {
      vevent.createAttendee({
        email: mailtoAddress(options.attendee.email),
        name: parameterValue(options.attendee.name) || undefined,
        role: ICalAttendeeRole.REQ,
        status: PARTSTAT[options.attendee.status],
        rsvp: false,
      });
    }
  }
  return calendar.toString();
}

const NAME_MARK = 'SeminarHubAttendeeName';
const EMAIL_MARK = 'seminar-hub-attendee@attendee.invalid';

/**
 * buildCalendar([event], { method, attendee }) for many attendees of one event: the calendar is
 * built once per PARTSTAT around a marker attendee (the dates in the event's zone, its VTIMEZONE:
 * nearly all the cost) and each attendee's ATTENDEE line takes the marker's place, encoded and
 * folded as buildCalendar does it, so the bytes are the same but for DTSTAMP, which is that of
 * the first build: the mail worker keeps a builder for one version of an event, a minute at most.
 */
export function attendeeCalendars(event: CalendarEventInput, method: 'REQUEST' | 'CANCEL'): (attendee: CalendarAttendee) => string {
  const templates = new Map<string, { before: string; line: string; after: string }>();
  return (attendee) => {
    const name = parameterValue(attendee.name);
    const key = `${attendee.status}/${name === '' ? 'no name' : 'named'}`;
    let template = templates.get(key);
    if (!template) {
      const whole = buildCalendar([event], { method, attendee: { email: EMAIL_MARK, name: name === '' ? '' : NAME_MARK, status: attendee.status } });
      const start = whole.indexOf('\r\nATTENDEE') + 2;
      // The property ends at the first line break that is not a fold (CRLF + space).
      let end = whole.indexOf('\r\n', start);
      while (whole.startsWith('\r\n ', end)) end = whole.indexOf('\r\n', end + 2);
      template = { before: whole.slice(0, start), line: whole.slice(start, end).replace(/\r\n /g, ''), after: whole.slice(end) };
      templates.set(key, template);
    }
    const line = template.line.replace(NAME_MARK, () => name).replace(EMAIL_MARK, () => mailtoAddress(attendee.email));
    return template.before + foldLines(line) + template.after;
  };
}

/**
 * A parameter value (the CN of ORGANIZER and ATTENDEE), for ical-generator to put between double
 * quotes. RFC 5545 §3.2 allows neither DQUOTE nor control characters there and has no escape;
 * ical-generator 10 escapes `"` and `\` with a backslash and a line break as `\n` (TEXT escaping), so
 * `Eve";PARTSTAT=DECLINED;X-Q="` would close the quotes and add parameters of its own. Instead:
 * - `^` is `^^` and `"` is `^'` (RFC 6868 §3.1);
 * - a line break (CRLF, CR or LF) or a tab is a space: a name is one line, and `^n` would show as
 *   is in clients without RFC 6868; other control characters are dropped;
 * - a backslash is dropped: RFC 5545 has no escape in a parameter value, yet ical.js reads `\\`,
 *   `\n`, `\;` there as TEXT escapes and other readers take `\"` for an escaped quote, so a
 *   backslash before the closing quote would swallow the rest of the line; nothing can be written
 *   for it that every reader takes back as one backslash.
 * What is left holds no `"`, `\` nor line break, so ical-generator writes it unchanged.
 */
function parameterValue(value: string): string {
  return (
    value
      .replace(/\r\n|[\r\n\t]/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f\\]/g, '')
      .replace(/\^/g, '^^')
      .replace(/"/g, "^'")
  );
}

/**
 * An address as the mailto: URI that ORGANIZER and ATTENDEE hold (CAL-ADDRESS, RFC 5545 §3.3.3;
 * RFC 6068 §2). The email check admits quoted local parts (`"eve;x"@example.kr`), whose `;` `,` `\`
 * ical-generator would escape with a backslash as in TEXT, which a URI does not have: such
 * characters, and any other a URI cannot hold as it is, are percent-encoded, so ical-generator
 * finds nothing to escape. An ordinary address is unchanged.
 */
function mailtoAddress(email: string): string {
  return email.replace(/[^A-Za-z0-9\-._~!$&'()*+=:@/\u0080-\uffff]/g, (character) => encodeURIComponent(character));
}

/**
 * A TEXT value (SUMMARY, DESCRIPTION, LOCATION, the calendar's name) without the control
 * characters TEXT cannot hold (RFC 5545 §3.3.11: HTAB and line breaks only, the latter written as
 * `\n` by ical-generator along with `\\`, `\;` and `\,`).
 */
function textValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

/**
 * RRULE and EXDATE lines for ical-generator's string form of `repeating` (it writes them as
 * given). EXDATE carries the master's TZID and wall-clock times, like DTSTART (RFC 5545 §3.8.5.1).
 */
function recurrenceLines(recurrence: NonNullable<CalendarEventInput['recurrence']>, zone: string): string {
  const lines = [`RRULE:${recurrence.rrule}`];
  const exclude = recurrence.exclude ?? [];
  if (exclude.length > 0) {
    const local = exclude.map((date) => DateTime.fromJSDate(date, { zone }).toFormat("yyyyMMdd'T'HHmmss"));
    lines.push(`EXDATE;TZID=${zone}:${local.join(',')}`);
  }
  return lines.join('\r\n');
}

// The package reads the zone's file from disk on every call; a zone's VTIMEZONE never changes while we run.
const VTIMEZONES = new Map<string, string | null>();

function vtimezoneOf(zone: string): string | null {
  if (!VTIMEZONES.has(zone)) VTIMEZONES.set(zone, getVtimezoneComponent(zone));
  return VTIMEZONES.get(zone)!;
}
