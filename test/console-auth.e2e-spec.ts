import { ConsoleClient, signInToken } from './support/console-client';
import { client } from './support/http';
import { waitUntil } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const ADMIN = 'federation@park.example';
const DC = 'dc-office@park.example';
const ICT = 'ict-office@park.example';
const STRANGER = 'nobody@elsewhere.example';

/** Issue 9: signing in to the console by an emailed link, sessions, CSRF, and who may open which page. */
describe('console sign-in, sessions and CSRF', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres', env: { ADMIN_EMAIL: ADMIN } });
    api = client(t.url, t.adminToken);
    expect((await api.post('/api/organizers', { email: DC, name: '박서연', role: 'cluster_organizer', clusters: ['DC'] })).status).toBe(201);
    expect((await api.post('/api/organizers', { email: ICT, role: 'cluster_organizer', clusters: ['ICT'] })).status).toBe(201);
    const event = (title: string, hostClusters: string[]) =>
      api.post('/api/events', {
        title,
        type: 'seminar',
        startsAt: '2027-03-10T14:00:00+09:00',
        endsAt: '2027-03-10T16:00:00+09:00',
        venue: '판교',
        hostClusters,
      });
    expect((await event('DC 콘텐츠 포럼', ['DC'])).status).toBe(201);
    expect((await event('ICT 단독 세미나', ['ICT'])).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Asks for a link as a browser would and returns the token from the mail that arrives. */
  async function mailedToken(browser: ConsoleClient, email: string): Promise<string> {
    const before = t.mailbox.to(email).length;
    await browser.get('/console/sign-in');
    const asked = await browser.post('/console/sign-in', { email });
    expect([asked.status, asked.location]).toEqual([303, '/console/sign-in/sent']);
    await t.mailbox.waitFor(() => t.mailbox.to(email).length > before, `sign-in mail to ${email}`);
    return signInToken(t.mailbox.to(email).at(-1)!.parsed.text);
  }

  async function signedIn(email: string): Promise<ConsoleClient> {
    const browser = new ConsoleClient(t.url);
    const token = await mailedToken(browser, email);
    await browser.get(`/console/sign-in/${token}`);
    const done = await browser.post(`/console/sign-in/${token}`);
    expect([done.status, done.location]).toEqual([303, '/console']);
    return browser;
  }

  let admin: ConsoleClient;
  let adminSessionCookie: string;

  it('sends the console to the sign-in page without a session; the page asks for an email, labelled', async () => {
    const browser = new ConsoleClient(t.url);
    const console = await browser.get('/console');
    expect([console.status, console.location]).toEqual([303, '/console/sign-in']);
    const form = await browser.get('/console/sign-in');
    expect(form.status).toBe(200);
    expect(form.html).toMatch(/<label for="sign-in-email">[^<]+<\/label>\s*<input id="sign-in-email" name="email" type="email"/);
    expect(form.html).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
  });

  it('mails a link to an organizer, nothing to a stranger, and answers both the same', async () => {
    const stranger = new ConsoleClient(t.url);
    await stranger.get('/console/sign-in');
    const strangerAsked = await stranger.post('/console/sign-in', { email: STRANGER });
    admin = new ConsoleClient(t.url);
    await admin.get('/console/sign-in');
    const adminAsked = await admin.post('/console/sign-in', { email: ADMIN.toUpperCase() });
    expect([strangerAsked.status, strangerAsked.location]).toEqual([adminAsked.status, adminAsked.location]);
    const [strangerPage, adminPage] = [await stranger.get('/console/sign-in/sent'), await admin.get('/console/sign-in/sent')];
    expect(strangerPage.status).toBe(200);
    expect(strangerPage.html.replace(/value="[^"]*"/g, '')).toBe(adminPage.html.replace(/value="[^"]*"/g, ''));

    await t.mailbox.waitFor(() => t.mailbox.to(ADMIN).length === 1, 'the admin sign-in mail');
    const mail = t.mailbox.to(ADMIN)[0];
    expect(mail.parsed.subject).toContain('로그인');
    expect(mail.parsed.html).toContain(`${t.url}/console/sign-in/`);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE lower(recipient) = $1`, [STRANGER])).rows[0].n).toBe(0);
    // A row is marked sent in a batch a moment after its mail went out (MAIL_SENT_BATCH_MS): wait for that.
    await waitUntil(async () => (await t.db.query(`SELECT 1 FROM outbox WHERE status = 'pending'`)).rowCount === 0, 'the sent rows to be marked');
    const rows = await t.db.query(`SELECT kind, event_id, status FROM outbox WHERE kind = 'sign_in'`);
    expect(rows.rows).toEqual([{ kind: 'sign_in', event_id: null, status: 'sent' }]);
    expect(t.mailbox.to(STRANGER)).toEqual([]);
  });

  it('shows the link page without changing anything, then signs in with the button: cookie flags, session, audit', async () => {
    const token = signInToken(t.mailbox.to(ADMIN)[0].parsed.text);
    for (let i = 0; i < 2; i++) {
      const page = await admin.get(`/console/sign-in/${token}`);
      expect(page.status).toBe(200);
      expect(page.html).toContain(`action="/console/sign-in/${token}"`);
    }
    expect((await t.db.query(`SELECT used_at FROM link_tokens WHERE purpose = 'sign_in'`)).rows).toEqual([{ used_at: null }]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM console_sessions`)).rows[0].n).toBe(0);

    const done = await admin.post(`/console/sign-in/${token}`);
    expect([done.status, done.location]).toEqual([303, '/console']);
    const cookie = done.setCookies.find((line) => line.startsWith('sh_session='))!;
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/; Secure/); // PUBLIC_URL is http here
    adminSessionCookie = admin.cookies.get('sh_session')!;
    const stored = await t.db.query(`SELECT token_hash FROM console_sessions`);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].token_hash).not.toContain(adminSessionCookie);

    const dashboard = await admin.get('/console');
    expect(dashboard.status).toBe(200);
    expect(dashboard.html).toContain(ADMIN);
    expect(dashboard.html).toContain('로그인했습니다'); // the flash of the sign-in
    expect(dashboard.html).toContain('DC 콘텐츠 포럼');
    expect(dashboard.html).toContain('ICT 단독 세미나');
    expect(dashboard.html).toContain('href="/console/audit"');
    expect((await admin.get('/console')).html).not.toContain('로그인했습니다'); // shown once
  });

  it('refuses a used link: one link, one session', async () => {
    const token = signInToken(t.mailbox.to(ADMIN)[0].parsed.text);
    const again = new ConsoleClient(t.url);
    const page = await again.get(`/console/sign-in/${token}`);
    expect(page.status).toBe(409);
    expect(page.html).toContain('이미 사용되었습니다');
    expect(page.html).toContain('href="/console/sign-in"');
    await again.get('/console/sign-in'); // a page with a form, for a valid CSRF token
    const post = await again.post(`/console/sign-in/${token}`);
    expect(post.status).toBe(409);
    expect(post.setCookies.some((line) => line.startsWith('sh_session='))).toBe(false);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM console_sessions`)).rows[0].n).toBe(1);
  });

  it('refuses an expired link and an unknown one, with a way to ask again', async () => {
    const browser = new ConsoleClient(t.url);
    const token = await mailedToken(browser, ICT);
    await t.db.query(`UPDATE link_tokens SET expires_at = now() - interval '1 second' WHERE purpose = 'sign_in' AND email = $1`, [ICT]);
    const page = await browser.get(`/console/sign-in/${token}`);
    expect(page.status).toBe(410);
    expect(page.html).toContain('만료');
    expect((await browser.post(`/console/sign-in/${token}`)).status).toBe(410);
    expect((await browser.get(`/console/sign-in/${'x'.repeat(43)}`)).status).toBe(404);
    expect(browser.cookies.has('sh_session')).toBe(false);
  });

  it('refuses a form POST without its CSRF token, or with another one, with a page and no change', async () => {
    const organizers = async () => (await t.db.query(`SELECT count(*)::int AS n FROM organizers`)).rows[0].n as number;
    const before = await organizers();
    await admin.get('/console/organizers');
    const fields = { email: 'sneaky@park.example', role: 'admin' };
    const without = await admin.post('/console/organizers', fields, null);
    expect(without.status).toBe(403);
    expect(without.html).toMatch(/^<!doctype html>/);
    expect(without.html).toContain('양식');
    const wrong = await admin.post('/console/organizers', fields, `${'0'.repeat(64)}.${'1'.repeat(64)}`);
    expect(wrong.status).toBe(403);
    // Another browser's valid token does not pass with this browser's cookie.
    const other = new ConsoleClient(t.url);
    await other.get('/console/sign-in');
    expect((await admin.post('/console/organizers', fields, other.lastCsrf)).status).toBe(403);
    expect((await admin.post('/console/sign-out', {}, null)).status).toBe(403);
    expect(await organizers()).toBe(before);
    // The same form with its token goes through.
    await admin.get('/console/organizers');
    const ok = await admin.post('/console/organizers', { email: 'green-office@park.example', role: 'cluster_organizer', clusters: ['GREEN_IT'] });
    expect([ok.status, ok.location]).toEqual([303, '/console/organizers']);
    expect(await organizers()).toBe(before + 1);
  });

  it('lets the session cookie change things through /api only with the custom header a cross-site form cannot send', async () => {
    const cookie = [...admin.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const tokens = async () => (await t.db.query(`SELECT count(*)::int AS n FROM api_tokens`)).rows[0].n as number;
    const before = await tokens();
    const send = (headers: Record<string, string>) =>
      fetch(`${t.url}/api/tokens`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name: 'from a page' }),
      });
    const bare = await send({});
    expect(bare.status).toBe(403);
    expect(await bare.text()).toContain('X-Requested-With');
    expect(await tokens()).toBe(before);
    expect((await send({ 'x-requested-with': 'fetch' })).status).toBe(201);
    expect(await tokens()).toBe(before + 1);
    // Reading needs no header.
    expect((await fetch(`${t.url}/api/events`, { headers: { cookie } })).status).toBe(200);
  });

  it('keeps a cluster organizer to their own events and out of the admin pages', async () => {
    const dc = await signedIn(DC);
    const dashboard = await dc.get('/console');
    expect(dashboard.html).toContain('DC 콘텐츠 포럼');
    expect(dashboard.html).not.toContain('ICT 단독 세미나');
    expect(dashboard.html).not.toContain('href="/console/organizers"');
    for (const path of ['/console/organizers', '/console/audit']) {
      const page = await dc.get(path);
      expect({ path, status: page.status }).toEqual({ path, status: 403 });
      expect(page.html).toContain('연합 관리자만');
    }
    await dc.get('/console/tokens');
    expect((await dc.post('/console/organizers', { email: 'x@park.example', role: 'admin' })).status).toBe(403);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM organizers WHERE email = 'x@park.example'`)).rows[0].n).toBe(0);
  });

  it('shows the audit log to the admin, with sign-ins and their IP', async () => {
    const page = await admin.get('/console/audit?action=sign_in');
    expect(page.status).toBe(200);
    expect(page.html).toContain(ADMIN);
    expect(page.html).toContain(DC);
    expect(page.html).toContain('<code>sign_in</code>');
    expect(page.html).not.toContain('<code>organizer.create</code>');
    expect((await admin.get('/console/audit?from=yesterday')).status).toBe(400);
  });

  it('signs out: the session ends, the old cookie leads to the sign-in page again, and the audit log says so', async () => {
    await admin.get('/console');
    const out = await admin.post('/console/sign-out');
    expect([out.status, out.location]).toEqual([303, '/console/sign-in']);
    expect(out.setCookies.some((line) => /^sh_session=;/.test(line))).toBe(true);
    const replay = new ConsoleClient(t.url);
    replay.cookies.set('sh_session', adminSessionCookie);
    const console = await replay.get('/console');
    expect([console.status, console.location]).toEqual([303, '/console/sign-in']);
    expect(
      (await t.db.query(`SELECT revoked_at FROM console_sessions s JOIN organizers o ON o.id = s.organizer_id WHERE o.email = $1`, [ADMIN])).rows[0].revoked_at,
    ).not.toBeNull();

    await waitUntil(async () => (await api.get('/api/audit-log?action=sign_out')).body.length === 1, 'the sign_out record');
    const log = (await api.get(`/api/audit-log?actor=${encodeURIComponent(ADMIN)}`)).body as { action: string; ip: string | null }[];
    expect(log.map((entry) => entry.action).filter((action) => action.startsWith('sign'))).toEqual(['sign_out', 'sign_in']);
    expect(log.every((entry) => typeof entry.ip === 'string' && entry.ip.length > 0)).toBe(true);
  });
});
