import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client } from './support/http';
import { waitUntil } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 7: the local outbox holds everyone's personal links, so only an organizer reads it; the
 * headers a serious platform sends; the Authorization scheme in any case; 415 for a body of the
 * wrong type.
 */
describe('hardening: the file outbox, security headers, credentials and content types', () => {
  let t: TestApp;
  let dataDir: string;
  let api: ReturnType<typeof client>;
  let eventId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'seminarhub-hardening-'));
    // No SMTP_URL: mail goes to .eml files, as on a new machine.
    t = await startTestApp({ queue: 'postgres', env: { SMTP_URL: '', DATA_DIR: dataDir } });
    api = client(t.url, t.adminToken);
    const member = await api.post('/api/members', { email: 'reader@outbox.example', name: 'Reader', company: 'Outbox Co', clusterCode: 'ICT', locale: 'en' });
    const event = await api.post('/api/events', {
      title: 'Hardening drill',
      type: 'seminar',
      startsAt: '2027-10-05T10:00:00+09:00',
      endsAt: '2027-10-05T12:00:00+09:00',
      hostClusters: ['ICT'],
    });
    eventId = event.body.id;
    await api.post(`/api/events/${eventId}/publish`);
    expect((await api.post(`/api/events/${eventId}/invitations`, { memberIds: [member.body.id] })).body).toEqual({ queued: 1 });
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const outboxDir = () => join(dataDir, 'outbox');
  const emlFiles = async () => (await readdir(outboxDir()).catch(() => [] as string[])).filter((name) => name.endsWith('.eml'));

  it('writes the mail readable by its owner only, and shows the outbox to organizers only', async () => {
    await waitUntil(async () => (await emlFiles()).length === 1, 'the invitation as an .eml file');
    const [file] = await emlFiles();
    expect((await stat(outboxDir())).mode & 0o777).toBe(0o700);
    expect((await stat(join(outboxDir(), file))).mode & 0o777).toBe(0o600);

    for (const path of ['/dev/outbox', `/dev/outbox/${encodeURIComponent(file)}`]) {
      const anonymous = await fetch(`${t.url}${path}`);
      expect({ path, status: anonymous.status }).toEqual({ path, status: 401 });
      // A browser asks for the token itself on this challenge.
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="/);
      expect(await anonymous.text()).not.toContain('/r/');
      const wrong = await fetch(`${t.url}${path}`, { headers: { authorization: `Basic ${Buffer.from('organizer:not-the-token').toString('base64')}` } });
      expect(wrong.status).toBe(401);
    }
    const list = await fetch(`${t.url}/dev/outbox`, { headers: { authorization: `bearer ${t.adminToken}` } });
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('no-store');
    expect(await list.text()).toContain(file);
    const basic = `Basic ${Buffer.from(`anyone:${t.adminToken}`).toString('base64')}`;
    const mail = await fetch(`${t.url}/dev/outbox/${encodeURIComponent(file)}`, { headers: { authorization: basic } });
    expect(mail.status).toBe(200);
    expect(await mail.text()).toMatch(/\/r\/[A-Za-z0-9_-]{43}/);
  });

  it('takes the Authorization scheme in any case (RFC 9110 §11.1), and nothing but the token', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const answer = await fetch(`${t.url}/api/members`, { headers: { authorization: `${scheme} ${t.adminToken}` } });
      expect({ scheme, status: answer.status }).toEqual({ scheme, status: 200 });
    }
    for (const header of [`Bearer${t.adminToken}`, `Token ${t.adminToken}`, `Bearer ${t.adminToken} extra`, `Bearer ${t.adminToken.slice(1)}`, 'Bearer ']) {
      const answer = await fetch(`${t.url}/api/members`, { headers: { authorization: header } });
      expect({ header, status: answer.status }).toEqual({ header, status: 401 });
    }
  });

  it('sends security headers on every page, a CSP the pages satisfy with no inline script or style, and no-store behind personal links', async () => {
    const file = (await emlFiles())[0];
    const raw = (
      await (await fetch(`${t.url}/dev/outbox/${encodeURIComponent(file)}`, { headers: { authorization: `Bearer ${t.adminToken}` } })).text()
    ).replace(/=\r?\n/g, '');
    const link = /\/r\/[A-Za-z0-9_-]{43}/.exec(raw)![0];
    const pages = ['/events', `/events/${eventId}`, link, `/console/events/${eventId}/door`, '/events/not-an-event'];
    for (const path of pages) {
      const answer = await fetch(`${t.url}${path}`, { headers: { accept: 'text/html' } });
      const csp = answer.headers.get('content-security-policy') ?? '';
      expect({ path, csp }).toEqual({ path, csp: expect.stringContaining("script-src 'self'") });
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await answer.text();
      // Every script is a file or a JSON data block; no style element or attribute.
      for (const tag of html.match(/<script\b[^>]*>/g) ?? [])
        expect({ path, tag }).toEqual({ path, tag: expect.stringMatching(/ src="\/assets\/|type="application\/json"/) });
      expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    }
    const personal = await fetch(`${t.url}${link}`);
    expect(personal.headers.get('cache-control')).toBe('no-store');
    const css = await fetch(`${t.url}/assets/site.css`);
    expect([css.status, css.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
    expect((await fetch(`${t.url}/assets/door.js`)).headers.get('content-type')).toMatch(/javascript/);
    const traversal = await fetch(`${t.url}/assets/..%2f..%2fpackage.json`);
    expect([403, 404]).toContain(traversal.status);
    expect(await traversal.text()).not.toContain('"dependencies"');
    expect((await fetch(`${t.url}/assets/nothing-here.js`)).status).toBe(404);
  });

  it('answers 415 naming the expected type when a JSON route is sent text, XML or a form, and writes nothing', async () => {
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM events`)).rows[0].n;
    const body = JSON.stringify({
      title: 'Wrong type',
      type: 'seminar',
      startsAt: '2027-10-06T10:00:00+09:00',
      endsAt: '2027-10-06T11:00:00+09:00',
      hostClusters: ['ICT'],
    });
    for (const contentType of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await api.post('/api/events', contentType.startsWith('application/xml') ? '<event><title>x</title></event>' : body, { contentType });
      expect({ contentType, status: answer.status }).toEqual({ contentType, status: 415 });
      expect(answer.body).toEqual({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: [`Content-Type must be application/json (got ${contentType})`],
      });
    }
    expect(
      (await api.post(`/api/events/${eventId}/registrations`, 'email=a@b.example&name=A', { contentType: 'application/x-www-form-urlencoded' })).status,
    ).toBe(415);
    expect((await api.post('/api/members/import', JSON.stringify([{ email: 'x@y.example' }]))).status).toBe(415);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM events`)).rows[0].n).toBe(before);
    // JSON with a charset or a +json type is JSON; a body-less POST needs no type.
    expect((await api.post('/api/events', body, { contentType: 'application/json; charset=utf-8' })).status).toBe(201);
    const bare = await fetch(`${t.url}/api/events/${eventId}/publish`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(bare.status).toBe(200);
  });
});
