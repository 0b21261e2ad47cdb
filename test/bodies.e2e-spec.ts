import { signedInConsole } from './support/console-client';
import { client } from './support/http';
import { CapturedMail, personalLink, pressLink, waitUntil } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const DAY = 86_400_000;

/**
 * Standing bodies (issue 10): a roster of seats, a meeting that invites the delegates through the
 * ordinary pipeline, a delegate's decline that invites the substitute exactly once, minutes behind
 * the roster's links, and the attendance report, all against real PostgreSQL and a real SMTP server.
 */
describe('standing bodies', () => {
  let t: TestApp;
  let admin: ReturnType<typeof client>;
  let ict: ReturnType<typeof client>;
  let green: ReturnType<typeof client>;
  let bodyId: string;
  const member: Record<string, string> = {};
  const company: Record<string, string> = {};
  const seat: Record<string, string> = {};
  const meeting: Record<string, string> = {};

  const anonymous = () => client(t.url);
  const count = async (table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
  const mailsAbout = (address: string, title: string): CapturedMail[] => t.mailbox.to(address).filter((mail) => (mail.parsed.subject ?? '').includes(title));
  async function linkOf(address: string, title: string): Promise<string> {
    await t.mailbox.waitFor(() => mailsAbout(address, title).length > 0, `the invitation to ${address} for ${title}`);
    return personalLink(mailsAbout(address, title)[0], t.url).slice(t.url.length);
  }
  async function organizer(email: string, clusters: string[]): Promise<ReturnType<typeof client>> {
    const created = await admin.post('/api/organizers', { email, role: 'cluster_organizer', clusters });
    return client(t.url, (await admin.post('/api/tokens', { name: email, organizerId: created.body.id })).body.token as string);
  }
  async function publishedEvent(title: string, startsAt: Date, hostClusters = ['ICT', 'DC']): Promise<string> {
    const created = await admin.post('/api/events', {
      title,
      type: 'committee',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
      hostClusters,
    });
    expect(created.status).toBe(201);
    expect((await admin.post(`/api/events/${created.body.id}/publish`)).status).toBe(200);
    return created.body.id as string;
  }

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres', env: { ADMIN_EMAIL: 'federation@park.example' } });
    admin = client(t.url, t.adminToken);
    ict = await organizer('ict-office@park.example', ['ICT']);
    green = await organizer('green-office@park.example', ['GREEN_IT']);
    for (const [name, clusterCode] of [
      ['한빛소프트', 'ICT'],
      ['픽셀웍스', 'DC'],
      ['모션랩', 'IMT'],
    ]) {
      company[name] = (await admin.post('/api/companies', { name, clusterCode })).body.id as string;
    }
    for (const [email, name, companyName, clusterCode] of [
      ['ict-del@hanbit.example', '김대표', '한빛소프트', 'ICT'],
      ['ict-sub@hanbit.example', '이대리', '한빛소프트', 'ICT'],
      ['dc-del@pixel.example', '박대표', '픽셀웍스', 'DC'],
      ['dc-sub@pixel.example', '최대리', '픽셀웍스', 'DC'],
      ['imt-del@motion.example', '정대표', '모션랩', 'IMT'],
      ['imt-other@motion.example', '한사원', '모션랩', 'IMT'],
    ]) {
      const created = await admin.post('/api/members', { email, name, company: companyName, clusterCode });
      expect(created.status).toBe(201);
      member[email.split('@')[0]] = created.body.id as string;
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sets up the joint committee and its roster, each organizer for their own seats', async () => {
    const created = await admin.post('/api/bodies', { name: '클러스터 공동 운영위원회', kind: 'committee' });
    expect([created.status, created.body.seats, created.body.sigId]).toEqual([201, [], null]);
    bodyId = created.body.id as string;
    // Before any seat, the committee involves no cluster: a cluster organizer neither sees nor fills it.
    expect((await ict.post(`/api/bodies/${bodyId}/seats`, { label: 'ICT', cluster: 'ICT', delegateId: member['ict-del'] })).status).toBe(403);
    const ictSeat = await admin.post(`/api/bodies/${bodyId}/seats`, {
      label: 'ICT',
      cluster: 'ICT',
      delegateId: member['ict-del'],
      substituteId: member['ict-sub'],
    });
    expect(ictSeat.status).toBe(201);
    // Now ICT's organizer sees the body and changes ICT's seat, but not another cluster's.
    expect((await ict.post(`/api/bodies/${bodyId}/seats`, { label: 'DC', cluster: 'DC', delegateId: member['dc-del'] })).status).toBe(403);
    const dcSeat = await admin.post(`/api/bodies/${bodyId}/seats`, {
      label: '픽셀웍스',
      companyId: company['픽셀웍스'],
      delegateId: member['dc-del'],
      substituteId: member['dc-sub'],
    });
    const imtSeat = await admin.post(`/api/bodies/${bodyId}/seats`, { label: 'IMT', cluster: 'IMT', delegateId: member['imt-del'] });
    expect([dcSeat.status, imtSeat.status]).toEqual([201, 201]);
    for (const row of imtSeat.body.seats as { id: string; label: string }[]) seat[row.label] = row.id;
    const renamed = await ict.put(`/api/bodies/${bodyId}/seats/${seat.ICT}`, {
      label: 'ICT 클러스터',
      cluster: 'ICT',
      delegateId: member['ict-del'],
      substituteId: member['ict-sub'],
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.seats).toEqual([
      {
        id: seat.ICT,
        label: 'ICT 클러스터',
        cluster: 'ICT',
        company: null,
        delegate: { id: member['ict-del'], name: '김대표', email: 'ict-del@hanbit.example' },
        substitute: { id: member['ict-sub'], name: '이대리', email: 'ict-sub@hanbit.example' },
      },
      {
        id: seat['픽셀웍스'],
        label: '픽셀웍스',
        cluster: null,
        company: { id: company['픽셀웍스'], name: '픽셀웍스' },
        delegate: { id: member['dc-del'], name: '박대표', email: 'dc-del@pixel.example' },
        substitute: { id: member['dc-sub'], name: '최대리', email: 'dc-sub@pixel.example' },
      },
      {
        id: seat.IMT,
        label: 'IMT',
        cluster: 'IMT',
        company: null,
        delegate: { id: member['imt-del'], name: '정대표', email: 'imt-del@motion.example' },
        substitute: null,
      },
    ]);
    expect((await ict.get('/api/bodies')).body.map((body: { id: string }) => body.id)).toEqual([bodyId]);
    expect((await green.get('/api/bodies')).body).toEqual([]);
    expect((await green.get(`/api/bodies/${bodyId}`)).status).toBe(403);
    expect((await admin.get(`/api/bodies/${bodyId}`)).body.seats).toHaveLength(3);
  });

  it('refuses bad bodies and seats with 4xx naming the field, writing nothing', async () => {
    const [bodies, seats] = [await count('bodies'), await count('body_seats')];
    const refusals: [Promise<{ status: number; body: { message: unknown } }>, number, string][] = [
      [admin.post('/api/bodies', { name: '', kind: 'committee' }), 400, 'name'],
      [admin.post('/api/bodies', { name: 'x', kind: 'club' }), 400, 'kind'],
      [admin.post('/api/bodies', { name: 'x', kind: 'steering_group' }), 400, 'sigId'],
      [admin.post('/api/bodies', { name: 'x', kind: 'steering_group', sigId: '00000000-0000-4000-8000-000000000000' }), 400, 'sigId'],
      [admin.post('/api/bodies', { name: '클러스터 공동 운영위원회', kind: 'committee' }), 409, 'name'],
      [ict.post('/api/bodies', { name: 'ICT만의 위원회', kind: 'committee' }), 403, 'sigId'],
      [admin.post(`/api/bodies/${bodyId}/seats`, { label: 'y', delegateId: member['ict-del'] }), 400, 'cluster'],
      [
        admin.post(`/api/bodies/${bodyId}/seats`, { label: 'y', cluster: 'ICT', companyId: company['한빛소프트'], delegateId: member['ict-del'] }),
        400,
        'companyId',
      ],
      [admin.post(`/api/bodies/${bodyId}/seats`, { label: 'y', companyId: company['픽셀웍스'], delegateId: member['ict-del'] }), 400, 'delegateId'],
      [
        admin.post(`/api/bodies/${bodyId}/seats`, { label: 'y', cluster: 'ICT', delegateId: member['ict-del'], substituteId: member['ict-del'] }),
        400,
        'substituteId',
      ],
      [admin.post(`/api/bodies/${bodyId}/seats`, { label: 'y', cluster: 'ICT', delegateId: '00000000-0000-4000-8000-000000000000' }), 400, 'delegateId'],
      [admin.post(`/api/bodies/${bodyId}/seats`, { label: 'y', cluster: 'ICT', delegateId: 'me' }), 400, 'delegateId'],
      [admin.post(`/api/bodies/${bodyId}/seats`, { label: 'imt', cluster: 'IMT', delegateId: member['imt-other'] }), 409, 'label'],
      [
        admin.put(`/api/bodies/${bodyId}/seats/00000000-0000-4000-8000-000000000000`, { label: 'z', cluster: 'IMT', delegateId: member['imt-other'] }),
        404,
        'seat',
      ],
      [admin.post(`/api/bodies/00000000-0000-4000-8000-000000000000/seats`, { label: 'z', cluster: 'IMT', delegateId: member['imt-other'] }), 404, 'body'],
    ];
    for (const [call, status, field] of refusals) {
      const answer = await call;
      expect([answer.status, JSON.stringify(answer.body.message)]).toEqual([status, expect.stringContaining(field)]);
    }
    for (const path of ['/api/bodies/nope', `/api/bodies/${bodyId}/meetings/nope/minutes`]) {
      const malformed = await admin.get(path);
      expect([malformed.status, JSON.stringify(malformed.body.message)]).toEqual([400, expect.stringMatching(/[iI]d must be a UUID/)]);
    }
    const badSeat = await admin.put(`/api/bodies/${bodyId}/seats/nope`, { label: 'z', cluster: 'IMT', delegateId: member['imt-other'] });
    expect([badSeat.status, JSON.stringify(badSeat.body.message)]).toEqual([400, expect.stringContaining('seatId')]);
    expect([await count('bodies'), await count('body_seats')]).toEqual([bodies, seats]);
  });

  it('invites the delegates to a meeting; a decline invites the substitute exactly once', async () => {
    const draft = await admin.post('/api/events', {
      title: '초안 회의',
      type: 'committee',
      startsAt: new Date(t.clock.now().getTime() + 5 * DAY).toISOString(),
      endsAt: new Date(t.clock.now().getTime() + 5 * DAY + 3_600_000).toISOString(),
      hostClusters: ['ICT'],
    });
    const refused = await admin.post(`/api/bodies/${bodyId}/meetings`, { eventId: draft.body.id });
    expect(refused.status).toBe(409);
    expect((await admin.post(`/api/bodies/${bodyId}/meetings`, { eventId: '00000000-0000-4000-8000-000000000000' })).status).toBe(400);
    expect((await admin.post(`/api/bodies/${bodyId}/meetings`, { eventId: 'soon' })).status).toBe(400);
    expect(await count('body_meetings')).toBe(0);

    meeting.M1 = await publishedEvent('제1차 운영위원회', new Date(t.clock.now().getTime() + 2 * DAY));
    expect((await green.post(`/api/bodies/${bodyId}/meetings`, { eventId: meeting.M1 })).status).toBe(403);
    const held = await ict.post(`/api/bodies/${bodyId}/meetings`, { eventId: meeting.M1 });
    expect([held.status, held.body]).toEqual([201, { bodyId, eventId: meeting.M1, queued: 3 }]);
    expect((await admin.post(`/api/bodies/${bodyId}/meetings`, { eventId: meeting.M1 })).body.queued).toBe(0);
    const audit = await admin.get('/api/audit-log?action=invitations.send');
    expect(audit.body[1]).toMatchObject({ actor: 'ict-office@park.example', action: 'invitations.send', target: `event ${meeting.M1}` });
    // Someone not on the roster, invited to the same meeting: sees no minutes later.
    expect((await admin.post(`/api/events/${meeting.M1}/invitations`, { clusters: [], memberIds: [member['imt-other']] })).body).toEqual({ queued: 1 });

    const dcLink = await linkOf('dc-del@pixel.example', '제1차 운영위원회');
    const page = await anonymous().get(dcLink);
    expect(page.status).toBe(200);
    expect(page.text).toContain('참석할 수 없습니다 (대리인에게 넘기기)');
    expect(page.text).toContain('name="action" value="decline"');
    // Twice at once (a double click) and once more later.
    const [first, second] = await Promise.all([anonymous().form(dcLink, { action: 'decline' }), anonymous().form(dcLink, { action: 'decline' })]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.text).toContain('불참으로 답하셨습니다');
    expect((await anonymous().form(dcLink, { action: 'decline' })).text).toContain('불참으로 답하셨습니다');
    const dcSubLink = await linkOf('dc-sub@pixel.example', '제1차 운영위원회');
    expect(dcSubLink).toMatch(/^\/r\//);
    await waitUntil(async () => (await t.db.query(`SELECT 1 FROM outbox WHERE status = 'pending'`)).rowCount === 0, 'every queued mail to be sent');
    expect(mailsAbout('dc-sub@pixel.example', '제1차 운영위원회')).toHaveLength(1);
    expect((await t.db.query(`SELECT seat_id FROM body_meeting_declines`)).rows).toEqual([{ seat_id: seat['픽셀웍스'] }]);
    // The declined page stays declined, with no button; the substitute's page offers no decline (they hold no seat as delegate).
    const again = await anonymous().get(dcLink);
    expect([again.text.includes('불참으로 답하셨습니다'), again.text.includes('value="decline"')]).toEqual([true, false]);
    const subPage = await anonymous().get(dcSubLink);
    expect([subPage.status, subPage.text.includes('value="decline"')]).toEqual([200, false]);

    // IMT's delegate has no substitute: the decline is recorded and nobody is invited.
    const imtLink = await linkOf('imt-del@motion.example', '제1차 운영위원회');
    expect((await anonymous().form(imtLink, { action: 'decline' })).text).toContain('불참으로 답하셨습니다');
    // ICT's delegate and DC's substitute accept, consenting as the page asks.
    expect(await (await pressLink(t.url + (await linkOf('ict-del@hanbit.example', '제1차 운영위원회')))).text()).toContain('등록이 완료되었습니다');
    expect(await (await pressLink(t.url + dcSubLink)).text()).toContain('등록이 완료되었습니다');
    expect((await admin.get(`/api/bodies/${bodyId}`)).body.meetings).toEqual([
      { eventId: meeting.M1, title: '제1차 운영위원회', startsAt: expect.any(String), status: 'published', hasMinutes: false },
    ]);
  });

  it('keeps minutes with a past meeting, shown to the roster from their links and to organizers, not to others', async () => {
    const minutesUrl = `/api/bodies/${bodyId}/meetings/${meeting.M1}/minutes`;
    const file = { name: '제1차 회의록.txt', contentType: 'text/plain', contentBase64: Buffer.from('안건 1. 공동 세미나\n').toString('base64') };
    const early = await admin.post(minutesUrl, { text: '회의 전' });
    expect([early.status, JSON.stringify(early.body.message)]).toEqual([409, expect.stringContaining('begun')]);
    t.clock.advance(3 * DAY);

    const refusals: [unknown, number, string][] = [
      [{ text: '' }, 400, 'text'],
      [{ text: 'a\u0000b' }, 400, 'text'],
      [{ text: 'ok', file: { ...file, contentType: 'text/html' } }, 400, 'contentType'],
      [{ text: 'ok', file: { ...file, name: '../x.txt' } }, 400, 'file.name'],
      [{ text: 'ok', file: { ...file, contentBase64: '***' } }, 400, 'contentBase64'],
      [{ text: 'ok', file: { ...file, contentBase64: Buffer.alloc(512 * 1024 + 1).toString('base64') } }, 413, 'file'],
    ];
    for (const [body, status, field] of refusals) {
      const answer = await admin.post(minutesUrl, body);
      expect([answer.status, JSON.stringify(answer.body.message)]).toEqual([status, expect.stringContaining(field)]);
    }
    const notAMeeting = await publishedEvent('다른 행사', new Date(t.clock.now().getTime() + DAY));
    expect((await admin.post(`/api/bodies/${bodyId}/meetings/${notAMeeting}/minutes`, { text: 'x' })).status).toBe(404);
    expect((await green.post(minutesUrl, { text: 'x' })).status).toBe(403);
    expect(await count('meeting_minutes')).toBe(0);

    const saved = await ict.post(minutesUrl, { text: '1. 2027년 공동 세미나 일정\n2. 회비', file });
    expect([saved.status, saved.body.fileName, saved.body.fileSize]).toEqual([201, '제1차 회의록.txt', Buffer.byteLength('안건 1. 공동 세미나\n')]);
    expect((await admin.get(minutesUrl)).body.text).toBe('1. 2027년 공동 세미나 일정\n2. 회비');
    const download = await fetch(`${t.url}${minutesUrl}/file`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect([download.status, download.headers.get('content-disposition'), await download.text()]).toEqual([
      200,
      `attachment; filename*=UTF-8''${encodeURIComponent('제1차 회의록.txt')}`,
      '안건 1. 공동 세미나\n',
    ]);

    // On the roster: the delegate who attended and the substitute (their links show the registration), and the delegates who
    // declined, whose invitation links now say the meeting is closed (409) and still show the minutes.
    for (const [address, status] of [
      ['ict-del@hanbit.example', 200],
      ['dc-sub@pixel.example', 200],
      ['dc-del@pixel.example', 409],
      ['imt-del@motion.example', 409],
    ] as const) {
      const page = await anonymous().get(await linkOf(address, '제1차 운영위원회'));
      expect([address, page.status, page.text.includes('2027년 공동 세미나 일정'), page.text.includes('제1차 회의록.txt')]).toEqual([
        address,
        status,
        true,
        true,
      ]);
    }
    const rosterLink = await linkOf('ict-del@hanbit.example', '제1차 운영위원회');
    const viaLink = await fetch(`${t.url}${rosterLink}/minutes/${bodyId}`);
    expect([viaLink.status, await viaLink.text()]).toEqual([200, '안건 1. 공동 세미나\n']);
    // Not on the roster: the page shows no minutes and the file is not there.
    const otherLink = await linkOf('imt-other@motion.example', '제1차 운영위원회');
    expect((await anonymous().get(otherLink)).text).not.toContain('2027년 공동 세미나 일정');
    expect((await fetch(`${t.url}${otherLink}/minutes/${bodyId}`)).status).toBe(404);
  });

  it('reports attendance per seat over the year, by hand', async () => {
    // M2 began an hour before M1 (moved in SQL: a past meeting is data here); M3 was cancelled; M4 is to come.
    meeting.M2 = await publishedEvent('제2차 운영위원회', new Date(t.clock.now().getTime() + 2 * DAY));
    meeting.M3 = await publishedEvent('임시 운영위원회', new Date(t.clock.now().getTime() + 2 * DAY));
    meeting.M4 = await publishedEvent('제3차 운영위원회', new Date(t.clock.now().getTime() + 4 * DAY));
    for (const id of [meeting.M2, meeting.M3, meeting.M4]) expect((await admin.post(`/api/bodies/${bodyId}/meetings`, { eventId: id })).status).toBe(201);
    expect((await admin.post(`/api/events/${meeting.M3}/cancel`, { reason: '안건 없음' })).status).toBe(200);
    await t.db.query(
      `UPDATE events m2 SET starts_at = m1.starts_at - interval '1 hour', ends_at = m1.starts_at - interval '30 minutes'
         FROM events m1 WHERE m2.id = $1 AND m1.id = $2`,
      [meeting.M2, meeting.M1],
    );
    const { rows } = await t.db.query<{ year: number }>(
      `SELECT extract(year FROM starts_at AT TIME ZONE 'Asia/Seoul')::int AS year FROM events WHERE id = $1`,
      [meeting.M1],
    );
    const year = rows[0].year;
    // Check-ins. M1: the ICT delegate and the DC substitute (IMT's delegate declined). M2: the ICT substitute, the DC and IMT delegates.
    await t.db.query(`UPDATE registrations SET checked_in_at = now() WHERE event_id = $1 AND email IN ('ict-del@hanbit.example', 'dc-sub@pixel.example')`, [
      meeting.M1,
    ]);
    for (const email of ['ict-sub@hanbit.example', 'dc-del@pixel.example', 'imt-del@motion.example']) {
      await t.db.query(`INSERT INTO registrations (event_id, email, name, status, source, checked_in_at) VALUES ($1, $2, $3, 'confirmed', 'public', now())`, [
        meeting.M2,
        email,
        email,
      ]);
    }
    // ICT's delegate registered for M2 but did not come: not an attendance.
    await t.db.query(`INSERT INTO registrations (event_id, email, name, status, source) VALUES ($1, 'ict-del@hanbit.example', 'x', 'confirmed', 'public')`, [
      meeting.M2,
    ]);

    const report = await ict.get(`/api/reports/attendance?bodyId=${bodyId}&year=${year}`);
    expect(report.status).toBe(200);
    // Two meetings count (M1, M2): M3 is cancelled, M4 has not begun.
    expect(report.body).toEqual({
      bodyId,
      year,
      seats: [
        {
          seatId: seat.ICT,
          label: 'ICT 클러스터',
          cluster: 'ICT',
          company: null,
          delegate: '김대표',
          substitute: '이대리',
          meetings: 2,
          attendedByDelegate: 1,
          attendedBySubstitute: 1,
          absent: 0,
        },
        {
          seatId: seat['픽셀웍스'],
          label: '픽셀웍스',
          cluster: null,
          company: '픽셀웍스',
          delegate: '박대표',
          substitute: '최대리',
          meetings: 2,
          attendedByDelegate: 1,
          attendedBySubstitute: 1,
          absent: 0,
        },
        {
          seatId: seat.IMT,
          label: 'IMT',
          cluster: 'IMT',
          company: null,
          delegate: '정대표',
          substitute: null,
          meetings: 2,
          attendedByDelegate: 1,
          attendedBySubstitute: 0,
          absent: 1,
        },
      ],
    });
    expect((await admin.get(`/api/reports/attendance?bodyId=${bodyId}&year=${year - 1}`)).body.seats[0]).toMatchObject({ meetings: 0, absent: 0 });
    const csv = await fetch(`${t.url}/api/reports/attendance?bodyId=${bodyId}&year=${year}&format=csv`, {
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(
      Buffer.from(await csv.arrayBuffer())
        .toString('utf8')
        .split('\r\n')
        .slice(0, 2),
    ).toEqual([
      '\uFEFFseat,cluster,company,delegate,substitute,meetings,attended_by_delegate,attended_by_substitute,absent',
      'ICT 클러스터,ICT,,김대표,이대리,2,1,1,0',
    ]);
    expect((await green.get(`/api/reports/attendance?bodyId=${bodyId}&year=${year}`)).status).toBe(403);
    expect((await admin.get(`/api/reports/attendance?bodyId=00000000-0000-4000-8000-000000000000&year=${year}`)).status).toBe(404);
    for (const [query, field] of [
      [`bodyId=${bodyId}&year=twenty`, 'year'],
      [`bodyId=${bodyId}&year=1999`, 'year'],
      [`bodyId=nope&year=${year}`, 'bodyId'],
      [`year=${year}`, 'bodyId'],
    ]) {
      const bad = await admin.get(`/api/reports/attendance?${query}`);
      expect([bad.status, JSON.stringify(bad.body.message)]).toEqual([400, expect.stringContaining(field)]);
    }
  });

  it('documents every new operation in the OpenAPI document, with a summary', async () => {
    const paths = (await anonymous().get('/api/docs-json')).body.paths as Record<string, Record<string, { summary?: string }>>;
    for (const [path, method] of [
      ['/api/bodies', 'post'],
      ['/api/bodies', 'get'],
      ['/api/bodies/{id}', 'get'],
      ['/api/bodies/{id}/seats', 'post'],
      ['/api/bodies/{id}/seats/{seatId}', 'put'],
      ['/api/bodies/{id}/meetings', 'post'],
      ['/api/bodies/{id}/meetings/{eventId}/minutes', 'post'],
      ['/api/bodies/{id}/meetings/{eventId}/minutes', 'get'],
      ['/api/bodies/{id}/meetings/{eventId}/minutes/file', 'get'],
      ['/api/reports/attendance', 'get'],
      ['/api/events/{id}/suggestions', 'get'],
    ]) {
      expect([path, method, typeof paths[path]?.[method]?.summary]).toEqual([path, method, 'string']);
    }
  });

  it('runs a committee from the console: set up, a seat by email with errors by field, a meeting that invites, minutes only once it has begun', async () => {
    const office = await signedInConsole(t.url, t.mailbox, 'federation@park.example');
    expect((await office.get('/console/bodies')).status).toBe(200);
    const made = await office.post('/console/bodies', { name: '콘솔 운영위원회', kind: 'committee', sigId: '' });
    expect(made.status).toBe(303);
    const page = made.location!;
    expect((await office.get(page)).html).toContain('콘솔 운영위원회');
    // An unknown delegate and a seat for both a cluster and a company: each said next to its field, the typed values kept, nothing written.
    const bad = await office.post(`${page}/seats`, {
      label: 'IMT 자리',
      cluster: 'IMT',
      companyId: company['모션랩'],
      delegate: 'nobody@motion.example',
      substitute: '',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('id="seat-delegate-error"');
    expect(bad.html).toContain('value="nobody@motion.example"');
    const bodyOf = async () => (await admin.get(`/api/bodies/${page.split('/').at(-1)}`)).body as { seats: { label: string; delegate: { email: string } }[] };
    expect((await bodyOf()).seats).toEqual([]);
    const added = await office.post(`${page}/seats`, {
      label: 'IMT 자리',
      cluster: 'IMT',
      companyId: '',
      delegate: 'imt-del@motion.example',
      substitute: 'imt-other@motion.example',
    });
    expect([added.status, added.location]).toEqual([303, page]);
    expect((await bodyOf()).seats.map((row) => [row.label, row.delegate.email])).toEqual([['IMT 자리', 'imt-del@motion.example']]);
    // A meeting: a published event ahead; its delegate is invited.
    const eventId = await publishedEvent('콘솔 위원회 회의', new Date(Date.now() + 20 * DAY), ['IMT']);
    expect((await office.get(page)).html).toContain(`<option value="${eventId}">`);
    expect((await office.post(`${page}/meetings`, { eventId })).status).toBe(303);
    await t.mailbox.waitFor(() => mailsAbout('imt-del@motion.example', '콘솔 위원회 회의').length === 1, 'the meeting invitation');
    // Minutes before the meeting has begun are refused, with the reason in the next page's message.
    const early = await office.post(`${page}/meetings/${eventId}/minutes`, { text: '1. 안건' });
    expect(early.status).toBe(303);
    expect((await office.get(page)).html).toContain('회의가 시작된 뒤에');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM meeting_minutes WHERE event_id = $1`, [eventId])).rows[0].n).toBe(0);
    const audited = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE actor = 'federation@park.example' AND action LIKE 'body.%' ORDER BY at`,
    );
    expect(audited.rows.map((row) => row.action)).toEqual(['body.create', 'body.seat']);
  });

  it('invites the substitute when a delegate who accepted cancels later, once', async () => {
    const title = '제5차 운영위원회';
    const meetingId = await publishedEvent(title, new Date(t.clock.now().getTime() + 2 * DAY));
    expect((await ict.post(`/api/bodies/${bodyId}/meetings`, { eventId: meetingId })).status).toBe(201);
    expect(await (await pressLink(t.url + (await linkOf('ict-del@hanbit.example', title)))).text()).toContain('등록이 완료되었습니다');
    // The confirmation carries the manage link; leaving from it hands the seat to the substitute.
    await t.mailbox.waitFor(() => mailsAbout('ict-del@hanbit.example', title).length === 2, 'the confirmation');
    const manage = personalLink(mailsAbout('ict-del@hanbit.example', title)[1], t.url);
    expect(await (await pressLink(manage)).text()).toContain('등록이 취소되었습니다');
    expect(await linkOf('ict-sub@hanbit.example', title)).toMatch(/^\/r\//);
    const declines = await t.db.query(`SELECT seat_id FROM body_meeting_declines WHERE event_id = $1`, [meetingId]);
    expect(declines.rows).toEqual([{ seat_id: seat.ICT }]);
    // Pressed again: already cancelled, nobody invited twice.
    await pressLink(manage);
    await waitUntil(async () => (await t.db.query(`SELECT 1 FROM outbox WHERE status = 'pending'`)).rowCount === 0, 'every queued mail to be sent');
    expect(mailsAbout('ict-sub@hanbit.example', title)).toHaveLength(1);
    // The DC delegate, who never answered, was not touched.
    expect((await t.db.query(`SELECT count(*)::int AS n FROM body_meeting_declines WHERE event_id = $1`, [meetingId])).rows[0].n).toBe(1);
  });
});
