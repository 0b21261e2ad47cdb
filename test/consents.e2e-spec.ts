import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { PERSONAL_DATA_RETENTION_QUEUE } from '../src/queue/queue.constants';
import { client } from './support/http';
import { personalLink, waitUntil } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 9, PIPA: the registration form and the emailed confirmation page show the consent notice,
 * nothing is stored without the required consent, and every choice is kept with its version and time.
 */
describe('consent under the Personal Information Protection Act', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let anonymous: ReturnType<typeof client>;
  let eventId: string;

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres' });
    api = client(t.url, t.adminToken);
    anonymous = client(t.url);
    const created = await api.post('/api/events', {
      title: '공동 주최 세미나',
      type: 'seminar',
      startsAt: '2027-06-01T14:00:00+09:00',
      endsAt: '2027-06-01T17:00:00+09:00',
      hostClusters: ['ICT', 'DC'],
    });
    expect(created.status).toBe(201);
    eventId = created.body.id;
    expect((await api.post(`/api/events/${eventId}/publish`)).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function consentsOf(email: string): Promise<{ kind: string; version: string; granted: boolean; at: Date }[]> {
    const rows = await t.db.query(
      `SELECT c.kind, c.version, c.granted, c.at FROM consents c JOIN registrations r ON r.id = c.registration_id
        WHERE r.event_id = $1 AND lower(r.email) = lower($2) ORDER BY c.kind`,
      [eventId, email],
    );
    return rows.rows;
  }
  async function registrationCount(email: string): Promise<number> {
    const rows = await t.db.query(`SELECT count(*)::int AS n FROM registrations WHERE event_id = $1 AND lower(email) = lower($2)`, [eventId, email]);
    return rows.rows[0].n;
  }

  it('shows the full notice on the event page, each consent its own unticked, labelled checkbox', async () => {
    const page = await anonymous.get(`/events/${eventId}`);
    expect(page.status).toBe(200);
    for (const text of [
      '[필수] 개인정보 수집·이용 동의',
      '행사 참가 신청 확인, 안내 메일·캘린더 발송, 출석 확인',
      '이름, 이메일, 소속 기업, 소속 클러스터',
      '행사 종료 후 1년',
      '동의하지 않으면 참가 신청을 할 수 없습니다',
      '제공받는 자',
      '공동 주최 행사 운영',
      '[선택] 행사 소식 수신 동의',
    ])
      expect(page.text).toContain(text);
    expect(page.text).toContain('name="consent_collection"');
    expect(page.text).toContain('name="consent_third_party_DC"');
    expect(page.text).not.toContain('name="consent_third_party_ICT"');
    expect(page.text).toContain('name="consent_marketing"');
    expect(page.text).not.toMatch(/type="checkbox"[^>]* checked/);
    for (const id of ['consent-collection', 'consent-tp-DC', 'consent-marketing']) expect(page.text).toContain(`<label for="${id}">`);
    expect(page.text).not.toMatch(/<script(?! src)|style=/);
  });

  it('refuses the form without the required box (400, the error at the checkbox) and stores nothing', async () => {
    const page = await anonymous.form(`/events/${eventId}/registrations`, {
      email: 'no-consent@guest.example',
      name: '김거부',
      consent_version: '2026-11-30',
      consent_marketing: 'yes',
    });
    expect(page.status).toBe(400);
    expect(page.text).toContain('개인정보 수집·이용에 동의해야 참가 신청을 할 수 있습니다.');
    expect(page.text).toContain('value="김거부"');
    expect(page.text).toMatch(/name="consent_marketing" value="yes" checked/);
    expect(await registrationCount('no-consent@guest.example')).toBe(0);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE recipient = 'no-consent@guest.example'`)).rows[0].n).toBe(0);
  });

  it('stores the form choices with the registration: version, choice and time per notice', async () => {
    const page = await anonymous.form(`/events/${eventId}/registrations`, {
      email: 'form@guest.example',
      name: '이동의',
      consent_version: '2026-11-30',
      consent_collection: 'yes',
      consent_third_party_DC: 'yes',
    });
    expect(page.status).toBe(202);
    const rows = await consentsOf('form@guest.example');
    expect(rows.map((r) => [r.kind, r.version, r.granted])).toEqual([
      ['collection', '2026-11-30', true],
      ['marketing', '2026-11-30', false],
      ['third_party:DC', '2026-11-30', true],
    ]);
    // The link of a registration with consent just shows the button.
    await t.mailbox.waitFor(() => t.mailbox.to('form@guest.example').length === 1, 'the opt-in mail');
    const shown = await fetch(personalLink(t.mailbox.to('form@guest.example')[0], t.url)).then((r) => r.text());
    expect(shown).toContain('등록 확정하기');
    expect(shown).not.toContain('name="consent_collection"');
  });

  it('takes consents on the API, stores them with version and time, and checks them', async () => {
    const before = t.clock.now();
    const ok = await anonymous.post(`/api/events/${eventId}/registrations`, {
      email: 'api@guest.example',
      name: 'API Guest',
      consents: { collection: true, thirdParty: { DC: false }, marketing: true },
    });
    expect(ok.status).toBe(202);
    const rows = await consentsOf('api@guest.example');
    expect(rows.map((r) => [r.kind, r.granted])).toEqual([
      ['collection', true],
      ['marketing', true],
      ['third_party:DC', false],
    ]);
    expect(rows.every((r) => r.version === '2026-11-30' && Math.abs(r.at.getTime() - before.getTime()) < 60_000)).toBe(true);

    const refused = await anonymous.post(`/api/events/${eventId}/registrations`, {
      email: 'refuser@guest.example',
      name: 'R',
      consents: { collection: false },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.message)).toContain('consents.collection must be true: ');
    const stranger = await anonymous.post(`/api/events/${eventId}/registrations`, {
      email: 'refuser@guest.example',
      name: 'R',
      consents: { collection: true, thirdParty: { IMT: true } },
    });
    expect(stranger.status).toBe(400);
    expect(JSON.stringify(stranger.body.message)).toContain('consents.thirdParty.IMT is not a recipient');
    const notBoolean = await anonymous.post(`/api/events/${eventId}/registrations`, {
      email: 'refuser@guest.example',
      name: 'R',
      consents: { collection: true, marketing: 'yes' },
    });
    expect(notBoolean.status).toBe(400);
    expect(await registrationCount('refuser@guest.example')).toBe(0);
  });

  it('asks on the confirmation page for a registration made without consents, and confirms only with the box ticked', async () => {
    expect((await anonymous.post(`/api/events/${eventId}/registrations`, { email: 'legacy@guest.example', name: '옛 클라이언트' })).status).toBe(202);
    expect(await consentsOf('legacy@guest.example')).toEqual([]);
    await t.mailbox.waitFor(() => t.mailbox.to('legacy@guest.example').length === 1, 'the opt-in mail');
    const link = personalLink(t.mailbox.to('legacy@guest.example')[0], t.url);
    const shown = await fetch(link).then((r) => r.text());
    expect(shown).toContain('동의하지 않으면 참가 신청을 할 수 없습니다');
    expect(shown).toContain('name="consent_collection"');
    const path = new URL(link).pathname;

    const refused = await anonymous.form(path, { consent_version: '2026-11-30', consent_third_party_DC: 'yes' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('개인정보 수집·이용에 동의해야 참가 신청을 할 수 있습니다.');
    expect(refused.text).toMatch(/name="consent_third_party_DC" value="yes" checked/);
    expect((await t.db.query(`SELECT status FROM registrations WHERE email = 'legacy@guest.example'`)).rows[0].status).toBe('pending_confirmation');
    expect(await consentsOf('legacy@guest.example')).toEqual([]);

    const confirmed = await anonymous.form(path, { consent_version: '2026-11-30', consent_collection: 'yes' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('등록이 완료되었습니다');
    expect((await consentsOf('legacy@guest.example')).map((r) => [r.kind, r.granted])).toEqual([
      ['collection', true],
      ['marketing', false],
      ['third_party:DC', false],
    ]);
  });

  it('asks an invited member on the invitation page and stores their choices when they accept', async () => {
    const member = await api.post('/api/members', { email: 'invited@member.example', name: '초대회원', company: '초대기업', clusterCode: 'IMT' });
    expect(member.status).toBe(201);
    expect((await api.post(`/api/events/${eventId}/invitations`, { memberIds: [member.body.id] })).status).toBe(202);
    await t.mailbox.waitFor(() => t.mailbox.to('invited@member.example').length === 1, 'the invitation');
    const path = new URL(personalLink(t.mailbox.to('invited@member.example')[0], t.url)).pathname;
    expect((await anonymous.get(path)).text).toContain('name="consent_collection"');
    expect((await anonymous.form(path, { consent_version: '2026-11-30' })).status).toBe(400);
    // A bare POST (a script, a scanner pressing buttons) is shown the notice; it does not accept without consent.
    const bare = await fetch(`${t.url}${path}`, { method: 'POST' });
    expect(bare.status).toBe(400);
    expect(await bare.text()).toContain('name="consent_collection"');
    expect(await registrationCount('invited@member.example')).toBe(0);
    const accepted = await anonymous.form(path, { consent_version: '2026-11-30', consent_collection: 'yes', consent_marketing: 'yes' });
    expect(accepted.status).toBe(200);
    expect(accepted.text).toContain('등록이 완료되었습니다');
    expect((await consentsOf('invited@member.example')).map((r) => [r.kind, r.granted])).toEqual([
      ['collection', true],
      ['marketing', true],
      ['third_party:DC', false],
    ]);
  });

  it('shows a co-host organizer only the registrants who consented to their office; admins and first-host organizers see all', async () => {
    async function tokenFor(email: string, cluster: string): Promise<string> {
      const organizer = await api.post('/api/organizers', { email, role: 'cluster_organizer', clusters: [cluster] });
      expect(organizer.status).toBe(201);
      return (await api.post('/api/tokens', { name: `${cluster} script`, organizerId: organizer.body.id })).body.token as string;
    }
    const dc = client(t.url, await tokenFor('dc-office@park.example', 'DC'));
    const ict = client(t.url, await tokenFor('ict-office@park.example', 'ICT'));
    const all = (await api.get(`/api/events/${eventId}/registrations`)).body as { email: string }[];
    expect(all.map((r) => r.email).sort()).toEqual(['api@guest.example', 'form@guest.example', 'invited@member.example', 'legacy@guest.example']);
    expect(((await ict.get(`/api/events/${eventId}/registrations`)).body as { email: string }[]).map((r) => r.email).sort()).toEqual(
      all.map((r) => r.email).sort(),
    );
    // Only form@ ticked the DC box; api@ refused it, legacy@ confirmed without it.
    const seenByDc = await dc.get(`/api/events/${eventId}/registrations`);
    expect(seenByDc.status).toBe(200);
    expect((seenByDc.body as { email: string }[]).map((r) => r.email)).toEqual(['form@guest.example']);
    const csv = await dc.get(`/api/events/${eventId}/registrations.csv`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('form@guest.example');
    expect(csv.text).not.toContain('api@guest.example');
    expect(csv.text).not.toContain('legacy@guest.example');
    const adminCsv = await api.get(`/api/events/${eventId}/registrations.csv`);
    for (const email of ['form@guest.example', 'api@guest.example', 'legacy@guest.example']) expect(adminCsv.text).toContain(email);
  });

  it('erases a registrant from the manage page: the calendar cancellation first, then an anonymous row that still counts', async () => {
    const email = 'erase-me@guest.example';
    expect(
      (await anonymous.post(`/api/events/${eventId}/registrations`, { email, name: '삭제요청', company: '비밀회사', consents: { collection: true } })).status,
    ).toBe(202);
    await t.mailbox.waitFor(() => t.mailbox.to(email).length === 1, 'the opt-in mail');
    expect((await fetch(personalLink(t.mailbox.to(email)[0], t.url), { method: 'POST' })).status).toBe(200);
    await t.mailbox.waitFor(() => t.mailbox.to(email).length === 2, 'the confirmation');
    const manage = personalLink(t.mailbox.to(email)[1], t.url);
    const page = await fetch(manage).then((r) => r.text());
    expect(page).toContain('개인정보 삭제');
    expect(page).toContain('name="action" value="erase"');
    const total = async () => (await t.db.query(`SELECT count(*)::int AS n FROM registrations WHERE event_id = $1`, [eventId])).rows[0].n;
    const before = await total();
    const [{ id }] = (await t.db.query(`SELECT id FROM registrations WHERE email = $1`, [email])).rows;

    const erased = await anonymous.form(new URL(manage).pathname, { action: 'erase' });
    expect(erased.status).toBe(200);
    expect(erased.text).toContain('개인정보가 삭제되었습니다');
    await t.mailbox.waitFor(() => t.mailbox.to(email).length === 3, 'the cancellation');
    expect(t.mailbox.to(email)[2].raw).toContain('METHOD:CANCEL');
    const row = (await t.db.query(`SELECT email, name, company, member_id, status FROM registrations WHERE id = $1`, [id])).rows[0];
    expect(row).toEqual({ email: `erased-${id}@invalid`, name: '-', company: null, member_id: null, status: 'cancelled' });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM consents WHERE registration_id = $1`, [id])).rows[0].n).toBe(0);
    expect(await total()).toBe(before);
    const audit = await t.db.query(`SELECT actor, target FROM audit_log WHERE action = 'member.erase'`);
    expect(audit.rows).toEqual([{ actor: 'member', target: `registration ${id} of event ${eventId}` }]);
    // Erased is erased: the link offers nothing more.
    expect(await fetch(manage).then((r) => r.text())).not.toContain('name="action" value="erase"');
  });

  it('offers erasure after a cancellation too', async () => {
    const email = 'cancel-then-erase@guest.example';
    expect((await anonymous.post(`/api/events/${eventId}/registrations`, { email, name: '취소후삭제', consents: { collection: true } })).status).toBe(202);
    await t.mailbox.waitFor(() => t.mailbox.to(email).length === 1, 'the opt-in mail');
    expect((await fetch(personalLink(t.mailbox.to(email)[0], t.url), { method: 'POST' })).status).toBe(200);
    await t.mailbox.waitFor(() => t.mailbox.to(email).length === 2, 'the confirmation');
    const path = new URL(personalLink(t.mailbox.to(email)[1], t.url)).pathname;
    expect((await anonymous.form(path, {})).text).toContain('등록이 취소되었습니다');
    const cancelled = await anonymous.get(path);
    expect(cancelled.text).toContain('name="action" value="erase"');
    expect((await anonymous.form(path, { action: 'erase' })).text).toContain('개인정보가 삭제되었습니다');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM registrations WHERE email = $1`, [email])).rows[0].n).toBe(0);
  });

  it('anonymises the registrations of events that ended longer ago than the retention, and audits how many', async () => {
    const created = await api.post('/api/events', {
      title: '지난 세미나',
      type: 'seminar',
      startsAt: '2027-03-01T14:00:00+09:00',
      endsAt: '2027-03-01T16:00:00+09:00',
      hostClusters: ['ICT'],
    });
    const oldId = created.body.id as string;
    expect((await api.post(`/api/events/${oldId}/publish`)).status).toBe(200);
    for (const email of ['old1@guest.example', 'old2@guest.example'])
      expect((await anonymous.post(`/api/events/${oldId}/registrations`, { email, name: '지난 참가자', consents: { collection: true } })).status).toBe(202);
    await t.db.query(
      `UPDATE events SET starts_at = now() - interval '400 days', ends_at = now() - interval '400 days' + interval '2 hours',
              registration_opens_at = NULL, registration_closes_at = NULL, quota_release_at = NULL WHERE id = $1`,
      [oldId],
    );

    const queue = t.app.get<Queue>(getQueueToken(PERSONAL_DATA_RETENTION_QUEUE));
    const job = await queue.add('anonymise-registrations', {});
    await waitUntil(async () => (await job.getState()) === 'completed', 'the retention job to run', 30_000);
    const old = await t.db.query(`SELECT email, name FROM registrations WHERE event_id = $1`, [oldId]);
    expect(old.rows).toHaveLength(2);
    expect(old.rows.every((r) => /^erased-.*@invalid$/.test(r.email) && r.name === '-')).toBe(true);
    expect(
      (await t.db.query(`SELECT count(*)::int AS n FROM consents c JOIN registrations r ON r.id = c.registration_id WHERE r.event_id = $1`, [oldId])).rows[0].n,
    ).toBe(0);
    // The upcoming event keeps its people.
    expect((await t.db.query(`SELECT count(*)::int AS n FROM registrations WHERE event_id = $1 AND email = 'form@guest.example'`, [eventId])).rows[0].n).toBe(
      1,
    );
    const audit = await t.db.query(`SELECT actor, details FROM audit_log WHERE action = 'retention.anonymise'`);
    expect(audit.rows).toMatchObject([{ actor: 'system', details: { count: 2 } }]);
  });
});
