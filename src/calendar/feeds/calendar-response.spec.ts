import { calendarEtag, matchesIfNoneMatch } from './calendar-response';

describe('calendar feed validators', () => {
  it('derives a quoted strong ETag from the body alone', () => {
    const etag = calendarEtag('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(calendarEtag('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n')).toBe(etag);
    expect(calendarEtag('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n ')).not.toBe(etag);
  });

  it('matches If-None-Match by weak comparison, in a list, or *', () => {
    const etag = '"abc"';
    expect(matchesIfNoneMatch(undefined, etag)).toBe(false);
    expect(matchesIfNoneMatch('"abc"', etag)).toBe(true);
    expect(matchesIfNoneMatch('W/"abc"', etag)).toBe(true);
    expect(matchesIfNoneMatch('"x", "abc"', etag)).toBe(true);
    expect(matchesIfNoneMatch('*', etag)).toBe(true);
    expect(matchesIfNoneMatch('"abcd"', etag)).toBe(false);
    expect(matchesIfNoneMatch('abc', etag)).toBe(false);
  });
});
