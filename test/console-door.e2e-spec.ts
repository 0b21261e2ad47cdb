import { ConsoleClient, signedInConsole } from './support/console-client';
import { client } from './support/http';
import { personalLink, pressLink } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const ADMIN = 'federation@park.example';
const DC = 'dc-office@park.example';
const ICT = 'ict-office@park.example';

/**
 * Issue 9, 출석 체크 (CONSOLE.md flow 5): an organizer makes a door link for one event; door staff
 * sign in from it and may only check people in at that event; a revoked link is refused.
 */
describe('console door page and door staff', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let dc: ConsoleClient;
  let eventId: string;
  let otherEventId: string;
  let ictEventId: string;
  let code: string;

  /** Makes a door link on the door page as the organizer and returns its path, read from the page that shows it once. */
  async function makeLink(organizer: ConsoleClient, event: string, label: string): Promise<string> {
    await organizer.get(`/console/events/${event}/door`);
    const made = await organizer.post(`/console/events/${event}/door/links`, { label });
    expect([made.status, made.location]).toEqual([303, `/console/events/${event}/door`]);
    const page = await organizer.get(`/console/events/${event}/door`);
    const link = /id="door-fresh-link"[^>]*value="([^"]+)"/.exec(page.html)?.[1];
    expect(link).toMatch(new RegExp(`^${t.url}/console/door/[A-Za-z0-9_-]{43}$`));
    // Shown once: the next visit no longer has it.
    expect((await organizer.get(`/console/events/${event}/door`)).html).not.toContain('id="door-fresh-link"');
    return link!.slice(t.url.length);
  }

  async function doorStaff(linkPath: string): Promise<ConsoleClient> {
    const phone = new ConsoleClient(t.url);
    const button = await phone.get(linkPath);
    expect(button.status).toBe(200);
    expect(button.html).toContain(`action="${linkPath}"`);
    expect(phone.cookies.has('sh_door')).toBe(false);
    const signedIn = await phone.post(linkPath);
    expect([signedIn.status, signedIn.location]).toEqual([303, `/console/events/${eventId}/door`]);
    expect(signedIn.setCookies.find((line) => line.startsWith('sh_door='))).toMatch(/HttpOnly/i);
    return phone;
  }

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres', env: { ADMIN_EMAIL: ADMIN } });
    api = client(t.url, t.adminToken);
    expect((await api.post('/api/organizers', { email: DC, role: 'cluster_organizer', clusters: ['DC'] })).status).toBe(201);
    expect((await api.post('/api/organizers', { email: ICT, role: 'cluster_organizer', clusters: ['ICT'] })).status).toBe(201);
    expect((await api.post('/api/members', { email: 'minji@pixel.example', name: '김민지', company: '픽셀웍스', clusterCode: 'DC' })).status).toBe(201);
    const event = (title: string, hostClusters: string[]) =>
      api.post('/api/events', {
        title,
        type: 'seminar',
        startsAt: '2027-03-10T14:00:00+09:00',
        endsAt: '2027-03-10T16:00:00+09:00',
        venue: '판교',
        hostClusters,
        audienceClusters: ['DC'],
      });
    [eventId, otherEventId, ictEventId] = (
      await Promise.all([event('DC 콘텐츠 포럼', ['DC']), event('DC 다른 행사', ['DC']), event('ICT 세미나', ['ICT'])])
    ).map((answer) => answer.body.id as string);
    for (const id of [eventId, otherEventId, ictEventId]) expect((await api.post(`/api/events/${id}/publish`)).status).toBe(200);
    expect((await api.post(`/api/events/${eventId}/invitations`, {})).body).toEqual({ queued: 1 });
    await t.mailbox.waitFor(() => t.mailbox.to('minji@pixel.example').length === 1, 'the invitation');
    expect((await pressLink(personalLink(t.mailbox.to('minji@pixel.example')[0], t.url))).status).toBe(200);
    await t.mailbox.waitFor(() => t.mailbox.to('minji@pixel.example').length === 2, 'the confirmation');
    code = /([0-9A-Z]{4}-[0-9A-Z]{4})/.exec(t.mailbox.to('minji@pixel.example')[1].parsed.text ?? '')![1];
    dc = await signedInConsole(t.url, t.mailbox, DC);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends a browser without a session to sign in, and refuses an organizer of other clusters', async () => {
    const nobody = await new ConsoleClient(t.url).get(`/console/events/${eventId}/door`);
    expect([nobody.status, nobody.location]).toEqual([303, '/console/sign-in']);
    const ict = await signedInConsole(t.url, t.mailbox, ICT);
    expect((await ict.get(`/console/events/${eventId}/door`)).status).toBe(403);
    expect((await ict.post(`/console/events/${eventId}/door/links`, { label: '남의 행사' })).status).toBe(403);
  });

  let linkPath: string;
  let phone: ConsoleClient;

  it('lets door staff sign in from a link the organizer made, and check a person in once: the second time is 이미 입장', async () => {
    linkPath = await makeLink(dc, eventId, '접수 데스크 이하늘');
    phone = await doorStaff(linkPath);
    const door = await phone.get(`/console/events/${eventId}/door`);
    expect(door.status).toBe(200);
    expect(door.html).toContain('DC 콘텐츠 포럼');
    expect(door.html).toMatch(/<label for="door-code">[^<]+<\/label>/);
    // Door staff see no door links and no console menu.
    expect(door.html).not.toContain('door-link-label');
    expect(door.html).not.toContain('console-nav');

    const first = await phone.post(`/console/events/${eventId}/door`, { code: code.toLowerCase().replace('-', ' ') });
    expect([first.status, first.location]).toEqual([303, `/console/events/${eventId}/door`]);
    const shown = await phone.get(first.location!);
    expect(shown.html).toMatch(/class="notice success"[^>]*><p>✓ 입장 확인: 김민지 · 픽셀웍스 · 디지털콘텐츠 미니클러스터 \([^)]*\d:\d\d\)<\/p>/);
    await phone.post(`/console/events/${eventId}/door`, { code });
    const again = await phone.get(`/console/events/${eventId}/door`);
    expect(again.html).toMatch(/class="notice error"[^>]*><p>이미 입장: 김민지 · 픽셀웍스 · 디지털콘텐츠 미니클러스터 — [^<]*\d:\d\d에 입장했습니다\./);
    // A form without its CSRF token (another site posting into the door session) changes nothing.
    expect((await phone.post(`/console/events/${eventId}/door`, { code }, null)).status).toBe(403);
    await phone.post(`/console/events/${eventId}/door`, { code: 'ZZZZ-ZZZZ' });
    expect((await phone.get(`/console/events/${eventId}/door`)).html).toContain('이 행사의 입장 코드가 아닙니다: ZZZZ-ZZZZ');

    const audit = await t.db.query(`SELECT actor, action FROM audit_log WHERE action LIKE 'door.%' ORDER BY id`);
    expect(audit.rows).toEqual([
      { actor: DC, action: 'door.link_create' },
      { actor: 'door:접수 데스크 이하늘', action: 'door.check_in' },
    ]);
  });

  it('refuses door staff everything else: another event, the console, the organizer API, door links', async () => {
    expect((await phone.get(`/console/events/${otherEventId}/door`)).status).toBe(403);
    expect((await phone.post(`/console/events/${otherEventId}/door`, { code })).status).toBe(403);
    const consolePage = await phone.get('/console');
    expect(consolePage.status).toBe(403);
    expect(consolePage.html).toContain('출석 체크 담당자는 담당 행사의 출석 체크만 할 수 있습니다.');
    expect((await phone.get('/console/members')).status).toBe(403);
    expect((await phone.post(`/console/events/${eventId}/door/links`, { label: '몰래' })).status).toBe(403);
    const cookie = [...phone.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    for (const [method, path] of [
      ['GET', '/api/members'],
      ['GET', `/api/events/${eventId}/registrations`],
      ['POST', `/api/events/${eventId}/check-ins`],
      ['GET', '/api/audit-log'],
    ]) {
      const answer = await fetch(`${t.url}${path}`, {
        method,
        headers: { cookie, 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : undefined,
      });
      expect({ path, status: answer.status }).toEqual({ path, status: 403 });
    }
  });

  it('lets the organizer check people in from their own session too, and revoke the link: the link and its sessions are refused', async () => {
    const own = await dc.post(`/console/events/${eventId}/door`, { code });
    expect(own.status).toBe(303);
    expect((await dc.get(`/console/events/${eventId}/door`)).html).toContain('이미 입장: 김민지');

    const page = await dc.get(`/console/events/${eventId}/door`);
    expect(page.html).toContain('접수 데스크 이하늘');
    const revokeAction = /action="(\/console\/events\/[^"]+\/door\/links\/[0-9a-f-]{36}\/revoke)"/.exec(page.html)?.[1];
    expect(revokeAction).toBeDefined();
    expect((await dc.post(revokeAction!)).status).toBe(303);
    expect((await dc.get(`/console/events/${eventId}/door`)).html).toContain('폐기됨');

    const refused = await phone.get(`/console/events/${eventId}/door`);
    expect([refused.status, refused.location]).toEqual([303, '/console/sign-in']);
    const reopened = await new ConsoleClient(t.url).get(linkPath);
    expect(reopened.status).toBe(410);
    expect(reopened.html).toContain('폐기');
    const unknown = await new ConsoleClient(t.url).get(`/console/door/${'x'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    const audit = await t.db.query(`SELECT action FROM audit_log WHERE action = 'door.link_revoke'`);
    expect(audit.rowCount).toBe(1);
  });

  it('keeps what was typed and says why next to the field when the name of a link is missing', async () => {
    await dc.get(`/console/events/${eventId}/door`);
    const bad = await dc.post(`/console/events/${eventId}/door/links`, { label: '   ' });
    expect(bad.status).toBe(400);
    expect(bad.html).toMatch(/<p class="field-error" id="door-link-label-error">[^<]+<\/p>/);
  });

  it('ends door links and their sessions when the event ends', async () => {
    const late = await makeLink(dc, eventId, '늦은 근무자');
    const latePhone = await doorStaff(late);
    expect((await latePhone.get(`/console/events/${eventId}/door`)).status).toBe(200);
    // Past the event's end (2027-03-10 16:00 KST).
    t.clock.advance(Date.parse('2027-03-10T07:00:01Z') - t.clock.now().getTime());
    const after = await latePhone.get(`/console/events/${eventId}/door`);
    expect([after.status, after.location]).toEqual([303, '/console/sign-in']);
    const expired = await new ConsoleClient(t.url).get(late);
    expect(expired.status).toBe(410);
    expect(expired.html).toContain('만료');
    await dc.get(`/console/events/${eventId}/door`);
    expect((await dc.post(`/console/events/${eventId}/door/links`, { label: '너무 늦음' })).status).toBe(409);
  });
});
