import ICAL from 'ical.js';
import { attendeeCalendars, buildCalendar, CalendarAttendee, CalendarEventInput } from './event-calendar';

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

  it('writes a recurring master with RRULE and EXDATE, and overrides under its UID with RECURRENCE-ID in the zone', () => {
    // Weekly at 10:00 Berlin from 2027-03-11, across the change to summer time on 2027-03-28.
    const master = event({
      uid: 'series-1@seminarhub.test',
      sequence: 2,
      timezone: 'Europe/Berlin',
      startsAt: new Date('2027-03-11T09:00:00Z'),
      endsAt: new Date('2027-03-11T10:00:00Z'),
      recurrence: { rrule: 'FREQ=WEEKLY;COUNT=5', exclude: [new Date('2027-03-18T09:00:00Z')] },
    });
    const moved = event({
      uid: 'series-1@seminarhub.test',
      sequence: 1,
      timezone: 'Europe/Berlin',
      recurrenceId: new Date('2027-04-01T08:00:00Z'),
      startsAt: new Date('2027-04-01T10:00:00Z'),
      endsAt: new Date('2027-04-01T11:00:00Z'),
    });
    const cancelled = event({
      uid: 'series-1@seminarhub.test',
      sequence: 2,
      status: 'cancelled',
      timezone: 'Europe/Berlin',
      recurrenceId: new Date('2027-03-25T09:00:00Z'),
      startsAt: new Date('2027-03-25T09:00:00Z'),
      endsAt: new Date('2027-03-25T10:00:00Z'),
    });
    const ics = buildCalendar([master, moved, cancelled], { method: 'PUBLISH' });
    expect(ics).toContain('RRULE:FREQ=WEEKLY;COUNT=5\r\n');
    expect(ics).toContain('EXDATE;TZID=Europe/Berlin:20270318T100000\r\n');
    expect(ics).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20270401T100000\r\n');
    expect(ics).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20270325T100000\r\n');
    expect(ics.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);

    const root = parse(ics);
    const [masterEvent, ...exceptions] = root.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
    for (const exception of exceptions) masterEvent.relateException(exception);
    const iterator = masterEvent.iterator();
    const instances: string[] = [];
    for (let next = iterator.next(); next; next = iterator.next()) {
      const details = masterEvent.getOccurrenceDetails(next);
      instances.push(`${details.startDate.toJSDate().toISOString()} ${String(details.item.component.getFirstPropertyValue('status'))}`);
    }
    expect(instances).toEqual([
      '2027-03-11T09:00:00.000Z CONFIRMED',
      '2027-03-25T09:00:00.000Z CANCELLED',
      '2027-04-01T10:00:00.000Z CONFIRMED',
      '2027-04-08T08:00:00.000Z CONFIRMED',
    ]);
  });

  it('folds a long EXDATE list into lines of at most 75 octets', () => {
    const starts = Array.from({ length: 30 }, (_, week) => new Date(Date.UTC(2027, 0, 5 + 7 * week, 7)));
    const ics = buildCalendar(
      [
        event({
          startsAt: starts[0],
          endsAt: new Date(starts[0].getTime() + 3600_000),
          recurrence: { rrule: 'FREQ=WEEKLY;COUNT=40', exclude: starts.slice(1) },
        }),
      ],
      {
        method: 'PUBLISH',
      },
    );
    expect(ics.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const vevent = parse(ics).getFirstSubcomponent('vevent')!;
    expect(vevent.getAllProperties('exdate').flatMap((property) => property.getValues())).toHaveLength(29);
  });

  it('gives each attendee of a fan-out the bytes buildCalendar gives them alone, but for DTSTAMP', () => {
    const withoutStamp = (ics: string) => ics.replace(/\r\nDTSTAMP:[^\r]*/, '');
    const attendees: CalendarAttendee[] = [
      { email: 'minji@hanbit.example', name: '김민지', status: 'needs-action' },
      {
        email: 'a.very.long.address.of.someone@company0001.bench.example',
        name: '홍길동 Gildong Hong, 수석 연구원 (디지털콘텐츠 클러스터)',
        status: 'needs-action',
      },
      { email: '"eve;x"@example.kr', name: 'Eve";PARTSTAT=DECLINED;X-Q="', status: 'accepted' },
      { email: 'no.name@example.kr', name: '\r\n', status: 'needs-action' },
      { email: 'dollar@example.kr', name: "$& $' $1", status: 'tentative' },
    ];
    for (const method of ['REQUEST', 'CANCEL'] as const) {
      const build = attendeeCalendars(event(), method);
      for (const attendee of attendees) {
        expect(withoutStamp(build(attendee))).toBe(withoutStamp(buildCalendar([event()], { method, attendee })));
      }
    }
  });
});
