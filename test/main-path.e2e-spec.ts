import { parseIcs, calendarParts } from './support/ics';
import { client } from './support/http';
import { CapturedMail, personalLink, pressLink, waitUntil } from './support/mailbox';
import { queueBackends, startTestApp, TestApp } from './support/test-app';

/**
 * Issue 2, steps 2–6: an integrated seminar from creation to the attendee's calendar, on real
 * PostgreSQL, a real queue backend (each of them) and a real SMTP server.
 */
describe.each(queueBackends())('main path with the %s queue backend', (queue) => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let anonymous: ReturnType<typeof client>;
  // 2027-03-10 14:00–16:00 in Seoul, far enough ahead that the test never runs into it.
  const startsAt = '2027-03-10T14:00:00+09:00';
  let eventId: string;
  let eventUid: string;

  beforeAll(async () => {
    t = await startTestApp({ queue });
    api = client(t.url, t.adminToken);
    anonymous = client(t.url);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('adds members one by one and by CSV, idempotently', async () => {
    const minji = await api.post('/api/members', { email: 'Minji.Kim@hanbit.example', name: '김민지', company: '한빛소프트', clusterCode: 'ICT' });
    expect(minji.status).toBe(201);
    expect(minji.body).toMatchObject({ email: 'Minji.Kim@hanbit.example', name: '김민지', company: '한빛소프트', clusterCode: 'ICT', locale: 'ko' });
    const john = await api.post('/api/members', { email: 'john@pixel.example', name: 'John Smith', company: 'Pixel Works', clusterCode: 'DC', locale: 'en' });
    expect(john.status).toBe(201);

    const duplicate = await api.post('/api/members', { email: 'minji.kim@HANBIT.example', name: '다른 사람', company: 'X', clusterCode: 'IMT' });
    expect(duplicate.status).toBe(409);

    const csv = [
      'email,name,company,cluster,locale',
      'seo@motion.example,서지훈,모션랩,IMT,ko',
      'green@leaf.example,이초록,리프에너지,GREEN_IT,',
      'MINJI.KIM@hanbit.example,김민지,한빛소프트,ICT,en',
      'not-an-email,누구,회사,ICT,ko',
      'x@y.example,엑스,회사,MARS,ko',
      'seo@MOTION.example,서지훈,모션랩,IMT,ko',
    ].join('\n');
    const first = await api.post('/api/members/import', csv, { contentType: 'text/csv' });
    expect(first.status).toBe(200);
    expect(first.body.created).toBe(2);
    expect(first.body.updated).toBe(1); // Minji's locale changes to en
    expect(first.body.rejected).toEqual([
      { line: 5, reason: expect.stringContaining('email must be an email') },
      { line: 6, reason: expect.stringContaining('cluster must be one of') },
      { line: 7, reason: expect.stringContaining('already appears on line 2') },
    ]);
    const again = await api.post('/api/members/import', csv, { contentType: 'text/csv' });
    expect(again.body).toMatchObject({ created: 0, updated: 0 });

    const ict = await api.get('/api/members?cluster=ICT');
    expect(ict.body.map((m: { email: string }) => m.email)).toEqual(['Minji.Kim@hanbit.example']);
    expect((await api.get('/api/members')).body).toHaveLength(4);
  });

  it('creates an integrated seminar co-hosted by ICT and DC for ICT, DC and IMT, and publishes it', async () => {
    const created = await api.post('/api/events', {
      title: 'AI × 콘텐츠 융합 세미나',
      description: 'ICT와 디지털콘텐츠 클러스터의 통합 세미나',
      type: 'seminar',
      startsAt,
      endsAt: '2027-03-10T16:00:00+09:00',
      venue: '판교 글로벌R&D센터 세미나실 A',
      hostClusters: ['DC', 'ICT'],
      audienceClusters: ['ICT', 'DC', 'IMT'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      timezone: 'Asia/Seoul',
      startsAt: '2027-03-10T05:00:00.000Z',
      hostClusters: ['ICT', 'DC'],
      audienceClusters: ['ICT', 'IMT', 'DC'],
      sequence: 0,
    });
    eventId = created.body.id;
    eventUid = created.body.uid;

    expect((await anonymous.get(`/api/events/${eventId}`)).status).toBe(404); // drafts are the organizers' own
    const notYet = await api.post(`/api/events/${eventId}/invitations`, {});
    expect(notYet.status).toBe(409);

    const published = await api.post(`/api/events/${eventId}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('published');
  });

  it('sends every audience member exactly one invitation with the event as a calendar invitation', async () => {
    const sent = await api.post(`/api/events/${eventId}/invitations`, {});
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ queued: 3 }); // ICT, DC and IMT members; not GREEN_IT

    await t.mailbox.waitFor((mails) => mails.length >= 3, '3 invitations');
    const again = await api.post(`/api/events/${eventId}/invitations`, {});
    expect(again.body).toEqual({ queued: 0 });

    const minji = only(t.mailbox.to('Minji.Kim@hanbit.example'));
    const john = only(t.mailbox.to('john@pixel.example'));
    const seo = only(t.mailbox.to('seo@motion.example'));
    expect(t.mailbox.to('green@leaf.example')).toHaveLength(0);

    // Minji switched to English by the import; Seo reads Korean.
    expect(minji.parsed.subject).toBe('Invitation: AI × 콘텐츠 융합 세미나');
    expect(minji.parsed.text).toContain('Wed, 10 March 2027, 2:00 PM – 4:00 PM (Asia/Seoul)');
    expect(seo.parsed.subject).toContain('[초대]');
    expect(seo.parsed.text).toContain('2027년 3월 10일 (수) 오후 2:00 – 오후 4:00 (Asia/Seoul)');
    expect(seo.parsed.html).toContain('서지훈');

    for (const [mail, email] of [
      [minji, 'Minji.Kim@hanbit.example'],
      [john, 'john@pixel.example'],
      [seo, 'seo@motion.example'],
    ] as const) {
      expect(personalLink(mail, t.url)).toMatch(new RegExp(`^${t.url}/r/[A-Za-z0-9_-]{43}$`));
      expect(mail.parsed.replyTo?.value[0].address).toBe('ict-office@cluster.test');
      const parts = calendarParts(mail.parsed);
      expect(parts.alternative?.method).toBe('REQUEST');
      expect(parts.attachment?.text).toBeDefined();
      expect(parts.attachmentCount).toBe(1);
      for (const text of [parts.alternative!.text, parts.attachment!.text]) {
        const ics = parseIcs(text);
        expect(ics.method).toBe(parts.alternative!.method);
        expect(ics.timezones).toEqual(['Asia/Seoul']);
        expect(ics.events).toHaveLength(1);
        const [vevent] = ics.events;
        expect(vevent.uid).toBe(eventUid);
        expect(vevent.sequence).toBe(0);
        expect(vevent.startDate.toJSDate().toISOString()).toBe(new Date(startsAt).toISOString());
        expect(vevent.startDate.zone.tzid).toBe('Asia/Seoul');
        expect(String(vevent.organizer).toLowerCase()).toBe('mailto:ict-office@cluster.test');
        expect(vevent.attendees.map((a) => String(a.getFirstValue()).toLowerCase())).toEqual([`mailto:${email.toLowerCase()}`]);
      }
    }
    const personalLinks = new Set([minji, john, seo].map((mail) => personalLink(mail, t.url)));
    expect(personalLinks.size).toBe(3);
  });

  it('lets a member accept from the link: the page changes nothing, the button confirms and mails the .ics', async () => {
    const link = personalLink(only(t.mailbox.to('seo@motion.example')), t.url);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('AI × 콘텐츠 융합 세미나');
    expect(html).toMatch(/<form method="post" action="\/r\/[A-Za-z0-9_-]{43}">/);
    expect(html).toContain('참석하기');
    // A mail scanner opening the link twice registers no one.
    await fetch(link);
    expect((await api.get(`/api/events/${eventId}/registrations`)).body).toEqual([]);

    const pressed = await pressLink(link);
    expect(pressed.status).toBe(200);
    expect(await pressed.text()).toContain('등록이 완료되었습니다');
    const pressedAgain = await pressLink(link);
    expect(await pressedAgain.text()).toContain('이미 등록이 완료된 행사입니다');

    await t.mailbox.waitFor(() => t.mailbox.to('seo@motion.example').length === 2, 'the confirmation to Seo');
    const confirmation = t.mailbox.to('seo@motion.example')[1];
    expect(confirmation.parsed.subject).toContain('[등록 완료]');
    const parts = calendarParts(confirmation.parsed);
    expect(parts.alternative?.method).toBe('REQUEST');
    const [vevent] = parseIcs(parts.attachment!.text).events;
    expect(vevent.uid).toBe(eventUid);
    expect(vevent.attendees[0].getParameter('partstat')).toBe('ACCEPTED');

    const registrations = (await api.get(`/api/events/${eventId}/registrations`)).body;
    expect(registrations).toEqual([
      expect.objectContaining({ email: 'seo@motion.example', name: '서지훈', company: '모션랩', cluster: 'IMT', status: 'confirmed' }),
    ]);
  });

  it('lets someone not invited register on the public page and by the API, with double opt-in and no enumeration', async () => {
    const list = await fetch(`${t.url}/events`);
    expect(await list.text()).toContain('AI × 콘텐츠 융합 세미나');
    const page = await (await fetch(`${t.url}/events/${eventId}`)).text();
    expect(page).toContain('name="email"');

    const viaForm = await anonymous.form(`/events/${eventId}/registrations`, { email: 'guest@outside.example', name: '박손님', company: '' });
    expect(viaForm.status).toBe(202);
    const viaApi = await anonymous.post(`/api/events/${eventId}/registrations`, { email: 'Jisoo@Another.example', name: '박지수', company: '그린랩' });
    expect(viaApi.status).toBe(202);
    expect(viaApi.body).toEqual({ status: 'pending_confirmation' });
    // The same answer for an address already registered (and confirmed) and for a repeat.
    const known = await anonymous.post(`/api/events/${eventId}/registrations`, { email: 'SEO@motion.example', name: '서지훈' });
    const repeat = await anonymous.post(`/api/events/${eventId}/registrations`, { email: 'jisoo@another.example', name: '박지수' });
    expect([known.status, known.body, repeat.status, repeat.body]).toEqual([202, { status: 'pending_confirmation' }, 202, { status: 'pending_confirmation' }]);

    await t.mailbox.waitFor(() => t.mailbox.to('guest@outside.example').length === 1 && t.mailbox.to('Jisoo@Another.example').length === 1, 'two opt-in mails');
    // Confirmed or already pending: no second mail, no second registration.
    expect(t.mailbox.to('seo@motion.example')).toHaveLength(2);
    expect(t.mailbox.to('Jisoo@Another.example')).toHaveLength(1);

    const optIn = only(t.mailbox.to('Jisoo@Another.example'));
    expect(calendarParts(optIn.parsed).attachment).toBeUndefined();
    const link = personalLink(optIn, t.url);
    expect(await (await fetch(link)).text()).toContain('등록 확정하기');
    const pending = (await api.get(`/api/events/${eventId}/registrations`)).body.find((r: { email: string }) => r.email === 'Jisoo@Another.example');
    expect(pending.status).toBe('pending_confirmation');

    await pressLink(link);
    await t.mailbox.waitFor(() => t.mailbox.to('Jisoo@Another.example').length === 2, 'the confirmation to Jisoo');
    const registrations = (await api.get(`/api/events/${eventId}/registrations`)).body as { email: string; status: string }[];
    expect(registrations.map((r) => [r.email, r.status])).toEqual([
      ['seo@motion.example', 'confirmed'],
      ['guest@outside.example', 'pending_confirmation'],
      ['Jisoo@Another.example', 'confirmed'],
    ]);
  });

  it('lists published events and serves the event as an .ics anyone can download', async () => {
    const events = await anonymous.get('/api/events');
    expect(events.body.map((e: { id: string }) => e.id)).toEqual([eventId]);
    const ics = await fetch(`${t.url}/api/events/${eventId}/calendar.ics`);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    const parsed = parseIcs(await ics.text());
    expect(parsed.method).toBe('PUBLISH');
    expect(parsed.events[0].uid).toBe(eventUid);
    expect(parsed.events[0].startDate.toJSDate().toISOString()).toBe('2027-03-10T05:00:00.000Z');

    // Every /api endpoint of the contract's main path is in the OpenAPI document.
    const docs = await anonymous.get('/api/docs-json');
    expect(docs.status).toBe(200);
    const documented = Object.entries(docs.body.paths as Record<string, object>).flatMap(([path, ops]) =>
      Object.keys(ops).map((op) => `${op.toUpperCase()} ${path}`),
    );
    expect(documented).toEqual(
      expect.arrayContaining([
        'GET /api/clusters',
        'POST /api/members',
        'POST /api/members/import',
        'GET /api/members',
        'POST /api/events',
        'PATCH /api/events/{id}',
        'POST /api/events/{id}/publish',
        'POST /api/events/{id}/cancel',
        'GET /api/events',
        'GET /api/events/{id}',
        'POST /api/events/{id}/invitations',
        'POST /api/events/{id}/registrations',
        'GET /api/events/{id}/registrations',
        'GET /api/events/{id}/calendar.ics',
        'GET /api/clusters/{code}/calendar.ics',
      ]),
    );

    // A row is marked sent in a batch a moment after its mail went out (MAIL_SENT_BATCH_MS): wait for that.
    await waitUntil(async () => (await t.db.query(`SELECT 1 FROM outbox WHERE status = 'pending'`)).rowCount === 0, 'the sent rows to be marked');
    const rows = await t.db.query(`SELECT status, count(*)::int AS n FROM outbox GROUP BY status`);
    expect(rows.rows).toEqual([{ status: 'sent', n: 7 }]);
  });
});

function only(mails: CapturedMail[]): CapturedMail {
  expect(mails).toHaveLength(1);
  return mails[0];
}
