import { addToCalendarLinks, AddToCalendarInput, MAX_LINK_DESCRIPTION } from './add-to-calendar-links';

function event(overrides: Partial<AddToCalendarInput> = {}): AddToCalendarInput {
  return {
    title: 'AI × 콘텐츠 융합 세미나 & Q/A',
    description: '1부: 발표\n2부: 토론 (50% 할인? #1)',
    // 2027-03-10 14:00–16:00 in Seoul
    startsAt: new Date('2027-03-10T05:00:00Z'),
    endsAt: new Date('2027-03-10T07:00:00Z'),
    timezone: 'Asia/Seoul',
    venue: '판교 글로벌R&D센터 세미나실 A',
    onlineUrl: null,
    pageUrl: 'https://hub.example/events/3f0c1f4e-0000-4000-8000-000000000001',
    ...overrides,
  };
}

describe('addToCalendarLinks', () => {
  it('builds a Google Calendar template link with UTC instants and the event zone', () => {
    const { google } = addToCalendarLinks(event());
    expect(google.startsWith('https://calendar.google.com/calendar/render?action=TEMPLATE&')).toBe(true);
    expect(google).toContain('&dates=20270310T050000Z/20270310T070000Z&');
    const params = new URL(google).searchParams;
    expect(params.get('action')).toBe('TEMPLATE');
    expect(params.get('text')).toBe('AI × 콘텐츠 융합 세미나 & Q/A');
    expect(params.get('dates')).toBe('20270310T050000Z/20270310T070000Z');
    expect(params.get('details')).toBe('1부: 발표\n2부: 토론 (50% 할인? #1)\n\nhttps://hub.example/events/3f0c1f4e-0000-4000-8000-000000000001');
    expect(params.get('location')).toBe('판교 글로벌R&D센터 세미나실 A');
    expect(params.get('ctz')).toBe('Asia/Seoul');
  });

  it('builds an Outlook compose link with ISO times in the event zone (same instant, page wall clock)', () => {
    const { outlook } = addToCalendarLinks(event());
    expect(outlook.startsWith('https://outlook.live.com/calendar/0/action/compose?subject=')).toBe(true);
    // "+" of the offset must be %2B, or it would be read as a space.
    expect(outlook).toContain('startdt=2027-03-10T14%3A00%3A00%2B09%3A00');
    const params = new URL(outlook).searchParams;
    expect(params.get('subject')).toBe('AI × 콘텐츠 융합 세미나 & Q/A');
    expect(params.get('startdt')).toBe('2027-03-10T14:00:00+09:00');
    expect(params.get('enddt')).toBe('2027-03-10T16:00:00+09:00');
    expect(new Date(params.get('startdt')!).toISOString()).toBe('2027-03-10T05:00:00.000Z');
    expect(params.get('body')).toContain('2부: 토론 (50% 할인? #1)');
    expect(params.get('location')).toBe('판교 글로벌R&D센터 세미나실 A');
    expect(params.get('rru')).toBe('addevent');
    expect(params.get('allday')).toBe('false');
  });

  it('encodes every reserved character: no raw space, &, #, + or newline reaches the query', () => {
    const { google, outlook } = addToCalendarLinks(event({ title: 'a+b c&d=e#f?g', description: 'x\ny' }));
    for (const link of [google, outlook]) {
      const query = link.slice(link.indexOf('?') + 1);
      expect(query).not.toMatch(/[ #\n+]/);
      expect(query.split('&').every((pair) => /^[a-z]+=[^=]*$/.test(pair))).toBe(true);
      expect(query).toContain('a%2Bb%20c%26d%3De%23f%3Fg');
    }
  });

  it('keeps the offset of the day in a zone with daylight saving time', () => {
    const summer = addToCalendarLinks(
      event({ timezone: 'Europe/Berlin', startsAt: new Date('2027-07-01T08:00:00Z'), endsAt: new Date('2027-07-01T09:30:00Z') }),
    );
    const winter = addToCalendarLinks(
      event({ timezone: 'Europe/Berlin', startsAt: new Date('2027-01-15T09:00:00Z'), endsAt: new Date('2027-01-15T10:00:00Z') }),
    );
    expect(new URL(summer.outlook).searchParams.get('startdt')).toBe('2027-07-01T10:00:00+02:00');
    expect(new URL(winter.outlook).searchParams.get('startdt')).toBe('2027-01-15T10:00:00+01:00');
    expect(new URL(summer.google).searchParams.get('dates')).toBe('20270701T080000Z/20270701T093000Z');
    expect(new URL(summer.google).searchParams.get('ctz')).toBe('Europe/Berlin');
  });

  it('uses the online link as the location of an online event, and lists it in the details of a hybrid one', () => {
    const online = addToCalendarLinks(event({ venue: null, onlineUrl: 'https://meet.example/abc?x=1&y=2' }));
    expect(new URL(online.google).searchParams.get('location')).toBe('https://meet.example/abc?x=1&y=2');
    expect(new URL(online.google).searchParams.get('details')).not.toContain('meet.example');
    const hybrid = addToCalendarLinks(event({ onlineUrl: 'https://meet.example/abc' }));
    expect(new URL(hybrid.outlook).searchParams.get('location')).toBe('판교 글로벌R&D센터 세미나실 A');
    expect(new URL(hybrid.outlook).searchParams.get('body')).toContain('https://meet.example/abc');
  });

  it('leaves out an empty location and cuts a long description, always keeping the page link', () => {
    const long = '가'.repeat(MAX_LINK_DESCRIPTION * 3);
    const links = addToCalendarLinks(event({ venue: null, onlineUrl: null, description: long }));
    const params = new URL(links.google).searchParams;
    expect(params.has('location')).toBe(false);
    const details = params.get('details')!;
    expect(Array.from(details.split('\n\n')[0])).toHaveLength(MAX_LINK_DESCRIPTION);
    expect(details.split('\n\n')[0].endsWith('…')).toBe(true);
    expect(details.endsWith('https://hub.example/events/3f0c1f4e-0000-4000-8000-000000000001')).toBe(true);
    expect(links.google.length).toBeLessThan(8000);
    expect(new URL(links.outlook).searchParams.has('location')).toBe(false);
  });

  it('is pure: the same event gives the same links', () => {
    expect(addToCalendarLinks(event())).toEqual(addToCalendarLinks(event()));
  });
});
