import { signedInConsole } from './support/console-client';
import { client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 10's reports against a small dataset whose every number was worked out by hand (the
 * comments say how). Members and companies come through the API, their created_at and the
 * registrations are set in SQL: registrations of past states are data here, not a flow under test.
 */
describe('reports', () => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let dc: ReturnType<typeof client>;
  const company: Record<string, string> = {};
  const member: Record<string, string> = {};
  const event: Record<string, string> = {};

  async function newEvent(title: string, hostClusters: string[], startsAt: string): Promise<string> {
    const endsAt = startsAt.replace('T14:00', 'T16:00');
    const created = await admin.post('/api/events', { title, type: 'seminar', startsAt, endsAt, hostClusters });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  /** A CSV download as its bytes say it: fetch's text() would drop the BOM that Excel needs. */
  async function download(path: string, token = t.adminToken): Promise<{ type: string | null; text: string }> {
    const response = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { type: response.headers.get('content-type'), text: Buffer.from(await response.arrayBuffer()).toString('utf8') };
  }

  async function register(eventName: string, email: string, cluster: string | null, status: string, checkedIn = false): Promise<void> {
    await t.db.query(
      `INSERT INTO registrations (event_id, email, name, cluster_code, status, source, checked_in_at)
       VALUES ($1, $2, $3, $4, $5, 'public', CASE WHEN $6::boolean THEN now() END)`,
      [event[eventName], email, email.split('@')[0], cluster, status, checkedIn],
    );
  }

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres', env: { ADMIN_EMAIL: 'federation@park.example' } });
    admin = client(t.url, t.adminToken);
    const organizer = await admin.post('/api/organizers', { email: 'dc-office@park.example', role: 'cluster_organizer', clusters: ['DC'] });
    dc = client(t.url, (await admin.post('/api/tokens', { name: 'DC reports', organizerId: organizer.body.id })).body.token as string);

    // Companies: ICT i1 (January), i2 (February); DC d1 (January); GREEN_IT g1 (March); none in IMT.
    for (const [name, cluster, createdAt] of [
      ['i1', 'ICT', '2027-01-05T10:00:00+09:00'],
      ['i2', 'ICT', '2027-02-05T10:00:00+09:00'],
      ['d1', 'DC', '2027-01-06T10:00:00+09:00'],
      ['g1', 'GREEN_IT', '2027-03-10T10:00:00+09:00'],
    ]) {
      const created = await admin.post('/api/companies', { name, clusterCode: cluster });
      company[name] = created.body.id as string;
      await t.db.query(`UPDATE companies SET created_at = $2 WHERE id = $1`, [company[name], createdAt]);
    }
    // Members. ga joins at 00:30 on 1 April in Seoul (still 31 March in UTC): April's, not March's.
    for (const [email, companyName, cluster, createdAt] of [
      ['ia@i1.example', 'i1', 'ICT', '2027-01-10T10:00:00+09:00'],
      ['ib@i1.example', 'i1', 'ICT', '2027-02-05T10:00:00+09:00'],
      ['ic@i2.example', 'i2', 'ICT', '2027-02-20T10:00:00+09:00'],
      ['da@d1.example', 'd1', 'DC', '2027-01-15T10:00:00+09:00'],
      ['db@d1.example', 'd1', 'DC', '2027-03-03T10:00:00+09:00'],
      ['ga@g1.example', 'g1', 'GREEN_IT', '2027-04-01T00:30:00+09:00'],
    ]) {
      const created = await admin.post('/api/members', { email, name: email, company: companyName, clusterCode: cluster });
      expect(created.status).toBe(201);
      member[email] = created.body.id as string;
      await t.db.query(`UPDATE members SET created_at = $2 WHERE id = $1`, [member[email], createdAt]);
    }
    // A convergence SIG of i1 and d1.
    const sig = await admin.post('/api/sigs', { name: 'AI 콘텐츠', clusters: ['ICT', 'DC'] });
    await admin.post(`/api/sigs/${sig.body.id}/companies`, { companyIds: [company.i1, company.d1] });

    // Events: E1 hosted by ICT and E2 by ICT and DC, both in March; E3 (DC) in April; E4 (ICT, March) cancelled.
    event.E1 = await newEvent('E1', ['ICT'], '2027-03-10T14:00:00+09:00');
    event.E2 = await newEvent('E2', ['ICT', 'DC'], '2027-03-20T14:00:00+09:00');
    event.E3 = await newEvent('E3', ['DC'], '2027-04-05T14:00:00+09:00');
    event.E4 = await newEvent('E4', ['ICT'], '2027-03-25T14:00:00+09:00');
    expect((await admin.post(`/api/events/${event.E1}/publish`)).status).toBe(200);
    await t.db.query(`UPDATE events SET status = 'published' WHERE id = ANY ($1::uuid[])`, [[event.E2, event.E3]]);
    await t.db.query(`UPDATE events SET status = 'cancelled' WHERE id = $1`, [event.E4]);
    // E1's invitations: ICT's three and DC's two members, and ga of GREEN_IT by id.
    const invited = await admin.post(`/api/events/${event.E1}/invitations`, { clusters: ['ICT', 'DC'], memberIds: [member['ga@g1.example']] });
    expect(invited.body).toEqual({ queued: 6 });

    await register('E1', 'r1@x.example', 'ICT', 'confirmed', true);
    await register('E1', 'r2@x.example', 'DC', 'confirmed');
    await register('E1', 'r3@x.example', 'GREEN_IT', 'confirmed', true);
    await register('E1', 'r4@guest.example', null, 'confirmed');
    await register('E1', 'r5@x.example', 'DC', 'cancelled');
    await register('E1', 'r6@x.example', 'IMT', 'pending_confirmation');
    await register('E2', 'r7@x.example', 'ICT', 'confirmed', true);
    await register('E2', 'r8@x.example', 'DC', 'confirmed');
    await register('E2', 'r9@x.example', 'IMT', 'confirmed', true);
    await register('E3', 'r10@x.example', 'ICT', 'confirmed');
    await register('E4', 'r11@x.example', 'DC', 'confirmed');
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('participation', () => {
    const march = '/api/reports/participation?from=2027-03-01&to=2027-04-01';

    it('counts confirmed and checked-in registrations by host and attendee cluster, E2 under both hosts', async () => {
      const report = await admin.get(march);
      expect(report.status).toBe(200);
      // E1 (ICT): r1 ICT ✓, r2 DC, r3 GREEN_IT ✓, r4 guest; r5 cancelled and r6 pending do not count.
      // E2 (ICT + DC): r7 ICT ✓, r8 DC, r9 IMT ✓ — under ICT and again under DC. E3 is April's, E4 cancelled.
      expect(report.body.matrix).toEqual([
        { hostCluster: 'ICT', attendeeCluster: 'ICT', confirmed: 2, checkedIn: 2 },
        { hostCluster: 'ICT', attendeeCluster: 'IMT', confirmed: 1, checkedIn: 1 },
        { hostCluster: 'ICT', attendeeCluster: 'DC', confirmed: 2, checkedIn: 0 },
        { hostCluster: 'ICT', attendeeCluster: 'GREEN_IT', confirmed: 1, checkedIn: 1 },
        { hostCluster: 'ICT', attendeeCluster: null, confirmed: 1, checkedIn: 0 },
        { hostCluster: 'DC', attendeeCluster: 'ICT', confirmed: 1, checkedIn: 1 },
        { hostCluster: 'DC', attendeeCluster: 'IMT', confirmed: 1, checkedIn: 1 },
        { hostCluster: 'DC', attendeeCluster: 'DC', confirmed: 1, checkedIn: 0 },
      ]);
      // Known clusters, each registration once: r1 r2 r3 r7 r8 r9 = 6; not from a host: r2, r3, r9 = 3.
      expect(report.body.crossClusterShare).toBeCloseTo(3 / 6, 10);
    });

    it("keeps a cluster organizer to their clusters' events", async () => {
      const report = await dc.get(march);
      expect(report.body.matrix).toEqual([
        { hostCluster: 'DC', attendeeCluster: 'ICT', confirmed: 1, checkedIn: 1 },
        { hostCluster: 'DC', attendeeCluster: 'IMT', confirmed: 1, checkedIn: 1 },
        { hostCluster: 'DC', attendeeCluster: 'DC', confirmed: 1, checkedIn: 0 },
      ]);
      // Only E2: r7, r8, r9, of which r9 (IMT) is from no host.
      expect(report.body.crossClusterShare).toBeCloseTo(1 / 3, 10);
    });

    it('answers 400 naming the field for a bad period, and 401 without a token', async () => {
      const bad = await admin.get('/api/reports/participation?from=March&to=2027-04-01');
      expect([bad.status, JSON.stringify(bad.body.message)]).toEqual([400, expect.stringContaining('from')]);
      const backwards = await admin.get('/api/reports/participation?from=2027-04-01&to=2027-03-01');
      expect([backwards.status, JSON.stringify(backwards.body.message)]).toEqual([400, expect.stringContaining('to')]);
      expect((await admin.get(march, { token: null })).status).toBe(401);
    });

    it('downloads the table as CSV', async () => {
      const csv = await download(`${march}&format=csv`);
      expect(csv.type).toContain('text/csv');
      expect(csv.text.split('\r\n').slice(0, 3)).toEqual(['\uFEFFhost_cluster,attendee_cluster,confirmed,checked_in', 'ICT,ICT,2,2', 'ICT,IMT,1,1']);
      expect(csv.text).toContain('cross_cluster_share,0.5\r\n');
    });
  });

  describe('SIG coverage', () => {
    it('counts each cluster’s companies, those in a SIG, and names the others', async () => {
      const report = await admin.get('/api/reports/sig-coverage');
      expect(report.body).toEqual({
        clusters: [
          { cluster: 'ICT', companies: 2, companiesInSig: 1, companiesWithoutSig: [{ id: company.i2, name: 'i2' }] },
          { cluster: 'IMT', companies: 0, companiesInSig: 0, companiesWithoutSig: [] },
          { cluster: 'DC', companies: 1, companiesInSig: 1, companiesWithoutSig: [] },
          { cluster: 'GREEN_IT', companies: 1, companiesInSig: 0, companiesWithoutSig: [{ id: company.g1, name: 'g1' }] },
        ],
      });
      expect((await dc.get('/api/reports/sig-coverage')).body).toEqual({
        clusters: [{ cluster: 'DC', companies: 1, companiesInSig: 1, companiesWithoutSig: [] }],
      });
    });

    it('neutralises formulas in the CSV', async () => {
      const formula = await admin.post('/api/companies', { name: '=HYPERLINK("x")', clusterCode: 'IMT' });
      // Made after the growth report's months, so it leaves their counts alone.
      await t.db.query(`UPDATE companies SET created_at = '2030-01-01T00:00:00Z' WHERE id = $1`, [formula.body.id]);
      const csv = await download('/api/reports/sig-coverage?format=csv');
      expect(csv.text.startsWith('\uFEFFcluster,companies,companies_in_sig,companies_without_sig\r\n')).toBe(true);
      expect(csv.text).toContain(`IMT,1,0,"'=HYPERLINK(""x"")"\r\n`);
      expect(csv.text).toContain('ICT,2,1,i2\r\n');
    });
  });

  describe('growth', () => {
    it('counts companies and members of each cluster at the end of each month, in Seoul time', async () => {
      const report = await admin.get('/api/reports/growth?from=2027-01&to=2027-04');
      const row = (cluster: string, companies: number, members: number) => ({ cluster, companies, members });
      expect(report.body.target).toBe(1000);
      expect(report.body.months).toEqual([
        { month: '2027-01', clusters: [row('ICT', 1, 1), row('IMT', 0, 0), row('DC', 1, 1), row('GREEN_IT', 0, 0)] },
        { month: '2027-02', clusters: [row('ICT', 2, 3), row('IMT', 0, 0), row('DC', 1, 1), row('GREEN_IT', 0, 0)] },
        // ga (GREEN_IT) joined at 00:30 on 1 April in Seoul: not March's.
        { month: '2027-03', clusters: [row('ICT', 2, 3), row('IMT', 0, 0), row('DC', 1, 2), row('GREEN_IT', 1, 0)] },
        { month: '2027-04', clusters: [row('ICT', 2, 3), row('IMT', 0, 0), row('DC', 1, 2), row('GREEN_IT', 1, 1)] },
      ]);
      expect((await dc.get('/api/reports/growth?from=2027-03&to=2027-03')).body.months).toEqual([{ month: '2027-03', clusters: [row('DC', 1, 2)] }]);
      const csv = await download('/api/reports/growth?from=2027-01&to=2027-01&format=csv');
      expect(csv.text).toBe('\uFEFFmonth,cluster,companies,members\r\n2027-01,ICT,1,1\r\n2027-01,IMT,0,0\r\n2027-01,DC,1,1\r\n2027-01,GREEN_IT,0,0\r\n');
    });

    it('answers 400 for a bad month', async () => {
      const bad = await admin.get('/api/reports/growth?from=2027-13&to=2027-12');
      expect([bad.status, JSON.stringify(bad.body.message)]).toEqual([400, expect.stringContaining('from')]);
    });
  });

  describe('event funnel', () => {
    it('counts invited, registered, confirmed and checked in per cluster', async () => {
      const funnel = await admin.get(`/api/events/${event.E1}/funnel`);
      // Invited: ICT ia ib ic, DC da db, GREEN_IT ga. Registered (any status): ICT r1; IMT r6 (pending); DC r2, r5 (cancelled); GREEN_IT r3.
      expect(funnel.body).toEqual({
        clusters: [
          { cluster: 'ICT', invited: 3, registered: 1, confirmed: 1, checkedIn: 1 },
          { cluster: 'IMT', invited: 0, registered: 1, confirmed: 0, checkedIn: 0 },
          { cluster: 'DC', invited: 2, registered: 2, confirmed: 1, checkedIn: 0 },
          { cluster: 'GREEN_IT', invited: 1, registered: 1, confirmed: 1, checkedIn: 1 },
        ],
      });
      const csv = await download(`/api/events/${event.E1}/funnel?format=csv`);
      expect(csv.text.split('\r\n').slice(0, 2)).toEqual(['\uFEFFcluster,invited,registered,confirmed,checked_in', 'ICT,3,1,1,1']);
      expect((await dc.get(`/api/events/${event.E1}/funnel`)).status).toBe(403);
      expect((await admin.get('/api/events/00000000-0000-4000-8000-000000000000/funnel')).status).toBe(404);
    });
  });

  describe('the console page', () => {
    const period = '/console/reports?from=2027-03-01&to=2027-04-01&monthsFrom=2027-01&monthsTo=2027-04';
    const chartData = (html: string, id: string) => JSON.parse(new RegExp(`<script type="application/json" id="${id}">(.*?)</script>`, 's').exec(html)![1]);

    it('shows the same numbers as the API as tables, chart data and CSV links', async () => {
      const office = await signedInConsole(t.url, t.mailbox, 'federation@park.example');
      const page = await office.get(period);
      expect(page.status).toBe(200);
      expect(page.html).toContain('클러스터 간 참여 비율: 50.0%');
      // The ICT row: ICT 2 (2), IMT 1 (1), DC 2 (0), GREEN_IT 1 (1), no cluster 1 (0).
      expect(page.html).toMatch(
        /<th scope="row">ICT 미니클러스터<\/th><td>2 <span class="muted">\(2\)<\/span><\/td><td>1 <span class="muted">\(1\)<\/span><\/td><td>2 <span class="muted">\(0\)/,
      );
      expect(chartData(page.html, 'participation-chart').datasets.map((set: { data: number[] }) => set.data)).toEqual([
        [2, 1],
        [1, 1],
        [2, 1],
        [1, 0],
        [1, 0],
      ]);
      // Growth in April: ICT 2, DC 1, GREEN_IT 1 = 4 companies of the 1,000 target.
      expect(page.html).toMatch(/<th scope="row">2027-04<\/th>.*?<td>4 <span class="muted">0\.4%<\/span><\/td>/s);
      expect(page.html).toContain(`href="/api/reports/participation?from&#x3D;2027-03-01&amp;to&#x3D;2027-04-01&amp;format&#x3D;csv"`);
      expect(page.html).toContain('src="/assets/console-charts.js"');
    });

    it("keeps a cluster organizer to their clusters' numbers, and says what is wrong with a bad period", async () => {
      const office = await signedInConsole(t.url, t.mailbox, 'dc-office@park.example');
      const page = await office.get(period);
      expect(page.status).toBe(200);
      expect(page.html).toContain('클러스터 간 참여 비율: 33.3%');
      expect(chartData(page.html, 'participation-chart').labels).toEqual(['디지털콘텐츠 미니클러스터']);
      const bad = await office.get('/console/reports?from=March&to=2027-04-01&monthsFrom=2027-05&monthsTo=2027-01');
      expect(bad.status).toBe(400);
      expect(bad.html).toContain('value="March"');
      expect(bad.html).toContain('날짜를 YYYY-MM-DD 형식으로 입력하세요.');
      expect(bad.html).toContain('마지막 월은 시작 월과 같거나 뒤여야 하며');
    });
  });
});
