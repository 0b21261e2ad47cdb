import { ConsoleClient, signedInConsole } from './support/console-client';
import { client } from './support/http';
import { waitUntil } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const ADMIN = 'federation@park.example';
const ICT_OFFICE = 'ict-office@park.example';
const DC_OFFICE = 'dc-office@park.example';
const TITLE = 'AI × 콘텐츠 융합 세미나';

/** Issue 9, CONSOLE.md flow 3: choosing the audience, the counts, the preview, sending, the progress. */
describe('console: sending invitations', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let ict: ConsoleClient;
  let eventId: string;
  let sigId: string;
  const member: Record<string, string> = {};

  /** The figure shown under one id on the page. */
  const figure = (html: string, id: string) => Number(new RegExp(`id="${id}">(\\d+)<`).exec(html)?.[1]);

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres', env: { ADMIN_EMAIL: ADMIN } });
    api = client(t.url, t.adminToken);
    expect((await api.post('/api/organizers', { email: ICT_OFFICE, role: 'cluster_organizer', clusters: ['ICT'] })).status).toBe(201);
    expect((await api.post('/api/organizers', { email: DC_OFFICE, role: 'cluster_organizer', clusters: ['DC'] })).status).toBe(201);
    // ICT: two who will be invited (ko, en), one registered, one unsubscribed, one bounced; DC: one invited before;
    // GREEN_IT: one reached only through a SIG.
    for (const [key, email, clusterCode, locale, company] of [
      ['kim', 'kim@hanbit.example', 'ICT', 'ko', '한빛소프트'],
      ['smith', 'smith@hanbit.example', 'ICT', 'en', '한빛소프트'],
      ['lee', 'lee@hanbit.example', 'ICT', 'ko', '한빛소프트'],
      ['park', 'park@hanbit.example', 'ICT', 'ko', '한빛소프트'],
      ['choi', 'choi@hanbit.example', 'ICT', 'ko', '한빛소프트'],
      ['jung', 'jung@pixel.example', 'DC', 'ko', '픽셀웍스'],
      ['han', 'han@green.example', 'GREEN_IT', 'ko', '그린에너지'],
    ]) {
      const created = await api.post('/api/members', { email, name: key, company, clusterCode, locale });
      expect(created.status).toBe(201);
      member[key] = created.body.id as string;
    }
    const companies = (await api.get('/api/companies?cluster=GREEN_IT')).body as { id: string; name: string }[];
    const sig = await api.post('/api/sigs', { name: '탄소중립 SIG', clusters: ['GREEN_IT', 'ICT'] });
    sigId = sig.body.id as string;
    expect((await api.post(`/api/sigs/${sigId}/companies`, { companyIds: companies.map((company) => company.id) })).status).toBe(200);

    const event = await api.post('/api/events', {
      title: TITLE,
      type: 'seminar',
      startsAt: '2027-03-10T14:00:00+09:00',
      endsAt: '2027-03-10T16:00:00+09:00',
      venue: '판교 세미나실 A',
      hostClusters: ['ICT'],
      audienceClusters: ['ICT', 'DC'],
    });
    eventId = event.body.id as string;
    expect((await api.post(`/api/events/${eventId}/publish`)).status).toBe(200);
    await t.db.query(
      `INSERT INTO registrations (event_id, email, member_id, name, cluster_code, status, source, confirmed_at)
                      VALUES ($1, 'lee@hanbit.example', $2, 'lee', 'ICT', 'confirmed', 'invitation', now())`,
      [eventId, member.lee],
    );
    await t.db.query(
      `INSERT INTO mail_suppressions (email, reason, scope) VALUES ('park@hanbit.example', 'unsubscribe', 'non_essential'), ('choi@hanbit.example', 'bounce', 'all')`,
    );
    expect((await api.post(`/api/events/${eventId}/invitations`, { clusters: [], memberIds: [member.jung] })).body).toEqual({ queued: 1 });
    await t.mailbox.waitFor(() => t.mailbox.to('jung@pixel.example').length === 1, 'the invitation sent by API');
    ict = await signedInConsole(t.url, t.mailbox, ICT_OFFICE);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("counts the event's audience clusters by default, with who is skipped and why", async () => {
    const page = await ict.get(`/console/events/${eventId}/invitations`);
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<input type="checkbox" name="clusters" value="ICT" checked>/);
    expect(page.html).toMatch(/<input type="checkbox" name="clusters" value="DC" checked>/);
    expect(page.html).toMatch(/<input type="checkbox" name="clusters" value="GREEN_IT">/);
    // kim, smith, lee, park, choi (ICT) and jung (DC): kim and smith get it.
    expect([figure(page.html, 'plan-audience'), figure(page.html, 'plan-invited'), figure(page.html, 'plan-skipped')]).toEqual([6, 2, 4]);
    expect(['skipped-registered', 'skipped-invited', 'skipped-unsubscribed', 'skipped-bounced'].map((id) => figure(page.html, id))).toEqual([1, 1, 1, 1]);
  });

  it('adds the members of a chosen SIG, and refuses a cluster that does not exist next to the field', async () => {
    const withSig = await ict.get(`/console/events/${eventId}/invitations?chosen=1&clusters=ICT&clusters=DC&sigs=${sigId}`);
    expect([figure(withSig.html, 'plan-audience'), figure(withSig.html, 'plan-invited')]).toEqual([7, 3]);
    expect(withSig.html).toContain(`value="${sigId}" checked`);
    const wrong = await ict.get(`/console/events/${eventId}/invitations?chosen=1&clusters=MARS`);
    expect(wrong.status).toBe(400);
    expect(wrong.html).toMatch(/<p class="field-error" id="invite-clusters-error">클러스터를 목록에서 골라 주세요.<\/p>/);
  });

  it('previews the Korean and the English mail as composed for sending, in a locked-down frame, with no working personal link', async () => {
    const page = await ict.get(`/console/events/${eventId}/invitations`);
    const frames = [...page.html.matchAll(/<iframe class="mail-preview" src="([^"]+)"/g)].map((match) =>
      match[1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '='),
    );
    expect(frames).toHaveLength(2);
    const tokensBefore = (await t.db.query(`SELECT count(*)::int AS n FROM link_tokens`)).rows[0].n as number;
    const [ko, en] = [await ict.get(frames[0]), await ict.get(frames[1])];
    const policy = (
      await fetch(`${t.url}${frames[0]}`, { headers: { cookie: [...ict.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } })
    ).headers.get('content-security-policy');
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain('sandbox');
    expect(policy).toContain("frame-ancestors 'self'");
    for (const preview of [ko, en]) {
      expect(preview.status).toBe(200);
      expect(preview.html).toContain(TITLE);
      expect(preview.html).not.toMatch(/<script/i);
    }
    expect(ko.html).toContain('참석하기');
    expect(en.html).toContain('Attend');
    // The first who would get it is named; the links point to a token no page accepts, and none was stored.
    expect(ko.html).toContain('kim');
    const links = [...ko.html.matchAll(/https?:\/\/[^"'\s<]+\/(?:r|u)\/[^"'\s<]+/g)].map((match) => match[0]);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link).not.toMatch(/\/(r|u)\/[A-Za-z0-9_-]{43}$/);
      const opened = await fetch(`${t.url}${new URL(link).pathname}`, { method: 'POST', redirect: 'manual' });
      expect(opened.status).toBeGreaterThanOrEqual(400);
    }
    expect((await t.db.query(`SELECT count(*)::int AS n FROM link_tokens`)).rows[0].n).toBe(tokensBefore);
  });

  it('refuses a send without the CSRF token, and sends nothing then', async () => {
    await ict.get(`/console/events/${eventId}/invitations`);
    const refused = await ict.post(`/console/events/${eventId}/invitations`, { clusters: ['ICT', 'DC'] }, null);
    expect(refused.status).toBe(403);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE kind = 'invitation'`)).rows[0].n).toBe(1);
  });

  it('sends once to each person, shows the progress, and a second send mails nobody again', async () => {
    const page = await ict.get(`/console/events/${eventId}/invitations?chosen=1&clusters=ICT&clusters=DC&sigs=${sigId}`);
    expect(page.html).toMatch(/<button type="submit">초대장 발송<\/button>/);
    const sent = await ict.post(`/console/events/${eventId}/invitations`, { clusters: ['ICT', 'DC'], sigs: [sigId] });
    expect([sent.status, sent.location]).toEqual([303, `/console/events/${eventId}/invitations`]);
    // kim, smith and han are mailed; park and choi are written down as skipped by the worker.
    await waitUntil(
      async () => (await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE kind = 'invitation' AND status = 'pending'`)).rows[0].n === 0,
      'the invitations to leave',
    );
    const after = await ict.get(sent.location!);
    expect(after.html).toContain('초대장 5통을 발송 대기열에 넣었습니다.');
    expect(['progress-pending', 'progress-sent', 'progress-failed', 'progress-skipped'].map((id) => figure(after.html, id))).toEqual([0, 4, 0, 2]);
    // Back on the default audience (ICT, DC): everyone but lee now has an invitation row, the skipped ones too.
    expect([figure(after.html, 'plan-invited'), figure(after.html, 'skipped-invited')]).toEqual([0, 5]);

    await ict.post(`/console/events/${eventId}/invitations`, { clusters: ['ICT', 'DC'], sigs: [sigId] });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const count = (email: string) => t.mailbox.to(email).filter((mail) => /^(\[초대\]|Invitation:)/.test(mail.parsed.subject ?? '')).length;
    expect(
      ['kim', 'smith', 'han', 'jung', 'lee', 'park', 'choi'].map((key) =>
        count(`${key}@${key === 'jung' ? 'pixel' : key === 'han' ? 'green' : 'hanbit'}.example`),
      ),
    ).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect(t.mailbox.to('smith@hanbit.example')[0].parsed.subject).toBe(`Invitation: ${TITLE}`);
  });

  it("gives a DC organizer a console 403 on an ICT event's invitations, preview and send", async () => {
    const dc = await signedInConsole(t.url, t.mailbox, DC_OFFICE);
    for (const path of [`/console/events/${eventId}/invitations`, `/console/events/${eventId}/invitations/preview?locale=ko`]) {
      const page = await dc.get(path);
      expect(page.status).toBe(403);
      expect(page.html).toContain('이 행사는 담당 클러스터가 주최하거나 공동 주최하는 행사가 아닙니다.');
    }
    await dc.get('/console');
    expect((await dc.post(`/console/events/${eventId}/invitations`, { clusters: ['DC'] })).status).toBe(403);
  });

  it('keeps the send button disabled, saying why, on a draft', async () => {
    const draft = await api.post('/api/events', {
      title: '초안 세미나',
      type: 'seminar',
      startsAt: '2027-04-10T14:00:00+09:00',
      endsAt: '2027-04-10T16:00:00+09:00',
      hostClusters: ['ICT'],
    });
    const page = await ict.get(`/console/events/${draft.body.id as string}/invitations`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('게시된 행사만 초대장을 보낼 수 있습니다.');
    expect(page.html).toMatch(/<button type="submit" disabled aria-describedby="send-reason">/);
    // A send forced anyway is refused, saying why in the page's language, and queues nothing.
    const forced = await ict.post(`/console/events/${draft.body.id as string}/invitations`, { clusters: ['ICT'] });
    expect((await ict.get(forced.location!)).html).toContain('초대장을 보내지 못했습니다: 게시된 행사가 아닙니다');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE event_id = $1`, [draft.body.id])).rows[0].n).toBe(0);
  });
});
