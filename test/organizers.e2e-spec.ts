import { client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** Issue 9, accounts: organizers with roles scoped to clusters, API tokens shown once and revocable, the audit log. */
describe('organizers, API tokens and the audit log', () => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres', env: { ADMIN_EMAIL: 'federation@park.example' } });
    admin = client(t.url, t.adminToken);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function del(token: string, path: string) {
    const response = await fetch(`${t.url}${path}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
  }

  it('makes ADMIN_EMAIL a federation admin at start', async () => {
    const list = await admin.get('/api/organizers');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ email: 'federation@park.example', role: 'admin', clusters: [] })]);
  });

  it('creates organizers in the planned shape, once per address, and says what is wrong with bad input', async () => {
    const made = await admin.post('/api/organizers', { email: 'dc-office@park.example', name: '박서연', role: 'cluster_organizer', clusters: ['DC'] });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({
      id: expect.any(String),
      email: 'dc-office@park.example',
      name: '박서연',
      role: 'cluster_organizer',
      clusters: ['DC'],
      createdAt: expect.any(String),
    });
    const again = await admin.post('/api/organizers', { email: 'DC-Office@Park.example', role: 'admin' });
    expect(again.status).toBe(409);
    expect(again.body.message).toEqual(['DC-Office@Park.example is already an organizer']);

    const cases: [unknown, string][] = [
      [{ email: 'x@park.example', role: 'cluster_organizer' }, 'clusters must be an array of cluster codes (at least one for a cluster_organizer)'],
      [{ email: 'x@park.example', role: 'cluster_organizer', clusters: [] }, 'clusters must name at least one cluster for a cluster_organizer'],
      [{ email: 'x@park.example', role: 'cluster_organizer', clusters: ['SPACE'] }, 'each value in clusters must be one of ICT, IMT, DC, GREEN_IT'],
      [{ email: 'x@park.example', role: 'owner' }, 'role must be one of admin, cluster_organizer'],
      [{ email: 'not-an-email', role: 'admin' }, 'email must be an email'],
      [{ email: 'x@park.example', name: 'Eve\r\nBcc: all@park.example', role: 'admin' }, 'name must be a single line without control characters'],
    ];
    for (const [body, message] of cases) {
      const answer = await admin.post('/api/organizers', body);
      expect({ body, status: answer.status, message: answer.body.message }).toEqual({ body, status: 400, message: expect.arrayContaining([message]) });
    }
    expect((await admin.get('/api/organizers')).body).toHaveLength(2);
  });

  it('gives an API token once, acting with its organizer rights, refused at once when revoked', async () => {
    const organizers = (await admin.get('/api/organizers')).body as { id: string; email: string }[];
    const dc = organizers.find((o) => o.email === 'dc-office@park.example')!;
    const made = await admin.post('/api/tokens', { name: 'DC script', organizerId: dc.id });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({
      id: expect.any(String),
      name: 'DC script',
      organizerId: dc.id,
      token: expect.stringMatching(/^shk_[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
    });
    const stored = await t.db.query(`SELECT token_hash FROM api_tokens WHERE id = $1`, [made.body.id]);
    expect(stored.rows[0].token_hash).not.toContain(made.body.token);

    const dcApi = client(t.url, made.body.token);
    expect((await dcApi.get('/api/members')).status).toBe(200);
    // A cluster organizer is no admin.
    expect((await dcApi.get('/api/organizers')).status).toBe(403);
    expect((await dcApi.get('/api/audit-log')).status).toBe(403);
    expect((await dcApi.post('/api/organizers', { email: 'me@park.example', role: 'admin' })).status).toBe(403);
    // Their own second token, but not one for someone else.
    const own = await dcApi.post('/api/tokens', { name: 'laptop' });
    expect(own.status).toBe(201);
    const adminId = organizers.find((o) => o.email === 'federation@park.example')!.id;
    expect((await dcApi.post('/api/tokens', { name: 'sneaky', organizerId: adminId })).status).toBe(403);
    const listed = await dcApi.get('/api/tokens');
    expect(listed.body.map((token: { name: string }) => token.name).sort()).toEqual(['DC script', 'laptop']);
    expect(JSON.stringify(listed.body)).not.toContain('shk_');

    // The admin's token is not theirs to revoke; their own is, and it is refused from the next request.
    const adminsToken = await admin.post('/api/tokens', { name: 'admin script' });
    expect(adminsToken.status).toBe(201);
    expect((await del(made.body.token, `/api/tokens/${adminsToken.body.id}`)).status).toBe(404);
    const revoked = await del(made.body.token, `/api/tokens/${made.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await dcApi.get('/api/members')).status).toBe(401);
    expect((await client(t.url, own.body.token).get('/api/members')).status).toBe(200);
    expect((await del(t.adminToken, '/api/tokens/not-a-uuid')).status).toBe(400);
  });

  it('keeps an audit log of organizer actions, newest first, filtered, for admins only', async () => {
    const log = await admin.get('/api/audit-log');
    expect(log.status).toBe(200);
    const actions = log.body.map((entry: { action: string }) => entry.action);
    expect(actions.slice(0, 5)).toEqual(['token.revoke', 'token.create', 'token.create', 'token.create', 'organizer.create']);
    expect(log.body[0]).toEqual({
      at: expect.any(String),
      actor: 'dc-office@park.example',
      action: 'token.revoke',
      target: expect.stringContaining('DC script'),
      ip: expect.any(String),
    });
    const byAdminToken = await admin.get('/api/audit-log?actor=admin-token&action=organizer.create');
    expect(byAdminToken.body).toEqual([
      expect.objectContaining({ actor: 'admin-token', action: 'organizer.create', target: 'organizer dc-office@park.example' }),
    ]);
    expect((await admin.get('/api/audit-log?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z')).body).toEqual([]);
    const bad = await admin.get('/api/audit-log?from=yesterday');
    expect([bad.status, bad.body.message]).toEqual([400, ['from must be a date and time (ISO 8601)']]);
  });
});
