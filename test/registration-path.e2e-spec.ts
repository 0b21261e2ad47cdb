import { client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 11: a public registration is five round trips (BEGIN, the event under FOR SHARE, the
 * registrant, one statement writing the registration, its consents and its opt-in mail, COMMIT).
 * What that must keep: the consents and the opt-in mail go with a new registration and only with
 * it, and a cancelled registrant who registers again is reopened with their new consents and a new
 * opt-in mail.
 */
describe('the public registration path', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let anonymous: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres' });
    api = client(t.url, t.adminToken);
    anonymous = client(t.url);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function publishedEvent(): Promise<string> {
    const created = await api.post('/api/events', {
      title: 'Registration path seminar',
      type: 'seminar',
      startsAt: '2027-06-01T14:00:00+09:00',
      endsAt: '2027-06-01T17:00:00+09:00',
      hostClusters: ['ICT', 'DC'],
    });
    expect(created.status).toBe(201);
    expect((await api.post(`/api/events/${created.body.id}/publish`)).status).toBe(200);
    return created.body.id;
  }

  it('stores a new registration with its consents and its opt-in mail, and reopens a cancelled one with its new consents and a new opt-in', async () => {
    const eventId = await publishedEvent();
    const email = 'again@outside.example';
    const first = await anonymous.post(`/api/events/${eventId}/registrations`, {
      email,
      name: 'Again',
      consents: { collection: true, thirdParty: { DC: true } },
    });
    expect(first.status).toBe(202);
    await t.mailbox.waitFor(() => t.mailbox.to(email).length === 1, 'the first opt-in mail');
    const row = await t.db.query(`SELECT id, status FROM registrations WHERE event_id = $1 AND email = $2`, [eventId, email]);
    expect(row.rows).toHaveLength(1);
    const registrationId = row.rows[0].id as string;
    const consents = async () =>
      (await t.db.query(`SELECT kind, granted FROM consents WHERE registration_id = $1 ORDER BY kind`, [registrationId])).rows.map((c) => [c.kind, c.granted]);
    expect(await consents()).toEqual([
      ['collection', true],
      ['marketing', false],
      ['third_party:DC', true],
    ]);

    // Pressing again while pending: the same answer, nothing new.
    const repeat = await anonymous.post(`/api/events/${eventId}/registrations`, { email, name: 'Again', consents: { collection: true } });
    expect(repeat.status).toBe(202);

    expect((await api.post(`/api/events/${eventId}/registrations/${registrationId}/cancel`)).status).toBe(200);
    const again = await anonymous.post(`/api/events/${eventId}/registrations`, {
      email: email.toUpperCase(),
      name: 'Again Later',
      consents: { collection: true, thirdParty: { DC: false }, marketing: true },
    });
    expect(again.status).toBe(202);
    const reopened = await t.db.query(`SELECT id, status, name FROM registrations WHERE event_id = $1`, [eventId]);
    expect(reopened.rows).toEqual([{ id: registrationId, status: 'pending_confirmation', name: 'Again Later' }]);
    expect(await consents()).toEqual([
      ['collection', true],
      ['marketing', true],
      ['third_party:DC', false],
    ]);
    const optIns = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE registration_id = $1 AND kind = 'registration_opt_in'`, [registrationId]);
    expect(optIns.rows[0].n).toBe(2);
  });
});
