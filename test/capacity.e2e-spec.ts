import { pressLink } from './support/mailbox';
import { randomUUID } from 'node:crypto';
import { LinkTokensService } from '../src/link-tokens/link-tokens.service';
import { ReleaseQuotas } from '../src/registrations/use-cases/release-quotas';
import { client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 3: seats are never overbooked under a rush, the waiting list keeps arrival order, a
 * cancellation promotes exactly one person, and cluster quotas hold until their release time.
 * Seat accounting is PostgreSQL's alone, so one queue backend suffices here.
 */
describe('capacity, waiting list and quotas under concurrency', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let anonymous: ReturnType<typeof client>;

  beforeAll(async () => {
    // 500 seat decisions queue behind the event's row lock holding pooled connections; on a machine busy with other
    // work the last of them waits for a connection longer than the default 10 s and gets its 503. This suite is about
    // who gets a seat, not how fast: the pool may wait a minute, as an operator may set it.
    t = await startTestApp({ queue: 'postgres', env: { DATABASE_POOL_WAIT_MS: '60000' } });
    api = client(t.url, t.adminToken);
    anonymous = client(t.url);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function publishedEvent(body: Record<string, unknown>): Promise<string> {
    const created = await api.post('/api/events', {
      title: 'Popular integrated seminar',
      type: 'seminar',
      startsAt: '2027-06-01T14:00:00+09:00',
      endsAt: '2027-06-01T17:00:00+09:00',
      hostClusters: ['ICT', 'DC'],
      ...body,
    });
    expect(created.status).toBe(201);
    expect((await api.post(`/api/events/${created.body.id}/publish`)).status).toBe(200);
    return created.body.id;
  }

  /** Registers everyone at once through the public API, then confirms everyone at once through their links. */
  async function rush(eventId: string, emails: string[]): Promise<{ confirmed: number; waitlisted: number; statuses: number[] }> {
    const registered = await Promise.all(emails.map((email, i) => anonymous.post(`/api/events/${eventId}/registrations`, { email, name: `참가자 ${i}` })));
    expect(registered.filter((r) => r.status !== 202)).toEqual([]);
    const pending = await t.db.query(`SELECT id FROM registrations WHERE event_id = $1 AND status = 'pending_confirmation'`, [eventId]);
    // The opt-in mails carry these links; minting them here keeps the rush about seats, not SMTP.
    const tokens = t.app.get(LinkTokensService);
    const links = await Promise.all(pending.rows.map((row) => tokens.mint(randomUUID(), 'confirm_registration', { eventId, registrationId: row.id })));
    const answers = await Promise.all(links.map((token) => pressLink(`${t.url}/r/${token}`).then(async (r) => ({ status: r.status, text: await r.text() }))));
    return {
      confirmed: answers.filter((a) => a.text.includes('등록이 완료되었습니다')).length,
      waitlisted: answers.filter((a) => a.text.includes('대기자 명단에 등록되었으며')).length,
      statuses: answers.map((a) => a.status),
    };
  }

  async function counts(eventId: string): Promise<Record<string, number>> {
    const rows = await t.db.query(`SELECT status, count(*)::int AS n FROM registrations WHERE event_id = $1 GROUP BY status`, [eventId]);
    return Object.fromEntries(rows.rows.map((row) => [row.status, row.n]));
  }

  let rushEvent: string;

  it('gives 50 seats to exactly 50 of 500 concurrent registrants and waitlists 450 in arrival order', async () => {
    rushEvent = await publishedEvent({ capacity: 50 });
    const emails = Array.from({ length: 500 }, (_, i) => `rush${i}@crowd.example`);
    // Ten people press twice: still one registration each.
    const result = await rush(rushEvent, [...emails, ...emails.slice(0, 10).map((e) => e.toUpperCase())]);
    expect(result.statuses.every((status) => status === 200)).toBe(true);
    expect(result.confirmed).toBe(50);
    expect(result.waitlisted).toBe(450);
    expect(await counts(rushEvent)).toEqual({ confirmed: 50, waitlisted: 450 });

    const event = await anonymous.get(`/api/events/${rushEvent}`);
    expect(event.body).toMatchObject({ capacity: 50, seatsLeft: 0 });
    const duplicates = await t.db.query(`SELECT lower(email), count(*) FROM registrations WHERE event_id = $1 GROUP BY 1 HAVING count(*) > 1`, [rushEvent]);
    expect(duplicates.rowCount).toBe(0);

    // Arrival order: each join drew the next number from one sequence under the event lock, so
    // the places are 1..450 with no gap or tie, in the order the server decided.
    const list = (await api.get(`/api/events/${rushEvent}/registrations`)).body as { status: string; position: number | null }[];
    const positions = list
      .filter((r) => r.status === 'waitlisted')
      .map((r) => r.position)
      .sort((a, b) => a! - b!);
    expect(positions).toEqual(Array.from({ length: 450 }, (_, i) => i + 1));
  });

  it('promotes exactly one waitlisted person per cancellation, in waiting-list order, under 50 concurrent cancellations', async () => {
    const before = await t.db.query(`SELECT id FROM registrations WHERE event_id = $1 AND status = 'waitlisted' ORDER BY waitlist_order LIMIT 50`, [rushEvent]);
    const confirmed = await t.db.query(`SELECT id FROM registrations WHERE event_id = $1 AND status = 'confirmed'`, [rushEvent]);
    const answers = await Promise.all(confirmed.rows.map((row) => api.post(`/api/events/${rushEvent}/registrations/${row.id}/cancel`)));
    expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([]);
    expect(await counts(rushEvent)).toEqual({ cancelled: 50, confirmed: 50, waitlisted: 400 });
    const nowConfirmed = await t.db.query(`SELECT id FROM registrations WHERE event_id = $1 AND status = 'confirmed'`, [rushEvent]);
    expect(new Set(nowConfirmed.rows.map((r) => r.id))).toEqual(new Set(before.rows.map((r) => r.id)));
    const seats = await t.db.query(`SELECT seats_taken FROM events WHERE id = $1`, [rushEvent]);
    expect(seats.rows[0].seats_taken).toBe(50);
  });

  it('holds cluster quotas until the release time, then gives the unclaimed seats to the waiting list', async () => {
    const csv = [
      'email,name,company,cluster,locale',
      ...Array.from({ length: 3 }, (_, i) => `ict${i}@ict-firm.example,ICT ${i},ICT Firm,ICT,ko`),
      ...Array.from({ length: 40 }, (_, i) => `dc${i}@dc-firm.example,DC ${i},DC Firm,DC,ko`),
    ].join('\n');
    expect((await api.post('/api/members/import', csv, { contentType: 'text/csv' })).body).toMatchObject({ created: 43 });
    const eventId = await publishedEvent({
      capacity: 30,
      quotas: [
        { cluster: 'ICT', seats: 10 },
        { cluster: 'DC', seats: 10 },
      ],
      quotaReleaseAt: '2027-05-30T14:00:00+09:00',
    });
    const emails = [
      ...Array.from({ length: 3 }, (_, i) => `ict${i}@ict-firm.example`),
      ...Array.from({ length: 40 }, (_, i) => `dc${i}@dc-firm.example`),
      ...Array.from({ length: 40 }, (_, i) => `guest${i}@outside.example`),
    ];
    const result = await rush(eventId, emails);
    expect(result.confirmed).toBe(23); // ICT 3 of its 10, DC 10 of its 10, and the 10 open seats
    const pools = await t.db.query(
      `SELECT coalesce(cluster_code, 'outside') AS cluster, seat_pool, count(*)::int AS n FROM registrations
        WHERE event_id = $1 AND status = 'confirmed' GROUP BY 1, 2 ORDER BY 1, 2`,
      [eventId],
    );
    const byPool = (pool: string) => pools.rows.filter((r) => r.seat_pool === pool).reduce((sum, r) => sum + r.n, 0);
    expect(byPool('open')).toBe(10);
    expect(pools.rows.find((r) => r.cluster === 'ICT' && r.seat_pool === 'quota')?.n).toBe(3);
    expect(pools.rows.find((r) => r.cluster === 'DC' && r.seat_pool === 'quota')?.n).toBe(10);
    expect(pools.rows.filter((r) => r.cluster === 'outside' && r.seat_pool === 'quota')).toEqual([]);
    expect(await counts(eventId)).toEqual({ confirmed: 23, waitlisted: 60 });

    // Not yet released: the sweeper moves no one.
    const releaseQuotas = t.app.get(ReleaseQuotas);
    expect(await releaseQuotas.execute()).toBe(0);

    // The release time comes: ICT's 7 unclaimed seats go to the first 7 on the waiting list.
    const firstSeven = await t.db.query(`SELECT id FROM registrations WHERE event_id = $1 AND status = 'waitlisted' ORDER BY waitlist_order LIMIT 7`, [
      eventId,
    ]);
    expect((await api.patch(`/api/events/${eventId}`, { quotaReleaseAt: '2026-01-01T00:00:00Z' })).status).toBe(200);
    expect(await releaseQuotas.execute()).toBe(7);
    expect(await releaseQuotas.execute()).toBe(0);
    const promoted = await t.db.query(`SELECT id FROM registrations WHERE event_id = $1 AND status = 'confirmed' AND seat_pool = 'open'`, [eventId]);
    expect(promoted.rows.map((r) => r.id)).toEqual(expect.arrayContaining(firstSeven.rows.map((r) => r.id)));
    expect(await counts(eventId)).toEqual({ confirmed: 30, waitlisted: 53 });
  });

  it("counts a registrant who is not on the member list for their company's cluster, by email domain", async () => {
    // dc0@dc-firm.example was imported above, so dc-firm.example is DC's; gmail.com says nothing.
    const eventId = await publishedEvent({ capacity: 5, quotas: [{ cluster: 'DC', seats: 2 }] });
    await anonymous.post(`/api/events/${eventId}/registrations`, { email: 'newcomer@DC-firm.example', name: '새 직원' });
    await anonymous.post(`/api/events/${eventId}/registrations`, { email: 'someone@gmail.com', name: '외부인' });
    const rows = await t.db.query(`SELECT email, cluster_code, company FROM registrations WHERE event_id = $1 ORDER BY email`, [eventId]);
    expect(rows.rows).toEqual([
      { email: 'newcomer@DC-firm.example', cluster_code: 'DC', company: 'DC Firm' },
      { email: 'someone@gmail.com', cluster_code: null, company: null },
    ]);
  });

  it('lets a registrant see their place and leave the list from their manage link, and a seat freed by cancelling goes to the next', async () => {
    const eventId = await publishedEvent({ capacity: 1 });
    const result = await rush(eventId, ['first@solo.example', 'second@solo.example', 'third@solo.example']);
    expect([result.confirmed, result.waitlisted]).toEqual([1, 2]);
    const rows = (await t.db.query(`SELECT id, email, status FROM registrations WHERE event_id = $1 ORDER BY coalesce(waitlist_order, 0)`, [eventId])).rows;
    const [holder, firstWaiting, secondWaiting] = rows;
    const tokens = t.app.get(LinkTokensService);

    const manageSecond = await tokens.mint(randomUUID(), 'manage_registration', { eventId, registrationId: secondWaiting.id });
    const page = await (await fetch(`${t.url}/r/${manageSecond}`)).text();
    expect(page).toContain('대기자 명단 2번째입니다');
    expect(page).toContain('대기자 명단에서 나가기');
    await pressLink(`${t.url}/r/${manageSecond}`);
    expect((await t.db.query(`SELECT status FROM registrations WHERE id = $1`, [secondWaiting.id])).rows[0].status).toBe('cancelled');

    const manageHolder = await tokens.mint(randomUUID(), 'manage_registration', { eventId, registrationId: holder.id });
    expect(await (await fetch(`${t.url}/r/${manageHolder}`)).text()).toContain('등록이 확정되어 있습니다');
    const cancelled = await (await pressLink(`${t.url}/r/${manageHolder}`)).text();
    expect(cancelled).toContain('등록이 취소되었습니다');
    const after = await t.db.query(`SELECT id, status FROM registrations WHERE event_id = $1 AND status = 'confirmed'`, [eventId]);
    expect(after.rows.map((r) => r.id)).toEqual([firstWaiting.id]);
    // The person who cancelled is told, with a calendar cancellation, through the outbox.
    const notices = await t.db.query(`SELECT kind FROM outbox WHERE registration_id = $1 ORDER BY id`, [holder.id]);
    expect(notices.rows.map((r) => r.kind)).toContain('registration_cancelled');
    const promotedNotice = await t.db.query(`SELECT kind FROM outbox WHERE registration_id = $1 AND kind = 'waitlist_promoted'`, [firstWaiting.id]);
    expect(promotedNotice.rowCount).toBe(1);
  });

  it('answers outside the registration window with when it opens or closed, on the API and the page', async () => {
    const eventId = await publishedEvent({ registrationOpensAt: '2027-05-01T09:00:00+09:00' });
    const early = await anonymous.post(`/api/events/${eventId}/registrations`, { email: 'early@bird.example', name: 'Early' });
    expect(early.status).toBe(409);
    expect(early.body.message).toEqual(['registration opens at 2027-05-01T00:00:00.000Z']);
    const page = await (await fetch(`${t.url}/events/${eventId}`)).text();
    expect(page).toContain('등록은 2027년 5월 1일 (토) 오전 9:00에 시작됩니다.');
    expect(page).not.toContain('name="email"');
    expect(await counts(eventId)).toEqual({});
  });

  it('says when registration opens in the event’s own zone, on the event page and behind an emailed link', async () => {
    const eventId = await publishedEvent({
      timezone: 'Europe/Berlin',
      startsAt: '2027-06-01T14:00:00+02:00',
      endsAt: '2027-06-01T17:00:00+02:00',
      registrationOpensAt: '2027-05-01T09:00:00+02:00',
    });
    const member = await api.post('/api/members', {
      email: 'zone@berlin.example',
      name: 'Zone Test',
      company: 'Berlin GmbH',
      clusterCode: 'ICT',
      locale: 'en',
    });
    expect(member.status).toBe(201);
    const token = await t.app.get(LinkTokensService).mint(randomUUID(), 'accept_invitation', { eventId, memberId: member.body.id });
    const link = await fetch(`${t.url}/r/${token}?lang=en`);
    expect(link.status).toBe(409);
    // 09:00 in Berlin; Seoul's clock would say 4:00 PM.
    expect(await link.text()).toContain('Registration has not opened yet. (Sat, 1 May 2027, 9:00 AM)');
    // Pressing the page's button is refused the same way, in the reader's words rather than the API's.
    const pressed = await anonymous.form(`/events/${eventId}/registrations?lang=en`, { email: 'early@bird.example', name: 'Early' });
    expect(pressed.status).toBe(409);
    expect(pressed.text).toContain('Registration opens on Sat, 1 May 2027, 9:00 AM.');
    expect(pressed.text).not.toContain('registration opens at 2027-05-01T07:00:00.000Z');
  });
});
