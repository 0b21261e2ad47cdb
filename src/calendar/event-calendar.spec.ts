import ICAL from 'ical.js';
import { buildCalendar, CalendarEventInput } from './event-calendar';

function event(overrides: Partial<CalendarEventInput> = {}): CalendarEventInput {
  return {
    uid: 'evt-1@seminarhub.test',
    sequence: 0,
    title: 'Integrated seminar: AI × Content',
    description: 'Line one\nLine two, with comma; and semicolon',
    startsAt: new Date('2027-03-10T05:00:00Z'),
    endsAt: new Date('2027-03-10T07:00:00Z'),
    timezone: 'Asia/Seoul',
    venue: '판교 테크노밸리 세미나실 A',
    onlineUrl: null,
    status: 'published',
    pageUrl: 'http://localhost:3000/events/1',
    organizer: { name: 'ICT 미니클러스터', email: 'ict-office@park.example' },
    updatedAt: new Date('2027-01-01T00:00:00Z'),
    ...overrides,
  };
}

function parse(ics: string) {
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const vtimezone of root.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(vtimezone);
  }
  return root;
}

describe('buildCalendar', () => {
  afterEach(() => ICAL.TimezoneService.reset());

  it('writes an iTIP REQUEST for one attendee whose DTSTART is the event instant in Asia/Seoul', () => {
    const ics = buildCalendar([event()], {
      method: 'REQUEST',
      attendee: { email: 'minji@example.kr', name: '김민지', status: 'accepted' },
    });
    const root = parse(ics);
    expect(root.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(root.getAllSubcomponents('vtimezone').map((tz) => tz.getFirstPropertyValue('tzid'))).toEqual(['Asia/Seoul']);
    const vevent = new ICAL.Event(root.getFirstSubcomponent('vevent')!);
    expect(vevent.uid).toBe('evt-1@seminarhub.test');
    expect(vevent.sequence).toBe(0);
    expect(vevent.startDate.zone.tzid).toBe('Asia/Seoul');
    expect(vevent.startDate.toJSDate().toISOString()).toBe('2027-03-10T05:00:00.000Z');
    expect(vevent.endDate.toJSDate().toISOString()).toBe('2027-03-10T07:00:00.000Z');
    expect(vevent.summary).toBe('Integrated seminar: AI × Content');
    expect(vevent.description).toBe('Line one\nLine two, with comma; and semicolon');
    expect(vevent.location).toBe('판교 테크노밸리 세미나실 A');
    expect(vevent.organizer).toBe('mailto:ict-office@park.example');
    const attendee = vevent.attendees[0];
    expect(String(attendee.getFirstValue()).toLowerCase()).toBe('mailto:minji@example.kr');
    expect(attendee.getParameter('partstat')).toBe('ACCEPTED');
    expect(attendee.getParameter('cn')).toBe('김민지');
  });

  it('keeps the instant right in a zone with daylight saving time, on both sides of the change', () => {
    // Europe/Berlin moves to CEST on 2027-03-28: 10:00 local is 09:00Z before and 08:00Z after.
    const ics = buildCalendar(
      [
        event({ uid: 'winter', timezone: 'Europe/Berlin', startsAt: new Date('2027-03-26T09:00:00Z'), endsAt: new Date('2027-03-26T10:00:00Z') }),
        event({ uid: 'summer', timezone: 'Europe/Berlin', startsAt: new Date('2027-03-29T08:00:00Z'), endsAt: new Date('2027-03-29T09:00:00Z') }),
      ],
      { method: 'PUBLISH' },
    );
    expect(ics).toContain('DTSTART;TZID=Europe/Berlin:20270326T100000');
    expect(ics).toContain('DTSTART;TZID=Europe/Berlin:20270329T100000');
    const root = parse(ics);
    const starts = root.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component).startDate.toJSDate().toISOString());
    expect(starts).toEqual(['2027-03-26T09:00:00.000Z', '2027-03-29T08:00:00.000Z']);
  });

  it('marks a cancellation with METHOD:CANCEL and STATUS:CANCELLED under the same UID', () => {
    const ics = buildCalendar([event({ sequence: 2 })], {
      method: 'CANCEL',
      attendee: { email: 'minji@example.kr', name: '김민지', status: 'declined' },
    });
    const root = parse(ics);
    expect(root.getFirstPropertyValue('method')).toBe('CANCEL');
    const vevent = root.getFirstSubcomponent('vevent')!;
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(vevent.getFirstPropertyValue('uid')).toBe('evt-1@seminarhub.test');
    expect(vevent.getFirstPropertyValue('sequence')).toBe(2);
  });

  it('writes a feed (PUBLISH) with a name, a refresh hint and the same bytes for the same events', () => {
    const events = [event(), event({ uid: 'evt-2@seminarhub.test', status: 'cancelled', sequence: 1 })];
    const ics = buildCalendar(events, { method: 'PUBLISH', name: 'Seminar Hub · ICT', refreshIntervalSeconds: 3600 });
    expect(ics).toContain('X-WR-CALNAME:Seminar Hub · ICT');
    expect(ics).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
    expect(ics).toContain('X-PUBLISHED-TTL:PT1H');
    expect(ics).toContain('DTSTAMP:20270101T000000Z');
    const root = parse(ics);
    expect(root.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(root.getAllSubcomponents('vtimezone')).toHaveLength(1);
    expect(root.getAllSubcomponents('vevent').map((vevent) => vevent.getFirstPropertyValue('status'))).toEqual(['CONFIRMED', 'CANCELLED']);
    expect(buildCalendar(events, { method: 'PUBLISH', name: 'Seminar Hub · ICT', refreshIntervalSeconds: 3600 })).toBe(ics);
  });
});
