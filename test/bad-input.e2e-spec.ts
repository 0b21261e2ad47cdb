import { Answer, client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The rule (issue text): "Bad input on every endpoint of this flow: a clear 400 naming the field;
 * nothing half-written." Plus the neighbours of 400: 401 without a valid organizer token, 404 for an
 * unknown well-formed id, 409 for a conflict, 413 for a body over BODY_LIMIT, 415 for a wrong media
 * type, and never a 500. One real app on real PostgreSQL (PostgreSQL queue backend) for the whole file;
 * the describe blocks run in order and later ones build on the state the earlier ones left.
 */
describe('bad input never gets a 500 nor leaves a partial write (postgres queue backend)', () => {
  let t: TestApp;
  let api: Api;
  let anonymous: Api;
  let wrongToken: Api;
  /** Every answer the suite received, so the last test can prove none was a 500. */
  const answers: { request: string; status: number }[] = [];

  const offsetMessage = (field: string) => `${field} must be an ISO 8601 date-time with an offset, e.g. 2027-03-10T14:00:00+09:00`;
  const eventRange = (field: string) => `${field} must be between 1 year ago and 10 years from now`;
  const windowRange = (field: string) => `${field} must be between 10 years ago and 10 years from now`;
  const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  const UNKNOWN_ID = '0b7e2a4c-5d7e-4f3a-9c1b-2d3e4f5a6b7c';
  const member = { email: 'minji.kim@hanbit.example', name: '김민지', company: '한빛소프트', clusterCode: 'ICT', locale: 'ko' };
  // Far enough ahead that the test never runs into it.
  const event = {
    title: 'AI × 콘텐츠 융합 세미나',
    type: 'seminar',
    startsAt: '2030-03-10T14:00:00+09:00',
    endsAt: '2030-03-10T16:00:00+09:00',
    hostClusters: ['ICT', 'DC'],
  };

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres' });
    api = tracked(client(t.url, t.adminToken), answers);
    anonymous = tracked(client(t.url), answers);
    wrongToken = tracked(client(t.url, 'not-the-admin-token-but-long-enough'), answers);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function count(table: 'members' | 'companies' | 'events' | 'event_clusters' | 'registrations' | 'link_tokens' | 'outbox'): Promise<number> {
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM ${table}`);
    return rows[0].n;
  }

  async function createEvent(overrides: Record<string, unknown> = {}, publish = false): Promise<Record<string, any>> {
    const created = await api.post('/api/events', { ...event, ...overrides });
    expect(created.status).toBe(201);
    if (!publish) return created.body;
    const published = await api.post(`/api/events/${created.body.id}/publish`);
    expect(published.status).toBe(200);
    return published.body;
  }

  describe('POST /api/members', () => {
    it.each(
      cases([
        ['email missing', { email: undefined }, 'email', 'email must be an email'],
        ['email invalid', { email: 'not-an-email' }, 'email', 'email must be an email'],
        ['email not a string', { email: ['minji@hanbit.example'] }, 'email', 'email must be an email'],
        ['name with CR/LF (header injection)', { name: 'Kim\r\nBcc: x@y' }, 'name', 'name must be a single line without control characters'],
        ['name too long', { name: '가'.repeat(201) }, 'name', 'name must be shorter than or equal to 200 characters'],
        ['name blank', { name: '   ' }, 'name', 'name should not be empty'],
        ['name not a string', { name: 42 }, 'name', 'name must be a string'],
        ['company with a line break', { company: '한빛\n소프트' }, 'company', 'company must be a single line without control characters'],
        ['unknown clusterCode', { clusterCode: 'MARS' }, 'clusterCode', 'clusterCode must be one of ICT, IMT, DC, GREEN_IT'],
        ['clusterCode in the wrong case', { clusterCode: 'ict' }, 'clusterCode', 'clusterCode must be one of ICT, IMT, DC, GREEN_IT'],
        ['bad locale', { locale: 'fr' }, 'locale', 'locale must be ko or en'],
        ['unknown extra property', { foo: 'bar' }, 'foo', 'property foo should not exist'],
      ]),
    )('$label → 400 naming $field', async ({ change, field, message }) => {
      expectBadRequest(await api.post('/api/members', { ...member, ...change }), field, message);
    });

    it('answers a body that is not JSON with 400 naming the body', async () => {
      expectBadRequest(await api.post('/api/members', '{"email": "minji.kim@hanbit.example",'), 'body', 'body is not valid JSON');
      expectBadRequest(await api.post('/api/members', "{ email: 'minji.kim@hanbit.example' }"), 'body', 'body is not valid JSON');
    });

    it('answers a JSON body with bytes that are not UTF-8 with 400 naming the body, rather than storing U+FFFD', async () => {
      const json = (name: Buffer) =>
        Buffer.concat([Buffer.from(`{"email":"${member.email}","name":"`), name, Buffer.from(`","company":"한빛소프트","clusterCode":"ICT"}`)]);
      // 0xFF is never UTF-8; 0xB1 0xE8 0xB9 0xCE 0xC1 0xF6 is 김민지 in CP949; 0xEA 0xB9 is 김 cut short.
      for (const name of [Buffer.from([0xff]), Buffer.from([0xb1, 0xe8, 0xb9, 0xce, 0xc1, 0xf6]), Buffer.from([0xea, 0xb9])]) {
        expectBadRequest(await api.post('/api/members', json(name)), 'body', 'body is not valid UTF-8');
        expectBadRequest(await api.post('/api/members', json(name), { contentType: 'application/json; charset=utf-8' }), 'body', 'body is not valid UTF-8');
      }
    });

    it('answers a JSON body that is not an object with 400', async () => {
      // A bare string, number or null: body-parser's strict mode refuses anything but an object or array.
      for (const body of ['"김민지"', '42', 'null']) {
        expectBadRequest(await api.post('/api/members', body), 'body', 'body is not valid JSON');
      }
      // An array is parsed, then fails validation: every required field is named.
      const array = await api.post('/api/members', [member]);
      expect(array.status).toBe(400);
      expect(array.body.message).toEqual(expect.arrayContaining(['email must be an email', 'name must be a string', 'company must be a string']));
    });

    it('answers a body over the 1mb JSON limit with 413', async () => {
      const tooLarge = await api.post('/api/members', { ...member, company: 'x'.repeat(1024 * 1024 + 1) });
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: ['body must not be larger than 1048576 bytes'] });
    });

    it('answers 401 without a token and with a wrong one, even for a valid body', async () => {
      expectUnauthorized(await anonymous.post('/api/members', member));
      expectUnauthorized(await wrongToken.post('/api/members', member));
      // The right token under another scheme is no bearer token.
      const otherScheme = await fetch(`${t.url}/api/members`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Token ${t.adminToken}` },
        body: JSON.stringify(member),
      });
      answers.push({ request: 'POST /api/members (Token scheme)', status: otherScheme.status });
      expect(otherScheme.status).toBe(401);
      expectUnauthorized(await anonymous.get('/api/members'));
    });

    it('wrote nothing for any of these', async () => {
      const list = await api.get('/api/members');
      expect(list.status).toBe(200);
      expect(list.body).toEqual([]);
      expect(await count('members')).toBe(0);
      expect(await count('companies')).toBe(0); // not even the company the member would have created
    });

    it('keeps a Korean name with an apostrophe and an emoji exactly as given', async () => {
      const name = "김민지 O'Neil 😀";
      const created = await api.post('/api/members', { ...member, name, company: '한빛소프트 😀' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ email: member.email, name, company: '한빛소프트 😀', clusterCode: 'ICT', locale: 'ko' });
      const list = await api.get('/api/members');
      expect(list.body).toEqual([expect.objectContaining({ id: created.body.id, name, company: '한빛소프트 😀' })]);
    });

    it('answers 409 for an email that exists (in any case) and changes nothing', async () => {
      const before = (await api.get('/api/members')).body;
      const duplicate = await api.post('/api/members', { ...member, email: 'MINJI.KIM@Hanbit.example', name: '다른 사람', company: '다른 회사' });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toEqual({ statusCode: 409, error: 'Conflict', message: [expect.stringContaining('email')] });
      expect((await api.get('/api/members')).body).toEqual(before);
      expect(await count('companies')).toBe(1);
    });

    it('answers GET /api/members?cluster=MARS with 400 naming cluster', async () => {
      expectBadRequest(await api.get('/api/members?cluster=MARS'), 'cluster', 'cluster must be one of ICT, IMT, DC, GREEN_IT');
    });
  });

  describe('POST /api/members/import', () => {
    const csv = { contentType: 'text/csv' };

    it('answers a wrong header with 400 naming the header', async () => {
      const answer = await api.post('/api/members/import', 'mail,name,company,cluster,locale\nseo@motion.example,서지훈,모션랩,IMT,ko\n', csv);
      expectBadRequest(answer, 'header', 'header must be email,name,company,cluster,locale (got mail,name,company,cluster,locale)');
    });

    it('answers an empty body with 400', async () => {
      expectBadRequest(await api.post('/api/members/import', '', csv), 'body', 'body must be a CSV file');
      expectBadRequest(await api.post('/api/members/import', ' \n \n', csv), 'body', 'body must be a CSV file');
    });

    it('answers a body that is not CSV (an unclosed quote) with 400', async () => {
      const answer = await api.post('/api/members/import', 'email,name,company,cluster,locale\n"seo@motion.example,서지훈,모션랩,IMT,ko\n', csv);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toEqual([expect.stringMatching(/^body is not valid CSV/)]);
    });

    it('answers a JSON body with 415', async () => {
      const answer = await api.post('/api/members/import', { csv: 'email,name,company,cluster,locale' });
      expect(answer.status).toBe(415);
      expect(answer.body).toEqual({ statusCode: 415, error: 'Unsupported Media Type', message: [expect.stringContaining('text/csv')] });
    });

    it('answers 401 without a token', async () => {
      expectUnauthorized(await anonymous.post('/api/members/import', 'email,name,company,cluster,locale\nseo@motion.example,서지훈,모션랩,IMT,ko\n', csv));
    });

    it('rejects every line of a file whose rows are all bad, naming the line and the field, and writes nothing', async () => {
      const membersBefore = await count('members');
      const companiesBefore = await count('companies');
      const file = [
        'email,name,company,cluster,locale',
        'not-an-email,누구,회사,ICT,ko',
        'x@y.example,엑스,회사,MARS,ko',
        `long@y.example,${'n'.repeat(201)},회사,ICT,ko`,
        'lang@y.example,언어,회사,ICT,fr',
        'blank@y.example,,회사,ICT,ko',
        'wide@y.example,넓음,회사,ICT,ko,extra',
      ].join('\n');
      const answer = await api.post('/api/members/import', file, csv);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        created: 0,
        updated: 0,
        rejected: [
          { line: 2, reason: expect.stringContaining('email must be an email') },
          { line: 3, reason: expect.stringContaining('cluster must be one of ICT, IMT, DC, GREEN_IT') },
          { line: 4, reason: expect.stringContaining('name must be shorter than or equal to 200 characters') },
          { line: 5, reason: expect.stringContaining('locale must be ko or en') },
          { line: 6, reason: expect.stringContaining('name should not be empty') },
          { line: 7, reason: 'has 6 columns, expected at most 5' },
        ],
      });
      expect(await count('members')).toBe(membersBefore);
      expect(await count('companies')).toBe(companiesBefore);
    });
  });

  describe('POST /api/events', () => {
    let eventsBefore: number;
    let clusterLinksBefore: number;

    beforeAll(async () => {
      eventsBefore = await count('events');
      clusterLinksBefore = await count('event_clusters');
    });

    it.each([
      ['title', 'title must be a string'],
      ['type', 'type must be one of seminar, tech_exchange, committee, sig_meeting'],
      ['startsAt', offsetMessage('startsAt')],
      ['endsAt', offsetMessage('endsAt')],
      ['hostClusters', 'hostClusters must be an array'],
    ])('%s missing → 400 naming it', async (field, message) => {
      const body: Record<string, unknown> = { ...event };
      delete body[field];
      expectBadRequest(await api.post('/api/events', body), field, message);
    });

    it.each(
      cases([
        ['startsAt without an offset', { startsAt: '2030-03-10T14:00:00' }, 'startsAt', offsetMessage('startsAt')],
        ['startsAt as a bare date', { startsAt: '2030-03-10' }, 'startsAt', offsetMessage('startsAt')],
        ['startsAt on 30 February', { startsAt: '2030-02-30T14:00:00+09:00' }, 'startsAt', offsetMessage('startsAt')],
        ['startsAt as an ISO week date', { startsAt: '2030-W10-7T14:00:00+09:00' }, 'startsAt', offsetMessage('startsAt')],
        ['startsAt as a number', { startsAt: 1899435600000 }, 'startsAt', offsetMessage('startsAt')],
        ['endsAt before startsAt', { endsAt: '2030-03-10T13:00:00+09:00' }, 'endsAt', 'endsAt must be after startsAt'],
        ['endsAt equal to startsAt', { endsAt: '2030-03-10T05:00:00Z' }, 'endsAt', 'endsAt must be after startsAt'],
        ['timezone Mars/Olympus', { timezone: 'Mars/Olympus' }, 'timezone', 'timezone must be an IANA time zone such as Asia/Seoul'],
        ['timezone +09:00', { timezone: '+09:00' }, 'timezone', 'timezone must be an IANA time zone such as Asia/Seoul'],
        ['capacity 0', { capacity: 0 }, 'capacity', 'capacity must not be less than 1'],
        ['capacity -1', { capacity: -1 }, 'capacity', 'capacity must not be less than 1'],
        ['capacity 1.5', { capacity: 1.5 }, 'capacity', 'capacity must be a whole number'],
        ['capacity "10"', { capacity: '10' }, 'capacity', 'capacity must be a whole number'],
        ['capacity 3e9', { capacity: 3e9 }, 'capacity', 'capacity must not be greater than 100000'],
        ['hostClusters []', { hostClusters: [] }, 'hostClusters', 'hostClusters must name at least one cluster'],
        ['hostClusters ["MARS"]', { hostClusters: ['MARS'] }, 'hostClusters', 'each value in hostClusters must be one of ICT, IMT, DC, GREEN_IT'],
        ['hostClusters with a duplicate', { hostClusters: ['ICT', 'DC', 'ICT'] }, 'hostClusters', 'hostClusters must not repeat a cluster'],
        ['hostClusters as a string', { hostClusters: 'ICT' }, 'hostClusters', 'hostClusters must be an array'],
        [
          'audienceClusters ["MARS"]',
          { audienceClusters: ['ICT', 'MARS'] },
          'audienceClusters',
          'each value in audienceClusters must be one of ICT, IMT, DC, GREEN_IT',
        ],
        ['onlineUrl javascript:alert(1)', { onlineUrl: 'javascript:alert(1)' }, 'onlineUrl', 'onlineUrl must be an http(s) URL'],
        ['type unknown', { type: 'party' }, 'type', 'type must be one of seminar, tech_exchange, committee, sig_meeting'],
        ['title with CR/LF', { title: '세미나\r\nBcc: x@y' }, 'title', 'title must be a single line without control characters'],
        ['title blank', { title: '  ' }, 'title', 'title should not be empty'],
        ['description with a NUL character', { description: 'a\u0000b' }, 'description', 'description must not contain NUL characters'],
        ['unknown extra property', { status: 'published' }, 'status', 'property status should not exist'],
        // Times: within a sensible range of now, and every window inside the event.
        ['startsAt in the year 9999', { startsAt: '9999-03-10T14:00:00+09:00' }, 'startsAt', eventRange('startsAt')],
        ['endsAt in the year 9999', { endsAt: '9999-03-10T16:00:00+09:00' }, 'endsAt', eventRange('endsAt')],
        ['startsAt two years ago', { startsAt: daysFromNow(-2 * 366) }, 'startsAt', eventRange('startsAt')],
        ['startsAt eleven years ahead', { startsAt: daysFromNow(11 * 366) }, 'startsAt', eventRange('startsAt')],
        ['endsAt 32 days after startsAt', { endsAt: '2030-04-11T16:00:00+09:00' }, 'endsAt', 'endsAt must be at most 31 days after startsAt'],
        ['registrationOpensAt in 1970', { registrationOpensAt: '1970-01-01T00:00:00Z' }, 'registrationOpensAt', windowRange('registrationOpensAt')],
        [
          'registrationClosesAt in the year 9999',
          { registrationClosesAt: '9999-01-01T00:00:00Z' },
          'registrationClosesAt',
          windowRange('registrationClosesAt'),
        ],
        [
          'registrationClosesAt after endsAt',
          { registrationClosesAt: '2030-03-10T16:00:01+09:00' },
          'registrationClosesAt',
          'registrationClosesAt must be at or before endsAt',
        ],
        [
          'registrationClosesAt before registrationOpensAt',
          { registrationOpensAt: '2030-03-01T09:00:00+09:00', registrationClosesAt: '2030-02-01T09:00:00+09:00' },
          'registrationClosesAt',
          'registrationClosesAt must be after registrationOpensAt',
        ],
        [
          'registrationOpensAt at the end, with no close given',
          { registrationOpensAt: '2030-03-10T16:00:00+09:00' },
          'registrationOpensAt',
          'registrationOpensAt must be before endsAt',
        ],
        ['quotaReleaseAt after startsAt', { quotaReleaseAt: '2030-03-10T15:00:00+09:00' }, 'quotaReleaseAt', 'quotaReleaseAt must be at or before startsAt'],
        ['quotaReleaseAt in the year 9999', { quotaReleaseAt: '9999-01-01T00:00:00Z' }, 'quotaReleaseAt', windowRange('quotaReleaseAt')],
      ]),
    )('$label → 400 naming $field', async ({ change, field, message }) => {
      expectBadRequest(await api.post('/api/events', { ...event, ...change }), field, message);
    });

    it('answers a body that is not JSON with 400 and one over the limit with 413', async () => {
      expectBadRequest(await api.post('/api/events', '{"title": "세미나"'), 'body', 'body is not valid JSON');
      expect((await api.post('/api/events', { ...event, description: 'x'.repeat(1024 * 1024 + 1) })).status).toBe(413);
    });

    it('answers 401 without a token and with a wrong one', async () => {
      expectUnauthorized(await anonymous.post('/api/events', event));
      expectUnauthorized(await wrongToken.post('/api/events', event));
    });

    it('wrote no event and no host or audience row', async () => {
      expect(await count('events')).toBe(eventsBefore);
      expect(await count('event_clusters')).toBe(clusterLinksBefore);
      expect((await api.get('/api/events')).body).toEqual([]);
    });
  });

  describe('PATCH /api/events/:id', () => {
    let draft: Record<string, any>;

    beforeAll(async () => {
      draft = await createEvent({ capacity: 30, venue: '판교 글로벌R&D센터 세미나실 A' });
    });

    it('answers a malformed id with 400 "id must be a UUID"', async () => {
      expectBadRequest(await api.patch('/api/events/not-a-uuid', { title: '새 제목' }), 'id', 'id must be a UUID');
    });

    it('answers an unknown id with 404', async () => {
      expectNotFound(await api.patch(`/api/events/${UNKNOWN_ID}`, { title: '새 제목' }), 'event not found');
    });

    it.each(
      cases([
        ['title null', { title: null }, 'title', 'title must not be null'],
        ['startsAt null', { startsAt: null }, 'startsAt', 'startsAt must not be null'],
        ['hostClusters null', { hostClusters: null }, 'hostClusters', 'hostClusters must not be null'],
        ['endsAt moved before startsAt', { endsAt: '2030-03-10T13:00:00+09:00' }, 'endsAt', 'endsAt must leave endsAt after startsAt'],
        ['startsAt moved after endsAt', { startsAt: '2030-03-10T17:00:00+09:00' }, 'startsAt', 'startsAt must leave endsAt after startsAt'],
        ['endsAt without an offset', { endsAt: '2030-03-10T18:00:00' }, 'endsAt', offsetMessage('endsAt')],
        ['endsAt as an ISO ordinal date', { endsAt: '2030-069T18:00:00+09:00' }, 'endsAt', offsetMessage('endsAt')],
        ['timezone +09:00', { timezone: '+09:00' }, 'timezone', 'timezone must be an IANA time zone such as Asia/Seoul'],
        ['capacity 0', { capacity: 0 }, 'capacity', 'capacity must not be less than 1'],
        ['hostClusters []', { hostClusters: [] }, 'hostClusters', 'hostClusters must name at least one cluster'],
        ['description with a NUL character', { description: 'x\u0000' }, 'description', 'description must not contain NUL characters'],
        // A valid change next to an invalid one: neither is applied.
        ['a valid title with an invalid capacity', { title: '바뀌면 안 되는 제목', capacity: 1.5 }, 'capacity', 'capacity must be a whole number'],
        [
          'a valid venue with endsAt before startsAt',
          { venue: '바뀌면 안 되는 장소', endsAt: '2030-03-10T12:00:00+09:00' },
          'endsAt',
          'endsAt must leave endsAt after startsAt',
        ],
      ]),
    )('$label → 400 naming $field', async ({ change, field, message }) => {
      expectBadRequest(await api.patch(`/api/events/${draft.id}`, change), field, message);
    });

    it('answers 401 without a token', async () => {
      const response = await fetch(`${t.url}/api/events/${draft.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: '새 제목' }),
      });
      answers.push({ request: `PATCH /api/events/${draft.id} (no token)`, status: response.status });
      expect(response.status).toBe(401);
    });

    it('left the event exactly as it was', async () => {
      const now = await api.get(`/api/events/${draft.id}`);
      expect(now.status).toBe(200);
      expect(now.body).toEqual(draft);
      expect(now.body).toMatchObject({ title: event.title, venue: '판교 글로벌R&D센터 세미나실 A', capacity: 30, sequence: 0 });
    });
  });

  describe('PATCH /api/events/:id against the times it keeps', () => {
    let draft: Record<string, any>;

    beforeAll(async () => {
      draft = await createEvent({
        title: '창구가 있는 행사',
        capacity: 30,
        quotas: [{ cluster: 'ICT', seats: 10 }],
        registrationOpensAt: '2030-02-01T09:00:00+09:00',
        registrationClosesAt: '2030-03-09T18:00:00+09:00',
        quotaReleaseAt: '2030-03-08T14:00:00+09:00',
      });
    });

    // The body is checked with what the event keeps: moving the event past its own windows is refused.
    it.each(
      cases([
        [
          'the event moved before the stored close of registration',
          { startsAt: '2030-03-08T10:00:00+09:00', endsAt: '2030-03-08T12:00:00+09:00' },
          'endsAt',
          'endsAt must leave registrationClosesAt at or before endsAt',
        ],
        [
          'startsAt moved before the stored quota release',
          { startsAt: '2030-03-08T10:00:00+09:00' },
          'startsAt',
          'startsAt must leave quotaReleaseAt at or before startsAt',
        ],
        ['endsAt moved 40 days on', { endsAt: '2030-04-19T16:00:00+09:00' }, 'endsAt', 'endsAt must leave endsAt at most 31 days after startsAt'],
        [
          'registrationClosesAt after the stored end',
          { registrationClosesAt: '2030-03-11T09:00:00+09:00' },
          'registrationClosesAt',
          'registrationClosesAt must leave registrationClosesAt at or before endsAt',
        ],
        [
          'registrationOpensAt after the stored close',
          { registrationOpensAt: '2030-03-09T19:00:00+09:00' },
          'registrationOpensAt',
          'registrationOpensAt must leave registrationClosesAt after registrationOpensAt',
        ],
        [
          'quotaReleaseAt after the stored start',
          { quotaReleaseAt: '2030-03-10T15:00:00+09:00' },
          'quotaReleaseAt',
          'quotaReleaseAt must leave quotaReleaseAt at or before startsAt',
        ],
        ['startsAt in the year 9999', { startsAt: '9999-03-10T14:00:00+09:00' }, 'startsAt', eventRange('startsAt')],
        [
          'a valid title with quotaReleaseAt in the year 9999',
          { title: '바뀌면 안 되는 제목', quotaReleaseAt: '9999-01-01T00:00:00Z' },
          'quotaReleaseAt',
          windowRange('quotaReleaseAt'),
        ],
      ]),
    )('$label → 400 naming $field', async ({ change, field, message }) => {
      expectBadRequest(await api.patch(`/api/events/${draft.id}`, change), field, message);
    });

    it('left the event exactly as it was', async () => {
      expect((await api.get(`/api/events/${draft.id}`)).body).toEqual(draft);
    });

    it('takes the limits themselves: 31 days long, registration closing at the end, quotas released at the start', async () => {
      const limits = await createEvent({
        title: '경계값 행사',
        endsAt: '2030-04-10T14:00:00+09:00',
        registrationClosesAt: '2030-04-10T14:00:00+09:00',
        quotaReleaseAt: event.startsAt,
      });
      expect(limits).toMatchObject({
        endsAt: '2030-04-10T05:00:00.000Z',
        registrationClosesAt: '2030-04-10T05:00:00.000Z',
        quotaReleaseAt: '2030-03-10T05:00:00.000Z',
      });
    });

    it('takes a move that keeps every window inside the event, and the merged result is what is checked', async () => {
      const moved = await api.patch(`/api/events/${draft.id}`, { startsAt: '2030-03-11T14:00:00+09:00', endsAt: '2030-03-11T16:00:00+09:00' });
      expect(moved.status).toBe(200);
      // Now the close of registration may move to the new end, not past it.
      expect((await api.patch(`/api/events/${draft.id}`, { registrationClosesAt: '2030-03-11T16:00:00+09:00' })).status).toBe(200);
      expectBadRequest(
        await api.patch(`/api/events/${draft.id}`, { registrationClosesAt: '2030-03-11T16:00:01+09:00' }),
        'registrationClosesAt',
        'registrationClosesAt must leave registrationClosesAt at or before endsAt',
      );
    });
  });

  describe('POST /api/series', () => {
    const series = { ...event, rrule: 'FREQ=WEEKLY;COUNT=3' };
    let eventsBefore: number;

    beforeAll(async () => {
      eventsBefore = await count('events');
    });

    it.each(
      cases([
        ['startsAt in the year 9999', { startsAt: '9999-03-10T14:00:00+09:00' }, 'startsAt', eventRange('startsAt')],
        ['endsAt 32 days after startsAt', { endsAt: '2030-04-11T16:00:00+09:00' }, 'endsAt', 'endsAt must be at most 31 days after startsAt'],
        [
          'a rule that never occurs',
          { rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31;COUNT=1' },
          'rrule',
          'rrule gives no occurrence within 10 years from startsAt',
        ],
        [
          'a rule whose first occurrence is not startsAt',
          { rrule: 'FREQ=MONTHLY;BYDAY=2WE;COUNT=3' },
          'startsAt',
          'startsAt (2030-03-10T14:00 Asia/Seoul) must be the first occurrence of rrule, which gives 2030-03-13T14:00 first',
        ],
        ['quotaReleaseAt (per occurrence only)', { quotaReleaseAt: '2030-03-08T14:00:00+09:00' }, 'quotaReleaseAt', 'property quotaReleaseAt should not exist'],
      ]),
    )('$label → 400 naming $field', async ({ change, field, message }) => {
      expectBadRequest(await api.post('/api/series', { ...series, ...change }), field, message);
    });

    it('wrote no series and no event', async () => {
      const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM event_series`);
      expect(rows[0].n).toBe(0);
      expect(await count('events')).toBe(eventsBefore);
    });
  });

  describe('POST /api/events/:id/publish and /cancel', () => {
    let draft: Record<string, any>;

    beforeAll(async () => {
      draft = await createEvent({ title: '발행 전 초안' });
    });

    it.each(['publish', 'cancel'])('%s: malformed id → 400, unknown id → 404, no token → 401', async (action) => {
      expectBadRequest(await api.post(`/api/events/not-a-uuid/${action}`), 'id', 'id must be a UUID');
      expectBadRequest(await api.post(`/api/events/${draft.id}x/${action}`), 'id', 'id must be a UUID');
      expectNotFound(await api.post(`/api/events/${UNKNOWN_ID}/${action}`), 'event not found');
      expectUnauthorized(await anonymous.post(`/api/events/${draft.id}/${action}`));
    });

    it('cancel: a bad reason → 400 naming reason, and the event is not cancelled', async () => {
      expectBadRequest(await api.post(`/api/events/${draft.id}/cancel`, { reason: 5 }), 'reason', 'reason must be a string');
      expectBadRequest(await api.post(`/api/events/${draft.id}/cancel`, { reason: 'r\u0000' }), 'reason', 'reason must not contain NUL characters');
      expectBadRequest(
        await api.post(`/api/events/${draft.id}/cancel`, { reason: 'x'.repeat(2001) }),
        'reason',
        'reason must be shorter than or equal to 2000 characters',
      );
      expectBadRequest(await api.post(`/api/events/${draft.id}/cancel`, { why: '사정상' }), 'why', 'property why should not exist');
    });

    it('left the draft a draft', async () => {
      expect((await api.get(`/api/events/${draft.id}`)).body).toEqual(draft);
    });
  });

  describe('POST /api/events/:id/invitations', () => {
    let published: Record<string, any>;
    let draft: Record<string, any>;
    let memberId: string;

    beforeAll(async () => {
      published = await createEvent({ title: '초대 테스트' }, true);
      draft = await createEvent({ title: '초대 테스트 초안' });
      memberId = (await api.get('/api/members')).body[0].id;
    });

    it.each(
      cases([
        ['clusters ["MARS"]', { clusters: ['MARS'] }, 'clusters', 'each value in clusters must be one of ICT, IMT, DC, GREEN_IT'],
        ['clusters as a string', { clusters: 'ICT' }, 'clusters', 'clusters must be an array'],
        ['memberIds ["not-a-uuid"]', { memberIds: ['not-a-uuid'] }, 'memberIds', 'each value in memberIds must be a UUID'],
        ['memberIds with an unknown uuid', { memberIds: [UNKNOWN_ID] }, 'memberIds', `memberIds contains unknown members: ${UNKNOWN_ID}`],
        ['resend "yes"', { resend: 'yes' }, 'resend', 'resend must be true or false'],
        ['unknown extra property', { everyone: true }, 'everyone', 'property everyone should not exist'],
      ]),
    )('$label → 400 naming $field', async ({ change: body, field, message }) => {
      expectBadRequest(await api.post(`/api/events/${published.id}/invitations`, body), field, message);
    });

    it('memberIds with a known member next to an unknown uuid → 400 naming memberIds, and no invitation for the known one either', async () => {
      const answer = await api.post(`/api/events/${published.id}/invitations`, { memberIds: [memberId, UNKNOWN_ID], clusters: [] });
      expectBadRequest(answer, 'memberIds', `memberIds contains unknown members: ${UNKNOWN_ID}`);
      expect(await count('outbox')).toBe(0);
    });

    it('answers a draft event with 409', async () => {
      const answer = await api.post(`/api/events/${draft.id}/invitations`, {});
      expect(answer.status).toBe(409);
      expect(answer.body).toEqual({ statusCode: 409, error: 'Conflict', message: ['invitations need a published event (this one is draft)'] });
    });

    it('answers a malformed id with 400, an unknown one with 404, and no token with 401', async () => {
      expectBadRequest(await api.post('/api/events/not-a-uuid/invitations', {}), 'id', 'id must be a UUID');
      expectNotFound(await api.post(`/api/events/${UNKNOWN_ID}/invitations`, {}), 'event not found');
      expectUnauthorized(await anonymous.post(`/api/events/${published.id}/invitations`, {}));
      expectUnauthorized(await wrongToken.post(`/api/events/${published.id}/invitations`, {}));
    });

    it('wrote no outbox row and no link token', async () => {
      expect(await count('outbox')).toBe(0);
      expect(await count('link_tokens')).toBe(0);
      expect(t.mailbox.to(member.email)).toHaveLength(0);
    });
  });

  describe('POST /api/events/:id/registrations (public)', () => {
    let published: Record<string, any>;
    let draft: Record<string, any>;
    const registrant = { email: 'jisoo.park@green.example', name: '박지수', company: '그린랩' };

    beforeAll(async () => {
      published = await createEvent({ title: '공개 등록 테스트', capacity: 10 }, true);
      draft = await createEvent({ title: '공개 등록 테스트 초안' });
    });

    it.each(
      cases([
        ['email invalid', { email: 'jisoo@' }, 'email', 'email must be an email'],
        ['email missing', { email: undefined }, 'email', 'email must be an email'],
        ['name missing', { name: undefined }, 'name', 'name must be a string'],
        ['name with CR/LF', { name: '박지수\r\nBcc: everyone@example.com' }, 'name', 'name must be a single line without control characters'],
        ['company too long', { company: 'c'.repeat(201) }, 'company', 'company must be shorter than or equal to 200 characters'],
        ['unknown extra property', { status: 'confirmed' }, 'status', 'property status should not exist'],
      ]),
    )('$label → 400 naming $field', async ({ change, field, message }) => {
      expectBadRequest(await anonymous.post(`/api/events/${published.id}/registrations`, { ...registrant, ...change }), field, message);
    });

    it('answers a body that is not JSON with 400', async () => {
      expectBadRequest(await anonymous.post(`/api/events/${published.id}/registrations`, 'email=jisoo.park@green.example'), 'body', 'body is not valid JSON');
    });

    it('answers a JSON body with bytes that are not UTF-8 with 400 naming the body, and registers no one', async () => {
      const before = await count('registrations');
      const body = Buffer.concat([
        Buffer.from('{"email":"jisoo.park@green.example","name":"'),
        Buffer.from([0xb9, 0xda, 0xff]),
        Buffer.from('","company":"그린랩"}'),
      ]);
      expectBadRequest(await anonymous.post(`/api/events/${published.id}/registrations`, body), 'body', 'body is not valid UTF-8');
      expect(await count('registrations')).toBe(before);
    });

    it('answers an unknown event with 404, a malformed id with 400, and a draft with 404 (drafts are invisible)', async () => {
      expectNotFound(await anonymous.post(`/api/events/${UNKNOWN_ID}/registrations`, registrant), 'event not found');
      expectBadRequest(await anonymous.post('/api/events/not-a-uuid/registrations', registrant), 'id', 'id must be a UUID');
      expectNotFound(await anonymous.post(`/api/events/${draft.id}/registrations`, registrant), 'event not found');
    });

    it('GET /api/events/:id/registrations answers 401 without a token and with a wrong one', async () => {
      expectUnauthorized(await anonymous.get(`/api/events/${published.id}/registrations`));
      expectUnauthorized(await wrongToken.get(`/api/events/${published.id}/registrations`));
      expectBadRequest(await api.get('/api/events/not-a-uuid/registrations'), 'id', 'id must be a UUID');
    });

    it('wrote no registration, no link token and no outbox row; no seat was taken', async () => {
      expect((await api.get(`/api/events/${published.id}/registrations`)).body).toEqual([]);
      expect((await api.get(`/api/events/${draft.id}/registrations`)).body).toEqual([]);
      expect(await count('registrations')).toBe(0);
      expect(await count('link_tokens')).toBe(0);
      expect(await count('outbox')).toBe(0);
      expect((await anonymous.get(`/api/events/${published.id}`)).body.seatsLeft).toBe(10);
    });
  });

  describe('GET /api/events', () => {
    it.each<[string, string, string]>([
      ['from=yesterday', 'from', 'from must be an ISO 8601 date or date-time'],
      ['from=2030-W10', 'from', 'from must be an ISO 8601 date or date-time'],
      ['from=2030-01-01&from=2030-02-01', 'from', 'from must be an ISO 8601 date or date-time'],
      ['to=2030-02-30', 'to', 'to must be an ISO 8601 date or date-time'],
      ['to=2030-100', 'to', 'to must be an ISO 8601 date or date-time'],
      ['cluster=MARS', 'cluster', 'cluster must be one of ICT, IMT, DC, GREEN_IT'],
      ['foo=bar', 'foo', 'property foo should not exist'],
    ])('?%s → 400 naming %s', async (query, field, message) => {
      expectBadRequest(await anonymous.get(`/api/events?${query}`), field, message);
    });

    it('GET /api/events/:id answers a malformed id with 400 and an unknown one with 404', async () => {
      expectBadRequest(await anonymous.get('/api/events/not-a-uuid'), 'id', 'id must be a UUID');
      expectNotFound(await anonymous.get(`/api/events/${UNKNOWN_ID}`), 'event not found');
    });
  });

  describe('calendar feeds', () => {
    it('GET /api/events/not-a-uuid/calendar.ics → 400 as JSON, not as a calendar attachment', async () => {
      const answer = await anonymous.get('/api/events/not-a-uuid/calendar.ics');
      expectBadRequest(answer, 'id', 'id must be a UUID');
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.headers.get('content-disposition')).toBeNull();
    });

    it('GET /api/events/<unknown or draft>/calendar.ics → 404', async () => {
      expectNotFound(await anonymous.get(`/api/events/${UNKNOWN_ID}/calendar.ics`), 'event not found');
      const draft = await createEvent({ title: '캘린더 초안' });
      expectNotFound(await anonymous.get(`/api/events/${draft.id}/calendar.ics`), 'event not found');
    });

    it('GET /api/clusters/MARS/calendar.ics → 400 naming code', async () => {
      expectBadRequest(await anonymous.get('/api/clusters/MARS/calendar.ics'), 'code', 'code must be one of ICT, IMT, DC, GREEN_IT');
    });
  });

  describe('HTML pages', () => {
    let published: Record<string, any>;
    let draft: Record<string, any>;
    const notFoundPage = '행사를 찾을 수 없습니다.';

    beforeAll(async () => {
      published = await createEvent({ title: 'HTML 등록 테스트' }, true);
      draft = await createEvent({ title: 'HTML 초안' });
    });

    it('GET /events/not-a-uuid, an unknown id and a draft → 404 HTML page', async () => {
      for (const id of ['not-a-uuid', UNKNOWN_ID, draft.id]) {
        const page = await anonymous.get(`/events/${id}`);
        expectHtml(page, 404);
        expect(page.text).toContain(notFoundPage);
        expect(page.text).not.toContain('HTML 초안');
      }
    });

    it('POST /events/:id/registrations with a bad email → 400 HTML naming the field and keeping what was typed', async () => {
      const page = await anonymous.form(`/events/${published.id}/registrations`, { email: 'jisoo-at-green.example', name: '박지수', company: '그린랩' });
      expectHtml(page, 400);
      expect(page.text).toContain('email must be an email');
      expect(page.text).toContain('value="박지수"');
      expect(page.text).toContain('value="그린랩"');
      expect(page.text).toContain('value="jisoo-at-green.example"');
      expect(page.text).toContain(`action="/events/${published.id}/registrations"`);
    });

    it('POST /events/:id/registrations with CR/LF in the name → 400 HTML naming name', async () => {
      const page = await anonymous.form(`/events/${published.id}/registrations`, { email: 'jisoo.park@green.example', name: '박지수\r\nBcc: x@y' });
      expectHtml(page, 400);
      expect(page.text).toContain('name must be a single line without control characters');
    });

    it('POST /events/<malformed, unknown or draft>/registrations → 404 HTML page', async () => {
      for (const id of ['not-a-uuid', UNKNOWN_ID, draft.id]) {
        const page = await anonymous.form(`/events/${id}/registrations`, { email: 'jisoo.park@green.example', name: '박지수' });
        expectHtml(page, 404);
        expect(page.text).toContain(notFoundPage);
      }
    });

    it('GET and POST /r/garbage → 404 HTML page, never 500', async () => {
      for (const token of ['garbage', 'A'.repeat(43), `${'A'.repeat(42)}!`]) {
        const shown = await anonymous.get(`/r/${encodeURIComponent(token)}`);
        expectHtml(shown, 404);
        expect(shown.text).toContain('이 링크는 유효하지 않습니다');
        const pressed = await anonymous.form(`/r/${encodeURIComponent(token)}`, {});
        expectHtml(pressed, 404);
        expect(pressed.text).toContain('이 링크는 유효하지 않습니다');
      }
    });

    it('wrote no registration, link token or outbox row', async () => {
      expect(await count('registrations')).toBe(0);
      expect(await count('link_tokens')).toBe(0);
      expect(await count('outbox')).toBe(0);
    });
  });

  describe('across the whole suite', () => {
    it('never answered with a 5xx', () => {
      expect(answers.length).toBeGreaterThan(100);
      expect(answers.filter((answer) => answer.status >= 500)).toEqual([]);
    });
  });
});

