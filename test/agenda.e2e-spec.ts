import { client } from './support/http';
import { calendarParts, parseIcs } from './support/ics';
import { startTestApp, TestApp } from './support/test-app';

/** Issue 9: an event's programme (agenda) through the API, the public page and the .ics. */
describe('event agenda', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;

  const event = {
    title: 'AI × 콘텐츠 융합 세미나',
    type: 'seminar',
    startsAt: '2027-03-10T14:00:00+09:00',
    endsAt: '2027-03-10T17:00:00+09:00',
    venue: '판교 세미나실 A',
    hostClusters: ['ICT', 'DC'],
  };
  const agenda = [
    { startsAt: '2027-03-10T14:00:00+09:00', endsAt: '2027-03-10T14:10:00+09:00', title: '개회사' },
    {
      startsAt: '2027-03-10T14:10:00+09:00',
      endsAt: '2027-03-10T15:00:00+09:00',
      title: '생성형 AI와 콘텐츠 제작',
      speaker: ' 김민지 ',
      affiliation: '한빛소프트',
    },
    { startsAt: '2027-03-10T15:00:00+09:00', title: 'Networking', speaker: 'John Smith' },
  ];

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres' });
    api = client(t.url, t.adminToken);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the agenda of a new event, answers it in UTC and in order, and shows it on the page and in the .ics', async () => {
    const created = await api.post('/api/events', { ...event, agenda });
    expect(created.status).toBe(201);
    expect(created.body.agenda).toEqual([
      { startsAt: '2027-03-10T05:00:00.000Z', endsAt: '2027-03-10T05:10:00.000Z', title: '개회사', speaker: null, affiliation: null },
      {
        startsAt: '2027-03-10T05:10:00.000Z',
        endsAt: '2027-03-10T06:00:00.000Z',
        title: '생성형 AI와 콘텐츠 제작',
        speaker: '김민지',
        affiliation: '한빛소프트',
      },
      { startsAt: '2027-03-10T06:00:00.000Z', endsAt: null, title: 'Networking', speaker: 'John Smith', affiliation: null },
    ]);
    const id = created.body.id as string;
    expect((await api.post(`/api/events/${id}/publish`)).status).toBe(200);
    expect((await api.get(`/api/events/${id}`, { token: null })).body.agenda).toEqual(created.body.agenda);

    const page = await fetch(`${t.url}/events/${id}`, { headers: { 'accept-language': 'ko' } }).then((response) => response.text());
    expect(page).toContain('<h2 id="agenda-heading">프로그램</h2>');
    expect(page).toMatch(
      /오후 2:10 – 오후 3:00<\/span> <span class="agenda-title">생성형 AI와 콘텐츠 제작<\/span> <span class="agenda-speaker">김민지 \(한빛소프트\)<\/span>/,
    );

    const ics = await fetch(`${t.url}/api/events/${id}/calendar.ics`).then((response) => response.text());
    const description = /DESCRIPTION:([\s\S]*?)\r\n[A-Z-]+[:;]/.exec(ics)![1].replace(/\r\n[ \t]/g, '');
    expect(description).toContain('14:10–15:00 생성형 AI와 콘텐츠 제작 — 김민지 (한빛소프트)\\n15:00 Networking — John Smith');
  });

  it('documents the agenda and the paging of GET /api/events in the OpenAPI document', async () => {
    const docs = (await api.get('/api/docs-json')).body;
    expect(docs.components.schemas.AgendaItemDto.required).toEqual(['startsAt', 'title']);
    expect(docs.components.schemas.CreateEventDto.properties.agenda.items).toEqual({ $ref: '#/components/schemas/AgendaItemDto' });
    const list = docs.paths['/api/events'].get;
    expect(list.summary).toBe('List events');
    expect(list.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['limit', 'after']));
    expect(Object.keys(list.responses['200'].headers)).toEqual(['Link', 'X-Next-Cursor']);
  });

  it('refuses a bad agenda with a 400 naming the row and field, and stores nothing', async () => {
    const before = (await t.db.query('SELECT count(*)::int AS n FROM events')).rows[0].n as number;
    const refused = async (rows: unknown, field: string) => {
      const answer = await api.post('/api/events', { ...event, title: 'refused', agenda: rows });
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body.message)).toContain(field);
    };
    await refused([...agenda.slice(0, 2), { startsAt: '2027-03-10T13:00:00+09:00', title: '너무 이른 세션' }], 'agenda[2].startsAt must lie within the event');
    await refused([agenda[1], agenda[0]], 'agenda[1].startsAt must not be before agenda[0].startsAt');
    await refused(
      [{ startsAt: '2027-03-10T16:30:00+09:00', endsAt: '2027-03-10T17:30:00+09:00', title: '늦게 끝남' }],
      'agenda[0].endsAt must be at or before',
    );
    await refused([{ startsAt: '2027-03-10T15:00', title: '오프셋 없음' }], 'agenda[0].startsAt must be an ISO 8601 date-time with an offset');
    await refused([{ startsAt: '2027-03-10T15:00:00+09:00', title: '' }], 'agenda[0].title is required');
    await refused([{ startsAt: '2027-03-10T15:00:00+09:00', title: 'x', room: 'A' }], 'agenda[0].room is not a field of a session');
    await refused([{ startsAt: '2027-03-10T15:00:00+09:00', title: 'x', speaker: '가'.repeat(101) }], 'agenda[0].speaker must be at most 100 characters');
    await refused(
      Array.from({ length: 31 }, () => ({ startsAt: '2027-03-10T15:00:00+09:00', title: 'x' })),
      'agenda must have at most 30 sessions',
    );
    await refused('개회사', 'agenda must be an array of sessions');
    // A series' occurrences are on other days: their agendas are set one by one, not copied from the first.
    const series = await api.post('/api/series', { ...event, agenda, rrule: 'FREQ=WEEKLY;COUNT=2' });
    expect([series.status, series.body.message]).toEqual([400, ['property agenda should not exist']]);
    expect((await t.db.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before);
  });

  it('replaces, keeps and clears the agenda by PATCH, checked against the moved event', async () => {
    const id = (await api.post('/api/events', { ...event, agenda })).body.id as string;
    const replaced = await api.patch(`/api/events/${id}`, { agenda: [{ startsAt: '2027-03-10T16:00:00+09:00', title: '패널 토론' }] });
    expect(replaced.status).toBe(200);
    expect(replaced.body.agenda.map((item: { title: string }) => item.title)).toEqual(['패널 토론']);
    expect((await api.patch(`/api/events/${id}`, { venue: '판교 세미나실 B' })).body.agenda).toHaveLength(1);

    const moved = await api.patch(`/api/events/${id}`, { endsAt: '2027-03-10T15:30:00+09:00' });
    expect(moved.status).toBe(400);
    expect(JSON.stringify(moved.body.message)).toContain('endsAt must leave agenda[0].startsAt inside the event');
    const badRow = await api.patch(`/api/events/${id}`, { agenda: [{ startsAt: '2027-03-11T10:00:00+09:00', title: '다음 날' }] });
    expect([badRow.status, JSON.stringify(badRow.body.message)]).toEqual([400, expect.stringContaining('agenda[0].startsAt') as unknown]);

    const cleared = await api.patch(`/api/events/${id}`, { agenda: null });
    expect([cleared.status, cleared.body.agenda]).toEqual([200, []]);
  });

  it('sends registrants of a published event the updated invitation when the programme changes, and nothing when it is sent unchanged', async () => {
    const created = (await api.post('/api/events', { ...event, title: '프로그램 변경 안내', agenda })).body;
    expect((await api.post(`/api/events/${created.id}/publish`)).status).toBe(200);
    await t.db.query(
      `INSERT INTO registrations (event_id, email, name, status, source, confirmed_at) VALUES ($1, 'grace@pixel.example', 'Grace Park', 'confirmed', 'invitation', now())`,
      [created.id],
    );
    const same = await api.patch(`/api/events/${created.id}`, { agenda });
    expect([same.status, same.body.sequence]).toEqual([200, 0]);

    const changed = await api.patch(`/api/events/${created.id}`, {
      agenda: [...agenda.slice(0, 2), { startsAt: '2027-03-10T15:00:00+09:00', title: '패널 토론' }],
    });
    expect([changed.status, changed.body.sequence]).toEqual([200, 1]);
    await t.mailbox.waitFor(() => t.mailbox.to('grace@pixel.example').length === 1, 'the updated invitation');
    const [mail] = t.mailbox.to('grace@pixel.example');
    expect(mail.parsed.subject).toContain('프로그램 변경 안내');
    expect(mail.parsed.text).toContain('프로그램');
    const parts = calendarParts(mail.parsed);
    expect(parts.alternative?.method).toBe('REQUEST');
    const [vevent] = parseIcs(parts.attachment!.text).events;
    expect([vevent.uid, vevent.sequence]).toEqual([created.uid, 1]);
    expect(vevent.description).toContain('패널 토론');
    expect(vevent.description).not.toContain('Networking');
  });
});
