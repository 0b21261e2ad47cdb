import { EventsService } from '../src/events/events.service';
import { signedInConsole } from './support/console-client';
import { client } from './support/http';
import { waitUntil } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 11: the public event pages and lists are kept rendered in the api process
 * (common/http/public-page-cache.ts) and answered again from memory, yet a change made through
 * this process shows at once, a moved clock shows at once, a change made elsewhere shows within
 * PUBLIC_PAGE_CACHE_MS, and nobody signed in ever shares an answer with the anonymous visitors.
 */
describe('public pages served from the page cache', () => {
  const TTL_MS = 5000;
  const ORGANIZER = 'cache-organizer@cluster.test';
  let t: TestApp;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    // Longer than the 2 s default, so "still the old answer" holds however slow the machine is between two requests.
    t = await startTestApp({ queue: 'postgres', env: { PUBLIC_PAGE_CACHE_MS: String(TTL_MS) } });
    api = client(t.url, t.adminToken);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function draftEvent(title: string, extra: Record<string, unknown> = {}): Promise<string> {
    const created = await api.post('/api/events', {
      title,
      type: 'seminar',
      startsAt: '2030-05-12T14:00:00+09:00',
      endsAt: '2030-05-12T16:00:00+09:00',
      venue: '판교 세미나실 B',
      hostClusters: ['ICT'],
      ...extra,
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  async function publishedEvent(title: string, extra: Record<string, unknown> = {}): Promise<string> {
    const id = await draftEvent(title, extra);
    expect((await api.post(`/api/events/${id}/publish`)).status).toBe(200);
    return id;
  }

  /** An anonymous visitor's GET. */
  async function visit(path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${t.url}${path}`, { headers });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  const listedIds = async (path: string, headers: Record<string, string> = {}) =>
    (JSON.parse((await visit(path, headers)).text) as { id: string }[]).map((event) => event.id);

  it('answers a page twice the same, from memory: a change made behind this process shows only after PUBLIC_PAGE_CACHE_MS', async () => {
    const id = await publishedEvent('캐시 세미나');
    const first = await visit(`/events/${id}`);
    const second = await visit(`/events/${id}`);
    expect(first.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(first.text).toContain('캐시 세미나');
    // The headers of the answer made by the app, the request id each its own.
    for (const name of ['content-type', 'content-length', 'etag', 'content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy']) {
      expect({ name, value: second.headers.get(name) }).toEqual({ name, value: first.headers.get(name) });
    }
    expect(second.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(second.headers.get('x-content-type-options')).toBe('nosniff');
    expect(second.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    // A browser's revalidation: the same ETag, no body. (fetch alone would add Cache-Control: no-cache, which asks for the body.)
    const revalidated = await fetch(`${t.url}/events/${id}`, { headers: { 'if-none-match': first.headers.get('etag')!, 'cache-control': 'max-age=0' } });
    expect([revalidated.status, await revalidated.text()]).toEqual([304, '']);
    // Timed under the route's pattern, answered from memory or not.
    const metrics = (await api.get('/metrics')).text;
    const count = (status: string) =>
      Number(
        new RegExp(`^seminarhub_http_request_duration_seconds_count\\{method="GET",route="/events/:id",status="${status}"\\} (\\d+)$`, 'm').exec(metrics)?.[1],
      );
    expect([count('200'), count('304')]).toEqual([2, 1]);
    expect((await listedIds('/api/events')).includes(id)).toBe(true);

    // Another api process (here: SQL straight into the table) renames the event; this process does not know.
    await t.db.query(`UPDATE events SET title = '캐시 세미나 (새 이름)' WHERE id = $1`, [id]);
    expect((await visit(`/events/${id}`)).text).not.toContain('캐시 세미나 (새 이름)');
    const listed = JSON.parse((await visit('/api/events')).text) as { id: string; title: string }[];
    expect(listed.find((event) => event.id === id)?.title).toBe('캐시 세미나');
    // An organizer's request is never answered from the cache.
    expect((await api.get(`/api/events/${id}`)).body.title).toBe('캐시 세미나 (새 이름)');

    await waitUntil(async () => (await visit(`/events/${id}`)).text.includes('캐시 세미나 (새 이름)'), 'the page to show the new title', TTL_MS * 3);
    await waitUntil(
      async () =>
        (JSON.parse((await visit('/api/events')).text) as { id: string; title: string }[]).some((e) => e.id === id && e.title === '캐시 세미나 (새 이름)'),
      'the list to show the new title',
      TTL_MS * 3,
    );
  });

  it('shows what an organizer changes through this process at once: publishing, a change, cancelling', async () => {
    const id = await draftEvent('게시 전 세미나');
    // A draft stays 404 for anonymous visitors, and out of the list (which is now cached).
    expect((await visit(`/events/${id}`)).status).toBe(404);
    expect((await visit(`/api/events/${id}`)).status).toBe(404);
    expect(await listedIds('/api/events')).not.toContain(id);
    expect(await listedIds('/api/events')).not.toContain(id);

    expect((await api.post(`/api/events/${id}/publish`)).status).toBe(200);
    expect(await listedIds('/api/events')).toContain(id);
    const published = await visit(`/events/${id}`);
    expect(published.status).toBe(200);
    expect((await visit(`/events/${id}`)).text).toBe(published.text);
    expect((await visit(`/api/events/${id}`)).status).toBe(200);

    const changed = await api.patch(`/api/events/${id}`, { title: '게시 후 바뀐 세미나', venue: '판교 세미나실 C' });
    expect(changed.status).toBe(200);
    const page = (await visit(`/events/${id}`)).text;
    expect(page).toContain('게시 후 바뀐 세미나');
    expect(page).toContain('판교 세미나실 C');
    expect(JSON.parse((await visit(`/api/events/${id}`)).text)).toMatchObject({ title: '게시 후 바뀐 세미나', venue: '판교 세미나실 C' });
    const listed = JSON.parse((await visit('/api/events')).text) as { id: string; title: string }[];
    expect(listed.find((event) => event.id === id)?.title).toBe('게시 후 바뀐 세미나');

    expect((await api.post(`/api/events/${id}/cancel`, { reason: '연사 사정' })).status).toBe(200);
    expect((await visit(`/events/${id}`)).text).toContain('이 행사는 취소되었습니다.');
    expect(JSON.parse((await visit(`/api/events/${id}`)).text)).toMatchObject({ status: 'cancelled' });
  });

  it('makes a page once for all the requests asking for it at the same time', async () => {
    const id = await publishedEvent('동시 요청 세미나');
    const reads = jest.spyOn(t.app.get(EventsService), 'get');
    try {
      const pages = await Promise.all(Array.from({ length: 20 }, () => visit(`/events/${id}`)));
      expect(new Set(pages.map((page) => `${page.status} ${page.text}`)).size).toBe(1);
      expect(pages[0].status).toBe(200);
      // The first request made it; the others waited for it (or came after and found it made).
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
  });

  it('keeps the pages cached through writes that were refused (a 4xx changes nothing)', async () => {
    const id = await publishedEvent('거절된 요청 세미나');
    await visit(`/events/${id}`);
    await t.db.query(`UPDATE events SET venue = '다른 곳' WHERE id = $1`, [id]);
    const refused = await client(t.url).post(`/api/events/${id}/registrations`, { email: 'not-an-address', name: '방문자' });
    expect(refused.status).toBe(400);
    expect((await visit(`/events/${id}`)).text).not.toContain('다른 곳');
  });

  it('reflects the registration window once the clock passes its close', async () => {
    const now = Date.now();
    const id = await publishedEvent('마감 세미나', {
      startsAt: new Date(now + 10 * 86_400_000).toISOString(),
      endsAt: new Date(now + 10 * 86_400_000 + 7_200_000).toISOString(),
      registrationClosesAt: new Date(now + 86_400_000).toISOString(),
    });
    const open = await visit(`/events/${id}`);
    expect(open.text).toContain(`action="/events/${id}/registrations"`);
    expect(open.text).not.toContain('마감되었습니다');
    expect((await visit(`/events/${id}`)).text).toBe(open.text);

    t.clock.advance(2 * 86_400_000);
    const closed = await visit(`/events/${id}`);
    expect(closed.text).toContain('마감되었습니다');
    expect(closed.text).not.toContain(`action="/events/${id}/registrations"`);
  });

  it('never gives a signed-in organizer the anonymous answer, nor the anonymous visitors the organizer’s', async () => {
    expect((await api.post('/api/organizers', { email: ORGANIZER, name: '캐시 담당', role: 'admin' })).status).toBe(201);
    const published = await publishedEvent('모두의 세미나');
    const draft = await draftEvent('초안 세미나');
    const organizer = await signedInConsole(t.url, t.mailbox, ORGANIZER);
    const withSession = async (path: string) => (JSON.parse((await organizer.get(path)).html) as { id: string }[]).map((event) => event.id);

    // Anonymous first: the list is cached without the draft; the session still sees it.
    expect(await listedIds('/api/events')).toEqual(expect.arrayContaining([published]));
    expect(await listedIds('/api/events')).not.toContain(draft);
    expect(await withSession('/api/events')).toEqual(expect.arrayContaining([published, draft]));
    // The session first on another address: what it saw is not kept for anyone.
    expect(await withSession('/api/events?limit=100')).toEqual(expect.arrayContaining([published, draft]));
    expect(await listedIds('/api/events?limit=100')).not.toContain(draft);
    expect(await listedIds('/api/events?limit=100')).toContain(published);
    // The same with an API token, on the event itself.
    expect((await api.get(`/api/events/${draft}`)).status).toBe(200);
    expect((await visit(`/api/events/${draft}`)).status).toBe(404);
    expect((await api.get(`/api/events/${draft}`)).body.approvals).toBeDefined();
    expect(JSON.parse((await visit(`/api/events/${published}`)).text).approvals).toBeUndefined();
    expect((await api.get(`/api/events/${published}`)).body.approvals).toBeDefined();
  });

  it('keeps each language its own: Accept-Language and ?lang choose, and a cached Korean page is never the English one', async () => {
    const id = await publishedEvent('언어별 세미나');
    const korean = await visit(`/events/${id}`, { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.8' });
    const english = await visit(`/events/${id}`, { 'accept-language': 'en-US,en;q=0.9' });
    expect(korean.text).toContain('<html lang="ko">');
    expect(english.text).toContain('<html lang="en">');
    for (let n = 0; n < 2; n++) {
      expect((await visit(`/events/${id}`, { 'accept-language': 'en-GB' })).text).toBe(english.text);
      expect((await visit(`/events/${id}`)).text).toBe(korean.text);
      expect((await visit(`/events/${id}?lang=en`, { 'accept-language': 'ko' })).text).toContain('<html lang="en">');
      expect((await visit('/events', { 'accept-language': 'en' })).text).toContain('<html lang="en">');
      expect((await visit('/events', { 'accept-language': 'ko' })).text).toContain('<html lang="ko">');
    }
  });
});

describe('public pages served from the page cache, under the rate limit', () => {
  const READS = 3;
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres', env: { RATE_LIMIT_PUBLIC_READS_PER_MINUTE: String(READS), RATE_LIMIT_PUBLIC_WRITES_PER_MINUTE: '20' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts every answer from memory against the address’s read limit and refuses the next with 429', async () => {
    const api = client(t.url, t.adminToken);
    const created = await api.post('/api/events', {
      title: '제한 세미나',
      type: 'seminar',
      startsAt: '2030-05-12T14:00:00+09:00',
      endsAt: '2030-05-12T16:00:00+09:00',
      hostClusters: ['ICT'],
    });
    expect((await api.post(`/api/events/${created.body.id}/publish`)).status).toBe(200);
    const from = (ip: string) => fetch(`${t.url}/events/${created.body.id}`, { headers: { 'x-forwarded-for': ip } });
    const bodies: string[] = [];
    for (let n = 1; n <= READS; n++) {
      const answer = await from('198.51.100.20');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-ratelimit-remaining')).toBe(String(READS - n));
      bodies.push(await answer.text());
    }
    expect(new Set(bodies).size).toBe(1);
    const over = await from('198.51.100.20');
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await over.text()).toContain('too many requests from your address');
    expect((await from('198.51.100.21')).status).toBe(200);
  });
});
