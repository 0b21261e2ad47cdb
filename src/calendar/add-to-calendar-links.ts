import { DateTime } from 'luxon';
import type { CalendarEventInput } from './event-calendar';

/** What an "add to calendar" link needs of an event: the calendar builder's own fields, no more. */
export type AddToCalendarInput = Pick<CalendarEventInput, 'title' | 'description' | 'startsAt' | 'endsAt' | 'timezone' | 'venue' | 'onlineUrl' | 'pageUrl'>;

export interface AddToCalendarLinks {
  google: string;
  outlook: string;
}

/**
 * The description is cut to this many characters (code points): each Hangul syllable becomes 9
 * characters once percent-encoded, and browsers and Google refuse URLs much beyond 8 KB.
 */
export const MAX_LINK_DESCRIPTION = 500;

/**
 * "Add to Google Calendar" and "Add to Outlook" links for one event. Pure: the same event gives
 * the same links. Each value is percent-encoded with encodeURIComponent (a space is %20, never
 * `+`, which Outlook shows literally; `+` in an offset is %2B).
 *
 * - Google: `calendar/render?action=TEMPLATE&text&dates=<start>/<end>&details&location&ctz`, the
 *   dates as UTC instants (YYYYMMDDTHHMMSSZ), `ctz` the event's zone for display.
 * - Outlook (outlook.live.com): `calendar/0/action/compose?subject&startdt&enddt&body&location`,
 *   the times ISO 8601 with the event zone's offset (2027-03-10T14:00:00+09:00): the same
 *   instant, and the wall-clock time of the event page.
 */
export function addToCalendarLinks(event: AddToCalendarInput): AddToCalendarLinks {
  const details = detailsOf(event);
  const location = event.venue ?? event.onlineUrl ?? '';
  const google = query([
    ['action', 'TEMPLATE'],
    ['text', event.title],
    // The slash between the two instants is the documented form; the instants are [0-9TZ] only.
    ['dates', `${googleInstant(event.startsAt)}/${googleInstant(event.endsAt)}`, { raw: true }],
    ['details', details],
    ['location', location],
    ['ctz', event.timezone],
  ]);
  const outlook = query([
    ['subject', event.title],
    ['startdt', isoInZone(event.startsAt, event.timezone)],
    ['enddt', isoInZone(event.endsAt, event.timezone)],
    ['body', details],
    ['location', location],
    ['allday', 'false'],
    ['path', '/calendar/action/compose'],
    ['rru', 'addevent'],
  ]);
  return {
    google: `https://calendar.google.com/calendar/render?${google}`,
    outlook: `https://outlook.live.com/calendar/0/action/compose?${outlook}`,
  };
}

type Param = [name: string, value: string, options?: { raw: boolean }];

function query(params: Param[]): string {
  return params
    .filter(([, value]) => value !== '')
    .map(([name, value, options]) => `${name}=${options?.raw ? value : encodeURIComponent(value)}`)
    .join('&');
}

/** The description (cut to MAX_LINK_DESCRIPTION), the online link when the location is the venue, and the event page. */
function detailsOf(event: AddToCalendarInput): string {
  const parts: string[] = [];
  const description = event.description?.trim();
  if (description) {
    const chars = Array.from(description);
    parts.push(chars.length > MAX_LINK_DESCRIPTION ? `${chars.slice(0, MAX_LINK_DESCRIPTION - 1).join('')}…` : description);
  }
  if (event.venue && event.onlineUrl) parts.push(event.onlineUrl);
  parts.push(event.pageUrl);
  return parts.join('\n\n');
}

/** 2027-03-10T05:00:00.000Z → 20270310T050000Z */
function googleInstant(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function isoInZone(date: Date, zone: string): string {
  const local = DateTime.fromJSDate(date, { zone });
  // An unknown zone cannot come from the API (it is validated), but a link must never say "null".
  return (local.isValid ? local : DateTime.fromJSDate(date, { zone: 'utc' })).toISO({ suppressMilliseconds: true })!;
}
