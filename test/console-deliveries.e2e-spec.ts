import { ConsoleClient, signedInConsole } from './support/console-client';
import { Answer, client } from './support/http';
import { waitUntil } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const ADMIN = 'federation@park.example';
const ICT_OFFICE = 'ict-office@park.example';
const DC_OFFICE = 'dc-office@park.example';

/** Issue 9: 발송 현황 — per event and overall, failures with their reason, retrying one failed mail (page and API). */
describe('console: deliveries', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let ict: ConsoleClient;
  let ictEvent: string;
  let dcEvent: string;
  const member: Record<string, string> = {};

  const rowOf = async (email: string) =>
    (await t.db.query(`SELECT id::text AS id, status, attempts, last_error FROM outbox WHERE recipient = $1 AND kind = 'invitation'`, [email])).rows[0] as
      { id: string; status: string; attempts: number; last_error: string | null } | undefined;
  const settled = (email: string) => waitUntil(async () => ['sent', 'failed', 'skipped'].includes((await rowOf(email))?.status ?? ''), `the mail to ${email}`);
  const figure = (html: string, id: string) => Number(new RegExp(`id="${id}">(\\d+)<`).exec(html)?.[1]);

  async function event(title: string, hostClusters: string[]): Promise<string> {
    const created = await api.post('/api/events', {
      title,
      type: 'seminar',
      startsAt: '2027-03-10T14:00:00+09:00',
      endsAt: '2027-03-10T16:00:00+09:00',
      hostClusters,
    });
    expect((await api.post(`/api/events/${created.body.id}/publish`)).status).toBe(200);
    return created.body.id as string;
  }
  const invite = (eventId: string, key: string) => api.post(`/api/events/${eventId}/invitations`, { clusters: [], memberIds: [member[key]] });

  beforeAll(async () => {
    // One attempt per job: a refused send fails the row at once instead of backing off for seconds.
    t = await startTestApp({ queue: 'postgres', env: { ADMIN_EMAIL: ADMIN, MAIL_MAX_ATTEMPTS: '1' } });
    api = client(t.url, t.adminToken);
    await api.post('/api/organizers', { email: ICT_OFFICE, role: 'cluster_organizer', clusters: ['ICT'] });
    await api.post('/api/organizers', { email: DC_OFFICE, role: 'cluster_organizer', clusters: ['DC'] });
    for (const [key, clusterCode] of [
      ['ok', 'ICT'],
      ['refused', 'ICT'],
      ['again', 'ICT'],
      ['unsub', 'ICT'],
      ['pixel', 'DC'],
    ]) {
      member[key] = (await api.post('/api/members', { email: `${key}@mail.example`, name: key, company: `${clusterCode} Co`, clusterCode })).body.id as string;
    }
    await t.db.query(`INSERT INTO mail_suppressions (email, reason, scope) VALUES ('unsub@mail.example', 'unsubscribe', 'non_essential')`);
    ictEvent = await event('ICT 세미나', ['ICT']);
    dcEvent = await event('DC 포럼', ['DC']);
    // The SMTP server refuses the next message for a while (451): with one attempt, the row fails.
    t.mailbox.failNext(1, 451);
    await invite(ictEvent, 'refused');
    await settled('refused@mail.example');
    for (const key of ['ok', 'unsub']) await invite(ictEvent, key);
    await invite(dcEvent, 'pixel');
    for (const key of ['ok', 'unsub', 'pixel']) await settled(`${key}@mail.example`);
    ict = await signedInConsole(t.url, t.mailbox, ICT_OFFICE);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("shows an event's counts and each mail, the failure with its SMTP reason and the skip with why", async () => {
    const page = await ict.get(`/console/events/${ictEvent}/deliveries`);
    expect(page.status).toBe(200);
    expect(['count-pending', 'count-sent', 'count-failed', 'count-skipped'].map((id) => figure(page.html, id))).toEqual([0, 1, 1, 1]);
    const failed = (await rowOf('refused@mail.example'))!;
    expect(failed.status).toBe('failed');
    const row = new RegExp(`<tr id="delivery-${failed.id}">[\\s\\S]*?</tr>`).exec(page.html)![0];
    expect(row).toContain('refused@mail.example');
    expect(row).toMatch(/<code>[^<]*451[^<]*<\/code>/);
    expect(row).toContain('다시 보내기');
    expect(page.html).toContain('<code>suppressed: unsubscribe</code>');
    const onlyFailed = await ict.get(`/console/events/${ictEvent}/deliveries?status=failed`);
    expect([...onlyFailed.html.matchAll(/<tr id="delivery-/g)]).toHaveLength(1);
    expect((await ict.get(`/console/events/${ictEvent}/deliveries?status=lost`)).status).toBe(400);
  });

  it('retries one failed mail through the outbox: it arrives once, with the same Message-ID as the refused one', async () => {
    const failed = (await rowOf('refused@mail.example'))!;
    await ict.get(`/console/events/${ictEvent}/deliveries`);
    expect((await ict.post(`/console/events/${ictEvent}/deliveries/${failed.id}/retry`, {}, null)).status).toBe(403);
    expect((await rowOf('refused@mail.example'))!.status).toBe('failed');
    const retried = await ict.post(`/console/events/${ictEvent}/deliveries/${failed.id}/retry`, { status: 'failed' });
    expect([retried.status, retried.location]).toEqual([303, `/console/events/${ictEvent}/deliveries?status=failed`]);
    expect((await ict.get(retried.location!)).html).toContain('메일을 다시 보냅니다.');
    await waitUntil(async () => (await rowOf('refused@mail.example'))!.status === 'sent', 'the retried mail');
    expect(await rowOf('refused@mail.example')).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(t.mailbox.to('refused@mail.example')).toHaveLength(1);
    expect(t.mailbox.to('refused@mail.example')[0].parsed.messageId).toBe(t.mailbox.refused[0].parsed.messageId);
    // Sent now: retrying it again changes nothing and says so.
    await ict.get(`/console/events/${ictEvent}/deliveries`);
    const again = await ict.post(`/console/events/${ictEvent}/deliveries/${failed.id}/retry`);
    expect((await ict.get(again.location!)).html).toContain('다시 보내지 못했습니다.');
    expect((await api.get('/api/audit-log?action=deliveries.retry')).body[0]).toMatchObject({
      actor: ICT_OFFICE,
      target: `delivery ${failed.id} of event ${ictEvent}`,
    });
  });

  it('retries one delivery by API: 202 for a failed one, 409 for one that did not fail, 404 and 400 for wrong ids', async () => {
    t.mailbox.failNext(1, 451);
    await invite(ictEvent, 'again');
    await settled('again@mail.example');
    const failed = (await rowOf('again@mail.example'))!;
    expect(failed.status).toBe('failed');
    const retried = await api.post(`/api/events/${ictEvent}/deliveries/${failed.id}/retry`);
    expect([retried.status, retried.body]).toEqual([202, { requeued: 1 }]);
    await waitUntil(async () => (await rowOf('again@mail.example'))!.status === 'sent', 'the mail retried by API');
    expect(t.mailbox.to('again@mail.example')).toHaveLength(1);
    expect((await api.post(`/api/events/${ictEvent}/deliveries/${failed.id}/retry`)).status).toBe(409);
    expect((await api.post(`/api/events/${dcEvent}/deliveries/${failed.id}/retry`)).status).toBe(404);
    const bad = await api.post(`/api/events/${ictEvent}/deliveries/abc/retry`);
    expect([bad.status, bad.body.message]).toEqual([400, ['deliveryId must be a delivery id (a string of digits)']]);
  });

  it('pages the API list by keyset through the Link header', async () => {
    const seen: string[] = [];
    let path: string | null = `/api/events/${ictEvent}/deliveries?limit=2`;
    while (path) {
      const answer: Answer = await api.get(path);
      expect(answer.status).toBe(200);
      seen.push(...(answer.body as { recipient: string }[]).map((delivery) => delivery.recipient));
      path = /<([^>]+)>; rel="next"/.exec(answer.headers.get('link') ?? '')?.[1] ?? null;
    }
    expect(seen).toEqual(['refused@mail.example', 'ok@mail.example', 'unsub@mail.example', 'again@mail.example']);
    expect((await api.get(`/api/events/${ictEvent}/deliveries?after=x`)).status).toBe(400);
  });

  it('documents the additions in the OpenAPI document, each with a summary', async () => {
    const paths = (await api.get('/api/docs-json')).body.paths as Record<string, Record<string, { summary?: string; parameters?: { name: string }[] }>>;
    expect(paths['/api/events/{id}/deliveries/{deliveryId}/retry'].post.summary).toBe('Put one failed delivery back in line');
    expect(paths['/api/suppressions'].post.summary).toBe('Stop mail to an address by hand');
    expect(paths['/api/suppressions/{email}'].delete.summary).toBe('Lift a suppression');
    for (const path of ['/api/events/{id}/deliveries', '/api/events/{id}/registrations']) {
      expect(paths[path].get.summary).toEqual(expect.any(String));
      expect(paths[path].get.parameters!.map((parameter) => parameter.name)).toEqual(expect.arrayContaining(['limit', 'after']));
    }
  });

  it('sums up per event on 발송 현황, within the organizer’s clusters; a DC organizer gets a 403 on the ICT event', async () => {
    const overview = await ict.get('/console/deliveries');
    expect(overview.status).toBe(200);
    expect(overview.html).toMatch(/<a href="\/console\/deliveries" aria-current="page">/);
    const row = new RegExp(`<tr id="event-${ictEvent}">[\\s\\S]*?</tr>`).exec(overview.html)![0];
    expect(['sent', 'failed', 'skipped'].map((status) => Number(new RegExp(`class="count-${status}">(\\d+)<`).exec(row)![1]))).toEqual([3, 0, 1]);
    expect(overview.html).not.toContain(dcEvent);
    const admin = await signedInConsole(t.url, t.mailbox, ADMIN);
    const all = await admin.get('/console/deliveries');
    // The event with the latest mail first.
    expect([...all.html.matchAll(/<tr id="event-([^"]+)">/g)].map((match) => match[1])).toEqual([ictEvent, dcEvent]);
    expect(all.html).not.toContain('rel="next"');

    const dc = await signedInConsole(t.url, t.mailbox, DC_OFFICE);
    const refused = await dc.get(`/console/events/${ictEvent}/deliveries`);
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('이 행사는 담당 클러스터가 주최하거나 공동 주최하는 행사가 아닙니다.');
  });
});
