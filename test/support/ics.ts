import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';

export interface ParsedInvite {
  method: string;
  timezones: string[];
  events: ICAL.Event[];
  root: ICAL.Component;
}

/** Parses iCalendar text with ical.js, an independent parser, registering the file's own VTIMEZONEs. */
export function parseIcs(text: string): ParsedInvite {
  const root = new ICAL.Component(ICAL.parse(text));
  const timezones = root.getAllSubcomponents('vtimezone');
  for (const vtimezone of timezones) ICAL.TimezoneService.register(vtimezone);
  return {
    method: String(root.getFirstPropertyValue('method') ?? ''),
    timezones: timezones.map((tz) => String(tz.getFirstPropertyValue('tzid'))),
    events: root.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent)),
    root,
  };
}

/**
 * The calendar parts of a mail: the text/calendar alternative with the method= parameter of its
 * Content-Type, and the invite.ics attachment.
 */
export function calendarParts(mail: ParsedMail): {
  alternative?: { method: string; text: string };
  attachment?: { contentType: string; text: string };
  attachmentCount: number;
} {
  const result: ReturnType<typeof calendarParts> = { attachmentCount: 0 };
  for (const part of mail.attachments) {
    const text = part.content.toString('utf8');
    const contentType = part.headers.get('content-type') as { value: string; params: Record<string, string> } | undefined;
    if (part.filename === 'invite.ics' && part.contentDisposition === 'attachment') {
      result.attachment = { contentType: part.contentType, text };
      result.attachmentCount++;
    } else if (part.contentType === 'text/calendar') {
      result.alternative = { method: (contentType?.params?.method ?? '').toUpperCase(), text };
    }
  }
  return result;
}
