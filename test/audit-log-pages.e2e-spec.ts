import { Answer, client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** GET /api/audit-log in keyset pages: the body stays the array it was, the next page is a Link header. */
describe('audit log pages', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres' });
    api = client(t.url, t.adminToken);
    for (let i = 0; i < 5; i++)
      expect((await api.post('/api/organizers', { email: `o${i}@cluster.test`, role: 'cluster_organizer', clusters: ['IMT'] })).status).toBe(201);
    // Two entries in the same microsecond would still be told apart by id: give three of them one timestamp.
    await t.db.query(`UPDATE audit_log SET at = (SELECT max(at) FROM audit_log) WHERE target LIKE '%o1@%' OR target LIKE '%o2@%' OR target LIKE '%o3@%'`);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('walks the whole log, newest first, two entries a page, each entry once', async () => {
    const whole = await api.get('/api/audit-log?action=organizer.create');
    expect(whole.body).toHaveLength(5);
    expect(whole.headers.get('link')).toBeNull();

    const seen: unknown[] = [];
    let path: string | undefined = '/api/audit-log?action=organizer.create&limit=2';
    const sizes: number[] = [];
    while (path) {
      const page: Answer = await api.get(path);
      expect(page.status).toBe(200);
      sizes.push(page.body.length);
      seen.push(...page.body);
      path = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1];
      if (path) expect(path).toContain(`after=${page.headers.get('x-next-cursor')}`);
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(whole.body);
  });

  it('refuses a cursor it did not make, naming the parameter', async () => {
    for (const after of ['nonsense', Buffer.from('["yesterday","1"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
      const answer = await api.get(`/api/audit-log?after=${after}`);
      expect([answer.status, answer.body.message]).toEqual([400, [expect.stringMatching(/^after /)]]);
    }
  });
});
