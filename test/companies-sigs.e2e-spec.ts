import { client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** Issue 10: companies as records organizers keep, and SIGs of companies across clusters. */
describe('companies and SIGs', () => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let dc: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres' });
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
});
