import { ConsoleClient, signedInConsole } from './support/console-client';
import { client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** Issue 10: companies as records organizers keep, and SIGs of companies across clusters. */
describe('companies and SIGs', () => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let dc: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres', env: { ADMIN_EMAIL: 'federation@park.example' } });
    admin = client(t.url, t.adminToken);
    const organizer = await admin.post('/api/organizers', { email: 'dc-office@park.example', role: 'cluster_organizer', clusters: ['DC'] });
    dc = client(t.url, (await admin.post('/api/tokens', { name: 'DC script', organizerId: organizer.body.id })).body.token as string);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('companies', () => {
    it('creates a company with a business number in either form, lists and changes it', async () => {
      const created = await admin.post('/api/companies', {
        name: ' 한빛소프트 ',
        clusterCode: 'ICT',
        businessNumber: '1248100998',
        keywords: ['AI', ' 빅데이터 '],
        emailDomains: ['Hanbit.CO.KR'],
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: '한빛소프트',
        clusterCode: 'ICT',
        businessNumber: '124-81-00998',
        keywords: ['AI', '빅데이터'],
        emailDomains: ['hanbit.co.kr'],
      });
      const id = created.body.id as string;

      const changed = await admin.patch(`/api/companies/${id}`, { keywords: ['AI', '클라우드'], businessNumber: '220-81-62517' });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ name: '한빛소프트', businessNumber: '220-81-62517', keywords: ['AI', '클라우드'], emailDomains: ['hanbit.co.kr'] });

      const listed = await admin.get('/api/companies?cluster=ICT');
      expect(listed.body.map((company: { id: string }) => company.id)).toContain(id);

      // Stored as its ten digits, answered in the printed form.
      const { rows } = await t.db.query(`SELECT business_number FROM companies WHERE id = $1`, [id]);
      expect(rows[0].business_number).toBe('2208162517');
    });

    it('answers 400 naming the field for bad input', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ name: '체크디짓', clusterCode: 'ICT', businessNumber: '123-45-67890' }, 'businessNumber'],
        [{ name: '짧은번호', clusterCode: 'ICT', businessNumber: '124-81-0099' }, 'businessNumber'],
        [{ name: '', clusterCode: 'ICT' }, 'name'],
        [{ name: '클러스터없음', clusterCode: 'BIO' }, 'clusterCode'],
        [{ name: '도메인', clusterCode: 'ICT', emailDomains: ['not a domain'] }, 'emailDomains'],
        [{ name: '키워드', clusterCode: 'ICT', keywords: 'AI' }, 'keywords'],
      ];
      for (const [body, field] of cases) {
        const answer = await admin.post('/api/companies', body);
        expect([answer.status, JSON.stringify(answer.body.message)]).toEqual([400, expect.stringContaining(field)]);
      }
      expect((await t.db.query(`SELECT count(*)::int AS n FROM companies WHERE name IN ('체크디짓', '짧은번호', '도메인', '키워드')`)).rows[0].n).toBe(0);
    });

    it('answers 409 for a name taken in the cluster or a business number taken', async () => {
      await admin.post('/api/companies', { name: '그린에너지', clusterCode: 'GREEN_IT', businessNumber: '104-81-36565' });
      const sameName = await admin.post('/api/companies', { name: '그린에너지', clusterCode: 'GREEN_IT' });
      expect([sameName.status, sameName.body.message]).toEqual([409, expect.anything()]);
      const sameNumber = await admin.post('/api/companies', { name: '다른회사', clusterCode: 'IMT', businessNumber: '1048136565' });
      expect(sameNumber.status).toBe(409);
      expect(JSON.stringify(sameNumber.body)).toContain('businessNumber');
    });

    it("lets a cluster organizer create and change only their clusters' companies", async () => {
      expect((await dc.post('/api/companies', { name: '남의회사', clusterCode: 'ICT' })).status).toBe(403);
      const own = await dc.post('/api/companies', { name: '콘텐츠랩', clusterCode: 'DC' });
      expect(own.status).toBe(201);
      expect((await dc.patch(`/api/companies/${own.body.id}`, { clusterCode: 'ICT' })).status).toBe(403);
      const ictCompany = await admin.post('/api/companies', { name: 'ICT회사', clusterCode: 'ICT' });
      expect((await dc.patch(`/api/companies/${ictCompany.body.id}`, { keywords: ['x'] })).status).toBe(403);
      const seen = await dc.get('/api/companies');
      expect(seen.body.every((company: { clusterCode: string }) => company.clusterCode === 'DC')).toBe(true);
    });

    it('leaves the member CSV import as it was: it finds a company made through the API by its name', async () => {
      const file = 'email,name,company,cluster,locale\nminji@hanbit.co.kr,김민지,한빛소프트,ICT,ko\n';
      const imported = await admin.post('/api/members/import', file, { contentType: 'text/csv' });
      expect(imported.body).toEqual({ created: 1, updated: 0, rejected: [] });
      const { rows } = await t.db.query(`SELECT c.business_number FROM members m JOIN companies c ON c.id = m.company_id WHERE m.email = 'minji@hanbit.co.kr'`);
      expect(rows[0].business_number).toBe('2208162517');
    });
  });

  describe('SIGs', () => {
    let sigId: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      for (const [name, clusterCode] of [
        ['픽셀AI', 'ICT'],
        ['무빙컷', 'DC'],
        ['그린팩토리', 'GREEN_IT'],
      ]) {
        ids[name] = (await admin.post('/api/companies', { name, clusterCode })).body.id as string;
      }
      for (const [email, company, clusterCode] of [
        ['a1@pixelai.example', '픽셀AI', 'ICT'],
        ['b1@movingcut.example', '무빙컷', 'DC'],
        ['b2@movingcut.example', '무빙컷', 'DC'],
        ['c1@greenfactory.example', '그린팩토리', 'GREEN_IT'],
      ]) {
        const member = await admin.post('/api/members', { email, name: email.split('@')[0], company, clusterCode });
        ids[email] = member.body.id as string;
      }
    });

    it('creates a convergence SIG, adds companies and answers them with the member count', async () => {
      const created = await dc.post('/api/sigs', { name: 'AI 콘텐츠 융합 SIG', description: '생성형 AI', keywords: ['AI'], clusters: ['ICT', 'DC'] });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'AI 콘텐츠 융합 SIG', clusters: ['ICT', 'DC'], convergence: true, companies: [], memberCount: 0 });
      sigId = created.body.id as string;

      const added = await dc.post(`/api/sigs/${sigId}/companies`, { companyIds: [ids['픽셀AI'], ids['무빙컷']] });
      expect(added.status).toBe(200);
      expect(added.body.memberCount).toBe(3);
      expect(added.body.companies).toEqual([
        { id: ids['픽셀AI'], name: '픽셀AI', clusterCode: 'ICT' },
        { id: ids['무빙컷'], name: '무빙컷', clusterCode: 'DC' },
      ]);
      // Adding again changes nothing.
      expect((await dc.post(`/api/sigs/${sigId}/companies`, { companyIds: [ids['무빙컷']] })).body.memberCount).toBe(3);

      const one = await admin.get(`/api/sigs/${sigId}`);
      expect(one.body).toMatchObject({ id: sigId, convergence: true, memberCount: 3 });
      const single = await admin.post('/api/sigs', { name: '그린 SIG', clusters: ['GREEN_IT'] });
      expect(single.body.convergence).toBe(false);
      const listed = await admin.get('/api/sigs');
      expect(listed.body.map((sig: { name: string }) => sig.name)).toEqual(['AI 콘텐츠 융합 SIG', '그린 SIG']);
      // DC's organizer sees only the SIGs that span DC.
      expect((await dc.get('/api/sigs')).body.map((sig: { name: string }) => sig.name)).toEqual(['AI 콘텐츠 융합 SIG']);
      expect((await dc.get(`/api/sigs/${single.body.id}`)).status).toBe(403);
    });

    it('refuses bad SIGs and companies: 400 naming the field, 403 outside the clusters, 404, 409', async () => {
      const noClusters = await admin.post('/api/sigs', { name: '빈 SIG', clusters: [] });
      expect([noClusters.status, JSON.stringify(noClusters.body.message)]).toEqual([400, expect.stringContaining('clusters')]);
      expect((await dc.post('/api/sigs', { name: 'ICT 전용', clusters: ['ICT'] })).status).toBe(403);
      expect((await admin.post('/api/sigs', { name: 'ai 콘텐츠 융합 sig', clusters: ['DC'] })).status).toBe(409);
      const outside = await admin.post(`/api/sigs/${sigId}/companies`, { companyIds: [ids['그린팩토리']] });
      expect([outside.status, JSON.stringify(outside.body.message)]).toEqual([400, expect.stringContaining('companyIds')]);
      const unknown = await admin.post(`/api/sigs/${sigId}/companies`, { companyIds: ['00000000-0000-4000-8000-000000000000'] });
      expect(unknown.status).toBe(400);
      expect((await admin.get('/api/sigs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await admin.get('/api/sigs/nope')).status).toBe(400);
    });

    it("invites the SIG's members, each person once whatever the overlap with clusters and memberIds", async () => {
      const event = await admin.post('/api/events', {
        title: 'AI × 콘텐츠 세미나',
        type: 'sig_meeting',
        startsAt: '2027-05-20T14:00:00+09:00',
        endsAt: '2027-05-20T16:00:00+09:00',
        hostClusters: ['ICT'],
      });
      const eventId = event.body.id as string;
      expect((await admin.post(`/api/events/${eventId}/publish`)).status).toBe(200);

      const unknown = await admin.post(`/api/events/${eventId}/invitations`, { sigs: ['00000000-0000-4000-8000-000000000000'] });
      expect([unknown.status, JSON.stringify(unknown.body.message)]).toEqual([400, expect.stringContaining('sigs')]);

      // a1 is in the SIG, in ICT and named; b1, b2 only in the SIG; c1 only named; minji (imported above) only in ICT.
      const sent = await admin.post(`/api/events/${eventId}/invitations`, {
        sigs: [sigId],
        clusters: ['ICT'],
        memberIds: [ids['a1@pixelai.example'], ids['c1@greenfactory.example']],
      });
      expect([sent.status, sent.body]).toEqual([202, { queued: 5 }]);
      expect((await admin.post(`/api/events/${eventId}/invitations`, { sigs: [sigId] })).body).toEqual({ queued: 0 });
      const { rows } = await t.db.query(`SELECT recipient FROM outbox WHERE kind = 'invitation' AND event_id = $1 ORDER BY recipient`, [eventId]);
      expect(rows.map((row: { recipient: string }) => row.recipient)).toEqual([
        'a1@pixelai.example',
        'b1@movingcut.example',
        'b2@movingcut.example',
        'c1@greenfactory.example',
        'minji@hanbit.co.kr',
      ]);
    });
  });

  describe('the console pages', () => {
    let office: ConsoleClient;
    beforeAll(async () => {
      office = await signedInConsole(t.url, t.mailbox, 'dc-office@park.example');
    });
    const sigsNamed = async (name: string) => (await t.db.query(`SELECT count(*)::int AS n FROM sigs WHERE name = $1`, [name])).rows[0].n as number;

    it('starts a convergence SIG from the form and adds companies of its clusters to it', async () => {
      const ictCompany = (await admin.post('/api/companies', { name: '콘솔 ICT 기업', clusterCode: 'ICT' })).body.id as string;
      const dcCompany = (await admin.post('/api/companies', { name: '콘솔 DC 기업', clusterCode: 'DC' })).body.id as string;
      const greenCompany = (await admin.post('/api/companies', { name: '콘솔 그린 기업', clusterCode: 'GREEN_IT' })).body.id as string;
      const list = await office.get('/console/sigs');
      expect(list.status).toBe(200);
      // A DC organizer's own cluster comes ticked.
      expect(list.html).toMatch(/name="clusters" value="DC" checked/);
      const made = await office.post('/console/sigs', { name: '콘솔 융합 SIG', keywords: 'AI, 콘텐츠 ,', clusters: ['DC', 'ICT'] });
      expect(made.status).toBe(303);
      const page = await office.get(made.location!);
      expect(page.html).toContain('콘솔 융합 SIG');
      expect(page.html).toContain('융합 SIG');
      expect(page.html).toContain('AI, 콘텐츠');
      // Companies of its clusters are offered, a GREEN_IT company is not.
      expect(page.html).toContain(`value="${ictCompany}"`);
      expect(page.html).not.toContain(`value="${greenCompany}"`);
      const added = await office.post(`${made.location!}/companies`, { companyIds: [ictCompany, dcCompany] });
      expect([added.status, added.location]).toEqual([303, made.location]);
      const id = made.location!.split('/').at(-1)!;
      const sig = await admin.get(`/api/sigs/${id}`);
      expect(sig.body.companies.map((company: { id: string }) => company.id).sort()).toEqual([ictCompany, dcCompany].sort());
      expect(sig.body.keywords).toEqual(['AI', '콘텐츠']);
      // A company outside its clusters, forged into the form, is refused with nothing added.
      const forged = await office.post(`${made.location!}/companies`, { companyIds: [greenCompany] });
      expect(forged.status).toBe(400);
      expect(forged.html).toContain('참여 클러스터의 기업만 추가할 수 있습니다');
      expect((await admin.get(`/api/sigs/${id}`)).body.companies).toHaveLength(2);
      const audited = await t.db.query<{ action: string; target: string }>(
        `SELECT action, target FROM audit_log WHERE actor = 'dc-office@park.example' ORDER BY at`,
      );
      expect(audited.rows.filter((row) => row.target === `sig ${id}`)).toEqual([
        { action: 'sig.create', target: `sig ${id}` },
        { action: 'sig.companies', target: `sig ${id}` },
      ]);
    });

    it("shows each error next to its field with what was typed, refuses a SIG outside the organizer's clusters, and another cluster's SIG", async () => {
      await office.get('/console/sigs');
      const bad = await office.post('/console/sigs', { name: '줄\n바꿈 "SIG"', description: 'x'.repeat(4001), clusters: [] });
      expect(bad.status).toBe(400);
      expect(bad.html).toContain('id="sig-name-error"');
      expect(bad.html).toContain('id="sig-description-error"');
      expect(bad.html).toContain('id="sig-clusters-error"');
      expect(bad.html).toContain('value="줄\n바꿈 &quot;SIG&quot;"');
      const foreign = await office.post('/console/sigs', { name: 'ICT 전용 SIG', clusters: ['ICT'] });
      expect(foreign.status).toBe(403);
      expect(foreign.html).toContain('id="sig-clusters-error"');
      expect(await sigsNamed('ICT 전용 SIG')).toBe(0);
      const ictOnly = await admin.post('/api/sigs', { name: 'ICT 내부 SIG', clusters: ['ICT'] });
      expect((await office.get(`/console/sigs/${ictOnly.body.id}`)).status).toBe(403);
      expect((await office.get('/console/sigs')).html).not.toContain('ICT 내부 SIG');
      expect((await office.post('/console/sigs', { name: 'CSRF 없는 SIG', clusters: ['DC'] }, null)).status).toBe(403);
      expect(await sigsNamed('CSRF 없는 SIG')).toBe(0);
    });
  });
});
