import { randomUUID } from 'node:crypto';
import { LinkTokensService } from '../src/link-tokens/link-tokens.service';
import { client } from './support/http';
import { waitUntil } from './support/mailbox';
import { queueBackends, startTestApp, TestApp } from './support/test-app';

/**
 * Issue 3 (abuse): public endpoints are rate-limited per client IP; organizers are not. Small limits
 * (5 writes, 8 reads a minute) so the test stays short. Each part speaks as its own client through
 * X-Forwarded-For, which the app trusts from loopback only (bootstrap.ts: trust proxy loopback).
 * With the Redis backend (REDIS_URL set) the hits are counted in Redis, otherwise in memory.
 */
describe.each(queueBackends())(
  'rate limits on the public endpoints (%s queue backend; hits counted in Redis with the Redis backend, else in memory)',
  (queue) => {
    let t: TestApp;
    let eventId: string;
    const WRITES = 5;
    const READS = 8;
    const registrant = (n: number) => ({ email: `visitor${n}@limits.example`, name: `방문자 ${n}` });

    beforeAll(async () => {
      t = await startTestApp({
        queue,
        env: { RATE_LIMIT_PUBLIC_WRITES_PER_MINUTE: String(WRITES), RATE_LIMIT_PUBLIC_READS_PER_MINUTE: String(READS) },
      });
      const api = client(t.url, t.adminToken);
      const created = await api.post('/api/events', {
        title: '요청 제한 테스트',
        type: 'seminar',
        startsAt: '2030-03-10T14:00:00+09:00',
        endsAt: '2030-03-10T16:00:00+09:00',
        hostClusters: ['ICT'],
      });
      eventId = created.body.id;
      expect((await api.post(`/api/events/${eventId}/publish`)).status).toBe(200);
    });
    afterAll(async () => {
      await t?.close();
    });

    /** A request from the client at `ip`, optionally with a bearer token. */
    const from = (ip: string, method: string, path: string, init: RequestInit = {}) => fromAddress(t, ip, method, path, init);

    async function registrations(): Promise<number> {
      const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM registrations`);
      return rows[0].n;
    }

    it(`lets ${WRITES} registrations a minute from one address through, answers the next with 429 and Retry-After, and writes nothing for it`, async () => {
      const ip = '198.51.100.1';
      for (let n = 1; n <= WRITES; n++) {
        const answer = await from(ip, 'POST', `/api/events/${eventId}/registrations`, { json: registrant(n) });
        expect(answer.status).toBe(202);
        expect(answer.headers.get('x-ratelimit-limit')).toBe(String(WRITES));
        expect(answer.headers.get('x-ratelimit-remaining')).toBe(String(WRITES - n));
      }
      const sixth = await from(ip, 'POST', `/api/events/${eventId}/registrations`, { json: registrant(6) });
      expect(sixth.status).toBe(429);
      expect(sixth.headers.get('content-type')).toMatch(/^application\/json/);
      expect(sixth.json()).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: [expect.stringMatching(/^too many requests from your address \(at most 5 a minute\); try again in \d+ seconds$/)],
      });
      const retryAfter = Number(sixth.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await registrations()).toBe(WRITES);
    });

    it('counts the public writes together: the HTML form is limited for that address too, the emailed links are not', async () => {
      const ip = '198.51.100.1';
      expect((await from(ip, 'POST', `/events/${eventId}/registrations`, { form: registrant(7) })).status).toBe(429);
      // Colleagues behind the same address still open their own links: a link that is not known is a 404, not a 429.
      expect((await from(ip, 'GET', `/r/${'A'.repeat(43)}`)).status).toBe(404);
      expect(await registrations()).toBe(WRITES);
    });

    it('does not limit another address, and blocks link guessing: after the write limit of unknown tokens, every link answers 429', async () => {
      const other = '198.51.100.2';
      expect((await from(other, 'POST', `/events/${eventId}/registrations`, { form: registrant(8) })).status).toBe(202);
      const invited = await client(t.url, t.adminToken).post('/api/members', {
        email: 'holder@links.example',
        name: 'Holder',
        company: 'Links',
        clusterCode: 'ICT',
      });
      const valid = await t.app.get(LinkTokensService).mint(randomUUID(), 'accept_invitation', { eventId, memberId: invited.body.id });
      for (let n = 1; n <= WRITES; n++) expect((await from(other, n % 2 ? 'GET' : 'POST', `/r/guess${n}`)).status).toBe(404);
      await waitUntil(async () => (await from(other, 'GET', '/r/guess-too-many')).status === 429, 'the guessing address to be blocked', 5000);
      const blocked = await from(other, 'GET', '/r/guess-too-many');
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
      // A blocked guesser learns nothing: a valid token answers the same 429.
      expect((await from(other, 'GET', `/r/${valid}`)).status).toBe(429);
      // A person on the link page sees a page saying so, not JSON.
      const page = await fetch(`${t.url}/r/${valid}`, { headers: { 'x-forwarded-for': other, accept: 'text/html' } });
      expect([page.status, page.headers.get('content-type')]).toEqual([429, 'text/html; charset=utf-8']);
      expect(await page.text()).toContain('too many requests from your address');
      // Another address holding the valid link is not affected.
      expect((await from('198.51.100.9', 'GET', `/r/${valid}`)).status).toBe(200);
    });

    it('never limits an organizer with a valid token, but does limit a wrong token', async () => {
      const ip = '198.51.100.1'; // already over its write limit
      for (let n = 0; n < WRITES * 3; n++) {
        expect((await from(ip, 'GET', '/api/members', { token: t.adminToken })).status).toBe(200);
      }
      // A public endpoint, called by an organizer from the limited address.
      const organizer = await from(ip, 'POST', `/api/events/${eventId}/registrations`, { json: registrant(9), token: t.adminToken });
      expect(organizer.status).toBe(202);
      expect(organizer.headers.get('x-ratelimit-limit')).toBeNull();
      const wrong = await from(ip, 'POST', `/api/events/${eventId}/registrations`, { json: registrant(10), token: 'not-the-admin-token-but-long-enough' });
      expect(wrong.status).toBe(429);
      // Guessing the organizer token is a write like any other.
      expect((await from(ip, 'POST', '/api/members', { json: {}, token: 'another-wrong-token-0123456789' })).status).toBe(429);
    });

    it(`limits the public reads more loosely (${READS} a minute here), apart from the writes; /health is never limited`, async () => {
      const ip = '198.51.100.3';
      const paths = [
        '/api/events',
        `/api/events/${eventId}`,
        `/events/${eventId}`,
        '/events',
        `/api/events/${eventId}/calendar.ics`,
        '/api/clusters/ICT/calendar.ics',
        '/api/clusters',
        '/api/events',
      ];
      for (const path of paths) expect({ path, status: (await from(ip, 'GET', path)).status }).toEqual({ path, status: 200 });
      const over = await from(ip, 'GET', '/api/events');
      expect(over.status).toBe(429);
      expect(over.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
      // Reads spent, writes still there.
      expect((await from(ip, 'POST', `/api/events/${eventId}/registrations`, { json: registrant(11) })).status).toBe(202);
      expect((await from(ip, 'GET', '/api/events', { token: t.adminToken })).status).toBe(200);
      for (let n = 0; n < READS * 2; n++) expect((await from(ip, 'GET', '/health')).status).toBe(200);
    });
  },
);

/** Issue 7: with the default limits (20 writes, 300 reads a minute), one office address is forty people, not one attacker. */
describe.each(queueBackends())('emailed links behind one office address (%s queue backend)', (queue) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ queue, env: { RATE_LIMIT_PUBLIC_WRITES_PER_MINUTE: '20', RATE_LIMIT_PUBLIC_READS_PER_MINUTE: '300' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function publishedEvent(api: ReturnType<typeof client>): Promise<string> {
    const created = await api.post('/api/events', {
      title: '사무소 단체 참석',
      type: 'seminar',
      startsAt: '2030-04-10T14:00:00+09:00',
      endsAt: '2030-04-10T16:00:00+09:00',
      hostClusters: ['ICT'],
    });
    expect((await api.post(`/api/events/${created.body.id}/publish`)).status).toBe(200);
    return created.body.id;
  }

  it('lets forty colleagues behind one office address answer their invitations in the same minute (default limits)', async () => {
    const office = '203.0.113.40';
    const api = client(t.url, t.adminToken);
    const eventId = await publishedEvent(api);
    const csv = ['email,name,company,cluster,locale', ...Array.from({ length: 40 }, (_, i) => `staff${i}@office40.example,직원${i},사무소,ICT,ko`)].join('\n');
    expect((await api.post('/api/members/import', csv, { contentType: 'text/csv' })).body).toMatchObject({ created: 40 });
    const members = (await t.db.query(`SELECT id FROM members WHERE email LIKE '%@office40.example'`)).rows as { id: string }[];
    // The links their invitations carry, minted as the mail worker does.
    const tokens = t.app.get(LinkTokensService);
    const links = await Promise.all(members.map((member) => tokens.mint(randomUUID(), 'accept_invitation', { eventId, memberId: member.id })));
    const answers = await Promise.all(
      links.map(async (token) => {
        const page = await fromAddress(t, office, 'GET', `/r/${token}`);
        const done = await fromAddress(t, office, 'POST', `/r/${token}`, { form: { consent_version: 'x', consent_collection: 'yes' } });
        return [page.status, page.text.includes('<form'), done.status];
      }),
    );
    expect(answers.filter(([page, form, done]) => page !== 200 || !form || done !== 200)).toEqual([]);
    const confirmed = await t.db.query(`SELECT count(*)::int AS n FROM registrations WHERE email LIKE '%@office40.example' AND status = 'confirmed'`);
    expect(confirmed.rows[0].n).toBe(40);
  });
});

type RequestInit = { json?: unknown; form?: Record<string, string>; token?: string };

/** A request to the app `t` from the client at `ip` (X-Forwarded-For, trusted from loopback), optionally with a bearer token. */
async function fromAddress(t: TestApp, ip: string, method: string, path: string, init: RequestInit = {}) {
  const headers: Record<string, string> = { 'x-forwarded-for': ip };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const response = await fetch(`${t.url}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}