type Api = ReturnType<typeof client>;

/** Rows of [label, body or change, field, expected message] as objects, so test names can say `$label → 400 naming $field`. */
function cases(rows: [string, Record<string, unknown>, string, string][]) {
  return rows.map(([label, change, field, message]) => ({ label, change, field, message }));
}

/** The client, noting every answer's status. */
function tracked(api: Api, answers: { request: string; status: number }[]): Api {
  const note =
    (method: string, path: string) =>
    <T>(answer: Answer<T>): Answer<T> => {
      answers.push({ request: `${method} ${path}`, status: answer.status });
      return answer;
    };
  return {
    get: (path, init) => api.get(path, init).then(note('GET', path)),
    post: (path, body, init) => api.post(path, body, init).then(note('POST', path)),
    patch: (path, body) => api.patch(path, body).then(note('PATCH', path)),
    put: (path, body) => api.put(path, body).then(note('PUT', path)),
    form: (path, fields) => api.form(path, fields).then(note('POST (form)', path)),
  };
}

/** 400 in the contract's shape, with `expected` among the messages and every message naming `field`. */
function expectBadRequest(answer: Answer, field: string, expected: string): void {
  expect({ status: answer.status, body: answer.body }).toEqual({
    status: 400,
    body: { statusCode: 400, error: 'Bad Request', message: expect.arrayContaining([expected]) },
  });
  const names = new RegExp(`(^|[^A-Za-z])${field}([^A-Za-z]|$)`);
  for (const message of answer.body.message as string[]) expect(message).toMatch(names);
}

function expectUnauthorized(answer: Answer): void {
  expect({ status: answer.status, body: answer.body }).toEqual({
    status: 401,
    body: { statusCode: 401, error: 'Unauthorized', message: [expect.stringContaining('organizer bearer token')] },
  });
}

function expectNotFound(answer: Answer, message: string): void {
  expect({ status: answer.status, body: answer.body }).toEqual({ status: 404, body: { statusCode: 404, error: 'Not Found', message: [message] } });
}

function expectHtml(answer: Answer, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
  expect(answer.text).toMatch(/^<!doctype html>/i);
}
