import { signedInConsole } from './support/console-client';
import { client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Suggested invitees (issue 10) on real PostgreSQL with pg_trgm. The scores are worked out by hand:
 * keyword_key() lowers a keyword and drops spaces and punctuation; two keys resemble each other by
 * the larger of their trigram similarity and, where one begins with the other, the shorter's share
 * of the longer.
 * - "인공지능을" begins with "인공지능": 4/5 = 0.8 (their trigram similarity, 4 shared of 7, is 0.57
 *   where the database's LC_CTYPE knows Hangul, and 0 where it is C: the answer is 0.8 either way).
 * - "Machine Learning" and "machinelearning" have the same key: 1. So do "스마트 팩토리" and "스마트팩토리".
 * A company keyword weighs 2, a SIG keyword 1.
 */
describe('suggested invitees', () => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let dcOrganizer: ReturnType<typeof client>;
  let eventId: string;
  const member: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres', env: { ADMIN_EMAIL: 'federation@park.example' } });
    admin = client(t.url, t.adminToken);
    const organizer = await admin.post('/api/organizers', { email: 'dc-office@park.example', role: 'cluster_organizer', clusters: ['DC'] });
    dcOrganizer = client(t.url, (await admin.post('/api/tokens', { name: 'DC', organizerId: organizer.body.id })).body.token as string);

    const company: Record<string, string> = {};
    for (const [name, clusterCode, keywords] of [
      ['ict1', 'ICT', ['인공지능']],
      ['dc1', 'DC', ['인공지능', 'machinelearning', '드론']],
      ['imt1', 'IMT', ['Smart-Factory']],
      ['g1', 'GREEN_IT', ['AIoT']],
      ['g2', 'GREEN_IT', ['공정 자동화']],
    ] as const) {
      const created = await admin.post('/api/companies', { name, clusterCode, keywords });
      expect(created.status).toBe(201);
      company[name] = created.body.id as string;
    }
    for (const [email, companyName, clusterCode] of [
      ['ict-a@ict1.example', 'ict1', 'ICT'],
      ['dc-b@dc1.example', 'dc1', 'DC'],
      ['dc-a@dc1.example', 'dc1', 'DC'],
      ['imt-a@imt1.example', 'imt1', 'IMT'],
      ['g-a@g1.example', 'g1', 'GREEN_IT'],
      ['g-b@g1.example', 'g1', 'GREEN_IT'],
      ['g-c@g1.example', 'g1', 'GREEN_IT'],
      ['g2-a@g2.example', 'g2', 'GREEN_IT'],
    ]) {
      const created = await admin.post('/api/members', { email, name: email.split('@')[0], company: companyName, clusterCode });
      expect(created.status).toBe(201);
      member[email] = created.body.id as string;
    }
    // A SIG whose keyword matches "스마트 팩토리": it brings imt1 and g1, whose own keywords do not match.
    const sig = await admin.post('/api/sigs', { name: '제조 혁신', keywords: ['스마트팩토리'], clusters: ['IMT', 'GREEN_IT'] });
    await admin.post(`/api/sigs/${sig.body.id}/companies`, { companyIds: [company.imt1, company.g1] });

    const event = await admin.post('/api/events', {
      title: 'AI 제조 세미나',
      type: 'seminar',
      startsAt: '2027-05-20T14:00:00+09:00',
      endsAt: '2027-05-20T16:00:00+09:00',
      hostClusters: ['ICT'],
      keywords: ['인공지능을', 'Machine Learning', '스마트 팩토리'],
    });
    expect(event.status).toBe(201);
    eventId = event.body.id as string;
    // g-a unsubscribed; g-b is already invited: neither is news to suggest.
    await t.db.query(`INSERT INTO mail_suppressions (email, reason, scope) VALUES ('g-a@g1.example', 'unsubscribe', 'non_essential')`);
    expect((await admin.post(`/api/events/${eventId}/publish`)).status).toBe(200);
    expect((await admin.post(`/api/events/${eventId}/invitations`, { clusters: [], memberIds: [member['g-b@g1.example']] })).body).toEqual({ queued: 1 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the keywords on the event', async () => {
    const event = await admin.get(`/api/events/${eventId}`);
    expect(event.body.keywords).toEqual(['인공지능을', 'Machine Learning', '스마트 팩토리']);
  });

  it('ranks members of other clusters by company and SIG keyword matches, whatever the particles, case and spacing, with the reasons', async () => {
    const answer = await admin.get(`/api/events/${eventId}/suggestions`);
    expect(answer.status).toBe(200);
    // dc1: 2 × 0.8 (인공지능 ~ 인공지능을) + 2 × 1 (machinelearning = Machine Learning) = 3.6; "드론" matches nothing.
    // imt1 and g1: the SIG's 스마트팩토리 = 스마트 팩토리, 1 × 1 = 1; ties by company name (g1 before imt1).
    // Not there: ict-a (ICT hosts), g-a (unsubscribed), g-b (already invited), g2-a (nothing matches).
    expect(answer.body.map((row: { name: string; score: number }) => [row.name, row.score])).toEqual([
      ['dc-a', 3.6],
      ['dc-b', 3.6],
      ['g-c', 1],
      ['imt-a', 1],
    ]);
    expect(answer.body[0]).toMatchObject({
      memberId: member['dc-a@dc1.example'],
      company: 'dc1',
      cluster: 'DC',
      reasons: ["기업 키워드 'machinelearning' ≈ 행사 키워드 'Machine Learning' (1.00)", "기업 키워드 '인공지능' ≈ 행사 키워드 '인공지능을' (0.80)"],
    });
    expect(answer.body[3]).toMatchObject({
      memberId: member['imt-a@imt1.example'],
      cluster: 'IMT',
      reasons: ["SIG '제조 혁신' 키워드 '스마트팩토리' ≈ 행사 키워드 '스마트 팩토리' (1.00)"],
      matches: [{ source: 'sig', sig: '제조 혁신', keyword: '스마트팩토리', eventKeyword: '스마트 팩토리', similarity: 1 }],
    });
    expect((await admin.get(`/api/events/${eventId}/suggestions?limit=1`)).body).toHaveLength(1);
    // The reasons in the reader's language: ?lang=en, or an English Accept-Language.
    const english = [
      "company keyword 'machinelearning' ≈ event keyword 'Machine Learning' (1.00)",
      "company keyword '인공지능' ≈ event keyword '인공지능을' (0.80)",
    ];
    expect((await admin.get(`/api/events/${eventId}/suggestions?lang=en&limit=1`)).body[0].reasons).toEqual(english);
    const byHeader = await fetch(`${t.url}/api/events/${eventId}/suggestions?limit=1`, {
      headers: { authorization: `Bearer ${t.adminToken}`, 'accept-language': 'en-GB,en;q=0.8' },
    });
    expect(((await byHeader.json()) as { reasons: string[] }[])[0].reasons).toEqual(english);
  });

  it('suggests nobody once the host clusters cover the matches, and nobody for an event without keywords', async () => {
    const patched = await admin.patch(`/api/events/${eventId}`, { keywords: null });
    expect([patched.status, patched.body.keywords]).toEqual([200, []]);
    expect((await admin.get(`/api/events/${eventId}/suggestions`)).body).toEqual([]);
    expect((await admin.patch(`/api/events/${eventId}`, { keywords: ['인공지능'] })).status).toBe(200);
    expect((await admin.get(`/api/events/${eventId}/suggestions`)).body.map((row: { name: string }) => row.name)).toEqual(['dc-a', 'dc-b']);
    expect((await admin.patch(`/api/events/${eventId}`, { hostClusters: ['ICT', 'DC'] })).status).toBe(200);
    expect((await admin.get(`/api/events/${eventId}/suggestions`)).body).toEqual([]);
  });

  it("keeps a cluster organizer to their clusters' events", async () => {
    const other = await admin.post('/api/events', {
      title: 'ICT only',
      type: 'seminar',
      startsAt: '2027-06-20T14:00:00+09:00',
      endsAt: '2027-06-20T16:00:00+09:00',
      hostClusters: ['ICT'],
      keywords: ['인공지능'],
    });
    expect((await dcOrganizer.get(`/api/events/${other.body.id}/suggestions`)).status).toBe(403);
    expect((await dcOrganizer.get(`/api/events/${eventId}/suggestions`)).status).toBe(200);
    expect((await admin.get(`/api/events/${eventId}/suggestions`, { token: null })).status).toBe(401);
  });

  it('refuses bad keywords and limits with 400 naming the field, writing nothing', async () => {
    const before = await t.db.query(`SELECT count(*)::int AS n FROM events`);
    const base = { title: 'x', type: 'seminar', startsAt: '2027-07-01T14:00:00+09:00', endsAt: '2027-07-01T16:00:00+09:00', hostClusters: ['ICT'] };
    for (const keywords of ['AI', ['a\nb'], [''], ['x'.repeat(61)], ['AI', 'AI'], [7], Array.from({ length: 51 }, (_, i) => `k${i}`)]) {
      const refused = await admin.post('/api/events', { ...base, keywords });
      expect([refused.status, JSON.stringify(refused.body.message)]).toEqual([400, expect.stringContaining('keywords')]);
    }
    expect((await t.db.query(`SELECT count(*)::int AS n FROM events`)).rows).toEqual(before.rows);
    const patch = await admin.patch(`/api/events/${eventId}`, { keywords: ['ok', ''] });
    expect([patch.status, JSON.stringify(patch.body.message)]).toEqual([400, expect.stringContaining('keywords')]);
    expect((await admin.get(`/api/events/${eventId}`)).body.keywords).toEqual(['인공지능']);
    for (const limit of ['0', '1001', 'many']) {
      const bad = await admin.get(`/api/events/${eventId}/suggestions?limit=${limit}`);
      expect([bad.status, JSON.stringify(bad.body.message)]).toEqual([400, expect.stringContaining('limit')]);
    }
    expect((await admin.get('/api/events/00000000-0000-4000-8000-000000000000/suggestions')).status).toBe(404);
    expect((await admin.get('/api/events/nope/suggestions')).status).toBe(400);
  });

  it('offers the suggestions on the console invitation step, and invites the ones ticked along with the clusters chosen', async () => {
    const created = await admin.post('/api/events', {
      title: 'AI 제조 세미나 2회',
      type: 'seminar',
      startsAt: '2027-06-20T14:00:00+09:00',
      endsAt: '2027-06-20T16:00:00+09:00',
      hostClusters: ['ICT'],
      audienceClusters: ['ICT'],
      keywords: ['인공지능을', 'Machine Learning', '스마트 팩토리'],
    });
    const id = created.body.id as string;
    expect((await admin.post(`/api/events/${id}/publish`)).status).toBe(200);
    const office = await signedInConsole(t.url, t.mailbox, 'federation@park.example');
    const page = await office.get(`/console/events/${id}/invitations`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('추천 초대 대상');
    // The same people as the API suggests (g-a unsubscribed is not news; g-b is not invited to this event).
    const offered = [...page.html.matchAll(/name="members" value="([0-9a-f-]{36})"/g)].map((match) => match[1]);
    const suggested = (await admin.get(`/api/events/${id}/suggestions`)).body.map((row: { memberId: string }) => row.memberId);
    expect(offered).toEqual(suggested);
    expect(page.html).toContain('기업 키워드 &#x27;machinelearning&#x27; ≈ 행사 키워드 &#x27;Machine Learning&#x27; (1.00)');
    // ICT's one member plus the ticked dc-a: two to receive.
    const planned = await office.get(`/console/events/${id}/invitations?chosen=1&clusters=ICT&members=${member['dc-a@dc1.example']}`);
    expect(/id="plan-invited">(\d+)</.exec(planned.html)![1]).toBe('2');
    expect(planned.html).toContain(`name="members" value="${member['dc-a@dc1.example']}" checked`);
    const sent = await office.post(`/console/events/${id}/invitations`, { clusters: ['ICT'], members: [member['dc-a@dc1.example']] });
    expect(sent.status).toBe(303);
    await t.mailbox.waitFor(
      () => t.mailbox.to('dc-a@dc1.example').some((mail) => mail.parsed.subject?.includes('AI 제조 세미나 2회') ?? false),
      'the invitation to dc-a',
    );
    expect(t.mailbox.to('dc-b@dc1.example').filter((mail) => mail.parsed.subject?.includes('2회'))).toEqual([]);
    // A forged id is a field error, not a 500, and sends nothing.
    const forged = await office.get(`/console/events/${id}/invitations?chosen=1&clusters=ICT&members=not-a-uuid`);
    expect(forged.status).toBe(400);
  });
});
