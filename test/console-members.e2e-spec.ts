import * as iconv from 'iconv-lite';
import { ConsoleClient, Page, signedInConsole } from './support/console-client';
import { client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const ADMIN = 'federation@park.example';
const DC = 'dc-office@park.example';

/** Issue 9, 회원·기업: the member list (search, cluster filter, keyset pages), a member's page, and their scope by cluster. */
describe('console members pages', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let admin: ConsoleClient;
  let dc: ConsoleClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres', env: { ADMIN_EMAIL: ADMIN } });
    api = client(t.url, t.adminToken);
    expect((await api.post('/api/organizers', { email: DC, role: 'cluster_organizer', clusters: ['DC'] })).status).toBe(201);
    const people: [string, string, string, string][] = [
      ['kim@pixel.example', '김민지', '픽셀웍스', 'DC'],
      ['lee@pixel.example', '이서준', '픽셀웍스', 'DC'],
      ['park@studio.example', '박하늘', '하늘 스튜디오', 'DC'],
      ['choi@hanbit.example', '최지우', '한빛소프트', 'ICT'],
    ];
    for (const [email, name, company, clusterCode] of people) {
      const made = await api.post('/api/members', { email, name, company, clusterCode });
      expect(made.status).toBe(201);
      ids[email] = made.body.id;
    }
    const event = await api.post('/api/events', {
      title: 'DC 콘텐츠 포럼',
      type: 'seminar',
      startsAt: '2027-03-10T14:00:00+09:00',
      endsAt: '2027-03-10T16:00:00+09:00',
      venue: '판교',
      hostClusters: ['DC'],
    });
    expect((await api.post(`/api/events/${event.body.id}/publish`)).status).toBe(200);
    expect(
      (await api.post(`/api/events/${event.body.id}/registrations`, { email: 'kim@pixel.example', name: '김민지', consents: { collection: true } })).status,
    ).toBe(202);
    [admin, dc] = [await signedInConsole(t.url, t.mailbox, ADMIN), await signedInConsole(t.url, t.mailbox, DC)];
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists members with links to their pages; a cluster organizer sees only their clusters', async () => {
    const all = await admin.get('/console/members');
    expect(all.status).toBe(200);
    for (const name of ['김민지', '이서준', '박하늘', '최지우']) expect(all.html).toContain(name);
    expect(all.html).toContain(`href="/console/members/${ids['choi@hanbit.example']}"`);
    expect(all.html).toMatch(/<label for="members-q">[^<]+<\/label>/);
    const own = await dc.get('/console/members');
    expect(own.status).toBe(200);
    expect(own.html).toContain('김민지');
    expect(own.html).not.toContain('최지우');
    // Asking for another cluster by filter finds nothing rather than leaking it.
    const other = await dc.get('/console/members?cluster=ICT');
    expect(other.status).toBe(200);
    expect(other.html).not.toContain('최지우');
    const typo = await dc.get('/console/members?cluster=NOPE');
    expect(typo.status).toBe(400);
    expect(typo.html).toMatch(/<p class="field-error" id="members-cluster-error">/);
  });

  it('searches by name, email or company, and filters by cluster', async () => {
    const byCompany = await admin.get(`/console/members?q=${encodeURIComponent('픽셀')}`);
    expect(byCompany.html).toContain('김민지');
    expect(byCompany.html).toContain('이서준');
    expect(byCompany.html).not.toContain('박하늘');
    const byEmail = await admin.get('/console/members?q=STUDIO.example');
    expect(byEmail.html).toContain('박하늘');
    expect(byEmail.html).not.toContain('김민지');
    // A wildcard typed is a character, not a pattern.
    const percent = await admin.get('/console/members?q=%25');
    expect(percent.html).not.toContain('김민지');
    const ict = await admin.get('/console/members?cluster=ICT');
    expect(ict.html).toContain('최지우');
    expect(ict.html).not.toContain('김민지');
    expect(ict.html).toMatch(/<option value="ICT" selected>/);
  });

  it('pages the JSON list by keyset with a Link header, and checks limit and after', async () => {
    const seen: string[] = [];
    let path: string | null = '/api/members?limit=3';
    while (path) {
      const page: { status: number; body: { email: string }[]; headers: Headers } = await api.get(path);
      expect(page.status).toBe(200);
      expect(page.body.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.map((member: { email: string }) => member.email));
      path = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1] ?? null;
    }
    expect(seen).toEqual((await api.get('/api/members')).body.map((member: { email: string }) => member.email));
    expect(new Set(seen).size).toBe(4);
    const gone = await api.get('/api/members?limit=3&after=00000000-0000-4000-8000-000000000000');
    expect(gone.status).toBe(400);
    expect(gone.body.message).toEqual(['after names no member: start again from the first page']);
    expect((await admin.get('/console/members?after=00000000-0000-4000-8000-000000000000')).status).toBe(400);
    const bad = await api.get('/api/members?limit=0&after=nope');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(expect.arrayContaining(['limit must be at least 1', 'after must be a member id (a UUID)']));
  });

  it('documents the paging and search of the members list and the import in the OpenAPI document', async () => {
    const document = (await api.get('/api/docs-json')).body;
    const list = document.paths['/api/members'].get;
    expect(list.summary).toEqual(expect.any(String));
    expect(list.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['cluster', 'q', 'limit', 'after']));
    expect(list.responses['200'].headers.Link).toBeDefined();
    const importing = document.paths['/api/members/import'].post;
    expect(importing.summary).toContain('cluster organizer');
    expect(Object.keys(importing.responses)).toEqual(expect.arrayContaining(['200', '400', '413', '415']));
  });

  it('pages the console list with a next link that continues after the last member shown', async () => {
    const first = await admin.get('/console/members?q=example');
    expect(first.html).not.toContain('rel="next"');
    // Fifty-one members make a second page.
    const csv = [
      'email,name,company,cluster',
      ...Array.from({ length: 51 }, (_, i) => `bulk${String(i).padStart(2, '0')}@bulk.example,회원${i},벌크,IMT`),
    ].join('\n');
    expect((await api.post('/api/members/import', csv, { contentType: 'text/csv' })).body.created).toBe(51);
    const page1 = await admin.get('/console/members?cluster=IMT');
    const next = /<a href="([^"]+)" rel="next">/.exec(page1.html)?.[1];
    const href = next && unescapeHtml(next);
    expect(href).toMatch(/^\/console\/members\?cluster=IMT&after=[0-9a-f-]{36}$/);
    expect((page1.html.match(/bulk\d\d@bulk\.example/g) ?? []).length).toBe(50);
    const page2 = await admin.get(href!);
    expect((page2.html.match(/bulk\d\d@bulk\.example/g) ?? []).length).toBe(1);
    expect(page2.html).not.toContain('rel="next"');
    expect(unescapeHtml(page2.html)).toContain('href="/console/members?cluster=IMT"');
  });

  it("shows a member's company, cluster and registrations; another cluster's member is refused", async () => {
    const page = await dc.get(`/console/members/${ids['kim@pixel.example']}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('픽셀웍스');
    expect(page.html).toContain('kim@pixel.example');
    expect(page.html).toContain('DC 콘텐츠 포럼');
    expect(page.html).toContain('확인 대기');
    const refused = await dc.get(`/console/members/${ids['choi@hanbit.example']}`);
    expect(refused.status).toBe(403);
    expect(refused.html).not.toContain('최지우');
    expect((await admin.get(`/console/members/${ids['choi@hanbit.example']}`)).status).toBe(200);
    expect((await admin.get('/console/members/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('lists companies with their cluster, member count and SIGs, scoped like the members', async () => {
    const companies = (await api.get('/api/companies')).body as { id: string; name: string }[];
    const pixel = companies.find((company) => company.name === '픽셀웍스')!;
    const sig = await api.post('/api/sigs', { name: '실감 콘텐츠 SIG', clusters: ['DC', 'ICT'] });
    expect(sig.status).toBe(201);
    expect((await api.post(`/api/sigs/${sig.body.id}/companies`, { companyIds: [pixel.id] })).status).toBe(200);
    const page = await dc.get('/console/members/companies');
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/>픽셀웍스<\/a><\/td>\s*<td[^>]*>[^<]+<\/td>\s*<td[^>]*>2<\/td>\s*<td[^>]*>실감 콘텐츠 SIG<\/td>/);
    expect(page.html).toContain('하늘 스튜디오');
    expect(page.html).not.toContain('한빛소프트');
    expect((await admin.get('/console/members/companies?cluster=ICT')).html).toContain('한빛소프트');
    expect((await admin.get('/console/members/companies?cluster=MARS')).status).toBe(400);
  });

  describe('import page', () => {
    const HEADER = 'email,name,company,cluster,locale';

    async function upload(browser: ConsoleClient, name: string, bytes: Uint8Array): Promise<Page> {
      await browser.get('/console/members/import');
      return browser.upload('/console/members/import', {}, { field: 'file', name, type: 'text/csv', bytes });
    }

    it('shows a labelled file field in a multipart form with its CSRF token', async () => {
      const form = await admin.get('/console/members/import');
      expect(form.status).toBe(200);
      expect(form.html).toMatch(/<form method="post" action="\/console\/members\/import" enctype="multipart\/form-data"/);
      expect(form.html).toMatch(/<label for="import-file">[^<]+<\/label>/);
      expect(form.html).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
      const missing = await admin.upload(
        '/console/members/import',
        {},
        { field: 'file', name: 'a.csv', type: 'text/csv', bytes: Buffer.from(`${HEADER}\n`) },
        null,
      );
      expect(missing.status).toBe(403);
    });

    it('imports a UTF-8 file with a BOM and reports created, updated, unchanged and rejected lines by number', async () => {
      const file = [
        HEADER,
        'new1@utf8.example,신규일,유티에프,GREEN_IT,ko',
        'kim@pixel.example,김민지,픽셀웍스,DC,en',
        'lee@pixel.example,이서준,픽셀웍스,DC,ko',
        'not-an-email,누구,회사,ICT,ko',
        'x@y.example,엑스,회사,MARS,ko',
      ].join('\r\n');
      const done = await upload(admin, '회원.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(file)]));
      expect(done.status).toBe(303);
      expect(done.location).toMatch(/^\/console\/members\/import\/[0-9a-f-]{36}$/);
      const report = await admin.get(done.location!);
      expect(report.status).toBe(200);
      expect(report.html).toContain('가져오기를 마쳤습니다: 새로 등록 1, 변경 1, 변경 없음 1, 제외 2.');
      expect(report.html).toMatch(/id="import-created">1</);
      expect(report.html).toMatch(/id="import-updated">1</);
      expect(report.html).toMatch(/id="import-unchanged">1</);
      expect(report.html).toMatch(/id="import-rejected">2</);
      expect(report.html).toMatch(/>5<\/td>\s*<td[^>]*>email must be an email</);
      expect(report.html).toMatch(/>6<\/td>\s*<td[^>]*>cluster must be one of ICT, IMT, DC, GREEN_IT</);
      expect((await api.get('/api/members?q=new1@utf8.example')).body[0]).toMatchObject({ name: '신규일', company: '유티에프', clusterCode: 'GREEN_IT' });
      // Another organizer's report is not theirs to read.
      expect((await dc.get(done.location!)).status).toBe(404);
      const audit = await t.db.query(`SELECT actor, target FROM audit_log WHERE action = 'members.import' ORDER BY id DESC LIMIT 1`);
      expect(audit.rows[0]).toEqual({ actor: ADMIN, target: '1 created, 1 updated, 1 unchanged, 2 rejected (회원.csv)' });
    });

    it("imports Korean Excel's CP949 file (똠, 햏 included) as the same names", async () => {
      const file = [HEADER, 'ttom@cp949.example,김똠햏,씨피회사,DC,ko', 'bad,이름,회사,DC,ko'].join('\r\n');
      const done = await upload(dc, 'excel.csv', iconv.encode(file, 'cp949'));
      expect(done.status).toBe(303);
      const report = await dc.get(done.location!);
      expect(report.html).toMatch(/id="import-created">1</);
      expect(report.html).toMatch(/>3<\/td>\s*<td[^>]*>email must be an email</);
      expect((await api.get('/api/members?q=ttom@cp949.example')).body[0]).toMatchObject({ name: '김똠햏', company: '씨피회사', clusterCode: 'DC' });
    });

    it("rejects, for a cluster organizer, lines naming another cluster or another cluster's member, by page and by API", async () => {
      const file = [
        HEADER,
        'mine@dc.example,내회원,디씨회사,DC,ko',
        'theirs@ict.example,남의회원,아이씨티,ICT,ko',
        'choi@hanbit.example,최지우,한빛소프트,DC,ko',
      ].join('\n');
      const done = await upload(dc, 'mixed.csv', Buffer.from(file));
      const report = await dc.get(done.location!);
      expect(report.html).toMatch(/id="import-created">1</);
      expect(report.html).toMatch(/>3<\/td>\s*<td[^>]*>cluster ICT is not one of your clusters \(DC\)</);
      expect(report.html).toMatch(/>4<\/td>\s*<td[^>]*>email choi@hanbit\.example is a member of cluster ICT, which is not one of yours</);
      expect((await api.get('/api/members?q=theirs@ict.example')).body).toEqual([]);
      expect((await api.get('/api/members?q=choi@hanbit.example')).body[0]).toMatchObject({ clusterCode: 'ICT', name: '최지우' });
      // The same rule by API, with a DC organizer's token.
      await dc.get('/console/tokens');
      await dc.post('/console/tokens', { name: 'import script' });
      const token = /id="fresh-token"[^>]*value="([^"]+)"/.exec((await dc.get('/console/tokens')).html)?.[1];
      expect(token).toMatch(/^shk_/);
      const byApi = await client(t.url, token).post('/api/members/import', `${HEADER}\nother@gi.example,그린,그린회사,GREEN_IT,ko\n`, {
        contentType: 'text/csv',
      });
      expect(byApi.status).toBe(200);
      expect(byApi.body).toEqual({
        created: 0,
        updated: 0,
        rejected: [{ line: 2, reason: 'cluster GREEN_IT is not one of your clusters (DC)' }],
      });
    });

    it('refuses a file that is no member CSV whole, next to the field, storing nothing', async () => {
      const refused = await upload(admin, 'wrong.csv', Buffer.from('mail,name\nz@z.example,제트\n'));
      expect(refused.status).toBe(400);
      expect(refused.html).toMatch(
        /<p class="field-error" id="import-file-error">파일을 가져오지 않았습니다[^<]*header must be email,name,company,cluster,locale/,
      );
      const empty = await upload(admin, 'empty.csv', new Uint8Array());
      expect(empty.status).toBe(400);
      expect(empty.html).toContain('가져올 CSV 파일을 골라 주세요.');
    });
  });
});

/** Handlebars escapes = and & in attributes; a browser reads them back. */
function unescapeHtml(html: string): string {
  return html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
}
