import { ConsoleClient, signedInConsole } from './support/console-client';
import { client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const ADMIN = 'federation@park.example';
const ICT_OFFICE = 'ict-office@park.example';

/** Issue 9: 수신 거부 — the list with search, adding an address with a reason, lifting one, who may lift what. */
describe('console: suppressions', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let ict: ConsoleClient;
  let ictToken: string;

  const lift = async (email: string, token = t.adminToken) =>
    (await fetch(`${t.url}/api/suppressions/${email}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status;
  const listed = async () => (await t.db.query(`SELECT email, reason, scope, detail, added_by FROM mail_suppressions ORDER BY email`)).rows;

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres', env: { ADMIN_EMAIL: ADMIN } });
    api = client(t.url, t.adminToken);
    const organizer = await api.post('/api/organizers', { email: ICT_OFFICE, role: 'cluster_organizer', clusters: ['ICT'] });
    ictToken = (await api.post('/api/tokens', { name: 'ICT script', organizerId: organizer.body.id })).body.token as string;
    await t.db.query(
      `INSERT INTO mail_suppressions (email, reason, scope, detail) VALUES
         ('bounced@hanbit.example', 'bounce', 'all', '550 5.1.1 no such user'), ('optout@pixel.example', 'unsubscribe', 'non_essential', NULL)`,
    );
    ict = await signedInConsole(t.url, t.mailbox, ICT_OFFICE);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists and searches the addresses; a cluster organizer may lift a bounce but not an unsubscribe', async () => {
    const page = await ict.get('/console/suppressions');
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<a href="\/console\/suppressions" aria-current="page">/);
    expect(page.html).toContain('<code>550 5.1.1 no such user</code>');
    expect(page.html).toMatch(/<input type="hidden" name="email" value="bounced@hanbit.example"><button type="submit" class="button-quiet"/);
    expect(page.html).not.toContain('value="optout@pixel.example"');
    expect(page.html).toContain('연합 관리자만 해제');
    const found = await ict.get('/console/suppressions?q=PIXEL');
    expect(found.html).toContain('optout@pixel.example');
    expect(found.html).not.toContain('bounced@hanbit.example');
  });

  it('adds an address by hand with its reason; bad input is shown next to its field with what was typed', async () => {
    await ict.get('/console/suppressions');
    const wrong = await ict.post('/console/suppressions', { email: 'not-an-address', scope: 'all', reason: ' ' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toMatch(/id="suppression-email-error">올바른 이메일 주소를 입력해 주세요.</);
    expect(wrong.html).toMatch(/id="suppression-reason-error">사유를 500자 이내로 입력해 주세요.</);
    expect(wrong.html).toContain('value="not-an-address"');
    expect(wrong.html).toMatch(/value="all" checked/);
    expect(await listed()).toHaveLength(2);

    expect((await ict.post('/console/suppressions', { email: 'left@hanbit.example', scope: 'all', reason: '퇴사' }, null)).status).toBe(403);
    expect(await listed()).toHaveLength(2);

    const added = await ict.post('/console/suppressions', { email: 'Left@Hanbit.example', scope: 'all', reason: '퇴사 (담당자 요청)' });
    expect([added.status, added.location]).toEqual([303, '/console/suppressions']);
    expect((await ict.get('/console/suppressions')).html).toContain('left@hanbit.example 주소로는 이제 메일을 보내지 않습니다.');
    expect((await listed()).find((row) => row.email === 'left@hanbit.example')).toEqual({
      email: 'left@hanbit.example',
      reason: 'manual',
      scope: 'all',
      detail: '퇴사 (담당자 요청)',
      added_by: ICT_OFFICE,
    });
    const twice = await ict.post('/console/suppressions', { email: 'left@hanbit.example', scope: 'non_essential', reason: '다시' });
    expect(twice.status).toBe(400);
    expect(twice.html).toMatch(/id="suppression-email-error">이미 수신 거부된 주소입니다.</);
    expect((await api.get('/api/audit-log?action=suppression.add')).body[0]).toMatchObject({ actor: ICT_OFFICE, target: 'left@hanbit.example' });
  });

  it('lifts a bounce; an unsubscribe is refused to a cluster organizer, by page and by API, and lifted by an admin', async () => {
    await ict.get('/console/suppressions');
    const lifted = await ict.post('/console/suppressions/remove', { email: 'bounced@hanbit.example' });
    expect(lifted.status).toBe(303);
    expect((await ict.get('/console/suppressions')).html).toContain('bounced@hanbit.example 주소의 수신 거부를 해제했습니다.');
    const refused = await ict.post('/console/suppressions/remove', { email: 'optout@pixel.example' });
    expect(refused.status).toBe(403);
    expect(await lift('optout@pixel.example', ictToken)).toBe(403);
    expect((await listed()).map((row) => row.email)).toEqual(['left@hanbit.example', 'optout@pixel.example']);
    expect(await lift('optout@pixel.example')).toBe(204);
    expect((await api.get('/api/audit-log?action=suppression.remove')).body.map((entry: { target: string }) => entry.target)).toEqual([
      'optout@pixel.example',
      'bounced@hanbit.example',
    ]);
  });

  it('adds by API too: 201 with the entry, 409 when already there, 400 naming the field', async () => {
    const added = await api.post('/api/suppressions', { email: 'gone@green.example', scope: 'non_essential', reason: '메일 주소 폐기' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      email: 'gone@green.example',
      reason: 'manual',
      scope: 'non_essential',
      detail: '메일 주소 폐기',
      addedBy: expect.any(String),
    });
    expect((await api.post('/api/suppressions', { email: 'GONE@green.example', scope: 'all', reason: 'x' })).status).toBe(409);
    const bad = await api.post('/api/suppressions', { email: 'x@y.example', scope: 'some', reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(expect.arrayContaining(['scope must be one of all, non_essential', 'reason must not be empty']));
  });
});
