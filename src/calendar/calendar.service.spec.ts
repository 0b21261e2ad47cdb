import fc from 'fast-check';
import ICAL from 'ical.js';
import type { AppConfig } from '../config/app-config';
import type { DirectoryService } from '../directory/directory.service';
import type { SeminarEvent } from '../events/entities/event.entity';
import type { EventSeries } from '../events/series/event-series.entity';
import type { SeriesService } from '../events/series/series.service';
import { CalendarService } from './calendar.service';
import type { CalendarAttendee } from './event-calendar';

/**
 * The whole .ics path (CalendarService → buildCalendar → ical-generator) against what people may
 * type or a hostile registrant may craft, read back by an independent parser (ical.js).
 */

const HOST_NAME = { value: 'ICT 미니클러스터' };

function calendarService(series: EventSeries[] = [], occurrences: SeminarEvent[] = []): CalendarService {
  const directory = {
    clusterNames: async () => new Map([['ICT', HOST_NAME.value]]),
    officeEmail: () => 'ict-office@park.example',
  } as unknown as DirectoryService;
  const seriesService = {
    find: async (id: string) => {
      const found = series.find((candidate) => candidate.id === id);
      if (!found) throw new Error(`no series ${id}`);
      return found;
    },
    get: async (id: string) => ({ series: series.find((candidate) => candidate.id === id), occurrences: occurrences.filter((event) => event.seriesId === id) }),
  } as unknown as SeriesService;
  return new CalendarService({ publicUrl: 'https://hub.example' } as AppConfig, directory, seriesService);
}

function seminar(overrides: Partial<SeminarEvent> = {}): SeminarEvent {
  return {
    id: '3f6f0f5e-8d0e-4c55-9d55-5d0c3a3f2a10',
    uid: '3f6f0f5e-8d0e-4c55-9d55-5d0c3a3f2a10@hub.example',
    sequence: 0,
    title: '스마트팩토리 기술교류회',
    description: null,
    startsAt: new Date('2027-05-12T05:00:00Z'),
    endsAt: new Date('2027-05-12T07:00:00Z'),
    timezone: 'Asia/Seoul',
    venue: '판교 세미나실 B',
    onlineUrl: null,
    status: 'published',
    publishedAt: new Date('2027-01-01T00:00:00Z'),
    updatedAt: new Date('2027-01-02T00:00:00Z'),
    clusters: [{ eventId: '3f6f0f5e-8d0e-4c55-9d55-5d0c3a3f2a10', role: 'host', clusterCode: 'ICT' }],
    seriesId: null,
    recurrenceId: null,
    ...overrides,
  } as SeminarEvent;
}

/** RFC 5545 §3.1: folded lines joined again. */
function unfold(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n');
}

function parse(ics: string): ICAL.Component {
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const vtimezone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtimezone);
  return root;
}

/** RFC 6868 §3.2, by hand, so the test does not rest on ical.js alone (which does decode ^' ^n ^^). */
function rfc6868Decode(value: string): string {
  return value.replace(/\^(['n^])/g, (_, c: string) => (c === "'" ? '"' : c === 'n' ? '\n' : '^'));
}

/** RFC 5545 §3.3.11 TEXT unescaping, for properties ical.js leaves raw (X-WR-CALNAME). */
function textDecode(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/**
 * What a name may become in CN: a name is one line, so a line break (CRLF, CR or LF) or a tab is
 * a space; other control characters and backslashes cannot be written safely and are dropped
 * (see parameterValue in event-calendar.ts); everything else comes back as typed.
 */
function expectedCn(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/\r\n|[\r\n\t]/g, ' ').replace(/[\u0000-\u001f\u007f\\]/g, '');
}

/** What a title, description or venue becomes as TEXT: controls but tab and line breaks dropped, then each line break one \n. */
function expectedText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').replace(/\r\n|\r/g, '\n');
}

/** Strings made of the characters that break iCalendar lines and parameters, and of attempts to forge some. */
const hostile = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('"', '\\', ';', ':', ',', '^', '\r', '\n', '\r\n', '\t', ' ', '=', "'") },
      { weight: 1, arbitrary: fc.constantFrom('^n', "^'", '^^', '\\n', '\\"', '\\;', '\u0000', '\u000b', '\u001b', '\u007f') },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'PARTSTAT=DECLINED',
          'RSVP=TRUE',
          'X-Q=',
          'CN=',
          ':MAILTO:mallory@evil.example',
          'mailto:mallory@evil.example',
          'END:VEVENT',
          'ATTENDEE;CN=Mallory',
          'Robert "Bob" Smith',
          '김민지',
          '😀',
        ),
      },
      { weight: 2, arbitrary: fc.string({ maxLength: 4 }) },
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(''));

