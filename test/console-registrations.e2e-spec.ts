import { ConsoleClient, signedInConsole } from './support/console-client';
import { Answer, client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const ADMIN = 'federation@park.example';
const ICT_OFFICE = 'ict-office@park.example';
const DC_OFFICE = 'dc-office@park.example';

/** Issue 9, CONSOLE.md flow 4: the registrations tab, its filters and search, cancel, promote, export, and keyset pages (page and API). */
describe('console: an event’s registrations', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let ict: ConsoleClient;
  let dc: ConsoleClient;
  let eventId: string;
  let ictOnlyId: string;
  const id: Record<string, string> = {};

  /** The registrant names in the page's table, in order. */
  const names = (html: string) => [...html.matchAll(/<td data-label="이름">([^<]*)<\/td>/g)].map((match) => match[1]);

  async function event(title: string, hostClusters: string[], capacity?: number): Promise<string> {
    const created = await api.post('/api/events', {
      title,
      type: 'seminar',
      startsAt: '2027-03-10T14:00:00+09:00',
      endsAt: '2027-03-10T16:00:00+09:00',
      hostClusters,
      ...(capacity ? { capacity } : {}),
    });
    expect((await api.post(`/api/events/${created.body.id}/publish`)).status).toBe(200);
    return created.body.id as string;
  }

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres', env: { ADMIN_EMAIL: ADMIN } });
    api = client(t.url, t.adminToken);
    await api.post('/api/organizers', { email: ICT_OFFICE, role: 'cluster_organizer', clusters: ['ICT'] });
    await api.post('/api/organizers', { email: DC_OFFICE, role: 'cluster_organizer', clusters: ['DC'] });
    // ICT operates, DC co-hosts: DC's office sees only those who consented to DC receiving their data.
    eventId = await event('AI × 콘텐츠 융합 세미나', ['ICT', 'DC'], 3);
    ictOnlyId = await event('ICT 단독 세미나', ['ICT']);
    // Made one a second apart, in this order: two confirmed, two waiting, one unconfirmed, one cancelled.
    const rows: [string, string, string, string | null, string, string, number | null, boolean][] = [
      ['minji', '김민지', 'minji@hanbit.example', '한빛소프트', 'ICT', 'confirmed', null, true],
      ['john', 'John Smith', 'john@pixel.example', 'Pixel Works', 'DC', 'confirmed', null, false],
      ['sora', '이소라', 'sora@green.example', '그린에너지', 'GREEN_IT', 'waitlisted', 1, true],
      ['dan', '박단', 'dan@imt.example', '100%_Motors', 'IMT', 'waitlisted', 2, false],
      ['eun', '최은', 'eun@hanbit.example', '한빛소프트', 'ICT', 'pending_confirmation', null, false],
      ['gone', '정가은', 'gone@pixel.example', 'Pixel Works', 'DC', 'cancelled', null, false],
    ];
    for (const [index, [key, name, email, company, cluster, status, order, consentsToDc]] of rows.entries()) {
      const inserted = await t.db.query(
        `INSERT INTO registrations (event_id, email, name, company, cluster_code, status, source, waitlist_order, created_at, confirmed_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'public', $7, now() - make_interval(secs => $8), CASE WHEN $6::varchar = 'confirmed' THEN now() END) RETURNING id`,
        [eventId, email, name, company, cluster, status, order, 100 - index],
      );
      id[key] = inserted.rows[0].id as string;
      await t.db.query(`INSERT INTO consents (registration_id, kind, version, granted, at) VALUES ($1, 'third_party:DC', 'v1', $2, now())`, [
        id[key],
        consentsToDc,
      ]);
    }
    await t.db.query(`UPDATE events SET seats_taken = 2 WHERE id = $1`, [eventId]);
    ict = await signedInConsole(t.url, t.mailbox, ICT_OFFICE);
    dc = await signedInConsole(t.url, t.mailbox, DC_OFFICE);
  });
  afterAll(async () => {
    await t?.close();
  });

  const list = (query = '') => ict.get(`/console/events/${eventId}/registrations${query}`);

  it('lists everyone in the order they registered, with the waiting list places', async () => {
    const page = await list();
    expect(page.status).toBe(200);
    expect(names(page.html)).toEqual(['김민지', 'John Smith', '이소라', '박단', '최은', '정가은']);
    expect(page.html).toMatch(/대기자<\/span> <span class="muted">#2<\/span>/);
  });

  it('filters by status and cluster and searches name, company and email (a % typed is a %)', async () => {
    expect(names((await list('?status=waitlisted')).html)).toEqual(['이소라', '박단']);
    expect(names((await list('?cluster=DC')).html)).toEqual(['John Smith', '정가은']);
    expect(names((await list('?cluster=DC&status=confirmed')).html)).toEqual(['John Smith']);
    expect(names((await list('?q=PIXEL')).html)).toEqual(['John Smith', '정가은']);
    expect(names((await list('?q=%EA%B9%80%EB%AF%BC')).html)).toEqual(['김민지']);
    expect(names((await list('?q=minji%40')).html)).toEqual(['김민지']);
    expect(names((await list('?q=100%25_')).html)).toEqual(['박단']);
    expect(names((await list('?q=%25')).html)).toEqual(['박단']);
    const wrong = await list('?status=lost&q=x');
    expect(wrong.status).toBe(400);
    expect(wrong.html).toMatch(/id="registrations-status-error">목록에 있는 상태를 골라 주세요.</);
    expect(wrong.html).toContain('value="x"');
  });

  it('pages by keyset on the page and in the API, with the filter kept', async () => {
    const first = await list('?limit=4');
    expect(names(first.html)).toEqual(['김민지', 'John Smith', '이소라', '박단']);
    const next = /<a href="([^"]+)" rel="next">/
      .exec(first.html)![1]
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    expect(next).toBe(`/console/events/${eventId}/registrations?limit=4&after=${id.dan}`);
    const second = await ict.get(next);
    expect(names(second.html)).toEqual(['최은', '정가은']);
    expect(second.html).not.toContain('rel="next"');

    const seen: string[] = [];
    let path: string | null = `/api/events/${eventId}/registrations?limit=2`;
    while (path) {
      const answer: Answer = await api.get(path);
      expect(answer.status).toBe(200);
      seen.push(...(answer.body as { name: string }[]).map((registration) => registration.name));
      path = /<([^>]+)>; rel="next"/.exec(answer.headers.get('link') ?? '')?.[1] ?? null;
    }
    expect(seen).toEqual(['김민지', 'John Smith', '이소라', '박단', '최은', '정가은']);
    const filtered = await api.get(`/api/events/${eventId}/registrations?status=waitlisted&limit=1`);
    expect(filtered.body.map((registration: { name: string; position: number }) => [registration.name, registration.position])).toEqual([['이소라', 1]]);
    expect(filtered.headers.get('link')).toBe(`</api/events/${eventId}/registrations?status=waitlisted&limit=1&after=${id.sora}>; rel="next"`);
    expect((await api.get(`/api/events/${eventId}/registrations`)).body).toHaveLength(6);
    const bad = await api.get(`/api/events/${eventId}/registrations?limit=0&after=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(expect.arrayContaining(['limit must be between 1 and 500', 'after must be the id of a registration of this event']));
  });

  it('promotes someone out of turn onto the free seat, and says so when no seat is left', async () => {
    await list();
    const promoted = await ict.post(`/console/events/${eventId}/registrations/${id.dan}/promote`, { status: 'waitlisted' });
    expect([promoted.status, promoted.location]).toEqual([303, `/console/events/${eventId}/registrations?status=waitlisted`]);
    const after = await ict.get(promoted.location!);
    expect(after.html).toContain('박단 님을 참가 확정으로 올렸습니다.');
    expect(names(after.html)).toEqual(['이소라']);
    const refused = await ict.post(`/console/events/${eventId}/registrations/${id.sora}/promote`);
    expect((await ict.get(refused.location!)).html).toContain('참가 확정으로 올리지 못했습니다.');
    expect((await t.db.query(`SELECT status FROM registrations WHERE id = $1`, [id.sora])).rows[0].status).toBe('waitlisted');
  });

  it('cancels one person; the freed seat goes to the next on the waiting list', async () => {
    await list();
    const cancelled = await ict.post(`/console/events/${eventId}/registrations/${id.minji}/cancel`);
    expect(cancelled.status).toBe(303);
    expect((await ict.get(cancelled.location!)).html).toContain('김민지 님의 참가 신청을 취소했습니다.');
    const statuses = await t.db.query(`SELECT id, status FROM registrations WHERE id = ANY ($1::uuid[])`, [[id.minji, id.sora]]);
    expect(Object.fromEntries(statuses.rows.map((row) => [row.id, row.status]))).toEqual({ [id.minji]: 'cancelled', [id.sora]: 'confirmed' });
    expect((await api.get('/api/audit-log?action=registration.cancel')).body[0].actor).toBe(ICT_OFFICE);
  });

  it('refuses a cancel or promote without the CSRF token', async () => {
    await list();
    expect((await ict.post(`/console/events/${eventId}/registrations/${id.eun}/cancel`, {}, null)).status).toBe(403);
    expect((await t.db.query(`SELECT status FROM registrations WHERE id = $1`, [id.eun])).rows[0].status).toBe('pending_confirmation');
  });

  it('exports the CSV; a co-host sees and exports only those who consented to it, and gets a 403 on an event it does not host', async () => {
    const csv = await ict.get(`/console/events/${eventId}/registrations.csv`);
    expect(csv.status).toBe(200);
    expect(csv.html.split('\r\n').filter((line) => line.trim() !== '')).toHaveLength(7);
    const coHost = await dc.get(`/console/events/${eventId}/registrations`);
    expect(names(coHost.html)).toEqual(['김민지', '이소라']);
    const coHostCsv = await dc.get(`/console/events/${eventId}/registrations.csv`);
    expect(coHostCsv.html).toContain('minji@hanbit.example');
    expect(coHostCsv.html).not.toContain('john@pixel.example');
    for (const path of [`/console/events/${ictOnlyId}/registrations`, `/console/events/${ictOnlyId}/registrations.csv`]) {
      const refused = await dc.get(path);
      expect(refused.status).toBe(403);
      expect(refused.html).toContain('이 행사는 담당 클러스터가 주최하거나 공동 주최하는 행사가 아닙니다.');
    }
  });
});
