import { client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** Issue 9: co-host approval before publishing, and cluster organizers acting only for their clusters. */
describe('co-host approvals and cluster-scoped rights', () => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let dc: ReturnType<typeof client>;
  let ict: ReturnType<typeof client>;
  const seminar = (hostClusters: string[], title = 'AI × 콘텐츠 융합 세미나') => ({
    title,
    type: 'seminar',
    startsAt: '2027-05-20T14:00:00+09:00',
    endsAt: '2027-05-20T16:00:00+09:00',
    hostClusters,
  });

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres' });
    admin = client(t.url, t.adminToken);
    const tokenFor = async (email: string, cluster: string) => {
      const organizer = await admin.post('/api/organizers', { email, role: 'cluster_organizer', clusters: [cluster] });
      return (await admin.post('/api/tokens', { name: `${cluster} script`, organizerId: organizer.body.id })).body.token as string;
    };
    dc = client(t.url, await tokenFor('dc-office@park.example', 'DC'));
    ict = client(t.url, await tokenFor('ict-office@park.example', 'ICT'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('asks each co-host to approve, refuses to publish until all have, and records who decided', async () => {
    const created = await dc.post('/api/events', seminar(['DC', 'ICT']));
    expect(created.status).toBe(201);
    expect(created.body.approvals).toEqual([{ cluster: 'ICT', status: 'pending', reason: null }]);
    const id = created.body.id as string;

    const early = await dc.post(`/api/events/${id}/publish`);
    expect([early.status, early.body.message]).toEqual([409, ['publishing needs the approval of every co-host; not yet approved by ICT (pending)']]);
    // DC cannot decide for ICT; a decline needs its reason.
    expect((await dc.post(`/api/events/${id}/approvals`, { cluster: 'ICT', decision: 'approve' })).status).toBe(403);
    const bare = await ict.post(`/api/events/${id}/approvals`, { cluster: 'ICT', decision: 'decline' });
    expect([bare.status, bare.body.message]).toEqual([400, expect.arrayContaining(['reason should not be empty'])]);
    expect((await ict.post(`/api/events/${id}/approvals`, { cluster: 'ICT', decision: 'maybe' })).status).toBe(400);

    const declined = await ict.post(`/api/events/${id}/approvals`, { cluster: 'ICT', decision: 'decline', reason: '일정 중복' });
    expect(declined.status).toBe(200);
    expect(declined.body.approvals).toEqual([{ cluster: 'ICT', status: 'declined', reason: '일정 중복' }]);
    expect((await dc.post(`/api/events/${id}/publish`)).body.message).toEqual([
      'publishing needs the approval of every co-host; not yet approved by ICT (declined: 일정 중복)',
    ]);
    // Everyone sees where it stands.
    expect((await dc.get(`/api/events/${id}`)).body.approvals).toEqual([{ cluster: 'ICT', status: 'declined', reason: '일정 중복' }]);

    expect((await ict.post(`/api/events/${id}/approvals`, { cluster: 'ICT', decision: 'approve' })).body.approvals).toEqual([
      { cluster: 'ICT', status: 'approved', reason: null },
    ]);
    const published = await dc.post(`/api/events/${id}/publish`);
    expect([published.status, published.body.status]).toEqual([200, 'published']);
    // Decisions are taken before publishing, and only from clusters that were asked.
    expect((await ict.post(`/api/events/${id}/approvals`, { cluster: 'ICT', decision: 'decline', reason: 'late' })).status).toBe(409);

    const audit = (await admin.get('/api/audit-log')).body as { actor: string; action: string; target: string }[];
    const trail = audit.filter((entry) => entry.target?.includes(id)).map((entry) => `${entry.actor} ${entry.action}`);
    expect(trail.reverse()).toEqual([
      'dc-office@park.example event.create',
      'ict-office@park.example event.decline',
      'ict-office@park.example event.approve',
      'dc-office@park.example event.publish',
    ]);
  });

  it("counts a federation admin's event as approved by every host, and an organizer's own clusters too", async () => {
    const byAdmin = await admin.post('/api/events', seminar(['DC', 'ICT', 'IMT']));
    expect(byAdmin.body.approvals).toEqual([]);
    expect((await admin.post(`/api/events/${byAdmin.body.id}/publish`)).status).toBe(200);
    const own = await dc.post('/api/events', seminar(['DC']));
    expect(own.body.approvals).toEqual([]);
    expect((await dc.post(`/api/events/${own.body.id}/publish`)).status).toBe(200);
  });

  it('gives a cluster organizer 403 on events their clusters do not host, by every API route, and members of other clusters', async () => {
    const refused = await dc.post('/api/events', seminar(['ICT']));
    expect([refused.status, refused.body.message]).toEqual([403, ['hostClusters must include one of your clusters (DC)']]);

    const ictOnly = (await admin.post('/api/events', seminar(['ICT'], 'ICT 기술교류회'))).body.id as string;
    await admin.post(`/api/events/${ictOnly}/publish`);
    const registration = await client(t.url).post(`/api/events/${ictOnly}/registrations`, { email: 'guest@ict.example', name: 'Guest' });
    expect(registration.status).toBe(202); // the public route stays public
    const someone = '00000000-0000-4000-8000-000000000001';
    const attempts: [string, () => Promise<{ status: number }>][] = [
      ['PATCH event', () => dc.patch(`/api/events/${ictOnly}`, { title: 'taken over' })],
      ['cancel', () => dc.post(`/api/events/${ictOnly}/cancel`, { reason: 'no' })],
      ['invitations', () => dc.post(`/api/events/${ictOnly}/invitations`, {})],
      ['registrations', () => dc.get(`/api/events/${ictOnly}/registrations`)],
      ['export', () => dc.get(`/api/events/${ictOnly}/registrations.csv`)],
      ['check-in', () => dc.post(`/api/events/${ictOnly}/check-ins`, { code: '7KQM-2XWD' })],
      ['deliveries', () => dc.get(`/api/events/${ictOnly}/deliveries`)],
      ['promote', () => dc.post(`/api/events/${ictOnly}/registrations/${someone}/promote`)],
    ];
    for (const [what, call] of attempts) expect({ what, status: (await call()).status }).toEqual({ what, status: 403 });
    expect((await admin.get(`/api/events/${ictOnly}`)).body.title).toBe('ICT 기술교류회');
    for (const [what, call] of [
      ['registrations', () => ict.get(`/api/events/${ictOnly}/registrations`)],
      ['export', () => ict.get(`/api/events/${ictOnly}/registrations.csv`)],
      ['deliveries', () => ict.get(`/api/events/${ictOnly}/deliveries`)],
    ] as const) {
      expect({ what, status: (await call()).status }).toEqual({ what, status: 200 });
    }

    await admin.post('/api/members', { email: 'dc-member@park.example', name: 'DC 회원', company: 'DC Co', clusterCode: 'DC' });
    await admin.post('/api/members', { email: 'ict-member@park.example', name: 'ICT 회원', company: 'ICT Co', clusterCode: 'ICT' });
    expect((await dc.get('/api/members')).body.map((m: { email: string }) => m.email)).toEqual(['dc-member@park.example']);
    expect((await dc.get('/api/members?cluster=ICT')).body).toEqual([]);
    expect((await admin.get('/api/members?cluster=ICT')).body.map((m: { email: string }) => m.email)).toEqual(['ict-member@park.example']);
    expect((await dc.post('/api/members', { email: 'x@ict.example', name: 'X', company: 'X', clusterCode: 'ICT' })).status).toBe(403);
  });

  it("keeps a series to the cluster organizer's own clusters: a co-hosted one is an admin's, and another cluster's is not theirs to publish", async () => {
    const series = (hostClusters: string[]) => ({
      title: '월례 기술교류회',
      type: 'tech_exchange',
      startsAt: '2027-04-07T19:00:00+09:00',
      endsAt: '2027-04-07T21:00:00+09:00',
      hostClusters,
      rrule: 'FREQ=MONTHLY;COUNT=3',
    });
    const count = async () => (await t.db.query(`SELECT count(*)::int AS n FROM event_series`)).rows[0].n as number;
    const before = await count();
    // Naming ICT beside DC would publish in ICT's name with no ICT approval: refused, nothing written.
    const cohosted = await dc.post('/api/series', series(['DC', 'ICT']));
    expect([cohosted.status, JSON.stringify(cohosted.body.message)]).toEqual([403, expect.stringContaining('hostClusters')]);
    expect((await dc.post('/api/series', series(['ICT']))).status).toBe(403);
    expect(await count()).toBe(before);
    const own = await dc.post('/api/series', series(['DC']));
    expect(own.status).toBe(201);
    // DC's series is led by DC; ICT may not publish it, DC may.
    expect((await t.db.query(`SELECT DISTINCT lead_host FROM events WHERE series_id = $1`, [own.body.id])).rows).toEqual([{ lead_host: 'DC' }]);
    expect((await ict.post(`/api/series/${own.body.id}/publish`)).status).toBe(403);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM events WHERE series_id = $1 AND status = 'published'`, [own.body.id])).rows[0].n).toBe(0);
    expect((await dc.post(`/api/series/${own.body.id}/publish`)).status).toBe(200);
    // An admin makes the co-hosted one.
    expect((await admin.post('/api/series', series(['DC', 'ICT']))).status).toBe(201);
  });
});