/** Addresses the registration form's email check admits, quoted local parts included. */
const email = fc.constantFrom(
  'eve@example.kr',
  '"eve;x"@example.kr',
  '"a,b c"@example.kr',
  '"a:b"@example.kr',
  'a%b@example.kr',
  "o'brien+tag@example.kr",
  'a#b?c@example.kr',
  '김민지@example.kr',
);

const status = fc.constantFrom<CalendarAttendee['status']>('accepted', 'tentative', 'needs-action', 'declined');
const PARTSTAT = { accepted: 'ACCEPTED', tentative: 'TENTATIVE', 'needs-action': 'NEEDS-ACTION', declined: 'DECLINED' } as const;

describe('CalendarService: hostile names and text through the whole .ics path', () => {
  afterEach(() => {
    ICAL.TimezoneService.reset();
    HOST_NAME.value = 'ICT 미니클러스터';
  });

  it('writes the CN of a name with quotes as RFC 6868 says, so it cannot add parameters nor change the address', async () => {
    const calendar = calendarService();
    const cases: [string, string][] = [
      ['Eve";PARTSTAT=DECLINED;RSVP=TRUE;X-Q="', `CN="Eve^';PARTSTAT=DECLINED;RSVP=TRUE;X-Q=^'"`],
      ['Robert "Bob" Smith', `CN="Robert ^'Bob^' Smith"`],
      ['2^3 Lab', 'CN="2^^3 Lab"'],
      ['Eve";CN=x:MAILTO:mallory@evil.example\r\nATTENDEE;CN="x', `CN="Eve^';CN=x:MAILTO:mallory@evil.example ATTENDEE;CN=^'x"`],
    ];
    for (const [name, cn] of cases) {
      const ics = await calendar.forAttendee(seminar(), { email: 'eve@example.kr', name, status: 'accepted' }, 'REQUEST', 'ko');
      const attendees = unfold(ics).filter((line) => line.startsWith('ATTENDEE'));
      expect(attendees).toEqual([`ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE;${cn}:MAILTO:eve@example.kr`]);
      const [attendee] = parse(ics).getFirstSubcomponent('vevent')!.getAllProperties('attendee');
      expect(attendee.getParameter('cn')).toBe(expectedCn(name));
      expect(attendee.getParameter('partstat')).toBe('ACCEPTED');
    }
  });

  it('keeps one ATTENDEE with its own address, PARTSTAT and name, and one ORGANIZER, whatever the names hold', async () => {
    const calendar = calendarService();
    await fc.assert(
      fc.asyncProperty(
        hostile,
        hostile,
        email,
        status,
        fc.constantFrom<'REQUEST' | 'CANCEL'>('REQUEST', 'CANCEL'),
        async (name, hostName, address, partstat, method) => {
          HOST_NAME.value = hostName;
          const ics = await calendar.forAttendee(seminar(), { email: address, name, status: partstat }, method, 'ko');
          const lines = unfold(ics);
          // Every line is one property: CRLF-terminated, no stray CR or LF, no control character.
          // eslint-disable-next-line no-control-regex
          expect(lines.filter((line) => /[\u0000-\u0008\u000a-\u001f\u007f]/.test(line))).toEqual([]);

          // The raw lines, read by the grammar of RFC 5545 §3.2 (no parser's leniency): each quoted
          // parameter value holds no DQUOTE and the property value is exactly the address.
          const attendeeLines = lines.filter((line) => /^ATTENDEE[;:]/i.test(line));
          expect(attendeeLines).toHaveLength(1);
          const cnText = expectedCn(name);
          // The address is a URI (RFC 6068): percent-encoded where it must be, never backslash-escaped.
          const attendeeLine = /^ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=([A-Z-]+);RSVP=FALSE(?:;CN="([^"]*)")?:MAILTO:([^"\\;,\s]*)$/.exec(attendeeLines[0]);
          expect(attendeeLine).not.toBeNull();
          expect(attendeeLine![1]).toBe(PARTSTAT[partstat]);
          expect(decodeURIComponent(attendeeLine![3])).toBe(address);
          expect(rfc6868Decode(attendeeLine![2] ?? '')).toBe(cnText);
          const organizerLines = lines.filter((line) => /^ORGANIZER[;:]/i.test(line));
          expect(organizerLines).toHaveLength(1);
          const organizerLine = /^ORGANIZER;CN="([^"]*)":mailto:(.*)$/.exec(organizerLines[0]);
          expect(organizerLine).not.toBeNull();
          expect(organizerLine![2]).toBe('ict-office@park.example');

          // The same read back by ical.js, which decodes RFC 6868 itself.
          const vevent = parse(ics).getFirstSubcomponent('vevent')!;
          const attendees = vevent.getAllProperties('attendee');
          expect(attendees).toHaveLength(1);
          expect(decodeURIComponent(String(attendees[0].getFirstValue()).replace(/^mailto:/i, ''))).toBe(address);
          expect(attendees[0].getParameter('partstat')).toBe(PARTSTAT[partstat]);
          expect(attendees[0].getParameter('rsvp')).toBe('FALSE');
          expect(attendees[0].getParameter('cn') ?? '').toBe(cnText);
          expect(Object.keys(attendees[0].toJSON()[1]).sort()).toEqual(cnText === '' ? ['partstat', 'role', 'rsvp'] : ['cn', 'partstat', 'role', 'rsvp']);
          const organizers = vevent.getAllProperties('organizer');
          expect(organizers).toHaveLength(1);
          expect(organizers[0].getFirstValue()).toBe('mailto:ict-office@park.example');
          expect(organizers[0].getParameter('cn')).toBe(expectedCn(hostName) || 'ict-office@park.example');
          expect(rfc6868Decode(organizerLine![1])).toBe(organizers[0].getParameter('cn'));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a title, description and venue each one property that reads back as written', async () => {
    const calendar = calendarService();
    await fc.assert(
      fc.asyncProperty(hostile, hostile, hostile, async (title, description, venue) => {
        const event = seminar({ title, description, venue: venue === '' ? null : venue });
        for (const ics of [
          await calendar.forAttendee(event, { email: 'eve@example.kr', name: 'Eve', status: 'accepted' }, 'REQUEST', 'en'),
          await calendar.forDownload([event]),
        ]) {
          const lines = unfold(ics);
          // eslint-disable-next-line no-control-regex
          expect(lines.filter((line) => /[\u0000-\u0008\u000a-\u001f\u007f]/.test(line))).toEqual([]);
          const vevent = parse(ics).getFirstSubcomponent('vevent')!;
          const names = vevent.getAllProperties().map((property) => property.name);
          expect(names.filter((name) => ['summary', 'description', 'location', 'attendee', 'organizer', 'uid', 'dtstart'].includes(name)).sort()).toEqual(
            [
              'summary',
              ...(expectedText(description) === '' ? [] : ['description']),
              ...(expectedText(venue) === '' ? [] : ['location']),
              ...(ics.includes('METHOD:REQUEST') ? ['attendee'] : []),
              'organizer',
              'uid',
              'dtstart',
            ].sort(),
          );
          expect(vevent.getFirstPropertyValue('summary')).toBe(expectedText(title));
          if (expectedText(description) !== '') expect(vevent.getFirstPropertyValue('description')).toBe(expectedText(description));
          if (expectedText(venue) !== '') expect(vevent.getFirstPropertyValue('location')).toBe(expectedText(venue));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the series feed name one property, whatever the series title holds', async () => {
    const calendar = calendarService();
    await fc.assert(
      fc.asyncProperty(hostile, async (title) => {
        const series = {
          id: '7c1d1b84-0d1b-4a43-9a4e-0f7a3c1c2b11',
          uid: '7c1d1b84-0d1b-4a43-9a4e-0f7a3c1c2b11@hub.example',
          rrule: 'FREQ=WEEKLY;COUNT=2',
          title,
          description: null,
          firstStartsAt: new Date('2027-05-12T05:00:00Z'),
          firstEndsAt: new Date('2027-05-12T07:00:00Z'),
          timezone: 'Asia/Seoul',
          venue: null,
          onlineUrl: null,
          updatedAt: new Date('2027-01-02T00:00:00Z'),
        } as EventSeries;
        const second = new Date('2027-05-19T05:00:00Z');
        const occurrences = [
          seminar({ title, venue: null, seriesId: series.id, recurrenceId: series.firstStartsAt }),
          seminar({ id: 'b', title, venue: null, seriesId: series.id, recurrenceId: second, startsAt: second, endsAt: new Date('2027-05-19T07:00:00Z') }),
        ];
        const ics = await calendar.forSeries(series, occurrences);
        const lines = unfold(ics);
        // eslint-disable-next-line no-control-regex
        expect(lines.filter((line) => /[\u0000-\u0008\u000a-\u001f\u007f]/.test(line))).toEqual([]);
        const root = parse(ics);
        if (expectedText(title) !== '') {
          expect(root.getAllProperties('x-wr-calname').map((property) => textDecode(String(property.getFirstValue())))).toEqual([expectedText(title)]);
        }
        expect(root.getAllSubcomponents('vevent')).toHaveLength(1);
        expect(root.getFirstSubcomponent('vevent')!.getFirstPropertyValue('summary')).toBe(expectedText(title));
      }),
      { numRuns: 200 },
    );
  });
});

describe('CalendarService: an occurrence of a series is an instance of it everywhere', () => {
  afterEach(() => ICAL.TimezoneService.reset());

  // Weekly on Thursdays at 10:00 in Berlin, across the change to summer time on 2027-03-28.
  const series = {
    id: '5b0e6c1a-3a43-4f0c-8b8e-2d4f6a1c9e01',
    uid: '5b0e6c1a-3a43-4f0c-8b8e-2d4f6a1c9e01@hub.example',
    rrule: 'FREQ=WEEKLY;COUNT=4',
    title: 'Green IT weekly',
    description: null,
    firstStartsAt: new Date('2027-03-11T09:00:00Z'),
    firstEndsAt: new Date('2027-03-11T10:00:00Z'),
    timezone: 'Europe/Berlin',
    venue: 'Room 3',
    onlineUrl: null,
    updatedAt: new Date('2027-01-02T00:00:00Z'),
  } as EventSeries;
  const occurrence = (n: number, start: string, overrides: Partial<SeminarEvent> = {}) =>
    seminar({
      id: `00000000-0000-4000-8000-00000000000${n}`,
      uid: `00000000-0000-4000-8000-00000000000${n}@hub.example`,
      title: series.title,
      venue: series.venue,
      timezone: series.timezone,
      seriesId: series.id,
      recurrenceId: new Date(start),
      startsAt: new Date(start),
      endsAt: new Date(Date.parse(start) + 3600_000),
      ...overrides,
    });
  const unchanged = occurrence(1, '2027-03-11T09:00:00Z');
  // Moved an hour later three times over: its own sequence is 3.
  const moved = occurrence(2, '2027-03-18T09:00:00Z', { startsAt: new Date('2027-03-18T10:00:00Z'), endsAt: new Date('2027-03-18T11:00:00Z'), sequence: 3 });
  // Shown in another zone: still written in the series' zone, so RECURRENCE-ID matches the rule.
  const otherZone = occurrence(3, '2027-03-25T09:00:00Z', { timezone: 'Asia/Seoul', sequence: 1 });
  const cancelled = occurrence(4, '2027-04-01T08:00:00Z', { status: 'cancelled', sequence: 1 });
  const occurrences = [unchanged, moved, otherZone, cancelled];

  /** The VEVENT lines that say which instance and which version it is, and what it says. */
  function instanceLines(vevent: string[]): string[] {
    return vevent.filter((line) => /^(UID|SEQUENCE|RECURRENCE-ID|DTSTART|DTEND|SUMMARY|LOCATION|STATUS)[;:]/.test(line));
  }

  function vevents(ics: string): string[][] {
    const lines = unfold(ics);
    const out: string[][] = [];
    lines.forEach((line, index) => {
      if (line === 'BEGIN:VEVENT') out.push(lines.slice(index, lines.indexOf('END:VEVENT', index)));
    });
    return out;
  }

  it('mails and downloads an overridden occurrence exactly as the series feed overrides it', async () => {
    const calendar = calendarService([series]);
    const feed = vevents(await calendar.forSeries(series, occurrences));
    expect(feed.map((vevent) => vevent.find((line) => line.startsWith('UID:')))).toEqual(Array(4).fill(`UID:${series.uid}`));
    const overrides = new Map(feed.slice(1).map((vevent) => [vevent.find((line) => line.startsWith('RECURRENCE-ID'))!, instanceLines(vevent)]));
    expect([...overrides.keys()]).toEqual([
      'RECURRENCE-ID;TZID=Europe/Berlin:20270318T100000',
      'RECURRENCE-ID;TZID=Europe/Berlin:20270325T100000',
      'RECURRENCE-ID;TZID=Europe/Berlin:20270401T100000',
    ]);
    for (const event of [moved, otherZone, cancelled]) {
      const method = event.status === 'cancelled' ? 'CANCEL' : 'REQUEST';
      const [mail] = vevents(await calendar.forAttendee(event, { email: 'eve@example.kr', name: 'Eve', status: 'accepted' }, method, 'ko'));
      const [download] = vevents(await calendar.forDownload([event]));
      const recurrenceId = mail.find((line) => line.startsWith('RECURRENCE-ID'))!;
      expect(instanceLines(mail)).toEqual(overrides.get(recurrenceId));
      expect(instanceLines(download)).toEqual(overrides.get(recurrenceId));
      expect(mail).toContain(`SEQUENCE:${event.sequence}`);
    }
  });

  it('mails an occurrence the feed leaves to the rule as the instance the rule gives, at its original start', async () => {
    const calendar = calendarService([series]);
    const feed = parse(await calendar.forSeries(series, occurrences));
    const master = new ICAL.Event(feed.getFirstSubcomponent('vevent')!);
    const ruleStarts: string[] = [];
    const iterator = master.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) ruleStarts.push(next.toJSDate().toISOString());

    for (const event of occurrences) {
      const method = event.status === 'cancelled' ? 'CANCEL' : 'REQUEST';
      const mail = parse(await calendar.forAttendee(event, { email: 'eve@example.kr', name: 'Eve', status: 'accepted' }, method, 'en'));
      expect(mail.getFirstPropertyValue('method')).toBe(method);
      const instance = new ICAL.Event(mail.getFirstSubcomponent('vevent')!);
      expect(instance.uid).toBe(master.uid);
      expect(instance.recurrenceId.zone.tzid).toBe('Europe/Berlin');
      expect(instance.recurrenceId.toJSDate().toISOString()).toBe(event.recurrenceId!.toISOString());
      expect(ruleStarts).toContain(instance.recurrenceId.toJSDate().toISOString());
      expect(instance.startDate.toJSDate().toISOString()).toBe(event.startsAt.toISOString());
      expect(instance.sequence).toBe(event.sequence);
      expect(instance.component.getFirstPropertyValue('status')).toBe(event.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED');
    }
  });

  it('writes the occurrences a cluster or member feed holds as the series feed does, the others left out', async () => {
    const calendar = calendarService([series], occurrences);
    const oneOff = seminar({ startsAt: new Date('2027-03-12T05:00:00Z'), endsAt: new Date('2027-03-12T07:00:00Z') });
    const ics = await calendar.forFeed([moved, oneOff, cancelled], { name: 'Seminar Hub · My events', locale: 'en' });
    expect(vevents(ics)).toHaveLength(4);
    // The series stands where the first of its occurrences in the list would, master first.
    const [master, ...overrides] = vevents(ics).slice(0, 3);
    const own = vevents(ics)[3];
    expect(own).toContain(`UID:${oneOff.uid}`);
    expect(own.some((line) => line.startsWith('RECURRENCE-ID'))).toBe(false);
    expect([master, ...overrides].map((vevent) => vevent.find((line) => line.startsWith('UID:')))).toEqual(Array(3).fill(`UID:${series.uid}`));
    expect(master).toContain('RRULE:FREQ=WEEKLY;COUNT=4');
    expect(master).toContain('EXDATE;TZID=Europe/Berlin:20270311T100000,20270325T100000');
    // Each override is what the mail about that occurrence says.
    for (const [event, override] of [
      [moved, overrides[0]],
      [cancelled, overrides[1]],
    ] as const) {
      const method = event.status === 'cancelled' ? 'CANCEL' : 'REQUEST';
      const [mail] = vevents(await calendar.forAttendee(event, { email: 'eve@example.kr', name: 'Eve', status: 'accepted' }, method, 'en'));
      expect(instanceLines(override)).toEqual(instanceLines(mail));
    }
    // ical.js, applying the overrides to the rule, finds the two held occurrences and nothing else.
    const [masterEvent, ...exceptions] = parse(ics)
      .getAllSubcomponents('vevent')
      .slice(0, 3)
      .map((vevent) => new ICAL.Event(vevent));
    for (const exception of exceptions) masterEvent.relateException(exception);
    const held: string[] = [];
    const iterator = masterEvent.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      const details = masterEvent.getOccurrenceDetails(next);
      held.push(`${details.startDate.toJSDate().toISOString()} ${String(details.item.component.getFirstPropertyValue('status'))}`);
    }
    expect(held).toEqual(['2027-03-18T10:00:00.000Z CONFIRMED', '2027-04-01T08:00:00.000Z CANCELLED']);
  });

  it('leaves a one-off event its own UID, SEQUENCE and no RECURRENCE-ID', async () => {
    const calendar = calendarService();
    const event = seminar({ sequence: 2 });
    for (const ics of [
      await calendar.forAttendee(event, { email: 'eve@example.kr', name: 'Eve', status: 'accepted' }, 'REQUEST', 'ko'),
      await calendar.forAttendee(event, { email: 'eve@example.kr', name: 'Eve', status: 'declined' }, 'CANCEL', 'ko'),
      await calendar.forDownload([event]),
    ]) {
      const [vevent] = vevents(ics);
      expect(vevent).toContain(`UID:${event.uid}`);
      expect(vevent).toContain('SEQUENCE:2');
      expect(vevent).toContain('DTSTART;TZID=Asia/Seoul:20270512T140000');
      expect(vevent.some((line) => line.startsWith('RECURRENCE-ID'))).toBe(false);
    }
  });
});
