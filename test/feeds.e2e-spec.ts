import { createHash } from 'node:crypto';
import { client } from './support/http';
import { parseIcs } from './support/ics';
import { personalLink, pressLink } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 4, feeds and add-to-calendar links: the public cluster feed (validators, 304), a member's
 * secret feed (confirmed events, cancellations, revocation) and the links on the event page.
 */
describe('calendar feeds and add-to-calendar links', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let anonymous: ReturnType<typeof client>;
  // 2027-03-10 14:00–16:00 in Seoul.
  const startsAt = '2027-03-10T14:00:00+09:00';
  const title = 'AI × 콘텐츠 & 미래 #1: Q/A + 토론';
  const venue = '판교 글로벌R&D센터 세미나실 A';
  let minjiId: string;
  let johnId: string;
  let eventId: string;
  let eventUid: string;
  let berlinId: string;
  let feedUrl: string;
  let feedEtag: string;

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres' });
    api = client(t.url, t.adminToken);
    anonymous = client(t.url);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sets up two members and a published ICT seminar that one of them confirms', async () => {
    const minji = await api.post('/api/members', { email: 'minji@hanbit.example', name: '김민지', company: '한빛소프트', clusterCode: 'ICT' });
    const john = await api.post('/api/members', { email: 'john@pixel.example', name: 'John Smith', company: 'Pixel Works', clusterCode: 'DC', locale: 'en' });
    expect([minji.status, john.status]).toEqual([201, 201]);
    minjiId = minji.body.id;
    johnId = john.body.id;

    const created = await api.post('/api/events', {
      title,
      description: '1부 발표, 2부 토론 (50% 할인?)',
      type: 'seminar',
      startsAt,
      endsAt: '2027-03-10T16:00:00+09:00',
      venue,
      hostClusters: ['ICT'],
    });
    expect(created.status).toBe(201);
    eventId = created.body.id;
    eventUid = created.body.uid;
    expect((await api.post(`/api/events/${eventId}/publish`)).status).toBe(200);

    const sent = await api.post(`/api/events/${eventId}/invitations`, {});
    expect(sent.body).toEqual({ queued: 2 });
    await t.mailbox.waitFor(() => t.mailbox.to('minji@hanbit.example').length === 1 && t.mailbox.to('john@pixel.example').length === 1, 'two invitations');
    const pressed = await pressLink(personalLink(t.mailbox.to('minji@hanbit.example')[0], t.url));
    expect(pressed.status).toBe(200);
    const registrations = (await api.get(`/api/events/${eventId}/registrations`)).body;
    expect(registrations).toEqual([expect.objectContaining({ email: 'minji@hanbit.example', status: 'confirmed' })]);
  });

  describe('the public cluster feed', () => {
    it('is a PUBLISH calendar with a name, a refresh hint and one VTIMEZONE per zone used', async () => {
      // A second ICT event in another zone, and an ICT draft that must stay out of the feed.
      const berlin = await api.post('/api/events', {
        title: 'Green IT in Europe',
        type: 'tech_exchange',
        startsAt: '2027-07-01T10:00:00+02:00',
        endsAt: '2027-07-01T12:00:00+02:00',
        timezone: 'Europe/Berlin',
        hostClusters: ['GREEN_IT', 'ICT'],
      });
      berlinId = berlin.body.id;
      await api.post(`/api/events/${berlinId}/publish`);
      await api.post('/api/events', { title: 'ICT 초안', type: 'seminar', startsAt, endsAt: '2027-03-10T15:00:00+09:00', hostClusters: ['ICT'] });

      const answer = await fetch(`${t.url}/api/clusters/ICT/calendar.ics`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/calendar; charset=utf-8/);
      const text = await answer.text();
      expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
      expect(text.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
      const ics = parseIcs(text);
      expect(ics.method).toBe('PUBLISH');
      expect(ics.root.getFirstPropertyValue('x-wr-calname')).toBe('Seminar Hub · ICT');
      expect(ics.root.getFirstPropertyValue('x-published-ttl')?.toString()).toBe('PT1H');
      expect(text).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n');
      expect([...ics.timezones].sort()).toEqual(['Asia/Seoul', 'Europe/Berlin']);
      expect(ics.events.map((event) => [event.summary, event.startDate.zone.tzid, event.startDate.toJSDate().toISOString()])).toEqual([
        [title, 'Asia/Seoul', '2027-03-10T05:00:00.000Z'],
        ['Green IT in Europe', 'Europe/Berlin', '2027-07-01T08:00:00.000Z'],
      ]);
      expect(ics.events[0].uid).toBe(eventUid);

      const dc = parseIcs(await (await fetch(`${t.url}/api/clusters/DC/calendar.ics`)).text());
      expect(dc.events).toHaveLength(0);
    });

    it('carries an ETag from the hash of the body, is cacheable for five minutes and answers 304 on If-None-Match', async () => {
      const first = await fetch(`${t.url}/api/clusters/ICT/calendar.ics`);
      const body = await first.text();
      const etag = first.headers.get('etag')!;
      expect(etag).toBe(`"${createHash('sha256').update(body, 'utf8').digest('base64url')}"`);
      expect(first.headers.get('cache-control')).toBe('public, max-age=300');

      // The same events give the same bytes: a poll a moment later gets the same ETag.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const second = await fetch(`${t.url}/api/clusters/ICT/calendar.ics`);
      expect(await second.text()).toBe(body);
      expect(second.headers.get('etag')).toBe(etag);

      const notModified = await fetch(`${t.url}/api/clusters/ICT/calendar.ics`, { headers: { 'if-none-match': etag } });
      expect(notModified.status).toBe(304);
      expect(await notModified.text()).toBe('');
      expect(notModified.headers.get('etag')).toBe(etag);
      expect(notModified.headers.get('cache-control')).toBe('public, max-age=300');

      const otherTag = await fetch(`${t.url}/api/clusters/ICT/calendar.ics`, { headers: { 'if-none-match': '"something-else"' } });
      expect(otherTag.status).toBe(200);
    });
  });

  describe("a member's private feed", () => {
    it('is made by an organizer, as an https and a webcal URL holding a secret stored only as its hash', async () => {
      expect((await anonymous.post(`/api/members/${minjiId}/feed`, {})).status).toBe(401);
      expect((await api.post('/api/members/00000000-0000-4000-8000-000000000000/feed', {})).status).toBe(404);
      expect((await api.post('/api/members/not-a-uuid/feed', {})).status).toBe(400);

      const made = await api.post(`/api/members/${minjiId}/feed`, {});
      expect(made.status).toBe(201);
      const escapedBase = t.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(made.body.url).toMatch(new RegExp(`^${escapedBase}/feeds/[A-Za-z0-9_-]{43}\\.ics$`));
      expect(made.body.webcalUrl).toBe(made.body.url.replace(/^http:/, 'webcal:'));
      feedUrl = made.body.url;

      const token = /\/feeds\/([^/]+)\.ics$/.exec(feedUrl)![1];
      const rows = await t.db.query(`SELECT token_hash, revoked_at FROM member_feeds WHERE member_id = $1`, [minjiId]);
      expect(rows.rows).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex'), revoked_at: null }]);
      const docs = await anonymous.get('/api/docs-json');
      expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/members/{id}/feed', '/feeds/{token}.ics']));
      expect(Object.keys(docs.body.paths['/api/members/{id}/feed'])).toEqual(expect.arrayContaining(['post', 'delete']));
      const anywhere = await t.db.query(`SELECT count(*)::int AS n FROM member_feeds WHERE token_hash LIKE '%' || $1 || '%'`, [token]);
      expect(anywhere.rows[0].n).toBe(0);
    });

    it('lists the event the member confirmed, with its UID, instant and VTIMEZONE', async () => {
      const answer = await fetch(feedUrl);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/calendar; charset=utf-8/);
      expect(answer.headers.get('cache-control')).toBe('private, max-age=300');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      feedEtag = answer.headers.get('etag')!;
      expect(feedEtag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      const ics = parseIcs(await answer.text());
      expect(ics.method).toBe('PUBLISH');
      expect(ics.root.getFirstPropertyValue('x-wr-calname')).toBe('Seminar Hub · 내 행사');
      expect(ics.root.getFirstPropertyValue('x-published-ttl')?.toString()).toBe('PT1H');
      expect(ics.timezones).toEqual(['Asia/Seoul']);
      expect(ics.events).toHaveLength(1); // not the Berlin event: Minji is not registered for it
      const [vevent] = ics.events;
      expect(vevent.uid).toBe(eventUid);
      expect(vevent.summary).toBe(title);
      expect(vevent.startDate.zone.tzid).toBe('Asia/Seoul');
      expect(vevent.startDate.toJSDate().toISOString()).toBe(new Date(startsAt).toISOString());
      expect(vevent.component.getFirstPropertyValue('status')).toBe('CONFIRMED');

      expect((await fetch(feedUrl, { headers: { 'if-none-match': feedEtag } })).status).toBe(304);

      // John was invited but never confirmed: his feed is a valid, empty calendar.
      const johnFeed = await api.post(`/api/members/${johnId}/feed`, {});
      const john = parseIcs(await (await fetch(johnFeed.body.url)).text());
      expect(john.root.getFirstPropertyValue('x-wr-calname')).toBe('Seminar Hub · My events');
      expect(john.events).toHaveLength(0);
    });

    it('shows the event as STATUS:CANCELLED once it is cancelled, with a new ETag', async () => {
      const cancelled = await api.post(`/api/events/${eventId}/cancel`, {});
      expect(cancelled.status).toBe(200);

      const answer = await fetch(feedUrl, { headers: { 'if-none-match': feedEtag } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('etag')).not.toBe(feedEtag);
      const [vevent] = parseIcs(await answer.text()).events;
      expect(vevent.uid).toBe(eventUid);
      expect(vevent.component.getFirstPropertyValue('status')).toBe('CANCELLED');
      expect(vevent.sequence).toBe(1);

      const cluster = parseIcs(await (await fetch(`${t.url}/api/clusters/ICT/calendar.ics`)).text());
      const inCluster = cluster.events.find((event) => event.uid === eventUid)!;
      expect(inCluster.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    });

    it('is gone (404) once revoked, and an old URL stays gone after a new one is made', async () => {
      const revoked = await fetch(`${t.url}/api/members/${minjiId}/feed`, { method: 'DELETE', headers: { authorization: `Bearer ${t.adminToken}` } });
      expect(revoked.status).toBe(204);
      const afterRevoke = await fetch(feedUrl);
      expect(afterRevoke.status).toBe(404);
      const revokedBody = await afterRevoke.json();
      expect(revokedBody).toEqual({ statusCode: 404, error: 'Not Found', message: ['feed not found'] });
      // Revoking again, or without a token, or for an unknown member:
      expect((await fetch(`${t.url}/api/members/${minjiId}/feed`, { method: 'DELETE', headers: { authorization: `Bearer ${t.adminToken}` } })).status).toBe(
        204,
      );
      expect((await fetch(`${t.url}/api/members/${minjiId}/feed`, { method: 'DELETE' })).status).toBe(401);

      const remade = await api.post(`/api/members/${minjiId}/feed`, {});
      expect(remade.status).toBe(201);
      expect(remade.body.url).not.toBe(feedUrl);
      expect((await fetch(remade.body.url)).status).toBe(200);
      const old = await fetch(feedUrl);
      expect(old.status).toBe(404);
      // Unknown, malformed and revoked tokens all get the same answer.
      expect(await old.json()).toEqual(revokedBody);
      const unknown = await fetch(`${t.url}/feeds/${'A'.repeat(43)}.ics`);
      expect([unknown.status, await unknown.json()]).toEqual([404, revokedBody]);
      const malformed = await fetch(`${t.url}/feeds/not-a-token.ics`);
      expect([malformed.status, await malformed.json()]).toEqual([404, revokedBody]);

      // Making a new feed also kills the previous one without a revoke.
      const newer = await api.post(`/api/members/${minjiId}/feed`, {});
      expect((await fetch(remade.body.url)).status).toBe(404);
      expect((await fetch(newer.body.url)).status).toBe(200);
    });
  });

  describe('add-to-calendar links on the event page', () => {
    it('shows Google and Outlook links next to the .ics, with every parameter encoded', async () => {
      const page = await fetch(`${t.url}/events/${berlinId}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('캘린더에 추가 (.ics)');
      expect(html).toContain('Google 캘린더에 추가');
      expect(html).toContain('Outlook에 추가');
      const google = new URL(href(html, 'https://calendar.google.com/'));
      expect(google.origin + google.pathname).toBe('https://calendar.google.com/calendar/render');
      expect(Object.fromEntries(google.searchParams)).toMatchObject({
        action: 'TEMPLATE',
        text: 'Green IT in Europe',
        dates: '20270701T080000Z/20270701T100000Z',
        ctz: 'Europe/Berlin',
      });
      expect(google.searchParams.get('details')).toContain(`${t.url}/events/${berlinId}`);
      const outlook = new URL(href(html, 'https://outlook.live.com/'));
      expect(outlook.origin + outlook.pathname).toBe('https://outlook.live.com/calendar/0/action/compose');
      expect(Object.fromEntries(outlook.searchParams)).toMatchObject({
        subject: 'Green IT in Europe',
        startdt: '2027-07-01T10:00:00+02:00',
        enddt: '2027-07-01T12:00:00+02:00',
      });
    });

    it('encodes a title and venue full of reserved characters, in both languages', async () => {
      const created = await api.post('/api/events', {
        title,
        description: '1부 발표\n2부 토론 (50% 할인?)',
        type: 'seminar',
        startsAt,
        endsAt: '2027-03-10T16:00:00+09:00',
        venue,
        hostClusters: ['ICT', 'DC'],
      });
      await api.post(`/api/events/${created.body.id}/publish`);
      for (const [path, google, outlook] of [
        [`/events/${created.body.id}`, 'Google 캘린더에 추가', 'Outlook에 추가'],
        [`/events/${created.body.id}?lang=en`, 'Add to Google Calendar', 'Add to Outlook'],
      ]) {
        const html = await (await fetch(`${t.url}${path}`)).text();
        expect(html).toContain(google);
        expect(html).toContain(outlook);
        const googleHref = href(html, 'https://calendar.google.com/');
        const outlookHref = href(html, 'https://outlook.live.com/');
        for (const link of [googleHref, outlookHref]) {
          const query = link.slice(link.indexOf('?') + 1);
          // Only separators between the pairs: &, # and + in the title and venue are percent-encoded.
          expect(query).not.toMatch(/[ #+\n]/);
          expect(query.split('&').every((pair) => /^[a-z]+=[^=&]*$/.test(pair))).toBe(true);
        }
        expect(googleHref).toContain(`text=${encodeURIComponent(title)}&`);
        const googleUrl = new URL(googleHref);
        expect(googleUrl.searchParams.get('text')).toBe(title);
        expect(googleUrl.searchParams.get('location')).toBe(venue);
        expect(googleUrl.searchParams.get('dates')).toBe('20270310T050000Z/20270310T070000Z');
        expect(googleUrl.searchParams.get('ctz')).toBe('Asia/Seoul');
        expect(googleUrl.searchParams.get('details')).toBe(`1부 발표\n2부 토론 (50% 할인?)\n\n${t.url}/events/${created.body.id}`);
        const outlookUrl = new URL(outlookHref);
        expect(outlookUrl.searchParams.get('subject')).toBe(title);
        expect(outlookUrl.searchParams.get('location')).toBe(venue);
        expect(outlookHref).toContain('startdt=2027-03-10T14%3A00%3A00%2B09%3A00');
        expect(outlookUrl.searchParams.get('enddt')).toBe('2027-03-10T16:00:00+09:00');
      }
    });

    it('shows no add-to-calendar links for a cancelled event', async () => {
      const html = await (await fetch(`${t.url}/events/${eventId}`)).text();
      expect(html).toContain('이 행사는 취소되었습니다');
      expect(html).not.toContain('calendar.google.com');
      expect(html).not.toContain('outlook.live.com');
    });
  });
});

/** The href of the first link starting with `prefix`, with the HTML escaping of the template undone. */
function href(html: string, prefix: string): string {
  const match = new RegExp(`href="(${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[^"]*)"`).exec(html);
  if (!match) throw new Error(`no link to ${prefix} on the page`);
  return match[1]
    .replace(/&#x3D;/g, '=')
    .replace(/&#x27;/g, "'")
    .replace(/&#x60;/g, '`')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
